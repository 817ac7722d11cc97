"""Case tables: read an extract, validate it, assess every case and total the liability by month.

A case table has one row per application. Only ``case_id`` and ``received`` are required; every
other column is optional, and an empty cell means "has not happened" or "use the scenario's
default". Columns the library does not know pass through untouched; rows keep their order and
index. Every computation runs on the vectorized engine (:mod:`dwangsom.engine`); the scalar
:func:`assess_case` is the reference it is tested against.

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
from .parsed import (
    COLUMNS,
    OUTPUT_COLUMNS,
    STATUSES,
    ParsedCases,
    assess,
    assess_case,
    compare,
    liability_by_month,
    parse_cases,
    validate,
)
from .parsed import BLOCK_ROWS as BLOCK_ROWS
from .parsed import BLOCK_THREADS as BLOCK_THREADS
from .parsed import BLOCK_THRESHOLD as BLOCK_THRESHOLD
from .parsed import CaseInputs as CaseInputs
from .parsed import Cases as Cases
from .parsed import DATE_COLUMNS as DATE_COLUMNS
from .parsed import Days as Days
from .parsed import EVENT_COLUMNS as EVENT_COLUMNS
from .parsed import FLAGS as FLAGS
from .parsed import PROBLEM_COLUMNS as PROBLEM_COLUMNS
from .parsed import STATUS_DTYPE as STATUS_DTYPE
from .parsed import W as W
from .parsed import _ADMIN_ACCRUAL_FIELDS as _ADMIN_ACCRUAL_FIELDS
from .parsed import _APPENDED as _APPENDED
from .parsed import _AS_OF as _AS_OF
from .parsed import _COURT_ACCRUAL_FIELDS as _COURT_ACCRUAL_FIELDS
from .parsed import _Columns as _Columns
from .parsed import _Evaluation as _Evaluation
from .parsed import _FAST_IDS_FROM as _FAST_IDS_FROM
from .parsed import _HIGH_DAY as _HIGH_DAY
from .parsed import _LABELS_WITH as _LABELS_WITH
from .parsed import _LAYOUTS as _LAYOUTS
from .parsed import _LOW_DAY as _LOW_DAY
from .parsed import _Layout as _Layout
from .parsed import _MONTH_COLUMNS as _MONTH_COLUMNS
from .parsed import _NO_PROBLEMS as _NO_PROBLEMS
from .parsed import _NO_PROBLEMS_WITHOUT_ROW as _NO_PROBLEMS_WITHOUT_ROW
from .parsed import _NULL_TEXT as _NULL_TEXT
from .parsed import _ORDINAL_OFFSET as _ORDINAL_OFFSET
from .parsed import _OUTPUT_INDEX as _OUTPUT_INDEX
from .parsed import _PLAIN_CELLS as _PLAIN_CELLS
from .parsed import _PLANS as _PLANS
from .parsed import _Parts as _Parts
from .parsed import _RESULT_DTYPES as _RESULT_DTYPES
from .parsed import _RULE as _RULE
from .parsed import _SMALL_TABLE as _SMALL_TABLE
from .parsed import _Spread as _Spread
from .parsed import _TARGET_KEYS as _TARGET_KEYS
from .parsed import _TEXT_DTYPE as _TEXT_DTYPE
from .parsed import _TRUE as _TRUE
from .parsed import _TYPE_DTYPES as _TYPE_DTYPES
from .parsed import _appended as _appended
from .parsed import _as_of as _as_of
from .parsed import _assemble as _assemble
from .parsed import _blocks as _blocks
from .parsed import _by_groups as _by_groups
from .parsed import _check_errors as _check_errors
from .parsed import _empty_problems as _empty_problems
from .parsed import _engine_inputs as _engine_inputs
from .parsed import _evaluate_block as _evaluate_block
from .parsed import _factorize as _factorize
from .parsed import _factorize_text as _factorize_text
from .parsed import _fixed_width_bytes as _fixed_width_bytes
from .parsed import _flag_codes as _flag_codes
from .parsed import _flags as _flags
from .parsed import _frame as _frame
from .parsed import _free_name as _free_name
from .parsed import _from_blocks as _from_blocks
from .parsed import _hashable as _hashable
from .parsed import _is_null as _is_null
from .parsed import _labels_with as _labels_with
from .parsed import _layout as _layout
from .parsed import _merge_parts as _merge_parts
from .parsed import _month_columns as _month_columns
from .parsed import _month_index as _month_index
from .parsed import _monthly as _monthly
from .parsed import _no_problems as _no_problems
from .parsed import _null_ids as _null_ids
from .parsed import _ordinal_offset as _ordinal_offset
from .parsed import _parse as _parse
from .parsed import _parse_ints as _parse_ints
from .parsed import _parse_new_columns as _parse_new_columns
from .parsed import _parsed as _parsed
from .parsed import _plain_ids as _plain_ids
from .parsed import _positive as _positive
from .parsed import _problems_frame as _problems_frame
from .parsed import _pylist as _pylist
from .parsed import _raise as _raise
from .parsed import _read as _read
from .parsed import _result_arrays as _result_arrays
from .parsed import _result_blocks as _result_blocks
from .parsed import _result_columns as _result_columns
from .parsed import _result_frame as _result_frame
from .parsed import _retarget as _retarget
from .parsed import _slice as _slice
from .parsed import _small_result as _small_result
from .parsed import _spread_accrued as _spread_accrued
from .parsed import _status_codes as _status_codes
from .parsed import _table as _table
from .parsed import _target_key as _target_key
from .parsed import _text_array as _text_array
from .parsed import _text_column as _text_column
from .parsed import _text_dtype as _text_dtype
from .parsed import _threads as _threads
from .parsed import _types_dtype as _types_dtype
from .parsed import _unique_ids as _unique_ids
from .parsed import _valid_only as _valid_only
from .parsed import _warnings_frame as _warnings_frame
from .parsed import _whole as _whole
from .parsed import _wrap_results as _wrap_results
from .parsed import case_details as case_details
from .parsed import case_inputs as case_inputs
from .parsed import is_missing as is_missing

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
