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

import collections
import concurrent.futures
import dataclasses
import datetime as _dt
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeVar, cast, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _compact, cells, engine, headers, rules
from .._dates import as_date, as_optional_date
from ..errors import CaseTableError, DwangsomError
from ..export import stamp
from ..months import month_end_array, month_number_array
from ..reading import read_cases
from ..scenario import Scenario
from ..scenario import scenario as _scenario

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

Days = npt.NDArray[np.datetime64]

#: Input columns: name -> (kind, what an empty cell means).
COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("id", "required, unique"),
    "received": ("date", "required: receipt of the application (the term's start, Vw art. 42)"),
    "application_type": ("type", "asylum"),
    "notice_received": ("date", "no notice of default received"),
    "appeal_filed": ("date", "no appeal against the failure to decide"),
    "judgment_sent": ("date", "no judgment"),
    "court_term_days": ("int", "the court-practice default"),
    "court_per_day": ("int", "the court-practice default"),
    "court_cap": ("int", "the court-practice default"),
    "repeat_appeal": ("bool", "false"),
    "decided": ("date", "not decided"),
    "applicants": ("int", "1"),
    "excluded": ("bool", "false"),
    "extension_months": ("int", "0: no individual extension"),
    "nationality": ("country", "unknown: no decision moratorium applies (Vw art. 43)"),
    "heard": ("bool", "false: not yet heard (the court's default term is 112 days)"),
    "court_group": ("group", "no group: the case's court penalty is its own"),
}
DATE_COLUMNS = tuple(k for k, (kind, _) in COLUMNS.items() if kind == "date")
EVENT_COLUMNS = ("notice_received", "appeal_filed", "judgment_sent", "decided")

#: Columns :func:`assess` adds.
OUTPUT_COLUMNS = (
    "deadline",
    "in_default_from",
    "notice_valid",
    "penalty_start",
    "admin_days",
    "admin_amount",
    "court_due",
    "court_days",
    "court_amount",
    "total_amount",
    "fixed_by",
    "payable_by",
    "court_payable_by",
    "status",
    "flags",
)

#: Flags :func:`assess` puts in the ``flags`` column (comma-separated, empty for none).
FLAGS: dict[str, str] = rules.FLAGS

#: Status codes, in the order they are decided.
STATUSES: dict[str, str] = {
    "invalid": "the row failed validation (errors='report'); see the problems table",
    "decided-in-term": "decided on or before the deadline",
    "decided": "decided after the deadline",
    "within-term": "open, the decision term has not expired",
    "accruing": "open, a penalty (4:17 or court) accrues",
    "capped": "open, the penalties have reached their maximum",
    "court-term-running": "open, a court has ordered a decision and its term runs",
    "notice-pending": "open, a valid notice was received; the two weeks run",
    "no-penalty": "open, a valid notice, but no 4:17 penalty is owed (excluded, before "
    "1 Oct 2012, or the Temporary Act)",
    "notice-premature": "open, the only notice was received before the term expired",
    "overdue-no-notice": "open, the term has expired and no notice was received",
}


#: ``status`` is a categorical column with the codes of :data:`STATUSES` in this order.
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))


# --- reading --------------------------------------------------------------------------------


# :func:`read_cases` lives in :mod:`dwangsom.reading` (encodings, separators, title rows,
# bounds); it is re-exported here, where it always was.


# --- validation -----------------------------------------------------------------------------

_RULE = {
    "missing-column": "case tables need case_id and received",
    "missing-id": "every case needs a case_id",
    "not-an-id": "a case_id is a text or a number, not a list, set or mapping",
    "duplicate-id": "case_id must be unique",
    **cells.DATE_RULES,
    "missing-date": "received is required (the start of the decision term, Vw art. 42(1))",
    "out-of-table": f"the rules cover receipt from {rules.VW2000_IN_FORCE} (Vw 2000) to "
    f"{rules.LAST_DAY}",
    "before-receipt": "an event cannot precede the application",
    "judgment-before-appeal": "a court judges an appeal after it is filed (Awb 8:55b)",
    **cells.NUMBER_RULES,
    "not-whole": "money is whole euros and terms whole days (Awb 4:17(2), 8:55d)",
    "negative": "amounts and terms are not negative",
    "too-large": "amounts and terms are below 1,000,000,000",
    "too-few-applicants": "an application has at least one applicant (Awb 4:17(7))",
    "not-boolean": "true/false, 1/0, yes/no or ja/nee",
    "unknown-type": "application types come from application_types.csv",
    "extension-not-allowed": "an individual extension is at most the application type's maximum "
    "(asylum to 21 months in all, Vw art. 42(4)-(5); 3 months on a 90-day term, art. 25(2))",
    "unknown-nationality": "nationality is an ISO 3166-1 alpha-3 code or an English or Dutch "
    "country name from countries.csv",
    "court-group-conflict": "linked cases share one court order (RULES §6, "
    "ECLI:NL:RBDHA:2026:2612): the same judgment_sent, court_term_days, court_per_day, "
    "court_cap and repeat_appeal",
    "court-out-of-table": "the court-practice table starts 1 Oct 2009 (Awb 8:55d); give the "
    "ordered term, amount and cap",
}

_NULL_TEXT = cells._NULL_TEXT


is_missing = cells.is_missing


#: Cells whose text form is empty exactly when :func:`is_missing` says so (not bytes, say).
_PLAIN_CELLS = (str, bool, int, float, _dt.date, np.datetime64, np.generic, type(pd.NA))


def _is_null(values: pd.Series) -> npt.NDArray[np.bool_]:
    if len(values) <= 64:  # a few cells: the scalar test, where it reads cells the same way
        items = values.tolist()
        if all(v is None or isinstance(v, _PLAIN_CELLS) for v in items):
            return np.fromiter(map(is_missing, items), dtype=bool, count=len(items))
    nulls = values.isna().to_numpy()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        try:
            text = values.astype("string")
        except (TypeError, ValueError):  # cells pandas cannot turn into text (bytes, ...)
            text = values.map(cells.show, na_action="ignore").astype("string")
        text = text.str.strip().str.lower()
        nulls = nulls | text.isin(_NULL_TEXT).fillna(value=True).to_numpy(dtype=bool)
    return np.asarray(nulls, dtype=bool)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, Hashable) else cells.show(value)


def _factorize(values: pd.Series) -> tuple[npt.NDArray[np.intp], Any]:
    """``pd.factorize`` that reads unhashable cells (lists, dicts) as their text, so they are
    named as problems of their cells instead of raising."""
    try:
        return pd.factorize(values)
    except TypeError:
        return pd.factorize(values.map(_hashable, na_action="ignore"))


#: Below this many ids the plain tests are cheaper than reading the bytes.
_FAST_IDS_FROM = 4096


def _fixed_width_bytes(values: pd.Series) -> npt.NDArray[np.uint8] | None:
    """The UTF-8 bytes of a pyarrow-backed text column as an ``(n, width)`` array when every
    cell is present and has the same byte length (the usual case id); else None."""
    pa_array = getattr(values.array, "_pa_array", None)
    if pa_array is None or len(values) < _FAST_IDS_FROM or values.isna().any():
        return None
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a pyarrow-backed column implies pyarrow
        return None
    arr = pa_array.combine_chunks() if isinstance(pa_array, pa.ChunkedArray) else pa_array
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=off_type)[arr.offset : arr.offset + len(arr) + 1]
    width = int(offsets[1] - offsets[0])
    if width == 0 or (np.diff(offsets) != width).any():
        return None
    data = np.frombuffer(data_buf, dtype=np.uint8)[int(offsets[0]) : int(offsets[-1])]
    return data.reshape(len(arr), width)


def _null_ids(ids: pd.Series) -> npt.NDArray[np.bool_]:
    """:func:`_is_null` of the id column, without the text passes for ASCII ids of one width
    longer than every blank text ("nan", "none", ...) that neither start nor end with a blank:
    stripping leaves them as they are, so none of them is a blank text."""
    data = _fixed_width_bytes(ids)
    if data is not None and data.shape[1] > max(map(len, _NULL_TEXT)):
        ends = data[:, [0, -1]]
        if ((ends > 0x20) & (ends < 0x7F)).all() and int(data.max()) < 0x80:
            return np.zeros(len(ids), dtype=bool)
    return _is_null(ids)


