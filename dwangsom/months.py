"""Calendar-month arithmetic (RULES §0).

"Within N months after day X": day X does not count; the term ends at the end of the day in the
N-th month after X that has the same day number as X, or, if that month is shorter, at the end of
its last day (HR 1 September 2017, ECLI:NL:HR:2017:2225). A term of 6 + 9 months is counted as 15
months from X in one step, never as two clamped steps.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Any

import numpy as np
import numpy.typing as npt

from ._dates import as_date, as_day_array

__all__ = ["add_months", "add_months_array"]

Days = npt.NDArray[np.datetime64]


def add_months(day: Any, months: int) -> _dt.date:
    """The day with the same day number ``months`` calendar months after ``day``, clamped to
    the last day of a shorter month (RULES §0; ECLI:NL:HR:2017:2225).

    >>> add_months("2023-08-31", 6)
    datetime.date(2024, 2, 29)
    >>> add_months("2023-08-31", 15)
    datetime.date(2024, 11, 30)
    >>> add_months("2023-10-25", 15)
    datetime.date(2025, 1, 25)
    """
    start = as_date(day, "day")
    index = start.year * 12 + (start.month - 1) + int(months)
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return _dt.date(year, month0 + 1, min(start.day, last))


def add_months_array(days: Any, months: Any) -> Days:
    """Vectorized :func:`add_months` over ``datetime64[D]``; ``months`` is an int or an int
    array of the same length. ``NaT`` stays ``NaT``.

    >>> add_months_array(np.array(["2023-08-31", "NaT"], dtype="datetime64[D]"), 6)
    array(['2024-02-29',        'NaT'], dtype='datetime64[D]')
    """
    d = as_day_array(days, "days")
    nat = np.isnat(d)
    month_start = d.astype("datetime64[M]")
    day_of_month = (d - month_start.astype("datetime64[D]")).astype(np.int64)  # 0-based
    target = month_start + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    target_start = target.astype("datetime64[D]")
    month_len = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target_start).astype(
        np.int64
    )
    out: Days = target_start + np.minimum(day_of_month, month_len - 1).astype("timedelta64[D]")
    out[nat] = np.datetime64("NaT")
    return out
