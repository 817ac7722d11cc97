"""The default calendar (the bundled tables, 1965-2099) and the module-level
functions that use it.
"""

from __future__ import annotations

import datetime as _dt
import functools
from importlib import resources
from typing import Any, Final

from .calendar import AtwCalendar
from .days import Bools, Days
from .loading import load_bridge_days, load_holiday_rules

__all__ = [
    "default_calendar",
    "is_holiday",
    "is_holiday_array",
    "is_working_day",
    "is_working_day_array",
    "roll_forward",
    "roll_forward_array",
    "term_end",
    "term_end_array",
]


_TABLES: Final = ("dwangsom", "tables")


@functools.cache
def default_calendar() -> AtwCalendar:
    """The packaged Atw calendar (art. 3(1)–(3)), 1965–2099, built once from
    ``tables/atw_holidays.csv`` and ``tables/atw_bridge_days.csv``.

    >>> cal = default_calendar()
    >>> cal.first_year, cal.last_year, len(cal.bridge_days) >= 11
    (1965, 2099, True)
    """
    tables = resources.files(_TABLES[0]) / _TABLES[1]
    return AtwCalendar(
        load_holiday_rules(tables / "atw_holidays.csv"),
        load_bridge_days(tables / "atw_bridge_days.csv"),
    )


def is_holiday(day: Any) -> bool:
    """Whether ``day`` is an Atw holiday (art. 3(1)), Good Friday (art. 3(2)) or a decree day
    (art. 3(3)), in the default calendar.

    >>> is_holiday("2026-05-05"), is_holiday("2022-05-27"), is_holiday("2022-05-30")
    (True, True, False)
    """
    return default_calendar().is_holiday(day)


def is_working_day(day: Any) -> bool:
    """Whether ``day`` is not a Saturday, Sunday or holiday (Atw art. 1 and 3).

    >>> is_working_day("2025-04-26"), is_working_day("2025-04-28")
    (False, True)
    """
    return default_calendar().is_working_day(day)


def roll_forward(day: Any) -> _dt.date:
    """The end of a statutory term ending on ``day`` after Atw art. 1: the next day that is
    not a Saturday, Sunday or holiday (``day`` itself if it is one).

    >>> roll_forward(_dt.date(2025, 1, 25))  # Saturday -> Monday
    datetime.date(2025, 1, 27)
    """
    return default_calendar().roll_forward(day)


def term_end(start: Any, end: Any) -> _dt.date:
    """The end of a statutory term from ``start`` to ``end`` (first and last day) after Atw
    art. 1 and, for a term of at least three days, art. 2 (at least two working days).

    >>> term_end("2026-04-03", "2026-04-07")  # Good Friday-Tue: Tue is the only working day
    datetime.date(2026, 4, 8)
    """
    return default_calendar().term_end(start, end)


def is_holiday_array(days: Any) -> Bools:
    """:func:`is_holiday` over a column (Atw art. 3); ``NaT`` gives ``False``.

    >>> is_holiday_array(["2023-04-28", "2023-05-01"])
    array([ True, False])
    """
    return default_calendar().is_holiday_array(days)


def is_working_day_array(days: Any) -> Bools:
    """:func:`is_working_day` over a column (Atw art. 1 and 3); ``NaT`` gives ``False``.

    >>> is_working_day_array(["2024-12-27", "2024-12-30"])
    array([False,  True])
    """
    return default_calendar().is_working_day_array(days)


def roll_forward_array(days: Any) -> Days:
    """:func:`roll_forward` over a column (Atw art. 1); ``NaT`` stays ``NaT``.

    >>> roll_forward_array(np.array(["2024-12-25", "NaT"], dtype="datetime64[D]"))
    array(['2024-12-30',        'NaT'], dtype='datetime64[D]')
    """
    return default_calendar().roll_forward_array(days)


def term_end_array(starts: Any, ends: Any) -> Days:
    """:func:`term_end` over two columns (Atw art. 1 and 2); ``NaT`` in either gives ``NaT``.

    >>> term_end_array(["2026-05-14", None], ["2026-05-18", "2026-05-18"])
    array(['2026-05-19',        'NaT'], dtype='datetime64[D]')
    """
    return default_calendar().term_end_array(starts, ends)
