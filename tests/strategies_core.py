"""Hypothesis strategies for single cases and scenarios used by the core property tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

DAY = dt.timedelta(days=1)


def _after(start: dt.date, max_days: int) -> st.SearchStrategy[dt.date]:
    return st.integers(0, max_days).map(lambda n: start + n * DAY)


@st.composite
def case(
    draw: Any, *, start: dt.date = dt.date(2012, 6, 1), end: dt.date = dt.date(2026, 6, 30)
) -> dict[str, Any]:
    received = draw(st.dates(start, end))
    kind = draw(st.sampled_from(["asylum", "asylum", "asylum", "regular", "family-reunification"]))
    notice = draw(st.none() | _after(received, 900))
    decided = draw(st.none() | _after(received, 1000))
    judgment = draw(st.none() | _after(received, 900))
    return {
        "received": received,
        "application_type": kind,
        "notice_received": notice,
        "decided": decided,
        "as_of": draw(st.none() | _after(received, 1100))
        if decided
        else draw(_after(received, 1100)),
        "excluded": draw(st.booleans()),
        "applicants": draw(st.integers(1, 4)),
        "extension_months": draw(st.sampled_from([0, 0, 0, 3])) if kind == "asylum" else 0,
        "judgment_sent": judgment,
        "court_term_days": draw(st.none() | st.integers(0, 120)),
        "court_per_day": draw(st.none() | st.integers(0, 250)),
        "court_cap": draw(st.none() | st.integers(0, 40000)),
        "repeat_appeal": draw(st.booleans()),
    }
