"""Case tables: read an extract, validate it, assess every case and total the liability by month.

A case table has one row per application. Only ``case_id`` and ``received`` are required; every
other column is optional, and an empty cell means "has not happened" or "use the scenario's
default". Columns the library does not know pass through untouched; rows keep their order and
index. Every computation runs on the vectorized engine (:mod:`dwangsom.engine`); the scalar
:func:`assess_case` is the reference it is tested against.

Every name is importable from ``dwangsom.cases``; its modules name the parts:

- :mod:`dwangsom.cases.columns`: the columns read and added;
- :mod:`dwangsom.cases.values`: missing cells and case ids;
- :mod:`dwangsom.cases.layout`: the columns as the reader takes them;
- :mod:`dwangsom.cases.parsed`: the parsed table;
- :mod:`dwangsom.cases.validation`: problems (parse_cases, validate);
- :mod:`dwangsom.cases.results`: the result columns;
- :mod:`dwangsom.cases.evaluation`: assessing a table, in blocks;
- :mod:`dwangsom.cases.one_case`: one case, the scalar reference;
- :mod:`dwangsom.cases.monthly`: the liability by month, scenarios compared.

>>> import pandas as pd, dwangsom
>>> cases = pd.DataFrame({
...     "case_id": ["A", "B"],
...     "received": ["2019-06-01", "2023-10-25"],
...     "notice_received": ["2020-01-02", None],
...     "decided": ["2020-03-31", None],
... })
>>> out = dwangsom.assess(cases, as_of="2025-06-30")
>>> out[["case_id", "deadline", "admin_amount", "status"]]
  case_id   deadline  admin_amount     status
0       A 2019-12-01          1442    decided
1       B 2025-01-25             0  overdue-no-notice
"""

from __future__ import annotations

