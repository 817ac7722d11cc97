"""The notice of default over arrays: its validity and the first penalty day (RULES
§3; :mod:`dwangsom.rules.notice`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np

from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .base import _NAT_INT, _ONE, NAT, Bools, Days, _ints_of
from .inputs import _check_after, _check_received, _days
from .term import TermArrays, decision_term

__all__ = [
    "first_penalty_day",
    "notice_valid",
]


def _notice_counts(notice: Days, term: TermArrays) -> Bools:
    """Vectorized :func:`dwangsom.rules._notice_counts` (NaT compares False).

    As integers when every term has an end (they come from checked receipts): ``NaT`` is the
    smallest integer, so a missing notice is never after the deadline, and a term no
    moratorium changed keeps no early notice.
    """
    ends, changed = _ints_of(term.deadline), _ints_of(term.moratorium_first)
    if not ends.size or int(ends.min()) != _NAT_INT:
        given = _ints_of(notice)
        valid: Bools = given > ends
        if int(changed.max(initial=_NAT_INT)) != _NAT_INT:
            valid |= (given > _ints_of(term.base_deadline)) & (given < changed)
        return valid
    kept = (notice > term.base_deadline) & (notice < term.moratorium_first)
    return np.asarray(~np.isnat(notice) & ((notice > term.deadline) | kept), dtype=bool)


def _calendar_end(s: Scenario) -> _dt.date:
    from ..atw import default_calendar

    return (s.calendar or default_calendar()).decrees_until


def _two_weeks_end(notice: Days, s: Scenario) -> Days:
    end = notice + np.timedelta64(14, "D")
    if s.atw_on_notice_term:
        from ..atw import default_calendar

        cal = s.calendar or default_calendar()
        end = np.where(np.isnat(notice), NAT, cal.term_end_array(notice + _ONE, end))
    return end


def notice_valid(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> Bools:
    """Vectorized :func:`dwangsom.rules.notice_valid` (Awb 4:17(3))."""
    s = _scenario(scenario)
    r = _days(received, "received")
    _check_received(r)
    notice = _days(notice_received, "notice_received", r.size)
    _check_after(notice, r, "notice_received")
    term = decision_term(
        r,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    return _notice_counts(notice, term)


def first_penalty_day(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> Days:
    """Vectorized :func:`dwangsom.rules.first_penalty_day` (Awb 4:17(3)); NaT: no valid notice."""
    s = _scenario(scenario)
    valid = notice_valid(
        received,
        notice_received,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    notice = _days(notice_received, "notice_received", valid.size)
    end = _two_weeks_end(np.where(valid, notice, NAT), s)
    return np.where(valid, end + np.timedelta64(s.first_penalty_offset - 14, "D"), NAT)
