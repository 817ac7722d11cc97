"""What both penalties share over arrays: the days the Temporary Act bars, and where
accrual stops (:mod:`dwangsom.rules.accrual`).
"""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

import numpy as np

from .base import _DAY_MASK, _NAT_INT, NAT, Bools, Days, _ints_of
from .periods import _period_index


@functools.lru_cache(maxsize=64)
def _blocked_days(periods: tuple[Any, ...], allowed: str, until: _dt.date | None) -> Bools:
    """Per day number, whether the Temporary Act's period of that day (Stb. 2020, 242, art. 3;
    RULES §5) withholds the penalty ``allowed`` names, on or before ``until`` when given; slot 0
    (``NaT``) never. Read at :func:`_day_index` positions."""
    days = np.arange(_DAY_MASK + 1, dtype=np.int64).view("datetime64[D]")
    days[0] = NAT
    idx = _period_index(periods, days)
    ok = np.array([getattr(p, allowed) for p in periods] + [True])[idx]
    out: Bools = ~ok
    if until is not None:
        out &= days <= np.datetime64(until, "D")
    out.setflags(write=False)
    return out


def _stopped(done: Days, cutoff: Days, lag: int) -> Bools:
    """Whether the decision (``done``, its last counted day ``lag`` days before it) ended the
    penalty by the cut-off: a decision given, and no cut-off or the stop on or before it."""
    if cutoff.size == 1:  # one cut-off: one comparison
        if np.isnat(cutoff[0]):
            out: Bools = _ints_of(done) != _NAT_INT
            return out
        return np.asarray(done <= cutoff[0] + np.timedelta64(lag, "D"), dtype=bool)
    stop = done - np.timedelta64(lag, "D")
    return np.asarray(~np.isnat(stop) & (np.isnat(cutoff) | (stop <= cutoff)), dtype=bool)