from ..reading import read_cases as read_cases
from .columns import COLUMNS, OUTPUT_COLUMNS, STATUSES
from .columns import DATE_COLUMNS as DATE_COLUMNS
from .columns import EVENT_COLUMNS as EVENT_COLUMNS
from .columns import FLAGS as FLAGS
from .columns import PROBLEM_COLUMNS as PROBLEM_COLUMNS
from .columns import STATUS_DTYPE as STATUS_DTYPE
from .columns import Days as Days
from .evaluation import _AS_OF as _AS_OF
from .evaluation import BLOCK_ROWS as BLOCK_ROWS
from .evaluation import BLOCK_THREADS as BLOCK_THREADS
from .evaluation import BLOCK_THRESHOLD as BLOCK_THRESHOLD
from .evaluation import Cases as Cases
from .evaluation import W as W
from .evaluation import _as_of as _as_of
from .evaluation import _blocks as _blocks
from .evaluation import _check_errors as _check_errors
from .evaluation import _engine_inputs as _engine_inputs
from .evaluation import _evaluate_block as _evaluate_block
from .evaluation import _frame as _frame
from .evaluation import _free_name as _free_name
from .evaluation import _parsed as _parsed
from .evaluation import _slice as _slice
from .evaluation import _threads as _threads
from .evaluation import _valid_only as _valid_only
from .evaluation import _whole as _whole
from .evaluation import assess
from .layout import _LAYOUTS as _LAYOUTS
from .layout import _TYPE_DTYPES as _TYPE_DTYPES
from .layout import _Columns as _Columns
from .layout import _Layout as _Layout
from .layout import _layout as _layout
from .layout import _types_dtype as _types_dtype
from .monthly import _ADMIN_ACCRUAL_FIELDS as _ADMIN_ACCRUAL_FIELDS
from .monthly import _COURT_ACCRUAL_FIELDS as _COURT_ACCRUAL_FIELDS
from .monthly import _MONTH_COLUMNS as _MONTH_COLUMNS
from .monthly import _ORDINAL_OFFSET as _ORDINAL_OFFSET
from .monthly import _by_groups as _by_groups
from .monthly import _merge_parts as _merge_parts
from .monthly import _month_columns as _month_columns
from .monthly import _month_index as _month_index
from .monthly import _monthly as _monthly
from .monthly import _ordinal_offset as _ordinal_offset
from .monthly import _Parts as _Parts
from .monthly import _positive as _positive
from .monthly import _Spread as _Spread
from .monthly import _spread_accrued as _spread_accrued
from .monthly import _table as _table
from .monthly import compare, liability_by_month
from .one_case import CaseInputs as CaseInputs
from .one_case import assess_case
from .one_case import case_details as case_details
from .one_case import case_inputs as case_inputs
from .parsed import _HIGH_DAY as _HIGH_DAY
from .parsed import _LOW_DAY as _LOW_DAY
from .parsed import _RULE as _RULE
from .parsed import _TARGET_KEYS as _TARGET_KEYS
from .parsed import ParsedCases
from .parsed import _parse as _parse
from .parsed import _parse_new_columns as _parse_new_columns
from .parsed import _read as _read
from .parsed import _retarget as _retarget
from .parsed import _target_key as _target_key
from .results import _APPENDED as _APPENDED
from .results import _LABELS_WITH as _LABELS_WITH
from .results import _OUTPUT_INDEX as _OUTPUT_INDEX
from .results import _PLANS as _PLANS
from .results import _RESULT_DTYPES as _RESULT_DTYPES
from .results import _TEXT_DTYPE as _TEXT_DTYPE
from .results import _appended as _appended
from .results import _assemble as _assemble
from .results import _Evaluation as _Evaluation
from .results import _flag_codes as _flag_codes
from .results import _flags as _flags
from .results import _from_blocks as _from_blocks
from .results import _labels_with as _labels_with
from .results import _result_arrays as _result_arrays
from .results import _result_blocks as _result_blocks
from .results import _result_columns as _result_columns
from .results import _result_frame as _result_frame
from .results import _small_result as _small_result
from .results import _status_codes as _status_codes
from .results import _text_array as _text_array
from .results import _text_column as _text_column
from .results import _text_dtype as _text_dtype
from .results import _wrap_results as _wrap_results
from .validation import _NO_PROBLEMS as _NO_PROBLEMS
from .validation import _NO_PROBLEMS_WITHOUT_ROW as _NO_PROBLEMS_WITHOUT_ROW
from .validation import _empty_problems as _empty_problems
from .validation import _no_problems as _no_problems
from .validation import _problems_frame as _problems_frame
from .validation import _raise as _raise
from .validation import _warnings_frame as _warnings_frame
from .validation import parse_cases, validate
from .values import _FAST_IDS_FROM as _FAST_IDS_FROM
from .values import _NULL_TEXT as _NULL_TEXT
from .values import _PLAIN_CELLS as _PLAIN_CELLS
from .values import _SMALL_TABLE as _SMALL_TABLE
from .values import _TRUE as _TRUE
from .values import _factorize as _factorize
from .values import _factorize_text as _factorize_text
from .values import _fixed_width_bytes as _fixed_width_bytes
from .values import _hashable as _hashable
from .values import _is_null as _is_null
from .values import _null_ids as _null_ids
from .values import _parse_ints as _parse_ints
from .values import _plain_ids as _plain_ids
from .values import _pylist as _pylist
from .values import _unique_ids as _unique_ids
from .values import is_missing as is_missing

# :func:`read_cases` lives in :mod:`dwangsom.reading` (encodings, separators, title rows,
# bounds); it is re-exported here, where it always was.

# Every name the module dwangsom.cases defined is importable from here; the names not in __all__
# are re-exported for the modules and tests that use them. A part reads its names where
# they are defined: a test that patches one patches that part (e.g. dwangsom.cases.<part>.NAME).
__all__ = [
    "COLUMNS",
    "OUTPUT_COLUMNS",
    "STATUSES",
    "ParsedCases",
    "assess",
    "assess_case",
    "compare",
    "liability_by_month",
    "parse_cases",
    "read_cases",
    "validate",
]
