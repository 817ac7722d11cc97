"""Calendar-month arithmetic (RULES §0).

"Within N months after day X": day X does not count; the term ends at the end of the day in the
N-th month after X that has the same day number as X, or, if that month is shorter, at the end of
its last day (HR 1 September 2017, ECLI:NL:HR:2017:2225). A term of 6 + 9 months is counted as 15
months from X in one step, never as two clamped steps.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
from typing import Any

import numpy as np
import numpy.typing as npt

from ._dates import as_date, as_day_array

__all__ = ["add_months", "add_months_array", "month_end_array", "month_number_array"]

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


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _civil(z: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """(year, month, day) from days since 1970-01-01 (H. Hinnant's civil_from_days)."""
    z = z + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _days_from_civil(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 of a (year, month, day) (H. Hinnant's days_from_civil)."""
    year = year - (month <= 2)
    era = year // 400
    yoe = year - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return np.asarray(era * 146097 + doe - 719468, dtype=np.int64)


_FIRST_YEAR, _LAST_YEAR = 1900, 2200


@functools.cache
def _lookup() -> tuple[int, npt.NDArray[np.int32], npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """Tables for 1900-2199: month number and day of month of every day, and the first day of
    every month (with one month past the end). Look-ups replace calendar arithmetic."""
    first = int(_days_from_civil(np.array([_FIRST_YEAR]), np.array([1]), np.array([1]))[0])
    last = int(_days_from_civil(np.array([_LAST_YEAR]), np.array([1]), np.array([1]))[0])
    year, month, day = _civil(np.arange(first, last, dtype=np.int64))
    months = np.arange(_FIRST_YEAR * 12, _LAST_YEAR * 12 + 1, dtype=np.int64)
    starts = _days_from_civil(months // 12, months % 12 + 1, np.ones_like(months))
    return first, (year * 12 + month - 1).astype(np.int32), day.astype(np.int8), starts


#: From this many days on, a shift by one number of months for every day is read from a table
#: of "day + k months" for every day of the look-up years (built once per k and cached).
SHIFT_TABLE_ROWS = 16384


def add_months_array(days: Any, months: Any) -> Days:
    """Vectorized :func:`add_months` over ``datetime64[D]``; ``months`` is an int or an int
    array of the same length. ``NaT`` stays ``NaT``. Dates in 1900-2199 use look-up tables,
    others integer calendar arithmetic; both give the same days.

    >>> add_months_array(np.array(["2023-08-31", "NaT"], dtype="datetime64[D]"), 6)
    array(['2024-02-29',        'NaT'], dtype='datetime64[D]')
    """
    d = as_day_array(days, "days")
    z = d.view(np.int64)  # integer view of the days
    shift = np.asarray(months, dtype=np.int64)
    if not z.size:
        return np.empty(d.shape, dtype="datetime64[D]")
    low, high = int(z.min()), int(z.max())  # NaT is the smallest integer
    nat = None
    if low == _NAT_INT:
        nat = np.isnat(d)
        z = np.where(nat, 0, z)  # day 0 only where it is blanked again below
        low = int(z.min())
    first, month_of, day_of, starts = _lookup()
    if low - first >= 0 and high - first < month_of.size:
        if shift.ndim == 0 and z.size >= SHIFT_TABLE_ROWS:
            out: Days = _shifted(int(shift))[z - first].view("datetime64[D]")
        else:
            i = z - first
            target = month_of[i] + (shift - _FIRST_YEAR * 12)
            if int(target.min()) >= 0 and int(target.max()) < starts.size - 1:
                out = np.minimum(day_of[i], _month_lengths()[target])
                out += _month_starts()[target]
                out = out.view("datetime64[D]")
            else:
                out = _add_months_civil(z, shift)
    else:
        out = _add_months_civil(z, shift)
    if nat is not None:
        out[nat] = np.datetime64("NaT")
    return out


_NAT_INT = int(np.iinfo(np.int64).min)
#: Months from January of the look-up tables' first year to January 1970.
_EPOCH_MONTH = (1970 - _FIRST_YEAR) * 12


def month_number_array(days: Any) -> npt.NDArray[np.int64]:
    """The month of each day as months since January 1970: what
    ``days.astype("datetime64[M]").astype(np.int64)`` gives, read from the look-up tables for
    1900-2199 (an order of magnitude cheaper than the ``datetime64[M]`` conversion).

    >>> month_number_array(np.array(["1970-01-31", "2024-02-29"], dtype="datetime64[D]"))
    array([  0, 649])
    """
    d = as_day_array(days, "days")
    z = d.view(np.int64)
    first, month_of, _, _ = _lookup()
    if z.size and int(z.min()) - first >= 0 and int(z.max()) - first < month_of.size:
        return np.subtract(month_of[z - first], 1970 * 12, dtype=np.int64)
    out: npt.NDArray[np.int64] = d.astype("datetime64[M]").astype(np.int64)  # NaT, far dates
    return out


def month_end_array(months: Any) -> Days:
    """The last day of each month (months since January 1970, as :func:`month_number_array`
    gives them): ``(months + 1).astype("datetime64[M]").astype("datetime64[D]") - 1 day``,
    read from the look-up tables for 1900-2199.

    >>> month_end_array(np.array([0, 649]))
    array(['1970-01-31', '2024-02-29'], dtype='datetime64[D]')
    """
    m = np.asarray(months, dtype=np.int64)
    starts = _lookup()[3]
    following = m + (_EPOCH_MONTH + 1)  # the next month's row of the month-start table
    if m.size and int(following.min()) >= 0 and int(following.max()) < starts.size:
        out: Days = (starts[following] - 1).view("datetime64[D]")
        return out
    firsts = (m + 1).astype("datetime64[M]").astype("datetime64[D]")
    return np.asarray(firsts - np.timedelta64(1, "D"), dtype="datetime64[D]")


@functools.lru_cache(maxsize=16)  # 0.9 MB each
def _shifted(months: int) -> npt.NDArray[np.int64]:
    """Day number of "day + ``months`` months" (:func:`add_months`) for every day of the
    look-up years 1900-2199, by the calendar arithmetic itself."""
    first, month_of, _, _ = _lookup()
    days = np.arange(first, first + month_of.size, dtype=np.int64)
    shift = np.full(days.size, months, dtype=np.int64)
    table: npt.NDArray[np.int64] = _add_months_civil(days, shift).view(np.int64)
    table.setflags(write=False)
    return table


@functools.cache
def _month_starts() -> npt.NDArray[np.int64]:
    """The day before the first of each month of the look-up tables (so that adding a day
    number within the month gives the date)."""
    table: npt.NDArray[np.int64] = _lookup()[3] - 1
    return table


@functools.cache
def _month_lengths() -> npt.NDArray[np.int64]:
    """Days in each month of the look-up tables (``starts`` of the next month minus its own)."""
    starts = _lookup()[3]
    lengths: npt.NDArray[np.int64] = np.diff(starts)
    return lengths


def _add_months_civil(z: npt.NDArray[np.int64], shift: npt.NDArray[np.int64]) -> Days:
    year, month, day = _civil(z)
    index = year * 12 + (month - 1) + shift
    new_year, new_month0 = index // 12, index % 12
    leap = (new_year % 4 == 0) & ((new_year % 100 != 0) | (new_year % 400 == 0))
    length = _MONTH_DAYS[new_month0] + ((new_month0 == 1) & leap)
    out: Days = _days_from_civil(new_year, new_month0 + 1, np.minimum(day, length)).astype(
        "datetime64[D]"
    )
    return out
