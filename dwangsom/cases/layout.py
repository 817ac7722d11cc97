"""How the reader takes a case table's columns: by their canonical names, each taken
out once (the headers' layout kept per list of headers), and the categorical dtype of
the application types.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import cells, headers


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
        self._days: dict[int, Any] = {}  # a block's dates as days (see days())

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

    def days(self, name: Any) -> Any:
        """``cells.typed_days(self.array(name))``: the column as ``datetime64[D]`` days when it
        is stored as ``datetime64`` (None otherwise). On a small table the days are read from
        the column's block, all the block's columns in one conversion (a typed extract keeps its
        date columns in one block): each column is a row of that block's days."""
        if len(self.frame) > _BLOCK_DAYS_UPTO or name in self._taken:
            return cells.typed_days(self.array(name))
        mgr = getattr(self.frame, "_mgr", None)
        blknos, blklocs = getattr(mgr, "blknos", None), getattr(mgr, "blklocs", None)
        pos = self.frame.columns.get_loc(self.labels.get(name, name))
        if blknos is None or blklocs is None or not isinstance(pos, int):
            return cells.typed_days(self.array(name))  # pragma: no cover - another pandas
        blkno = int(blknos[pos])
        found: Any = self._days.get(blkno)
        if found is None:
            values = mgr.blocks[blkno].values  # type: ignore[union-attr]
            stored = getattr(values, "_ndarray", values)
            dtype = values.dtype
            typed = isinstance(dtype, np.dtype) and dtype.kind == "M"
            if typed and isinstance(stored, np.ndarray) and stored.ndim == 2:
                found = stored.astype("datetime64[D]")
            else:
                found = False
            self._days[blkno] = found
        if found is False:
            return cells.typed_days(self.array(name))
        return found[int(blklocs[pos])]

    def lazy(self, name: Any) -> Callable[[], pd.Series]:
        """``self[name]`` when called (for :meth:`ParsedCases.flag`)."""
        return lambda: self[name]


#: Tables up to this many rows have their dates read block by block (see :meth:`_Columns.days`;
#: -1: column by column).
_BLOCK_DAYS_UPTO = 1024


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