def _unique_ids(ids: pd.Series) -> bool:
    """Whether the ids are unique. Extracts often come sorted by case id: text ids of one
    width in strictly increasing order are unique, which a few passes over their bytes show
    (a hash table over a million ids costs about ten times that); otherwise the exact test."""
    data = _fixed_width_bytes(ids)
    if data is not None and data.shape[0] > 1:
        width = data.shape[1]
        padded = np.zeros((data.shape[0], -(-width // 8) * 8), dtype=np.uint8)
        padded[:, :width] = data
        words = padded.view(">u8")  # big-endian words compare as the bytes do
        greater = np.zeros(data.shape[0] - 1, dtype=bool)
        equal = np.ones(data.shape[0] - 1, dtype=bool)
        for k in range(words.shape[1]):
            a, b = words[1:, k], words[:-1, k]
            greater |= equal & (a > b)
            equal &= a == b
        if greater.all():
            return True
    return bool(pd.Index(ids).is_unique)


def _parse_ints(
    values: Any,
    decimal: cells.DecimalMark = None,
    column: Callable[[], pd.Series] | None = None,
) -> tuple[npt.NDArray[np.float64], dict[str, Any]]:
    """(numbers, failed checks) for one column, read by :func:`dwangsom.cells.read_numbers`;
    ``values`` is the column or, with ``column`` (which gives the column), its stored array:
    a numpy array of numbers is read without the Series."""
    typed = cells.typed_numbers(values) if column is not None else None
    if typed is not None:
        arr, checks = typed
    else:
        arr, checks = cells.read_numbers(values if column is None else column(), decimal)
    finite = np.where(np.isfinite(arr), arr, 0.0)
    return arr, {
        **checks,
        "not-whole": np.isfinite(arr) & (finite != np.floor(finite)),
        "negative": np.isfinite(arr) & (finite < 0),
        "too-large": np.isfinite(arr) & (finite >= 1e9),
    }


_TRUE = cells._TRUE


@dataclasses.dataclass
class ParsedCases:
    """A case table read into engine arrays (see :func:`parse_cases`).

    ``ids`` is the ``case_id`` column; ``dates`` maps each date column of :data:`COLUMNS` to
    ``datetime64[D]`` (NaT: empty or unreadable); ``ints`` the whole-number columns to floats
    (NaN: empty, use the default); ``bools`` the flags; ``types`` is a pandas ``Categorical``
    of application types; ``problems`` the validation problems found, and ``bad`` marks the
    rows that have any. ``headers`` records how the table's headers were read (aliases,
    unknown columns: :mod:`dwangsom.headers`); unknown columns are warnings, not problems.

    A parse is checked against one scenario's tables (the application types it knows, where
    its court-practice table starts); :meth:`for_scenario` re-targets it at another scenario
    without reading the table again. :func:`assess`, :func:`liability_by_month`,
    :func:`compare` and :func:`dwangsom.explain` accept a ``ParsedCases`` in place of the
    table (``frame`` is the table it was read from; change neither afterwards). The last
    evaluation (one scenario, one ``as_of``) is kept, so :func:`assess` then
    :func:`liability_by_month` on the same parse runs the engine once.
    """

    n: int
    ids: pd.Series
    dates: dict[str, Days]
    ints: dict[str, npt.NDArray[np.float64]]
    bools: dict[str, npt.NDArray[np.bool_]]
    types: Any  # pandas Categorical of application type names
    problems: list[pd.DataFrame]
    bad: npt.NDArray[np.bool_]
    #: ISO alpha-3 codes (``None``: empty), or ``None`` when the table has no nationality column.
    nationality: npt.NDArray[np.object_] | None = None
    #: Court group numbers (-1: none), or ``None`` when the table has no court_group column.
    court_group: npt.NDArray[np.int64] | None = None
    headers: headers.Resolution = dataclasses.field(
        default_factory=lambda: headers.Resolution({}, ())
    )
    #: The case table this was read from.
    frame: pd.DataFrame | None = dataclasses.field(default=None, repr=False)
    #: The scenario-independent parse this one was targeted from (None: this is it).
    base: ParsedCases | None = dataclasses.field(default=None, repr=False)
    #: What of the scenario the targeted checks read (its application types, court table).
    target: Any = dataclasses.field(default=None, repr=False)
    _memo: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    def for_scenario(self, scenario: Scenario | str | None = None) -> ParsedCases:
        """This parse checked against ``scenario``'s tables: itself when they are the same
        tables, else a new parse sharing the arrays (only the scenario's checks run again)."""
        s = _scenario(scenario)
        key = _target_key(s)
        if self.target is not None and key == self.target:
            return self
        base = self.base if self.base is not None else self
        cached = base._memo.get("targets", {}).get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        targeted = _retarget(base, s, key)
        base._memo.setdefault("targets", {})[key] = targeted
        return targeted

    def flag(
        self,
        check: str,
        column: str,
        mask: Any,
        values: pd.Series | Callable[[], pd.Series] | None,
    ) -> None:
        """Record rows failing ``check`` in ``column``; ``values`` (or what a callable gives, so
        the column is taken out only when a row fails) is read only at those rows."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        shown = [""] * rows.size
        if callable(values):
            values = values()
        if values is not None:
            shown = [cells.show(v) for v in values.iloc[rows]]
        self.problems.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "case_id": self.ids.iloc[rows].to_numpy(dtype=object),
                    "column": self.headers.label(column),
                    "check": check,
                    "value": shown,
                    "rule": _RULE[check],
                }
            )
        )
        self.bad |= mask


class _Columns:
    """A case table's columns by their canonical names, each taken out once: pandas builds a new
    Series on every ``frame[name]``, which is most of the cost of validating a small table, so
    :meth:`array` gives a column's stored array without one where that is all a check needs.
    ``labels`` maps a canonical name to the table's own header where they differ (an alias), so
    the table is never renamed; ``present`` holds the table's headers as canonical names.
    Offers what :func:`_read` and :func:`_retarget` use of a frame (``len``, ``in``,
    ``[name]``, ``get``)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        labels: Mapping[str, Hashable] | None = None,
        present: frozenset[Hashable] | None = None,
    ) -> None:
        self.frame = frame
        self.labels = labels or {}
        self.present = frozenset(frame.columns) if present is None else present
        self._taken: dict[Any, pd.Series] = {}

    def __len__(self) -> int:
        return len(self.frame)

    def __contains__(self, name: Any) -> bool:
        return name in self.present

    def __getitem__(self, name: Any) -> pd.Series:
        column = self._taken.get(name)
        if column is None:
            label = self.labels.get(name, name)
            column = self.frame[label]
            if label is not name:  # an aliased header: the column under its canonical name
                column = column.rename(name)
            self._taken[name] = column
        return column

    def get(self, name: Any, default: Any = None) -> Any:
        return self[name] if name in self.present else default

    def array(self, name: Any) -> Any:
        """The column's values as the table stores them (a numpy array or a pandas extension
        array, never to be written to), without building a Series."""
        column = self._taken.get(name)
        if column is not None:
            return column.array if not isinstance(column.dtype, np.dtype) else column.values
        get_array = getattr(self.frame, "_get_column_array", None)  # pandas' own accessor
        if get_array is None:  # pragma: no cover - every pandas from 1.3 has it
            return self[name].array
        return get_array(self.frame.columns.get_loc(self.labels.get(name, name)))

    def lazy(self, name: Any) -> Callable[[], pd.Series]:
        """``self[name]`` when called (for :meth:`ParsedCases.flag`)."""
        return lambda: self[name]


def _pylist(values: Any) -> list[Any] | None:
    """The cells of a text column's array (numpy ``object`` or pandas ``str``/``string``) or a
    numpy integer array as Python objects (a pyarrow text array reads its cells directly,
    empty cells as None); None for any other array (categoricals, nullable numbers, ...)."""
    if isinstance(values, np.ndarray):
        return values.tolist() if values.dtype == object or values.dtype.kind in "iu" else None
    if not isinstance(values.dtype, pd.StringDtype):
        return None
    to_arrow = getattr(values, "__arrow_array__", None)
    if to_arrow is not None:
        try:
            return list(to_arrow().to_pylist())
        except Exception:  # pragma: no cover - an arrow array that cannot be read as Python
            pass
    return list(values.tolist())


@dataclasses.dataclass(frozen=True)
class _Layout:
    """What :func:`_read` needs of a table's headers, once per list of headers (see
    :func:`_layout`): the canonical name -> header map of the aliased columns, the headers as
    canonical names, and whether they are unique (as pandas reads labels)."""

    labels: dict[str, Hashable]
    present: frozenset[Hashable]
    unique: bool


_LAYOUTS: dict[tuple[object, ...], _Layout] = {}


def _layout(
    table_headers: list[Hashable],
    columns: Mapping[Any, str] | None,
    resolution: headers.Resolution,
) -> _Layout:
    """The :class:`_Layout` of a table's headers, kept per process (bounded) like the header
    matching it comes from (:func:`dwangsom.headers.resolve`)."""
    key = headers._key(table_headers, columns, resemble=True)
    found = _LAYOUTS.get(key) if key is not None else None
    if found is None:
        rename = resolution.rename
        named = [rename.get(h, h) for h in table_headers]
        found = _Layout(
            {n: h for h, n in rename.items()}, frozenset(named), bool(pd.Index(named).is_unique)
        )
        if key is not None:
            if len(_LAYOUTS) >= 256:
                _LAYOUTS.clear()
            _LAYOUTS[key] = found
    return found


def _parse(
    cases: pd.DataFrame,
    s: Scenario,
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """Read and validate ``cases`` against scenario ``s``. The scenario-independent read is the
    result's ``base`` (where :meth:`ParsedCases.for_scenario` keeps other targets); it does not
    keep this one, so a parse used once is freed without the cycle collector."""
    return _retarget(_read(cases, columns=columns, strict=strict), s, _target_key(s))


#: Tables up to this many rows take the plain Python paths for their text cells (id checks,
#: application types): up to it they cost less than pandas' fixed cost per call.
_SMALL_TABLE = 1024


def _plain_ids(ids: pd.Series) -> tuple[npt.NDArray[np.bool_], bool] | None:
    """(empty cells, unique) of a short id column whose cells are all Python ``int`` or all
    ASCII ``str`` that neither start nor end with a blank, or None (then :func:`_null_ids` and
    :func:`_unique_ids`). Such an id is empty exactly when its lower case is a blank text, in
    :func:`_is_null`'s scalar and text paths alike; ints and strs are equal as pandas compares
    labels, so a set tells uniqueness."""
    n = len(ids)
    if not n or n > _SMALL_TABLE:
        return None
    stored = ids.values if isinstance(ids.dtype, np.dtype) else ids.array
    items = _pylist(stored)
    if items is None:
        return None
    kinds = set(map(type, items))
    if kinds == {int}:
        return np.zeros(n, dtype=bool), len(set(items)) == n
    if kinds != {str} or not all(v.isascii() and v[:1] > " " and v[-1:] > " " for v in items):
        return None
    nulls = np.fromiter((v.lower() in _NULL_TEXT for v in items), dtype=bool, count=n)
    return nulls, len(set(items)) == n


def _factorize_text(values: Any) -> tuple[npt.NDArray[np.intp], list[str]] | None:
    """``pd.factorize`` of a short column (its array) whose cells are all ``str`` (codes in
    order of first appearance, as pandas gives them), or None."""
    if len(values) > _SMALL_TABLE:
        return None
    items = _pylist(values)
    if items is None or not all(type(v) is str for v in items):
        return None
    seen: dict[str, int] = {}
    codes = np.fromiter(
        (seen.setdefault(v, len(seen)) for v in items), dtype=np.intp, count=len(items)
    )
    return codes, list(seen)


_TYPE_DTYPES: dict[tuple[str, ...], pd.CategoricalDtype] = {}


def _types_dtype(categories: list[str]) -> pd.CategoricalDtype:
    """The categorical dtype of these application type names (kept: building one validates its
    categories, the largest fixed cost of a small parse)."""
    key = tuple(categories)
    found = _TYPE_DTYPES.get(key)
    if found is None:
        if len(_TYPE_DTYPES) >= 256:
            _TYPE_DTYPES.clear()
        found = _TYPE_DTYPES[key] = pd.CategoricalDtype(pd.Index(categories))
    return found


_LOW_DAY = np.datetime64(rules.VW2000_IN_FORCE, "D")
_HIGH_DAY = np.datetime64(rules.LAST_DAY, "D")


def _read(
    cases: pd.DataFrame, *, columns: Mapping[Any, str] | None = None, strict: bool = False
) -> ParsedCases:
    """The checks that do not depend on a scenario (every column's cells, dates, order)."""
    if not isinstance(cases, pd.DataFrame):
        raise CaseTableError(
            f"cases: expected a pandas DataFrame, got {type(cases).__name__}; "
            "use dwangsom.read_cases(path) for files"
        )
    original = cases
    table_headers = headers.flat_headers(cases)
    resolution = headers.resolve(table_headers, columns=columns, strict=strict, warn=True)
    layout = _layout(table_headers, columns, resolution)
    present = layout.present
    missing = [c for c in ("case_id", "received") if c not in present]
    if missing:
        named = pd.Index([resolution.rename.get(h, h) for h in table_headers])
        near = [f"{u.header!r} resembles {u.resembles!r}" for u in resolution.unknown
                if u.resembles in missing]  # fmt: skip
        hint = f"; {', '.join(near)}: rename it or map it with columns=" if near else ""
        raise CaseTableError(
            f"missing-column: the case table has no column {', '.join(map(repr, missing))} "
            f"(columns: {', '.join(map(str, named[:12]))}){hint}. Headers are read "
            "in any case, with Dutch aliases (zaaknummer, datum_ontvangst, ...); a title row "
            "above the header is skipped by read_cases(skip_rows=...)"
        )
    clash = [c for c in OUTPUT_COLUMNS if c in present]
    if clash:
        raise CaseTableError(
            f"the case table already has result column(s) {', '.join(map(repr, clash))}: "
            "drop them before assessing (results never overwrite input silently)"
        )
    if not layout.unique:
        named = pd.Index([resolution.rename.get(h, h) for h in table_headers])
        twice = sorted({str(c) for c in named[named.duplicated()]})
        raise CaseTableError(f"the case table has duplicate column(s) {', '.join(twice)}")
    n = len(cases)
    decimal = cells.decimal_mark(cases)
    # each column taken out once, by its canonical name (the table is not renamed)
    table = _Columns(cases, layout.labels, present)
    cases = cast(pd.DataFrame, table)
    p = ParsedCases(n, cases["case_id"], {}, {}, {}, None, [], np.zeros(n, bool))
    p.frame = original  # the table as given: results keep its headers
    p._memo["canonical"] = table  # the columns by canonical name, for the scenario checks
    p.headers = resolution
    raw_ids = p.ids
    plain = _plain_ids(raw_ids)
    null_ids = _null_ids(raw_ids) if plain is None else plain[0]
    p.flag("missing-id", "case_id", null_ids, raw_ids)
    try:
        unique = _unique_ids(raw_ids) if plain is None else plain[1]
        ids = raw_ids
    except TypeError:  # lists, dicts, sets as ids
        unhashable = ~raw_ids.map(lambda v: isinstance(v, Hashable)).to_numpy(dtype=bool)
        p.flag("not-an-id", "case_id", unhashable, raw_ids)
        ids = raw_ids.map(cells.show).where(~unhashable, None)
        unique = False
    if not unique:
        dup = ids.duplicated(keep=False).to_numpy() & ~null_ids
        p.flag("duplicate-id", "case_id", dup, raw_ids)

    for column in DATE_COLUMNS:
        if column not in cases:
            p.dates[column] = np.full(n, engine.NAT)
            continue
        typed = cells.typed_days(table.array(column))  # datetime64 of any unit: none fails
        if typed is not None:
            p.dates[column] = typed
            continue
        raw = cases[column]
        days, date_checks = cells.read_dates(raw)
        for check, bad in date_checks.items():
            p.flag(check, column, bad, raw)
        p.dates[column] = days
    received = p.dates["received"]
    raw_received = table.lazy("received")
    p.flag("missing-date", "received", np.isnat(received) & ~p.bad, raw_received)
    low, high = _LOW_DAY, _HIGH_DAY
    p.flag("out-of-table", "received", (received < low) | (received > high), raw_received)
    # an absent column is all NaT, which fails every comparison: nothing to check there
    for column in ("notice_received", "appeal_filed", "judgment_sent", "decided"):
        if column not in cases:
            continue
        day = p.dates[column]
        shown = table.lazy(column)
        p.flag("before-receipt", column, day < received, shown)
        p.flag("out-of-table", column, day > high, shown)
    if "judgment_sent" in cases and "appeal_filed" in cases:
        p.flag(
            "judgment-before-appeal",
            "judgment_sent",
            p.dates["judgment_sent"] < p.dates["appeal_filed"],
            table.lazy("judgment_sent"),
        )

    empty = np.full(n, np.nan)  # shared by absent columns; never written to
    for column, (kind, _) in COLUMNS.items():
        if kind != "int":
            continue
        if column not in cases:
            p.ints[column] = empty
            continue
        values, checks = _parse_ints(table.array(column), decimal, table.lazy(column))
        shown = table.lazy(column)
        for check, mask in checks.items():
            p.flag(check, column, mask, shown)
        failed = np.zeros(n, dtype=bool)
        for mask in checks.values():
            failed |= mask
        p.ints[column] = np.where(failed, np.nan, values)
    if "applicants" in cases:  # NaN (absent) is never below 1
        p.flag(
            "too-few-applicants", "applicants", p.ints["applicants"] < 1, table.lazy("applicants")
        )
    for column in ("repeat_appeal", "excluded", "heard"):
        if column not in cases:
            p.bools[column] = np.zeros(n, dtype=bool)
            continue
        stored = table.array(column)
        if isinstance(stored, np.ndarray) and stored.dtype == np.bool_:  # typed: none fails
            p.bools[column] = stored.copy()
            continue
        flags, bad = cells.read_bools(cases[column])
        p.flag("not-boolean", column, bad, cases[column])
        p.bools[column] = flags & ~bad

    if "application_type" in cases:
        text = _factorize_text(table.array("application_type"))
        uniques: Any
        if text is not None:
            codes, uniques = text
        else:
            raw = cases["application_type"]
            try:
                codes, uniques = pd.factorize(raw)  # empty cells get code -1
            except TypeError:  # lists, dicts: named as text (and unknown types)
                codes, uniques = pd.factorize(raw.map(_hashable, na_action="ignore"))
        names = [cells.show(u).strip() for u in uniques]
        names = ["asylum" if x.lower() in _NULL_TEXT else x for x in names] + ["asylum"]
    else:
        codes, names = np.zeros(n, dtype=np.int64), ["asylum"]
    # one category per distinct (cleaned) name, so the engine need not factorize again; names
    # a scenario does not know are checked (and mapped) by _retarget. Code -1 (an empty cell)
    # takes the last name, "asylum".
    categories = list(dict.fromkeys(names))
    remap = np.array([categories.index(x) for x in names], dtype=np.int64)
    p.types = pd.Categorical.from_codes(
        remap[codes], dtype=_types_dtype(categories), validate=False
    )
    p._memo["type_names"] = categories  # the categories as a list, for _retarget
    _parse_new_columns(cases, p)
    return p


def _target_key(s: Scenario) -> tuple[Any, ...]:
    """Everything of a scenario that :func:`_retarget`'s checks read: its application types
    (name, month-based, longest individual extension) and the first day of its court-practice
    table. Kept per scenario object (frozen; kept alive with its key, so its id stays its)."""
    cached = _TARGET_KEYS.get(id(s))
    if cached is not None and cached[0] is s:
        return cached[1]
    kinds = tuple(
        (r.application_type, r.term_months is not None, r.max_extension_months)
        for r in s.application_types
    )
    key = kinds, min(r.valid_from for r in s.court_practice)
    if len(_TARGET_KEYS) >= 256:
        _TARGET_KEYS.clear()
    _TARGET_KEYS[id(s)] = (s, key)
    return key


_TARGET_KEYS: dict[int, tuple[Scenario, tuple[Any, ...]]] = {}


def _retarget(base: ParsedCases, s: Scenario, key: tuple[Any, ...]) -> ParsedCases:
    """The checks of ``base`` that depend on the scenario's tables, as a new parse."""
    cases = base._memo.get("canonical", base.frame)
    if cases is None:
        cases = pd.DataFrame()
    p = dataclasses.replace(
        base, problems=list(base.problems), bad=base.bad.copy(), base=base, target=key, _memo={}
    )
    known = {r.application_type for r in s.application_types}
    categories = base._memo.get("type_names")
    if categories is None:
        categories = list(base.types.categories)
    codes = np.asarray(base.types.codes, dtype=np.int64)
    unknown_category = np.array([x not in known for x in categories], dtype=bool)
    if unknown_category.any():
        p.flag("unknown-type", "application_type", unknown_category[codes], cases.get(
            "application_type"))
        names = ["asylum" if x not in known else x for x in categories]
        mapped = list(dict.fromkeys(names))
        remap = np.array([mapped.index(x) for x in names], dtype=np.int64)
        p.types = pd.Categorical.from_codes(
            remap[codes], dtype=_types_dtype(mapped), validate=False
        )
        categories, codes = mapped, remap[codes]
    # an individual extension longer than the type allows (Vw art. 42(4)-(5): to 21 months for
    # asylum; 3 months for regular and family reunification, ECLI:NL:RBDHA:2025:2576)
    ext = p.ints["extension_months"]
    ext = np.where(np.isnan(ext), 0.0, ext)
    allowed = {r.application_type: r.max_extension_months for r in s.application_types}
    most = np.array([allowed.get(c, 0) for c in categories], dtype=float)
    too_long = ext > most[codes]
    if too_long.any():
        p.flag("extension-not-allowed", "extension_months", too_long, cases.get("extension_months"))
    # a default court penalty needs the court-practice table (from 1 Oct 2009)
    start = np.datetime64(key[1], "D")
    early = p.dates["judgment_sent"] < start
    if early.any():
        given = ~np.isnan(p.ints["court_term_days"]) & ~np.isnan(p.ints["court_per_day"])
        given &= ~np.isnan(p.ints["court_cap"])
        p.flag("court-out-of-table", "judgment_sent", early & ~given, cases.get("judgment_sent"))
    return p


def _parse_new_columns(cases: pd.DataFrame, p: ParsedCases) -> None:
    """The nationality and court_group columns (RULES §2 moratoria, §6 joint penalties)."""
    from ..tables import country_codes, normalise_country

    if "nationality" in cases:
        raw = cases["nationality"]
        nulls = _is_null(raw)
        codes, uniques = _factorize(raw.where(~nulls, None))
        table = country_codes()
        found = [
            table.get(normalise_country(u)) if isinstance(u, str) else None for u in uniques
        ]
        lookup = np.array([*found, None], dtype=object)
        iso = lookup[np.where(codes < 0, len(found), codes)]
        unknown = ~nulls & np.asarray(pd.isna(iso), dtype=bool)
        p.flag("unknown-nationality", "nationality", unknown, raw)
        iso[unknown] = None
        p.nationality = np.asarray(iso, dtype=object)
    if "court_group" in cases:
        raw = cases["court_group"]
        nulls = _is_null(raw)
        first_codes, uniques = _factorize(raw.astype(object).where(~nulls, None))
        # distinct cells once: " 1" and "1" name the same group
        same, _ = pd.factorize(pd.Series([str(u).strip() for u in uniques], dtype=object))
        group = np.where(first_codes < 0, -1, np.append(same, -1)[first_codes])
        group = np.asarray(group, dtype=np.int64)
        p.court_group = group
        member = group >= 0
        if member.any():
            k = int(group.max()) + 1  # factorized: groups are 0..k-1, non-members bucket k
            inverse = np.where(member, group, k)
            ids = np.arange(k + 1)
            first = np.full(ids.size, p.n, dtype=np.int64)
            np.minimum.at(first, inverse, np.arange(p.n))
            lead = first[inverse]
            sent = p.dates["judgment_sent"]
            differs = ~((np.isnat(sent) & np.isnat(sent[lead])) | (sent == sent[lead]))
            for column in ("court_term_days", "court_per_day", "court_cap"):
                v = p.ints[column]
                differs |= ~((np.isnan(v) & np.isnan(v[lead])) | (v == v[lead]))
            differs |= p.bools["repeat_appeal"] != p.bools["repeat_appeal"][lead]
            bad = member & differs
            # name every case of a conflicting group
            bad_groups = np.zeros(ids.size, dtype=bool)
            np.logical_or.at(bad_groups, inverse, bad)
            conflict = member & bad_groups[inverse]
            p.flag("court-group-conflict", "court_group", conflict, raw)


def parse_cases(
    cases: pd.DataFrame,
    *,
    scenario: Scenario | str | None = None,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """Validate a case table and read it into engine arrays, for code that builds on the
    engine (the projection does). Raises :class:`~dwangsom.errors.CaseTableError` as
    :func:`assess` does on any problem.

    >>> import pandas as pd
    >>> p = parse_cases(pd.DataFrame({"case_id": ["a"], "received": ["25-10-2023"]}))
    >>> p.n, p.dates["received"], list(p.types)
    (1, array(['2023-10-25'], dtype='datetime64[D]'), ['asylum'])
    """
    parsed = _parse(cases, _scenario(scenario), columns=columns, strict=strict)
    if parsed.problems:
        _raise(_problems_frame(parsed))
    return parsed


#: Columns of the problems table (:func:`validate`; :func:`assess` drops ``row``).
PROBLEM_COLUMNS = ("row", "case_id", "column", "check", "value", "rule", "level")


def _warnings_frame(parsed: ParsedCases) -> pd.DataFrame:
    """One ``warning`` row per column the library does not read (it passes through)."""
    unknown = parsed.headers.unknown
    rules_ = [
        f"resembles {u.resembles!r}, which the library reads: rename it or map it with "
        f"columns={{{u.header!r}: {u.resembles!r}}}; as it is, it is not read"
        if u.resembles
        else "not a column the library reads; it passes through unchanged"
        for u in unknown
    ]
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA] * len(unknown), dtype="Int64"),
            "case_id": pd.Series([None] * len(unknown), dtype=object),
            "column": pd.Series([u.header for u in unknown], dtype=object),
            "check": ["resembles-column" if u.resembles else "unknown-column" for u in unknown],
            "value": [cells.show(u.header) for u in unknown],
            "rule": rules_,
            "level": "warning",
        }
    )


