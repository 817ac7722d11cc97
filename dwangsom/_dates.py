"""Coercion of user input to calendar dates.

Dates are calendar dates: no time, no zone. Scalars become :class:`datetime.date`; arrays become
numpy ``datetime64[D]`` with ``NaT`` for "no such event". pandas 3 parses to ``datetime64[us]``
and older pandas to ``[ns]``: no unit is assumed, everything is normalised to days.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .cells import read_date, show
from .errors import InvalidDateError

__all__ = ["DateLike", "as_date", "as_day_array", "as_optional_date", "to_date", "to_day"]

DateLike = _dt.date | str | np.datetime64 | pd.Timestamp
Days = npt.NDArray[np.datetime64]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DUTCH = re.compile(r"^\d{1,2}-\d{1,2}-\d{4}")


_MESSAGES = {
    "time-zone": "{name}: {value!r} has a time zone; give a calendar date",
    "incomplete-date": "{name}: {value!r} is an incomplete date; give the day, month and year "
    "('YYYY-MM-DD' or 'dd-mm-jjjj')",
}


def as_optional_date(value: Any, name: str) -> _dt.date | None:
    """Coerce one value to a date; ``None``, ``NaT``, ``NaN`` and blank text mean "no such
    event".

    Reads exactly what a case table reads (:func:`dwangsom.cells.read_date`, the one date
    reader): :class:`datetime.date`, :class:`datetime.datetime` (the time is dropped),
    :class:`pandas.Timestamp`, :class:`numpy.datetime64` of any unit from days down and text
    ``YYYY-MM-DD`` or ``dd-mm-jjjj`` (optionally with a time of day, dropped). Anything else
    raises :class:`~dwangsom.errors.InvalidDateError` naming ``name``: a time zone, an
    incomplete date (``"2023-05"``), an impossible day, a number.

    >>> as_optional_date("2023-10-25", "received")
    datetime.date(2023, 10, 25)
    >>> as_optional_date(None, "decided") is None
    True
    """
    day, problem = read_date(value)
    if problem is None:
        return day
    if problem in _MESSAGES:
        raise InvalidDateError(_MESSAGES[problem].format(name=name, value=value))
    if isinstance(value, str):
        text = value.strip()
        if _ISO.match(text) or _DUTCH.match(text):
            raise InvalidDateError(f"{name}: {value!r} is not a valid calendar date") from None
        raise InvalidDateError(
            f"{name}: {value!r} is not a date; give an ISO date 'YYYY-MM-DD' or 'dd-mm-jjjj'"
        )
    raise InvalidDateError(
        f"{name}: {show(value)!r} (type {type(value).__name__}) is not a date; give a "
        "datetime.date, pandas.Timestamp, numpy.datetime64 or an ISO string"
    )


def as_date(value: Any, name: str) -> _dt.date:
    """Coerce one required value to a date (see :func:`as_optional_date`).

    >>> as_date("25-10-2023", "received")
    datetime.date(2023, 10, 25)
    """
    day = as_optional_date(value, name)
    if day is None:
        raise InvalidDateError(f"{name}: a date is required, got {value!r}")
    return day


to_date = as_date


def to_day(day: _dt.date) -> np.datetime64:
    """A :class:`datetime.date` as ``numpy.datetime64[D]``."""
    return np.datetime64(day, "D")


def as_day_array(values: Any, name: str) -> Days:
    """Coerce a column (Series, Index, array, list) or a scalar to ``datetime64[D]``.

    Missing values become ``NaT``. Strings in ISO or ``dd-mm-jjjj`` form are parsed; whatever
    cannot be read raises :class:`~dwangsom.errors.InvalidDateError` naming ``name`` and the
    first bad values.

    >>> as_day_array(pd.Series(["2023-01-31", None]), "received")
    array(['2023-01-31',        'NaT'], dtype='datetime64[D]')
    """
    if isinstance(values, pd.Series | pd.Index):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            raise InvalidDateError(f"{name}: dates with a time zone; give calendar dates")
        if pd.api.types.is_datetime64_dtype(values.dtype):
            return np.asarray(values.to_numpy()).astype("datetime64[D]")
        values = values.to_numpy(dtype=object)
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]")
    if isinstance(values, np.ndarray) and values.dtype.kind in "iufb" and values.size:
        raise InvalidDateError(f"{name}: numbers are not dates (dtype {values.dtype})")
    if not isinstance(values, Iterable) or isinstance(values, str | _dt.date):
        values = [values]
    items = list(values)
    out = np.empty(len(items), dtype="datetime64[D]")
    bad: list[str] = []
    for i, item in enumerate(items):
        try:
            day = as_optional_date(item, name)
        except InvalidDateError:
            bad.append(repr(item))
            continue
        out[i] = np.datetime64("NaT") if day is None else np.datetime64(day, "D")
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise InvalidDateError(f"{name}: not a date: {', '.join(bad[:3])}{more}")
    return out
