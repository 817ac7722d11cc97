"""Shared by the parts of the projection: array types, the measures, lag and stage codes,
and fast month numbers of ``datetime64[D]`` days."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

Basis = Literal["accrued", "cash"]
Part = Literal["admin", "court", "repeat", "total"]
BASES: tuple[Basis, ...] = ("accrued", "cash")
PARTS: tuple[Part, ...] = ("admin", "court", "repeat", "total")
#: Monthly measures of a projection (``by_month`` columns besides ``inflow`` and ``capacity``).
MEASURES = (
    "decisions",
    "decided_in_term",
    "open",
    "overdue",
    "notices",
    "appeals",
    "judgments",
    "admin_accrued",
    "court_accrued",
    "repeat_accrued",
    "total_accrued",
    "admin_cash",
    "court_cash",
    "repeat_cash",
    "total_cash",
)
#: The measures each Monte Carlo draw keeps (the totals are sums of these parts).
_PER_DRAW = tuple(m for m in MEASURES if not m.startswith("total_"))
QUANTILES = (0.1, 0.5, 0.9)

_ONE = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "D")
_BIG = np.datetime64("9999-12-31", "D")
#: Lag code: the event does not happen.
_NONE = -1
#: Lag code: expand over the behaviour's distribution (expected-value mode).
_EXPAND = -2
#: Chain stages of a case on the reference date.
_STAGE_NONE, _STAGE_NOTICE, _STAGE_APPEAL, _STAGE_JUDGMENT, _STAGE_CLOSED = 0, 1, 2, 3, 4


def _ordinal0() -> int:
    return int(pd.Period("1970-01", freq="M").ordinal)


#: Month starts from January 2000 to January 2101: month numbers by ``searchsorted``, which is
#: much faster than numpy's calendar conversion ``astype("datetime64[M]")``.
_MONTH0 = int(np.datetime64("2000-01", "M").astype(np.int64))
_STARTS = np.arange(
    np.datetime64("2000-01", "M"), np.datetime64("2101-02", "M"), dtype="datetime64[M]"
).astype("datetime64[D]")
_DAY0 = int(_STARTS[0].astype(np.int64))
#: Month number of every day from 2000-01-01 to 2101-01-31 (a look-up table).
_DAY_MONTH = np.repeat(
    np.arange(_MONTH0, _MONTH0 + _STARTS.size - 1, dtype=np.int64),
    np.diff(_STARTS.astype(np.int64)).astype(np.int64),
)


def _month_number(days: Days) -> Ints:
    """numpy month numbers (months since 1970-01) of ``datetime64[D]`` days (not NaT)."""
    offset = days.astype(np.int64) - _DAY0
    if offset.size and (offset.min() < 0 or offset.max() >= _DAY_MONTH.size):
        pos = np.searchsorted(_STARTS, days, side="right") - 1
        return np.asarray(pos + _MONTH0, dtype=np.int64)
    return np.asarray(_DAY_MONTH[offset], dtype=np.int64)


def _month_end(month_number: Ints) -> Days:
    return np.asarray(_STARTS[month_number - _MONTH0 + 1] - _ONE, dtype="datetime64[D]")