def _problems_frame(parsed: ParsedCases) -> pd.DataFrame:
    """Warnings (table-level, no row) first, then the errors in row order."""
    parts = [_warnings_frame(parsed)] if parsed.headers.unknown else []
    if parsed.problems:
        errors = pd.concat(parsed.problems, ignore_index=True)
        errors = errors.sort_values(["row", "column"], kind="stable")
        errors["row"] = errors["row"].astype("Int64")
        errors["level"] = "error"
        parts.append(errors)
    if not parts:
        return _no_problems()
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame.reset_index(drop=True)[list(PROBLEM_COLUMNS)]


def _empty_problems(*, with_row: bool = True) -> pd.DataFrame:
    names = PROBLEM_COLUMNS if with_row else PROBLEM_COLUMNS[1:]
    return pd.DataFrame({c: pd.Series([], dtype="Int64" if c == "row" else object) for c in names})


#: The problems table of a clean table; never handed out (see :func:`_no_problems`).
_NO_PROBLEMS = _empty_problems()
_NO_PROBLEMS_WITHOUT_ROW = _empty_problems(with_row=False)


def _no_problems(*, with_row: bool = True) -> pd.DataFrame:
    """A new empty problems table (a copy: building one costs more than copying it)."""
    return (_NO_PROBLEMS if with_row else _NO_PROBLEMS_WITHOUT_ROW).copy()


