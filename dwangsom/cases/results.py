"""The results of an evaluation: the engine's output for a block of rows, the
statuses, flags and typed result columns :func:`assess` adds to the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _compact, engine
from ..export import stamp
from ..scenario import Scenario
from . import values as _values
from .columns import FLAGS, OUTPUT_COLUMNS, STATUS_DTYPE
from .parsed import ParsedCases


@dataclasses.dataclass(frozen=True)
class _Evaluation:
    parsed: ParsedCases
    valid: npt.NDArray[np.bool_]
    admin: _compact.Partial[engine.AdminArrays]
    court: _compact.Partial[engine.CourtArrays]
    as_of: np.datetime64


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
        lambda: (
            ((r["admin_days"] > 0) & ~a.final)
            | ((r["court_days"] > 0) & ~c.final & (c.per_day > 0))
        ),
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


class _Columns(dict[str, Any]):
    """Result columns (name -> array) that may be rows of shared 2-D arrays: ``shared`` maps a
    dtype to (the 2-D array, the names of its rows in order). A column replaced by another
    array (flags by their text, say) is no longer one of them (its ``base`` tells)."""

    shared: dict[np.dtype[Any], tuple[npt.NDArray[Any], tuple[str, ...]]]


#: The result columns of one numpy dtype that a small table's result holds as one 2-D block
#: (the codes of status and flags become other arrays; see :func:`_result_columns`).
_SHARED_GROUPS: dict[np.dtype[Any], tuple[str, ...]] = {}
for _name in OUTPUT_COLUMNS:
    if _name not in ("status", "flags"):
        _dtype = _RESULT_DTYPES[_name]
        _SHARED_GROUPS[_dtype] = (*_SHARED_GROUPS.get(_dtype, ()), _name)

#: Whether :func:`_result_columns` allocates a small table's columns of one dtype as the rows of
#: one 2-D array (the block the result frame takes without a copy).
_SHARED_ROWS = True


def _result_columns(n: int) -> dict[str, npt.NDArray[Any]]:
    """Empty :data:`OUTPUT_COLUMNS` for ``n`` cases, in their result dtypes (flags as codes).
    Up to :data:`_VIEW_BLOCKS_FROM` rows the columns of one dtype are rows of one 2-D array,
    which :func:`_result_blocks` takes as the frame's block as it is; past it each column is
    an array of its own (a block of its own)."""
    if not _SHARED_ROWS or not 0 < n <= _VIEW_BLOCKS_FROM:
        return {k: np.empty(n, dtype=_RESULT_DTYPES[k]) for k in OUTPUT_COLUMNS}
    out = _Columns()
    out.shared = {}
    rows: dict[str, npt.NDArray[Any]] = {}
    for dtype, names in _SHARED_GROUPS.items():
        block = np.empty((len(names), n), dtype=dtype)
        out.shared[dtype] = (block, names)
        rows.update(zip(names, block, strict=True))
    for k in OUTPUT_COLUMNS:
        out[k] = rows[k] if k in rows else np.empty(n, dtype=_RESULT_DTYPES[k])
    return out


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


def _wrap_results(arrays: dict[str, npt.NDArray[Any]], ok: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """Result columns typed as :func:`assess` documents: amounts int64 (nullable Int64 with
    <NA> where ``ok`` is False), ``notice_valid`` bool (nullable boolean), status categorical."""
    clean = bool(ok.all())
    out: dict[str, Any] = {}
    if isinstance(arrays, _Columns):  # the shared rows stay known to _result_blocks
        out = _Columns()
        out.shared = arrays.shared
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
_OUTPUT_NAMES = tuple(OUTPUT_COLUMNS)
_TEXT_DTYPE: list[Any] = []


def _text_array(values: npt.NDArray[np.object_]) -> Any:
    """``pd.array(values, dtype=_text_dtype())`` for an ``object`` array of Python strings; on a
    pyarrow-backed ``str`` dtype straight from the arrow array (a third of the cost)."""
    dtype = _text_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            import pyarrow as pa  # type: ignore[import-untyped]

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


#: Result columns of tables with more rows are blocks of their own (see :func:`_result_blocks`).
_VIEW_BLOCKS_FROM = 65_536


def _result_blocks(
    columns: dict[str, Any], n: int, *, extra: tuple[str, Any] | None = None
) -> tuple[list[tuple[Any, npt.NDArray[np.intp]]], pd.Index] | None:
    """The blocks and column labels of :func:`_result_frame`, or None where the constructor
    is used (pandas 2, no rows, columns not those of :data:`OUTPUT_COLUMNS`). The arrays are
    :func:`assess`'s own result columns (written for this result, never kept). Up to
    :data:`_VIEW_BLOCKS_FROM` rows they are copied into one block per dtype, as the constructor
    consolidates them; past it each is a block of its own, without a copy (copying hundreds of
    megabytes into fresh blocks cost more than the engine on a big table). Text (an
    ``object`` array of strings) gets the dtype the constructor infers."""
    if _from_blocks is None or not n or list(columns) != list(OUTPUT_COLUMNS):
        return None
    arrays = list(columns.values())
    shared = columns.shared if isinstance(columns, _Columns) else None
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
            blocks.append((first if n > _VIEW_BLOCKS_FROM else first.copy(), at))
        elif n > _VIEW_BLOCKS_FROM:  # a big table: each column a block of its own, no copy
            blocks += [(arrays[i].reshape(1, n), np.array([i], dtype=np.intp)) for i in at]
        else:
            block = _shared_block(shared, dtype, arrays, at)
            if block is None:
                block = np.empty((len(at), n), dtype=dtype)
                for row, i in enumerate(at):
                    block[row] = arrays[i]
            blocks.append((_datetime_block(block), at))
    return blocks, labels


def _shared_block(
    shared: dict[np.dtype[Any], tuple[npt.NDArray[Any], tuple[str, ...]]] | None,
    dtype: np.dtype[Any],
    arrays: list[Any],
    at: npt.NDArray[np.intp],
) -> npt.NDArray[Any] | None:
    """The 2-D array of :func:`_result_columns` whose rows are the columns at ``at`` (in that
    order, each still a row of it), or None (then the block is a copy)."""
    found = shared.get(dtype) if shared is not None else None
    if found is None:
        return None
    block, names = found
    if len(names) != len(at) or any(arrays[i].base is not block for i in at):
        return None
    if names != tuple(_OUTPUT_NAMES[i] for i in at.tolist()):
        return None  # pragma: no cover - rows named in the order of the columns
    return block


def _datetime_block(block: npt.NDArray[Any]) -> Any:
    """A 2-D ``datetime64`` block as the datetime array pandas holds it (what it would wrap it
    in, without its checks: the values are this call's own), other blocks as they are."""
    if block.dtype.kind != "M" or not _WRAP_DATES:
        return block
    try:
        return pd.arrays.DatetimeArray._simple_new(  # type: ignore[attr-defined]
            block, dtype=block.dtype
        )
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - another pandas
        return block


#: Whether :func:`_datetime_block` wraps a date block itself (off: pandas does, for the tests).
_WRAP_DATES = True


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
    out = _small_result(frame, results, extra) if len(frame) <= _values._SMALL_TABLE else None
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
    inputs = _input_blocks(frame) if _COPY_BLOCKS else None
    if inputs is None:
        inputs = []
        for i in range(width):
            values = get_array(i)
            if isinstance(values, np.ndarray):
                values = values.reshape(1, -1).copy()
            else:
                values = values.copy()
            inputs.append((values, np.array([i], dtype=np.intp)))
    shifted = [(values, at + width) for values, at in blocks]
    columns = _appended(frame.columns, labels)
    return _from_blocks(inputs + shifted, index=frame.index, columns=columns)


_APPENDED: dict[tuple[int, int], tuple[pd.Index, pd.Index, pd.Index]] = {}


def _appended(columns: pd.Index, labels: pd.Index) -> pd.Index:
    """``columns.append(labels)``, kept per pair of Index objects (immutable; kept alive with
    the result, so their ids stay theirs): a table's headers are appended to once. Each call
    gets its own shallow view (the same immutable values), whose name is its own."""
    found = _APPENDED.get((id(columns), id(labels)))
    if found is None or found[0] is not columns or found[1] is not labels:
        if len(_APPENDED) >= 256:
            _APPENDED.clear()
        found = _APPENDED[(id(columns), id(labels))] = (columns, labels, columns.append(labels))
    view = getattr(found[2], "_view", None)  # pandas' shallow copy: the values, its own name
    return view() if view is not None and _VIEW_LABELS else found[2].copy()


#: Whether :func:`_appended` hands out pandas' own shallow view of the kept Index (off: a copy).
_VIEW_LABELS = True


#: Whether :func:`_small_result` copies the table's blocks as they are (one copy per block of
#: columns of one dtype) rather than column by column (off: the plain path, for the tests).
_COPY_BLOCKS = True


def _input_blocks(frame: pd.DataFrame) -> list[tuple[Any, npt.NDArray[np.intp]]] | None:
    """A copy of each of the table's blocks (a 2-D numpy array, a 2-D datetime array or a
    pandas array) with its columns' positions, as :func:`_small_result` takes them: what
    copying the columns one by one gives, one copy per block (the datetime columns of a typed
    extract are one block, kept a datetime array, which saves pandas' re-wrapping each column).
    None when the table is not held in pandas' usual blocks."""
    mgr = getattr(frame, "_mgr", None)
    found = getattr(mgr, "blocks", None)
    if found is None or type(mgr).__name__ != "BlockManager":
        return None  # pragma: no cover - another pandas
    out: list[tuple[Any, npt.NDArray[np.intp]]] = []
    for block in found:
        values = block.values
        if isinstance(values, np.ndarray) and values.ndim != 2:
            return None  # pragma: no cover - another pandas
        out.append((values.copy(), block.mgr_locs.as_array))
    return out
