"""Cells and ids: what counts as missing, case ids made unique and compared fast,
integer columns.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import cells

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
    if width == 0 or any(
        (np.diff(offsets[lo : lo + _ID_CHUNK + 1]) != width).any()
        for lo in range(0, len(arr), _ID_CHUNK)
    ):
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
        # in chunks that overlap by one id, so the temporaries stay small on a big table
        n = data.shape[0]
        if all(
            _increasing(data[lo : min(lo + _ID_CHUNK, n - 1) + 1])
            for lo in range(0, n - 1, _ID_CHUNK)
        ):
            return True
    return bool(pd.Index(ids).is_unique)


#: Ids compared per chunk by :func:`_unique_ids` (its temporaries are a few times this).
_ID_CHUNK = 1 << 20


def _increasing(data: npt.NDArray[np.uint8]) -> bool:
    """Whether the rows of an ``(n, width)`` byte array are in strictly increasing order."""
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
    return bool(greater.all())


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
    found = _arrow_ids(stored) if _ARROW_IDS else None
    if found is not None:
        return found
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
    if items is None or (items and set(map(type, items)) != {str}):
        return None
    uniques = list(dict.fromkeys(items))  # in order of first appearance
    code = {v: i for i, v in enumerate(uniques)}
    codes = np.fromiter(map(code.__getitem__, items), dtype=np.intp, count=len(items))
    return codes, uniques


#: Whether :func:`_plain_ids` reads a pyarrow-backed id column from its buffers.
_ARROW_IDS = True
_LONGEST_NULL_TEXT = max(map(len, _NULL_TEXT))


def _arrow_ids(stored: Any) -> tuple[npt.NDArray[np.bool_], bool] | None:
    """:func:`_plain_ids` of a pyarrow-backed text column without a missing cell, its tests
    on the bytes: every byte ASCII, every id not empty and neither starting nor ending with a
    byte up to the blank (an ASCII text compares with " " as its first byte does), and none as
    short as a blank text (then none is one; else None, and the cells are read one by one).
    None for any other column (the ``str`` and ``string[pyarrow]`` dtypes only)."""
    pa_array = getattr(stored, "_pa_array", None)
    if pa_array is None or not isinstance(stored.dtype, pd.StringDtype) or pa_array.null_count:
        return None
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - a pyarrow-backed column implies pyarrow
        return None
    arr = pa_array.combine_chunks() if isinstance(pa_array, pa.ChunkedArray) else pa_array
    if pa.types.is_large_string(arr.type):
        off_type: Any = np.int64
    elif pa.types.is_string(arr.type):
        off_type = np.int32
    else:
        return None
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=off_type)[arr.offset : arr.offset + n + 1]
    starts, ends = offsets[:-1], offsets[1:]
    if int((ends - starts).min()) <= _LONGEST_NULL_TEXT or data_buf is None:
        return None
    data = np.frombuffer(data_buf, dtype=np.uint8)
    if int(data[int(offsets[0]) : int(offsets[-1])].max()) >= 0x80:
        return None
    if int(data[starts].min()) <= 0x20 or int(data[ends - 1].min()) <= 0x20:
        return None
    return np.zeros(n, dtype=bool), len(set(arr.to_pylist())) == n