def _raise(problems: pd.DataFrame) -> None:
    problems = problems[problems["level"] == "error"]
    first = problems.iloc[0]
    same = problems[(problems["check"] == first["check"]) & (problems["column"] == first["column"])]
    ids = [
        f"row {r}" if cells.is_missing(i) else cells.show(i)
        for r, i in zip(same["row"].head(5), same["case_id"].head(5), strict=True)
    ]
    more = f" (and {len(same) - 5} more)" if len(same) > 5 else ""
    others = len(problems) - len(same)
    rest = f"; {others} other problem(s)" if others else ""
    raise CaseTableError(
        f"{first['check']} in column {first['column']!r}: case id(s) {', '.join(ids)}{more} "
        f"- {first['rule']} (first value: {first['value']!r}){rest}. "
        "Use errors='report' for the full problems table.",
        problems=problems,
    )


def validate(
    cases: pd.DataFrame,
    *,
    scenario: Scenario | str | None = None,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """The problems table of a case table: one row per problem with ``row`` (position),
    ``case_id``, ``column``, ``check``, ``value``, ``rule`` and ``level``; empty when the table
    is clean.

    ``level`` is ``"error"`` (the row is invalid) or ``"warning"``: a column the library does
    not read (``unknown-column``, or ``resembles-column`` naming the column it looks like), which
    passes through and invalidates nothing; ``row`` and ``case_id`` are empty there. Headers are
    matched as :mod:`dwangsom.headers` describes (case, spaces, Dutch aliases); ``columns`` maps
    headers to column names explicitly, and ``strict=True`` makes an unknown column an error
    (:class:`~dwangsom.errors.CaseTableError`).

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"case_id": [1, 1], "received": ["2023-01-01", "31-02-2023"]})
    >>> validate(bad)[["case_id", "column", "check"]]
       case_id    column         check
    0        1   case_id  duplicate-id
    1        1   case_id  duplicate-id
    2        1  received    not-a-date
    """
    return _problems_frame(_parse(cases, _scenario(scenario), columns=columns, strict=strict))


# --- assessment -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Evaluation:
    parsed: ParsedCases
    valid: npt.NDArray[np.bool_]
    admin: _compact.Partial[engine.AdminArrays]
    court: _compact.Partial[engine.CourtArrays]
    as_of: np.datetime64


#: Tables with more rows than this are evaluated in blocks of :data:`BLOCK_ROWS` rows, so the
#: engine's temporaries stay the size of one block (results are the same as one pass).
BLOCK_THRESHOLD = 1_500_000
BLOCK_ROWS = 1_000_000
#: Threads evaluating blocks; ``None``: one per core the process may use, at most 2.
BLOCK_THREADS: int | None = None

#: A case table, or one parsed by :func:`parse_cases`.
Cases = pd.DataFrame | ParsedCases


def _as_of(value: Any) -> np.datetime64:
    key = (type(value), getattr(value, "dtype", None), value)
    cacheable = type(value) in (str, _dt.date, np.datetime64)  # equal only when the same day
    if cacheable and key in _AS_OF:
        return _AS_OF[key]
    day = as_optional_date(value, "as_of")
    if day is None:
        raise DwangsomError("as_of: an explicit date is required (no 'today' is assumed)")
    cut = np.datetime64(day, "D")
    if cacheable:
        if len(_AS_OF) >= 256:
            _AS_OF.clear()
        _AS_OF[key] = cut
    return cut


#: ``as_of`` values already read (text, dates, datetime64 with their unit), to their day.
_AS_OF: dict[tuple[Any, ...], np.datetime64] = {}


def _check_errors(errors: str) -> None:
    if errors not in ("raise", "report"):
        raise DwangsomError(f"errors: {errors!r} is not 'raise' or 'report'")


def _parsed(
    cases: Cases,
    s: Scenario,
    errors: str,
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """The parse of ``cases`` for scenario ``s`` (a ParsedCases is re-targeted, not re-read);
    raises on problems unless ``errors="report"``."""
    _check_errors(errors)
    if isinstance(cases, ParsedCases):
        parsed = cases.for_scenario(s)
    else:
        parsed = _parse(cases, s, columns=columns, strict=strict)
    if errors == "raise" and parsed.problems:
        _raise(_problems_frame(parsed))
    return parsed


def _frame(cases: Cases) -> pd.DataFrame:
    if isinstance(cases, ParsedCases):
        if cases.frame is None:
            raise DwangsomError("cases: this ParsedCases keeps no case table (frame is None)")
        return cases.frame
    return cases


def _slice(p: ParsedCases, lo: int, hi: int) -> ParsedCases:
    """Rows ``lo:hi`` of a parse (views, no copies; no problems list, no table)."""
    cut = slice(lo, hi)
    return ParsedCases(
        hi - lo,
        p.ids.iloc[cut],
        {k: v[cut] for k, v in p.dates.items()},
        {k: v[cut] for k, v in p.ints.items()},
        {k: v[cut] for k, v in p.bools.items()},
        p.types[cut],
        [],
        p.bad[cut],
        nationality=None if p.nationality is None else p.nationality[cut],
        court_group=None if p.court_group is None else p.court_group[cut],
        target=p.target,
    )


def _threads() -> int:
    """Threads for the blocks of a big table: :data:`BLOCK_THREADS`, or one per core this
    process may use (at most 2: numpy's passes are memory-bound past that)."""
    if BLOCK_THREADS is not None:
        return max(1, BLOCK_THREADS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2))


W = TypeVar("W")


def _blocks(
    parsed: ParsedCases,
    cut: np.datetime64,
    s: Scenario,
    work: Callable[[int, int, _Evaluation], W],
) -> Iterator[tuple[int, int, W]]:
    """(first row, end row, ``work`` on the block's evaluation) for each block of rows, in
    order: one block up to :data:`BLOCK_THRESHOLD` rows (its evaluation kept on the parse
    for the next call with the same scenario and ``as_of``), blocks of :data:`BLOCK_ROWS`
    past it, evaluated and worked on by :func:`_threads` threads (numpy releases the GIL in
    its passes), at most that many blocks at a time."""
    n = parsed.n
    # linked cases share one court penalty (RULES §6): a group must not be split over blocks
    grouped = parsed.court_group is not None and bool((parsed.court_group >= 0).any())
    if n <= BLOCK_THRESHOLD or grouped:
        memo = parsed._memo.get("evaluation")
        if memo is not None and memo[1] == cut and (memo[0] is s or memo[0] == s):
            yield 0, n, work(0, n, memo[2])
            return
        # the engine's results are kept per as_of for scenarios that read the same fields
        engine_memo = parsed._memo.get("engine")
        if engine_memo is None or engine_memo[0] != cut:
            engine_memo = parsed._memo["engine"] = (cut, {})
        ev = _evaluate_block(parsed, cut, s, engine_memo[1])
        parsed._memo["evaluation"] = (s, cut, ev)
        yield 0, n, work(0, n, ev)
        return

    def block(lo: int) -> tuple[int, int, W]:
        hi = min(lo + BLOCK_ROWS, n)
        return lo, hi, work(lo, hi, _evaluate_block(_slice(parsed, lo, hi), cut, s))

    starts = range(0, n, BLOCK_ROWS)
    threads = _threads()
    if threads == 1:
        yield from map(block, starts)
        return
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        pending: collections.deque[concurrent.futures.Future[tuple[int, int, W]]]
        pending = collections.deque()
        for lo in starts:
            pending.append(pool.submit(block, lo))
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _engine_inputs(
    parsed: ParsedCases, cut: np.datetime64
) -> tuple[npt.NDArray[np.bool_], dict[str, Any], dict[str, Any]]:
    """(valid rows, the administrative penalty's arguments, the court penalty's) as the
    engine reads them as of ``cut``: everything but the scenario, the same for every one."""
    valid = ~parsed.bad
    clean = bool(valid.all())
    # a stand-in receipt date for invalid rows keeps the engine's arrays aligned; their
    # results are blanked afterwards
    received = (
        parsed.dates["received"]
        if clean
        else np.where(valid, parsed.dates["received"], np.datetime64("2020-01-01", "D"))
    )
    # invalid rows are blanked; events after as_of have not happened yet on as_of
    d = {}
    for k, v in parsed.dates.items():
        if k not in EVENT_COLUMNS:
            d[k] = v
        elif clean:
            d[k] = np.where(v <= cut, v, engine.NAT) if (v > cut).any() else v  # NaT > cut: False
        else:
            d[k] = np.where(valid & (v <= cut), v, engine.NAT)
    ints = {k: v if clean else np.where(valid, v, np.nan) for k, v in parsed.ints.items()}
    admin = {
        "received": received,
        "notice_received": d["notice_received"],
        "decided": d["decided"],
        "as_of": cut,
        "application_type": parsed.types,
        "applicants": _whole(ints["applicants"], default=1),
        "excluded": parsed.bools["excluded"],
        "extension_months": _whole(ints["extension_months"], default=0),
        "nationality": _valid_only(parsed.nationality, valid),
    }
    court = {
        "judgment_sent": d["judgment_sent"],
        "decided": d["decided"],
        "as_of": cut,
        "term_days": ints["court_term_days"],
        "per_day": ints["court_per_day"],
        "cap": ints["court_cap"],
        "repeat": parsed.bools["repeat_appeal"],
        "application_type": parsed.types,
        "received": received,
        "heard": parsed.bools["heard"],
        "appeal_filed": d["appeal_filed"],
        "group": None if parsed.court_group is None else np.where(valid, parsed.court_group, -1),
    }
    return valid, admin, court


def _evaluate_block(
    parsed: ParsedCases, cut: np.datetime64, s: Scenario, memo: dict[str, Any] | None = None
) -> _Evaluation:
    """The engine on one block of rows as of ``cut``; ``memo`` (kept by the caller for this
    parse and ``cut``) lets scenarios share the inputs and the penalties computed alike
    (_compact.shared)."""
    inputs = None if memo is None else memo.get("inputs")
    if inputs is None:
        inputs = _engine_inputs(parsed, cut)
        if memo is not None:
            memo["inputs"] = inputs
    valid, admin_args, court_args = inputs
    # the two penalties run only on the rows with a notice / a judgment (dwangsom._compact)
    admin = _compact.admin_arrays(**admin_args, scenario=s, memo=memo)
    court = _compact.court_arrays(**court_args, scenario=s, memo=memo)
    return _Evaluation(parsed, valid, admin, court, cut)


def _valid_only(
    values: npt.NDArray[np.object_] | None, valid: npt.NDArray[np.bool_]
) -> npt.NDArray[np.object_] | None:
    """Nationality codes with ``None`` on invalid rows (``None``: no column)."""
    if values is None:
        return None
    out = values.copy()
    out[~valid] = None
    return out


def _whole(values: npt.NDArray[np.float64], *, default: int) -> npt.NDArray[np.int64] | None:
    """A whole-number column for the engine; ``None`` (the engine's default) when all empty."""
    if np.isnan(values).all():
        return None
    return np.nan_to_num(values, nan=default).astype(np.int64)


def _status_codes(ev: _Evaluation, r: Mapping[str, npt.NDArray[Any]]) -> npt.NDArray[np.int8]:
    """The status code of every case (the first of :data:`STATUSES` that applies), from the
    block's result columns ``r`` (dates in any unit) and the penalties' flags. Comparisons
    with NaT are False, so an event that has not happened fails every test on its date."""
    a, c, cut = ev.admin, ev.court, ev.as_of
    decided_day = ev.parsed.dates["decided"]
    decided = decided_day <= cut
    deadline = r["deadline"]
    conditions: list[Callable[[], npt.NDArray[np.bool_]]] = [
        lambda: ~ev.valid,
        lambda: decided & (decided_day <= deadline),
        lambda: decided,
        lambda: cut <= deadline,
        lambda: ((r["admin_days"] > 0) & ~a.final)
        | ((r["court_days"] > 0) & ~c.final & (c.per_day > 0)),
        lambda: (r["admin_amount"] > 0) | (r["court_amount"] > 0),
        lambda: cut <= r["court_due"],
        lambda: r["notice_valid"] & ~a.barred & (cut < r["penalty_start"]),
        lambda: r["notice_valid"],
        lambda: ev.parsed.dates["notice_received"] <= cut,
    ]
    code = np.full(ev.parsed.n, len(conditions), dtype=np.int8)
    for i in range(len(conditions) - 1, -1, -1):  # the first condition that holds wins
        code[conditions[i]()] = i
    return code


#: numpy dtypes of the result columns (see :func:`_result_arrays`).
_RESULT_DTYPES = {
    **{
        name: np.dtype("datetime64[s]")
        for name in (
            "deadline",
            "in_default_from",
            "penalty_start",
            "court_due",
            "fixed_by",
            "payable_by",
            "court_payable_by",
        )
    },
    **{
        name: np.dtype(np.int64)
        for name in ("admin_days", "admin_amount", "court_days", "court_amount", "total_amount")
    },
    "notice_valid": np.dtype(bool),
    "status": np.dtype(np.int8),
    "flags": np.dtype(np.int64),  # flag codes (see _flag_codes)
}


def _result_columns(n: int) -> dict[str, npt.NDArray[Any]]:
    """Empty :data:`OUTPUT_COLUMNS` for ``n`` cases, in their result dtypes (flags as codes)."""
    return {k: np.empty(n, dtype=_RESULT_DTYPES[k]) for k in OUTPUT_COLUMNS}


def _result_arrays(ev: _Evaluation, out: dict[str, npt.NDArray[Any]]) -> None:
    """Write the :data:`OUTPUT_COLUMNS` of one block into ``out`` (:func:`_result_columns`,
    or the block's rows of them): dates NaT and numbers 0 on invalid rows, status and flags
    as codes. Each column is written from the penalties' parts, without a copy in between."""
    a, c, ok = ev.admin, ev.court, ev.valid
    bad = None if bool(ok.all()) else ~ok

    def put(name: str, p: _compact.Partial[Any], field: str, blank: Any) -> None:
        p.into(field, out[name])
        if bad is not None:
            out[name][bad] = blank

    put("deadline", a, "deadline", engine.NAT)
    np.add(out["deadline"], np.timedelta64(1, "D"), out=out["in_default_from"])  # NaT stays
    put("notice_valid", a, "notice_valid", blank=False)
    put("penalty_start", a, "first_day", engine.NAT)
    put("admin_days", a, "days", 0)
    put("admin_amount", a, "amount", 0)
    put("court_due", c, "due", engine.NAT)
    put("court_days", c, "days", 0)
    put("court_amount", c, "amount", 0)
    np.add(out["admin_amount"], out["court_amount"], out=out["total_amount"])
    put("fixed_by", a, "fixed_by", engine.NAT)
    put("payable_by", a, "payable_by", engine.NAT)
    put("court_payable_by", c, "payable_by", engine.NAT)
    out["status"][...] = _status_codes(ev, out)
    out["flags"][...] = _flag_codes(a, ok)


def _wrap_results(arrays: dict[str, npt.NDArray[Any]], ok: npt.NDArray[np.bool_]) -> dict[
    str, Any
]:
    """Result columns typed as :func:`assess` documents: amounts int64 (nullable Int64 with
    <NA> where ``ok`` is False), ``notice_valid`` bool (nullable boolean), status categorical."""
    clean = bool(ok.all())
    out: dict[str, Any] = {}
    for name, values in arrays.items():
        if name == "status":
            out[name] = pd.Categorical.from_codes(values, dtype=STATUS_DTYPE, validate=False)
        elif clean or values.dtype.kind in "MO":
            out[name] = values
        elif name == "notice_valid":
            out[name] = pd.arrays.BooleanArray(values, ~ok)
        else:
            out[name] = pd.arrays.IntegerArray(values, ~ok)
    return out


_from_blocks: Callable[..., pd.DataFrame] | None
try:  # pandas >= 3
    from pandas.api import internals as _internals  # type: ignore[attr-defined,unused-ignore]

    _from_blocks = _internals.create_dataframe_from_blocks
except ImportError:  # pragma: no cover - pandas 2
    _from_blocks = None

#: The result columns' labels (an Index is immutable: one serves every result).
_OUTPUT_INDEX = pd.Index(list(OUTPUT_COLUMNS))
_TEXT_DTYPE: list[Any] = []


def _text_array(values: npt.NDArray[np.object_]) -> Any:
    """``pd.array(values, dtype=_text_dtype())`` for an ``object`` array of Python strings; on a
    pyarrow-backed ``str`` dtype straight from the arrow array (a third of the cost)."""
    dtype = _text_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            import pyarrow as pa

            array = pa.array(values, type=pa.large_string())
            return cast(Any, dtype.construct_array_type())(array, dtype=dtype)
        except (ImportError, TypeError, ValueError):  # pragma: no cover - another pandas
            pass
    return pd.array(values, dtype=dtype)


def _text_dtype() -> Any:
    """The dtype the DataFrame constructor gives a column of Python strings (``str`` on
    pandas 3), found once per process."""
    if not _TEXT_DTYPE:
        _TEXT_DTYPE.append(pd.DataFrame({"x": np.array([""], dtype=object)}).dtypes.iloc[0])
    return _TEXT_DTYPE[0]


#: How :func:`_result_frame` groups result columns into blocks, by the columns' kinds: a list
#: of (numpy dtype or None for a pandas array, text?, positions).
_PLANS: dict[tuple[Any, ...], list[tuple[np.dtype[Any] | None, bool, npt.NDArray[np.intp]]]] = {}


def _result_frame(
    columns: dict[str, Any], index: pd.Index, *, extra: tuple[str, Any] | None = None
) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index)`` for the result columns (numpy arrays and pandas
    arrays, in :data:`OUTPUT_COLUMNS` order), the same frame built from one block per dtype: the
    constructor's inference and consolidation are most of the cost of a small call.
    ``extra`` (a name and an ``object`` array of strings, for a table of at least one row) is
    one more text column at the end, as ``frame[name] = values`` would add it."""
    planned = _result_blocks(columns, len(index), extra=extra)
    if planned is None:
        added = pd.DataFrame(columns, index=index, copy=False)
        if extra is not None:
            added[extra[0]] = extra[1]
        return added
    assert _from_blocks is not None
    return _from_blocks(planned[0], index=index, columns=planned[1])


def _result_blocks(
    columns: dict[str, Any], n: int, *, extra: tuple[str, Any] | None = None
) -> tuple[list[tuple[Any, npt.NDArray[np.intp]]], pd.Index] | None:
    """The blocks and column labels of :func:`_result_frame`, or None where the constructor
    is used (pandas 2, no rows, columns not those of :data:`OUTPUT_COLUMNS`). The arrays are
    copied into the blocks (a result never shares memory with the evaluation kept on a
    parse); text (an ``object`` array of strings) gets the dtype the constructor infers."""
    if _from_blocks is None or not n or list(columns) != list(OUTPUT_COLUMNS):
        return None
    arrays = list(columns.values())
    labels = _OUTPUT_INDEX
    if extra is not None:
        arrays.append(extra[1])
        labels = _labels_with(extra[0])
    kinds = tuple(v.dtype if isinstance(v, np.ndarray) else type(v) for v in arrays)
    plan = _PLANS.get(kinds)
    if plan is None:
        groups: dict[Any, list[int]] = {}
        plan = []
        for i, kind in enumerate(kinds):
            if not isinstance(kind, np.dtype):  # a pandas array: a block of its own
                plan.append((None, False, np.array([i], dtype=np.intp)))
            elif kind == np.dtype(object):  # text: a block of its own
                plan.append((None, True, np.array([i], dtype=np.intp)))
            else:
                groups.setdefault(kind, []).append(i)
        plan += [(kind, False, np.array(at, dtype=np.intp)) for kind, at in groups.items()]
        if len(_PLANS) >= 64:
            _PLANS.clear()
        _PLANS[kinds] = plan
    blocks: list[tuple[Any, npt.NDArray[np.intp]]] = []
    for dtype, text, at in plan:
        first = arrays[at[0]]
        if text:  # text: the str dtype the constructor would infer
            values = _text_array(first)
            if isinstance(values, np.ndarray | pd.arrays.NumpyExtensionArray):
                return None  # pragma: no cover - text stays object (pandas 2)
            blocks.append((values, at))
        elif dtype is None:  # Categorical, IntegerArray, BooleanArray
            blocks.append((first.copy(), at))
        else:
            block = np.empty((len(at), n), dtype=dtype)
            for row, i in enumerate(at):
                block[row] = arrays[i]
            blocks.append((block, at))
    return blocks, labels


_LABELS_WITH: dict[str, pd.Index] = {}


def _labels_with(name: str) -> pd.Index:
    """:data:`OUTPUT_COLUMNS` and ``name`` as column labels (kept: an Index is immutable)."""
    found = _LABELS_WITH.get(name)
    if found is None:
        if len(_LABELS_WITH) >= 64:
            _LABELS_WITH.clear()
        found = _LABELS_WITH[name] = pd.Index([*OUTPUT_COLUMNS, name])
    return found


def _flag_codes(
    a: _compact.Partial[engine.AdminArrays], ok: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Per case the flags of :data:`FLAGS` that apply, as bits (bit k: the k-th flag)."""
    code = np.zeros(ok.size, dtype=np.int64)
    for k, name in enumerate(FLAGS):
        mask = a.full(name.replace("-", "_")) & ok
        if mask.any():
            code |= mask.astype(np.int64) << k
    return code


