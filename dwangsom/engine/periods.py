"""Look-ups of the table row in force on a day (rates, periods, court practice), by
search or from a day-indexed table.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import _DAY_MASK, _MAX, _MIN, _ONE, NAT, Days, Ints, _day_index, _kept


def _period_index(rows: Sequence[Any], days: Days) -> Ints:
    """Index of the dated row (``valid_from``/``valid_to``) covering each day; -1 for none.

    Rows of one kind never overlap (checked when the table loads). The answer only changes at
    the rows' boundaries, so it is read from a day-indexed table built once per set of rows
    (:func:`_period_table`): one subtraction, a clip and a gather per case instead of a binary
    search.
    """
    if not rows:
        return np.full(days.shape, -1, dtype=np.int64)
    try:
        lo, table = _period_table(tuple(rows))
    except TypeError:  # unhashable rows: no cached table
        return _period_search(rows, days)
    pos = np.clip(days.view(np.int64) - lo, 0, table.size - 1)
    return np.where(np.isnat(days), -1, table[pos])


@functools.lru_cache(maxsize=64)
def _period_table(rows: tuple[Any, ...]) -> tuple[int, Ints]:
    """(first day, answers): :func:`_period_search` for every day from the day before the first
    boundary of ``rows`` to the last boundary; days outside get the answer at the nearer end."""
    edges = [np.datetime64(r.valid_from, "D") for r in rows if r.valid_from]
    edges += [np.datetime64(r.valid_to, "D") + _ONE for r in rows if r.valid_to]
    if not edges:
        edges = [np.datetime64("2000-01-01", "D")]
    first = int(min(edges).astype(np.int64)) - 1
    last = int(max(edges).astype(np.int64))
    days = np.arange(first, last + 1, dtype=np.int64).view("datetime64[D]")
    table = _period_search(rows, days)
    table.setflags(write=False)
    return first, table


@functools.lru_cache(maxsize=16)  # 1 MB each
def _period_days(rows: tuple[Any, ...]) -> Ints:
    """:func:`_period_index` for every day number from 0 to :data:`_DAY_MASK`, slot 0 holding
    the answer for ``NaT`` (-1): read at :func:`_day_index` positions."""
    days = np.arange(_DAY_MASK + 1, dtype=np.int64).view("datetime64[D]")
    days[0] = NAT
    table = _period_index(rows, days)
    table.setflags(write=False)
    return table


def _checked_period_index(rows: Sequence[Any], days: Days) -> Ints:
    """:func:`_period_index` for checked days (``NaT`` or 2001-2099): one gather from
    :func:`_period_days`."""
    if not rows:
        return np.full(days.shape, -1, dtype=np.int64)
    try:
        table = _kept(_period_days, tuple(rows))
    except TypeError:  # unhashable rows: no cached table
        return _period_search(rows, days)
    out: Ints = table[_day_index(days)]
    return out


def _period_search(rows: Sequence[Any], days: Days) -> Ints:
    """:func:`_period_index` by a ``searchsorted`` over the sorted start dates (the candidate
    row) and one comparison to confirm it."""
    order = sorted(range(len(rows)), key=lambda i: rows[i].valid_from or _MIN.item())
    starts = np.array(
        [np.datetime64(rows[i].valid_from, "D") if rows[i].valid_from else _MIN for i in order]
    )
    ends = np.array(
        [np.datetime64(rows[i].valid_to, "D") if rows[i].valid_to else _MAX for i in order]
    )
    pos = np.searchsorted(starts, days, side="right") - 1  # NaT sorts last
    safe = np.maximum(pos, 0)
    ok = (pos >= 0) & (days <= ends[safe])  # False for NaT
    if order != sorted(order):
        safe = np.array(order, dtype=np.int64)[safe]
    return np.where(ok, safe, -1)
