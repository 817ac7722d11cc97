"""The notice of default and the first penalty day (RULES §3): a notice has effect when
the authority receives it after the decision term has expired (Awb 4:17(3), 6:12(2)); the
penalty runs once two weeks after it have passed.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .._dates import as_date
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .scope import DAY, _after_receipt, _received
from .term import TermDetail, decision_term

__all__ = [
    "first_penalty_day",
    "notice_valid",
]


def _notice_counts(notice: _dt.date, term: TermDetail) -> bool:
    """A notice counts if received after the term's last day, or, where a moratorium extended
    the term, if received before its first day on a term that had expired then (the notice
    keeps its effect, ECLI:NL:RBDHA:2025:14982)."""
    if notice > term.deadline:
        return True
    m = term.moratorium
    return m is not None and term.base_deadline < notice < m.first_day


# --- RULES §3: notice of default and the first penalty day ----------------------------------


def notice_valid(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> bool:
    """Whether a notice of default has effect: the authority must receive it after the decision
    term has expired, i.e. on a day after the term's last day (Awb 4:17(3), 6:12(2); e.g.
    ECLI:NL:RBDHA:2023:14401). A premature notice has no effect. A notice received on an
    expired term before a moratorium's first day keeps its effect (ECLI:NL:RBDHA:2025:14982).

    >>> notice_valid("2023-10-25", "2025-01-25"), notice_valid("2023-10-25", "2025-01-26")
    (False, True)
    """
    day = _received(received)
    notice = _after_receipt(notice_received, "notice_received", day)
    if notice is None:
        return False
    term = decision_term(
        day,
        scenario=scenario,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    return _notice_counts(notice, term)


def _two_weeks_end(notice: _dt.date, s: Scenario) -> _dt.date:
    """End of the two weeks after the notice (Awb 4:17(3)); Atw only if the scenario says [U]."""
    end = notice + _dt.timedelta(days=14)
    if s.atw_on_notice_term:
        from ..atw import default_calendar

        end = (s.calendar or default_calendar()).term_end(notice + DAY, end)
    return end


def first_penalty_day(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> _dt.date | None:
    """The first day a penalty accrues: two weeks after a valid notice have passed (Awb
    4:17(3)); by default notice receipt + 15 days (IND WI 2013/17; 14 behind the scenario's
    ``first_penalty_offset``) [U]. ``None`` when there is no valid notice.

    >>> first_penalty_day("2023-01-02", "2025-01-06", scenario="extensions-void")
    datetime.date(2025, 1, 21)
    """
    s = _scenario(scenario)
    if not notice_valid(
        received,
        notice_received,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    ):
        return None
    notice = as_date(notice_received, "notice_received")
    return _two_weeks_end(notice, s) + _dt.timedelta(days=s.first_penalty_offset - 14)