def _flags(code: npt.NDArray[np.int64]) -> Any:
    """The ``flags`` column of :func:`_flag_codes`: the flags' names, comma-separated (an
    array of the text dtype pandas gives an object column of strings)."""
    names = list(FLAGS)
    labels = [
        ",".join(name for k, name in enumerate(names) if m >> k & 1) for m in range(1 << len(names))
    ]
    return _text_column(code, labels)


def _text_column(code: npt.NDArray[np.int64], labels: Sequence[str]) -> Any:
    """``labels[code]`` as the column pandas makes of an object array of strings: built by
    pyarrow from the codes when that column is pyarrow-backed (pandas 3), else objects."""
    dtype = _text_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and code.size > 1024:
        try:
            import pyarrow as pa

            table = pa.array(list(labels), type=pa.large_string())
            array = pa.DictionaryArray.from_arrays(pa.array(code), table).cast(table.type)
            return cast(Any, dtype.construct_array_type())(array, dtype=dtype)
        except (ImportError, TypeError, ValueError):  # pragma: no cover - another pandas
            pass
    return np.asarray(labels, dtype=object)[code]


@overload
def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = ...,
    errors: Literal["raise"] = ...,
    columns: Mapping[Any, str] | None = ...,
    strict: bool = ...,
) -> pd.DataFrame: ...
@overload
def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = ...,
    errors: Literal["report"],
    columns: Mapping[Any, str] | None = ...,
    strict: bool = ...,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...
