"""The engine's array types, its constants and the integer views of dates (days since
1970-01-01, ``NaT`` the smallest int64) that it computes on; day-indexed tables.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ..rules import LAST_DAY, VW2000_IN_FORCE

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

NAT = np.datetime64("NaT", "D")
_MIN = np.datetime64("0001-01-01", "D")
_MAX = np.datetime64("9999-12-31", "D")
_ONE = np.timedelta64(1, "D")

#: ``NaT`` as an integer view: the smallest int64, below every day (``NaT - 1`` wraps to the
#: largest, above every day).
_NAT_INT = int(np.iinfo(np.int64).min)
_LAST_INT = int(np.datetime64(LAST_DAY, "D").astype(np.int64))
_FIRST_RECEIPT_INT = int(np.datetime64(VW2000_IN_FORCE, "D").astype(np.int64))
#: Day tables are indexed by the day number itself (days since 1970-01-01), from 0 to
#: ``_DAY_MASK``. Every checked receipt, notice and decision lies in 2001-2099 (days 11,413 to
#: 47,481), so ``day & _DAY_MASK`` is the day itself, and ``NaT`` (a multiple of 2**17) becomes
#: 0: slot 0 of a table holds its answer for "no date".
_DAY_MASK = (1 << 17) - 1


def _ints_of(days: Days) -> Ints:
    """The integer view of ``datetime64[D]`` values (no copy)."""
    return days.view(np.int64)


def _as_days(values: Ints) -> Days:
    """``datetime64[D]`` view of day numbers (no copy)."""
    return values.view("datetime64[D]")


#: Below this many cases a choice per case is one ``np.where`` rather than branch-free
#: arithmetic (several passes, each cheap per case but with a fixed cost per call); both give
#: the same values.
SMALL_ROWS = 512


def _nat_unless(values: Ints, keep: Bools) -> Days:
    """``values`` (day numbers) where ``keep``, ``NaT`` elsewhere, as days.

    Arithmetic, so without a branch per case and with one new array:
    ``values - (values - NaT) * ~keep`` is ``NaT`` where ``keep`` is False and ``values``
    elsewhere (int64 arithmetic wraps around modulo 2**64, so the result is exact); below
    :data:`SMALL_ROWS` cases one ``np.where``.
    """
    if keep.size < SMALL_ROWS:
        return _as_days(np.where(keep, values, _NAT_INT))
    out = np.subtract(values, _NAT_INT)
    np.multiply(out, ~keep, out=out)
    np.subtract(values, out, out=out)
    return _as_days(out)


def _repeated(row: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """``np.broadcast_to(row, (n, *row.shape))``: a read-only view repeating ``row`` (a
    contiguous array of numbers), made directly (broadcast_to's checks cost more than a small
    call's arithmetic)."""
    out: npt.NDArray[Any] = np.ndarray((n, *row.shape), row.dtype, row, 0, (0, *row.strides))
    out.setflags(write=False)
    return out


#: ``NaT`` as a day number, the row :func:`_nat_row` repeats.
_NAT_CELL = np.array(_NAT_INT, dtype=np.int64)
_NAT_CELL.setflags(write=False)


def _nat_row(n: int) -> Days:
    """``np.broadcast_to(NAT, (n,))`` (read-only, no memory), made directly."""
    return _as_days(_repeated(_NAT_CELL, n))


def _zero_unless(values: Ints, keep: Bools) -> Ints:
    """``values`` where ``keep``, 0 elsewhere (a product with the mask: no branch per case)."""
    out: Ints = np.multiply(values, keep, dtype=np.int64)
    return out


def _choose(keep: Bools, a: Ints, b: Ints) -> Ints:
    """``a`` where ``keep``, ``b`` elsewhere, branch-free: ``b + (a - b) * keep``."""
    out = np.subtract(a, b)
    np.multiply(out, keep, out=out)
    np.add(out, b, out=out)
    return out


def _hashable(value: Any) -> bool:
    """Whether ``value`` can key a cache (a scenario whose tables were given as lists cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


#: Results of cached functions by the identity of their arguments (see :func:`_kept`):
#: (function, arguments, result), the arguments held so their ids stay theirs.
_KEPT: dict[tuple[int, ...], tuple[Callable[..., Any], tuple[Any, ...], Any]] = {}
#: At most this many results are held by :data:`_KEPT` (tables of up to 1 MB).
KEPT_SIZE = 32
_MISSING = object()


def _kept_lookup(func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    found = _KEPT.get((id(func), *map(id, args)))
    if found is not None and found[0] is func and all(map(operator.is_, found[1], args)):
        return found[2]
    return _MISSING


def _keep(func: Callable[..., Any], args: tuple[Any, ...], result: Any) -> None:
    if len(_KEPT) >= KEPT_SIZE:
        _KEPT.clear()
    _KEPT[(id(func), *map(id, args))] = (func, args, result)


def _kept(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` of an ``lru_cache``d ``func``, found first by the identity of the
    arguments: a scenario's tables are tuples of frozen rows, whose hash (computed again on
    every call) costs more than a small call's arithmetic. The same objects are the same
    (hashable, so immutable) values. Raises ``TypeError`` as ``func`` does for an argument that
    cannot be hashed."""
    found = _kept_lookup(func, args)
    if found is _MISSING:
        found = func(*args)
        _keep(func, args, found)
    return found


def _cached(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` from its ``lru_cache`` (by :func:`_kept`); computed afresh when an
    argument cannot be hashed."""
    found = _kept_lookup(func, args)
    if found is not _MISSING:
        return found
    if _hashable(args):
        found = func(*args)
        _keep(func, args, found)
        return found
    return func.__wrapped__(*args)  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1024)
def _day_int(day: Any) -> int:
    """The day number of a date of the scenario's tables (``np.datetime64(day, "D")`` as an
    integer), converted once: a comparison of day numbers costs a third of one of dates."""
    return int(np.datetime64(day, "D").astype(np.int64))


def _day_index(days: Days) -> Ints:
    """Positions in the day tables: the day number, 0 for ``NaT``. Only for checked days
    (2001-2099), which :data:`_DAY_MASK` leaves unchanged."""
    out: Ints = np.bitwise_and(_ints_of(days), _DAY_MASK)
    return out


def _in_day_tables(days: Days) -> bool:
    """Whether every day is ``NaT`` or inside 2001-2099 (so :func:`_day_index` is exact)."""
    ints = _ints_of(days)
    if not ints.size:
        return True
    if int(ints.max()) > _LAST_INT:
        return False
    low = int(ints.min())
    if low >= _FIRST_RECEIPT_INT:
        return True
    if low != _NAT_INT:
        return False
    dated = ints[ints != _NAT_INT]
    return not dated.size or int(dated.min()) >= _FIRST_RECEIPT_INT


def _first_values(days: Days, mask: Bools) -> str:
    bad = days[mask]
    shown = ", ".join(str(d) for d in bad[:3])
    return shown + (f" (and {bad.size - 3} more)" if bad.size > 3 else "")


def _cut_ints(day: Any) -> Ints:
    """A cut-off of :meth:`AdminArrays.accrued_through` as day numbers; ``NaT`` (nothing
    accrued) as a day long before any other, far enough from the int64 ends that differences
    with real days cannot wrap."""
    t = _ints_of(np.asarray(day, dtype="datetime64[D]"))
    if t.size and int(t.min()) == _NAT_INT:
        t = np.where(t == _NAT_INT, _NAT_INT // 2, t)
    return t
