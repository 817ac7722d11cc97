"""The calendar of the Algemene termijnenwet (Atw; Wet van 25 juli 1964, Stb. 1964, 314).

RULES §1. The Atw extends statutory terms that end on a non-working day:

- art. 1: a term that ends on a Saturday, Sunday or generally recognised holiday ends on the next
  day that is none of these (:func:`roll_forward`);
- art. 2: a term of at least three days is extended, where needed, so that it contains at least
  two such working days (:func:`term_end` applies art. 1 and then art. 2);
- art. 3(1) lists the holidays, art. 3(2) adds Good Friday and art. 3(3) lets further days be made
  equal to holidays by decree ("bridge days").

The holidays are data, not code: ``tables/atw_holidays.csv`` holds one row per rule (a fixed day or
an offset from Western Easter, with a Sunday shift and the first and last year it applied; a rule
that changed is two rows) and ``tables/atw_bridge_days.csv`` the days made equal to holidays by
decree. Every row cites its source and carries a confidence tag (C, S or U, as in RULES.md).
The calendar covers the years 1965 (the Atw took effect on 1 April 1965) to 2099 by default; a
date outside that range raises :class:`~dwangsom.errors.OutOfTableError`.

**What this module does not decide.** It only offers the calendar. The Atw does not apply to terms
longer than three months (art. 4 [S]), so the asylum decision term of 6, 15 or 21 months is *not*
rolled (courts state end dates that fall on a Saturday); nor does it apply to the 42 penalty days
of Awb 4:17 or to terms set by a court. The modules that compute those deadlines decide whether to
call :func:`roll_forward` or :func:`term_end`; this module never applies them on its own.

Scalar functions accept anything :func:`dwangsom._dates.as_date` accepts (``date``, ``Timestamp``,
``datetime64``, ``'YYYY-MM-DD'``, ``'dd-mm-jjjj'``) and return :class:`datetime.date`; the
``*_array`` forms take columns (Series, arrays, lists) and return numpy arrays, with ``NaT`` in
giving ``NaT`` (or ``False``) out.

Every name is importable from ``dwangsom.atw``; its modules name the parts:

- :mod:`dwangsom.atw.days`: holiday rules and bridge days;
- :mod:`dwangsom.atw.loading`: loading the tables;
- :mod:`dwangsom.atw.calendar`: the calendar;
- :mod:`dwangsom.atw.default`: the default calendar and its functions.
"""

from __future__ import annotations

from .calendar import _ONE_DAY as _ONE_DAY
from .calendar import USER_BRIDGE_DAY_NAME as USER_BRIDGE_DAY_NAME
from .calendar import AtwCalendar
from .days import _SATURDAY as _SATURDAY
from .days import CONFIDENCES as CONFIDENCES
from .days import KINDS as KINDS
from .days import Bools as Bools
from .days import BridgeDay, HolidayRule
from .days import Days as Days
from .days import _FieldError as _FieldError
from .days import _require_confidence as _require_confidence
from .days import _require_text as _require_text
from .default import _TABLES as _TABLES
from .default import (
    default_calendar,
    is_holiday,
    is_holiday_array,
    is_working_day,
    is_working_day_array,
    roll_forward,
    roll_forward_array,
    term_end,
    term_end_array,
)
from .loading import _INT_COLUMNS as _INT_COLUMNS
from .loading import BRIDGE_DAY_COLUMNS as BRIDGE_DAY_COLUMNS
from .loading import RULE_COLUMNS as RULE_COLUMNS
from .loading import Source as Source
from .loading import _build as _build
from .loading import _int as _int
from .loading import _overlap as _overlap
from .loading import _Row as _Row
from .loading import _rows as _rows
from .loading import _where as _where
from .loading import load_bridge_days, load_holiday_rules

# Every name the module dwangsom.atw defined is importable from here; the names not in __all__
# are re-exported for the modules and tests that use them. A part reads its names where
# they are defined: a test that patches one patches that part (e.g. dwangsom.atw.<part>.NAME).
__all__ = [
    "AtwCalendar",
    "BridgeDay",
    "HolidayRule",
    "default_calendar",
    "is_holiday",
    "is_holiday_array",
    "is_working_day",
    "is_working_day_array",
    "load_bridge_days",
    "load_holiday_rules",
    "roll_forward",
    "roll_forward_array",
    "term_end",
    "term_end_array",
]