def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    errors: Literal["raise", "report"] = "raise",
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Every case's deadline, default, notice, penalties and status as of ``as_of``.

    Returns the input rows (same order, same index, every input column untouched) with the
    columns of :data:`OUTPUT_COLUMNS` added. Events dated after ``as_of`` count as not yet
    happened. Amounts are whole euros accrued through ``as_of``; ``fixed_by`` is the Awb 4:18
    day by which the amount must be fixed once the penalty has stopped, ``payable_by`` the day
    it falls due (provisional while it accrues), ``court_payable_by`` the same for the court
    penalty. ``status`` is one of :data:`STATUSES`.

    Dates are ``datetime64[s]`` at midnight, amounts and day counts ``int64`` euros and days,
    ``notice_valid`` ``bool`` and ``status`` a categorical. Where ``errors="report"`` marks
    invalid rows, amounts are nullable ``Int64`` and ``notice_valid`` nullable ``boolean``, with
    ``<NA>`` on those rows (never floats).

    ``errors="raise"`` (default) raises :class:`~dwangsom.errors.CaseTableError` naming the
    check, the column and the first case ids; ``errors="report"`` returns ``(results,
    problems)`` instead, with the affected rows kept, their results empty and status
    ``"invalid"``. The row marks go in a column ``problems`` (``problems_2`` ... when the table
    has its own ``problems``: a user column is never overwritten; the name used is in
    ``results.attrs["dwangsom.problems_column"]``); the problems table is :func:`validate`'s
    without ``row``, column warnings included. ``columns`` and ``strict`` read headers as in
    :func:`validate`.

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"case_id": ["X"], "received": ["2023-05-01"],
    ...                     "decided": ["2023-04-01"]})
    >>> results, problems = assess(bad, as_of="2024-01-01", errors="report")
    >>> results["status"].tolist(), problems["check"].tolist()
    (['invalid'], ['before-receipt'])
    """
    s = _scenario(scenario)
    cut = _as_of(as_of)
    parsed = _parsed(cases, s, errors, columns=columns, strict=strict)
    frame = _frame(cases)
    arrays = _result_columns(parsed.n)

    def fill(lo: int, hi: int, ev: _Evaluation) -> None:  # a block's rows of the columns
        _result_arrays(ev, {k: v[lo:hi] for k, v in arrays.items()})

    for _ in _blocks(parsed, cut, s, fill):
        pass
    arrays["flags"] = _flags(arrays["flags"])
    results = _wrap_results(arrays, ~parsed.bad)
    if errors == "raise":
        return _assemble(frame, results, cut, s)
    # a user's own "problems" column stays (the result columns are never in the table)
    mark = _free_name([*frame.columns, *OUTPUT_COLUMNS], "problems")
    flags: Any = ""
    if not parsed.problems and not parsed.headers.unknown:  # a clean table
        out = _assemble(frame, results, cut, s, mark=(mark, flags))
        out.attrs["dwangsom.problems_column"] = mark
        return out, _no_problems(with_row=False)
    problems = _problems_frame(parsed)
    if parsed.problems:  # warnings (column-level, no row) never mark a row
        errors_ = problems[problems["level"] == "error"]
        rows = errors_["row"].to_numpy(dtype=np.int64)
        marks = errors_.groupby(rows)["check"].agg(lambda x: ",".join(dict.fromkeys(x)))
        flags = np.full(len(frame), "", dtype=object)
        flags[marks.index.to_numpy(dtype=np.int64)] = marks.to_numpy()
    out = _assemble(frame, results, cut, s, mark=(mark, flags))
    out.attrs["dwangsom.problems_column"] = mark
    return out, problems.drop(columns="row")


def _assemble(
    frame: pd.DataFrame,
    results: dict[str, Any],
    cut: np.datetime64,
    s: Scenario,
    *,
    mark: tuple[str, Any] | None = None,
) -> pd.DataFrame:
    """The input table with the result columns (and the problems column ``mark``: its name
    and its text, a scalar or one per row) added, and the metadata in its ``attrs``."""
    fast = mark is not None and len(frame) > 0 and _from_blocks is not None
    extra = None
    if fast and mark is not None:  # the problems column joins the result columns' blocks
        text = mark[1]
        if isinstance(text, str):
            text = np.full(len(frame), text, dtype=object)
        extra = (mark[0], text)
    out = _small_result(frame, results, extra) if len(frame) <= _SMALL_TABLE else None
    if out is None:
        out = pd.concat([frame, _result_frame(results, frame.index, extra=extra)], axis=1)
    out.attrs = dict(frame.attrs)
    out.columns.name = frame.columns.name
    stamp(out, frame, as_of=cut, scenario=s)  # metadata in out.attrs (dwangsom.export)
    if mark is not None and not fast:
        out[mark[0]] = mark[1]
    return out


def _small_result(
    frame: pd.DataFrame, results: dict[str, Any], extra: tuple[str, Any] | None
) -> pd.DataFrame | None:
    """``pd.concat([frame, _result_frame(results, ...)], axis=1)`` for a small table, built
    from blocks in one step: a copy of each input column (a block of its own; copied, so the
    result shares no memory with the table, as copy-on-write makes the concatenation behave)
    and the result blocks. None when :func:`_result_blocks` does not apply or the table's
    columns cannot be read as arrays."""
    planned = _result_blocks(results, len(frame), extra=extra)
    get_array = getattr(frame, "_get_column_array", None)  # pandas' own accessor
    if planned is None or get_array is None or _from_blocks is None:
        return None
    blocks, labels = planned
    width = len(frame.columns)
    inputs: list[tuple[Any, npt.NDArray[np.intp]]] = []
    for i in range(width):
        values = get_array(i)
        values = values.reshape(1, -1).copy() if isinstance(values, np.ndarray) else values.copy()
        inputs.append((values, np.array([i], dtype=np.intp)))
    shifted = [(values, at + width) for values, at in blocks]
    columns = _appended(frame.columns, labels)
    return _from_blocks(inputs + shifted, index=frame.index, columns=columns)


_APPENDED: dict[tuple[int, int], tuple[pd.Index, pd.Index, pd.Index]] = {}


def _appended(columns: pd.Index, labels: pd.Index) -> pd.Index:
    """``columns.append(labels)``, kept per pair of Index objects (immutable; kept alive with
    the result, so their ids stay theirs): a table's headers are appended to once. Each call
    gets its own (shallow) copy, whose name is its own."""
    found = _APPENDED.get((id(columns), id(labels)))
    if found is None or found[0] is not columns or found[1] is not labels:
        if len(_APPENDED) >= 256:
            _APPENDED.clear()
        found = _APPENDED[(id(columns), id(labels))] = (columns, labels, columns.append(labels))
    return found[2].copy()


def _free_name(taken: Iterable[Hashable], name: str) -> str:
    """``name``, or ``name_2``, ``name_3`` ... the first not among ``taken``."""
    labels = set(map(str, taken))
    if name not in labels:
        return name
    k = 2
    while f"{name}_{k}" in labels:
        k += 1
    return f"{name}_{k}"


@dataclasses.dataclass(frozen=True)
class CaseInputs:
    """One case-table row read into typed values as of a date (events after it are empty)."""

    case_id: Any
    received: _dt.date
    application_type: str
    notice_received: _dt.date | None
    judgment_sent: _dt.date | None
    decided: _dt.date | None
    court_term_days: int | None
    court_per_day: int | None
    court_cap: int | None
    repeat_appeal: bool
    applicants: int
    excluded: bool
    extension_months: int
    appeal_filed: _dt.date | None = None
    nationality: str | None = None
    heard: bool = False
    court_group: str | None = None


def case_inputs(case: Mapping[str, Any], *, as_of: Any) -> CaseInputs:
    """Read one row (a mapping of case-table columns; missing keys are empty) as of ``as_of``."""
    cut = as_date(as_of, "as_of")

    def get(name: str) -> Any:
        value = case.get(name)
        return None if is_missing(value) else value

    def event(name: str) -> _dt.date | None:
        day = as_optional_date(get(name), name)
        return None if day is None or day > cut else day

    def whole(name: str) -> int | None:
        value = get(name)
        return None if value is None else int(float(value))

    def flag(name: str) -> bool:
        value = get(name)
        return False if value is None else str(value).strip().lower() in _TRUE

    return CaseInputs(
        case_id=get("case_id"),
        received=as_date(get("received"), "received"),
        application_type=str(get("application_type") or "asylum").strip(),
        notice_received=event("notice_received"),
        judgment_sent=event("judgment_sent"),
        decided=event("decided"),
        court_term_days=whole("court_term_days"),
        court_per_day=whole("court_per_day"),
        court_cap=whole("court_cap"),
        repeat_appeal=flag("repeat_appeal"),
        applicants=whole("applicants") or 1,
        excluded=flag("excluded"),
        extension_months=whole("extension_months") or 0,
        appeal_filed=event("appeal_filed"),
        nationality=rules.nationality_code(get("nationality")),
        heard=flag("heard"),
        court_group=None if get("court_group") is None else str(get("court_group")).strip(),
    )


def case_details(
    case: Mapping[str, Any],
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    linked: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[CaseInputs, rules.AdminDetail, rules.CourtDetail | None, dict[str, Any]]:
    """The inputs, the rule details and the :func:`assess` columns of one case (scalar path).

    ``linked``: the rows of the case table in order (or at least those of the case's
    ``court_group``), for a joint court penalty (:func:`dwangsom.rules.court_group_detail`):
    the group's first case carries it, the others get none. Without ``linked`` a grouped case
    is assessed alone.
    """
    s = _scenario(scenario)
    cut = as_date(as_of, "as_of")
    c = case_inputs(case, as_of=cut)
    admin = rules.admin_detail(
        c.received,
        c.notice_received,
        c.decided,
        as_of=cut,
        application_type=c.application_type,
        applicants=c.applicants,
        excluded=c.excluded,
        scenario=s,
        extension_months=c.extension_months,
        nationality=c.nationality,
    )
    court = None
    members = [c]
    if c.court_group is not None and linked is not None:
        members = [
            m
            for m in (case_inputs(row, as_of=cut) for row in linked)
            if m.court_group == c.court_group
        ] or [c]
    lead = members[0]
    if c.judgment_sent is not None:
        court = rules.court_group_detail(
            lead.judgment_sent,
            [m.decided for m in members],
            as_of=cut,
            term_days=lead.court_term_days,
            per_day=lead.court_per_day,
            cap=lead.court_cap,
            repeat=lead.repeat_appeal,
            application_type=lead.application_type,
            scenario=s,
            received=lead.received,
            heard=lead.heard,
            appeal_filed=lead.appeal_filed,
        )
        if lead is not c and lead.case_id != c.case_id:
            court = dataclasses.replace(
                court,
                days=0,
                first_day=None,
                last_day=None,
                amount=0,
                final=True,
                payable_by=None,
            )
    court_amount = court.amount if court else 0
    admin_running = admin.days > 0 and not admin.final
    court_running = court is not None and court.days > 0 and not court.final and court.per_day > 0
    if c.decided is not None:
        status = "decided-in-term" if c.decided <= admin.deadline else "decided"
    elif cut <= admin.deadline:
        status = "within-term"
    elif admin_running or court_running:
        status = "accruing"
    elif admin.amount or court_amount:
        status = "capped"
    elif court is not None and cut <= court.due:
        status = "court-term-running"
    elif (
        admin.notice_valid
        and admin.barred_by is None
        and admin.first_day is not None
        and cut < admin.first_day
    ):
        status = "notice-pending"
    elif admin.notice_valid:
        status = "no-penalty"
    elif c.notice_received is not None:
        status = "notice-premature"
    else:
        status = "overdue-no-notice"
    result = {
        "deadline": admin.deadline,
        "in_default_from": admin.deadline + rules.DAY,
        "notice_valid": admin.notice_valid,
        "penalty_start": admin.first_day,
        "admin_days": admin.days,
        "admin_amount": admin.amount,
        "court_due": court.due if court else None,
        "court_days": court.days if court else 0,
        "court_amount": court_amount,
        "total_amount": admin.amount + court_amount,
        "fixed_by": admin.fixed_by,
        "payable_by": admin.payable_by,
        "court_payable_by": court.payable_by if court else None,
        "status": status,
        "flags": ",".join(f for f in FLAGS if f in admin.flags),
    }
    return c, admin, court, result


def assess_case(
    case: Mapping[str, Any],
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    linked: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The scalar reference for one row of :func:`assess`, built from :mod:`dwangsom.rules`.

    ``case`` maps column names to values as in a case table (missing keys are empty). Returns
    the :data:`OUTPUT_COLUMNS` as plain Python values (dates as :class:`datetime.date`).

    >>> r = assess_case({"received": "2022-03-27", "notice_received": "2022-06-25",
    ...                  "application_type": "regular"}, as_of="2023-08-01")
    >>> r["deadline"], r["admin_amount"], r["status"]
    (datetime.date(2022, 6, 25), 0, 'notice-premature')
    """
    return case_details(case, as_of=as_of, scenario=scenario, linked=linked)[3]


# --- liability by month ---------------------------------------------------------------------


#: Case numbers, month numbers and euros: one entry per case and month with a penalty.
_Spread = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _spread_accrued(x: Any, rows: npt.NDArray[np.int64]) -> _Spread:
    """Each case's accrued amount split over the months of its penalty days, as differences
    of the amount accrued by successive month ends (``x.accrued_through``, on one entry per
    case and month from the month of ``x.first_day`` to that of ``x.last_day``)."""
    if not rows.size:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    m0 = month_number_array(x.first_day)
    count = month_number_array(x.last_day) - m0 + 1
    entry = np.repeat(np.arange(rows.size), count)
    start = np.cumsum(count) - count  # each case's first entry
    month = m0[entry] + (np.arange(entry.size) - start[entry])
    picked = _compact.pick(type(x), x, entry, tuple(vars(x)))
    now = picked.accrued_through(month_end_array(month))
    before = np.empty_like(now)
    before[0] = 0
    before[1:] = now[:-1]
    before[start] = 0
    return rows[entry], month, now - before


#: The fields ``accrued_through`` reads; the month spread takes only these for the running
#: cases (a field missing here fails loudly with AttributeError, never silently).
_ADMIN_ACCRUAL_FIELDS = ("days", "first_day", "last_day", "rates", "windows")
_COURT_ACCRUAL_FIELDS = ("days", "first_day", "last_day", "per_day", "cap")


def _positive(values: Any) -> npt.NDArray[np.bool_]:
    return np.asarray(values > 0, dtype=bool)


def _monthly(ev: _Evaluation, basis: str) -> dict[str, _Spread]:
    """The (case, month, euros) entries of the block's administrative and court penalties:
    per penalty day's month (``accrued``) or in the month they fall due (``cash``). Kept with
    the penalties (scenarios sharing a penalty share its entries)."""
    out: dict[str, _Spread] = {}
    for name, part, test, fields in (
        ("admin", ev.admin, "days", _ADMIN_ACCRUAL_FIELDS),
        ("court", ev.court, "amount", _COURT_ACCRUAL_FIELDS),
    ):
        found = part.derived.get(basis)
        if found is None:
            if basis == "accrued":
                rows, x = part.select(test, _positive, fields)
                found = _spread_accrued(x, rows)
            else:
                rows, x = part.select("amount", _positive, ("payable_by", "amount"))
                found = (rows, month_number_array(x.payable_by), x.amount)
            part.derived[basis] = found
        out[name] = found
    return out


def _table(
    parts: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]], index: pd.PeriodIndex
) -> pd.DataFrame:
    base = int(index[0].ordinal) if len(index) else 0
    out: dict[str, Any] = {}
    for name, (months, euros) in parts.items():
        sums = np.zeros(len(index), dtype=np.int64)
        if months.size:
            pos = months - _ordinal_offset() - base
            inside = (pos >= 0) & (pos < len(index))  # start=/end= cut months off: never wrap
            np.add.at(sums, pos[inside], euros[inside])
        out[name] = sums
    out["total"] = out["admin"] + out["court"]
    for name in ("admin", "court", "total"):
        out[f"{name}_cumulative"] = np.cumsum(out[name])
    # one int64 block (what the dict constructor and astype("int64") gave, in one step)
    values = np.empty((len(index), len(out)), dtype=np.int64)
    for i, column in enumerate(out.values()):
        values[:, i] = column
    return pd.DataFrame(values, index=index, columns=_month_columns(tuple(out)), copy=False)


_MONTH_COLUMNS: dict[tuple[str, ...], pd.Index] = {}


def _month_columns(names: tuple[str, ...]) -> pd.Index:
    """The column labels of a month table (kept: an Index is immutable)."""
    found = _MONTH_COLUMNS.get(names)
    if found is None:
        found = _MONTH_COLUMNS[names] = pd.Index(list(names))
    return found


_ORDINAL_OFFSET = int(pd.Period("1970-01", freq="M").ordinal)


def _ordinal_offset() -> int:
    """numpy month numbers count from 1970-01; pandas monthly Period ordinals too."""
    return _ORDINAL_OFFSET


def _month_index(
    parts: Iterable[dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]],
    as_of: np.datetime64,
    start: Any,
    end: Any,
) -> pd.PeriodIndex:
    found = [m[e != 0] for p in parts for m, e in p.values()]
    months = np.concatenate(found) if found else np.array([], dtype=np.int64)
    cut = int(month_number_array(np.array([as_of]))[0])
    lo = int(months.min()) if months.size else cut
    hi = max(int(months.max()) if months.size else cut, cut)
    if start is not None:
        lo = int(month_number_array(np.array([np.datetime64(as_date(start, "start"), "D")]))[0])
    if end is not None:
        hi = int(month_number_array(np.array([np.datetime64(as_date(end, "end"), "D")]))[0])
    if hi < lo:
        raise DwangsomError(f"end: the month range ends ({hi}) before it starts ({lo})")
    first = pd.Period(ordinal=lo + _ordinal_offset(), freq="M")
    return pd.period_range(start=first, periods=hi - lo + 1, freq="M", name="month")


def liability_by_month(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    basis: Literal["accrued", "cash"] = "accrued",
    by: str | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Administrative, court and total penalties per calendar month, with running totals.

    ``basis="accrued"`` puts each penalty day's euros in the month of that day (through
    ``as_of``); ``basis="cash"`` puts each amount in the month it falls due (``payable_by`` /
    ``court_payable_by`` of :func:`assess`; may lie after ``as_of``). The index is an explicit
    monthly :class:`pandas.PeriodIndex` named ``month``, from the first month with an amount
    (or ``start``) to the later of the last such month and the month of ``as_of`` (or ``end``);
    months with nothing are rows of zeros. Over the whole range the months sum to the per-case
    totals of :func:`assess`. ``by`` names a case column: the columns become a
    ``(measure, group)`` MultiIndex, one group per value, and one group ``"(none)"`` for the
    empty cells (``"(none)_2"`` if a value is itself spelled ``"(none)"``: an empty group is
    never merged with a value). The case table must be valid.

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [1], "received": ["2019-06-01"],
    ...                       "notice_received": ["2020-01-02"], "decided": ["2020-03-31"]})
    >>> liability_by_month(cases, as_of="2020-03-31")[["admin", "admin_cumulative"]]
             admin  admin_cumulative
    month
    2020-01    357               357
    2020-02   1085              1442
    2020-03      0              1442
    """
    if basis not in ("accrued", "cash"):
        raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
    s = _scenario(scenario)
    cut = _as_of(as_of)
    parsed = _parsed(cases, s, "raise")
    frame = _frame(cases)
    keys: npt.NDArray[np.int64] | None = None
    labels: list[Any] = [None]
    empty_label = "(none)"
    if by is not None:
        keys, labels, empty_label = _by_groups(frame, by, parsed)
    has_empty = keys is not None and bool((keys < 0).any())
    pieces: dict[int, list[_Parts]] = {i: [] for i in range(len(labels))}
    if has_empty:
        pieces[-1] = []
    for lo, hi, spread in _blocks(parsed, cut, s, lambda lo, hi, ev: _monthly(ev, basis)):
        if keys is None:
            pieces[0].append({k: (m, e) for k, (_, m, e) in spread.items()})
            continue
        block_keys = keys[lo:hi]
        entry_keys = {k: block_keys[r] for k, (r, _, _) in spread.items()}
        for i in pieces:  # empty cells (-1): their own group, never merged with a value
            pieces[i].append(
                {
                    k: (m[sel], e[sel])
                    for k, (_, m, e) in spread.items()
                    for sel in [entry_keys[k] == i if i >= 0 else entry_keys[k] < 0]
                }
            )
    group_parts = {
        (labels[i] if i >= 0 else empty_label): _merge_parts(p) for i, p in pieces.items()
    }
    index = _month_index(group_parts.values(), cut, start, end)
    if keys is None:
        table = _table(group_parts[None], index)
        return stamp(table, frame, as_of=cut, scenario=s, basis=basis)
    frames = {g: _table(p, index) for g, p in group_parts.items()}
    if not frames:  # no cases: no groups, the months all the same
        columns = pd.MultiIndex.from_arrays([[], []], names=["measure", by])
        return pd.DataFrame(index=index, columns=columns, dtype="int64")
    combined = pd.concat(frames, axis=1, names=[by, "measure"])
    result: pd.DataFrame = combined.swaplevel(0, 1, axis=1)
    result = result.sort_index(axis=1, level=0, sort_remaining=False)
    return stamp(result, frame, as_of=cut, scenario=s, basis=basis)


def _by_groups(
    cases: pd.DataFrame, by: Any, parsed: ParsedCases
) -> tuple[npt.NDArray[np.int64], list[Any], str]:
    """Group codes of the ``by`` column (-1: empty cell), the group values in order, and the
    label of the empty group: ``"(none)"``, or ``"(none)_2"`` ... when a value is spelled so."""
    try:
        name = by if by in cases.columns else parsed.headers.rename.get(by, by)
        if name not in cases.columns:  # a canonical name for an aliased header
            name = parsed.headers.label(by)
        present = name in cases.columns
    except TypeError:  # an unhashable by=
        present = False
    if not present:
        raise DwangsomError(f"by: the case table has no column {by!r}")
    column = cases[name]
    if isinstance(column, pd.DataFrame):
        raise DwangsomError(f"by: the case table has more than one column {by!r}")
    values = column.to_numpy(dtype=object)
    empty = np.array([cells.is_missing(v) for v in values], dtype=bool).reshape(len(values))
    try:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object).where(~empty, None))
    except TypeError:
        bad = [i for i, v in enumerate(values) if not isinstance(v, Hashable)][:5]
        raise DwangsomError(
            f"by: column {by!r} holds cells that cannot be group labels (lists, dicts, ...) "
            f"at row(s) {', '.join(map(str, bad))}"
        ) from None
    groups = list(uniques)
    order = list(range(len(groups)))
    try:
        order = sorted(order, key=lambda i: groups[i])
    except TypeError:  # mixed types: first appearance
        pass
    remap = np.empty(len(groups), dtype=np.int64)
    remap[order] = np.arange(len(groups))
    keys = np.where(codes < 0, -1, remap[np.where(codes < 0, 0, codes)] if groups else -1)
    ordered = [groups[i] for i in order]
    taken = {str(g) for g in ordered}
    label, k = "(none)", 2
    while label in taken:
        label, k = f"(none)_{k}", k + 1
    return np.asarray(keys, dtype=np.int64), ordered, label


_Parts = dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]


def _merge_parts(pieces: list[_Parts]) -> _Parts:
    """One (months, euros) pair per measure from the blocks' pairs, summed per month (a
    block's pairs are used as they are). Euros are never negative (accrued amounts grow with
    the day), so a month summing to zero had nothing, as before."""
    if len(pieces) == 1:
        return pieces[0]
    out: _Parts = {}
    for name in pieces[0]:
        months = np.concatenate([p[name][0] for p in pieces])
        euros = np.concatenate([p[name][1] for p in pieces])
        if not months.size:
            out[name] = (months, euros)
            continue
        lo = int(months.min())
        offset = months - lo
        sums = np.zeros(int(offset.max()) + 1, dtype=np.int64)
        np.add.at(sums, offset, euros)
        used = np.flatnonzero(np.bincount(offset))
        out[name] = (used.astype(np.int64) + lo, sums[used])
    return out


def compare(
    cases: Cases,
    scenarios: Sequence[Scenario | str] | Mapping[str, Scenario | str],
    *,
    as_of: Any,
    basis: Literal["accrued", "cash"] = "accrued",
) -> pd.DataFrame:
    """Monthly totals of several scenarios side by side, with the difference to the first.

    Columns: one per scenario (its name) with the month's total penalties, then
    ``diff <name>`` = that scenario minus the first, for each other scenario. The months are
    the union of the scenarios' months.

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [1], "received": ["2023-01-02"],
    ...                       "notice_received": ["2024-08-01"], "decided": ["2024-09-30"]})
    >>> compare(cases, ["extensions-void", "no-temporary-act"], as_of="2024-12-31").loc["2024-09"]
    extensions-void             0
    no-temporary-act         1050
    diff no-temporary-act    1050
    Name: 2024-09, dtype: int64
    """
    if isinstance(scenarios, Mapping):
        named = {str(k): _scenario(v) for k, v in scenarios.items()}
    else:
        named = {}
        for item in scenarios:
            sc = _scenario(item)
            named[item if isinstance(item, str) else sc.name] = sc
    if not named:
        raise DwangsomError("scenarios: give at least one scenario")
    # one read of the table; each scenario re-runs only its own checks and the engine
    base = cases if isinstance(cases, ParsedCases) else _read(cases)
    tables = {
        name: liability_by_month(base.for_scenario(sc), as_of=as_of, scenario=sc, basis=basis)[
            "total"
        ]
        for name, sc in named.items()
    }
    frame = pd.DataFrame(tables).fillna(0).astype("int64").sort_index()
    full = pd.period_range(frame.index.min(), frame.index.max(), freq="M", name="month")
    frame = frame.reindex(full, fill_value=0)
    first = next(iter(named))
    for name in list(named)[1:]:
        frame[f"diff {name}"] = frame[name] - frame[first]
    return stamp(frame, _frame(cases), as_of=as_of, scenario=list(named.values()), basis=basis)
