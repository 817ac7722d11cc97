"""What the administrative and the court penalty share: whether the Temporary Act (Stb.
2020, 242; RULES §5) bars a penalty, and the count of penalty days (suspended days skipped, up
to a limit).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from ..scenario import Scenario
from ..tables import ApplicationType, TemporaryActPeriod
from .scope import DAY, _row_for


def _temporary_act_bars(
    notice: _dt.date, kind: ApplicationType, s: Scenario, column: str
) -> TemporaryActPeriod | None:
    """The Temporary Act period that bars a penalty keyed on ``notice`` (RULES §5), if any."""
    if not (s.temporary_act and kind.temporary_act):
        return None
    if s.temporary_act_until is not None and notice > s.temporary_act_until:
        return None
    period = _row_for(s.temporary_act_periods, notice)
    if period is None or getattr(period, column):
        return None
    return period


def _count_days(
    first: _dt.date, last: _dt.date, limit: int | None, skipped: Sequence[tuple[_dt.date, _dt.date]]
) -> tuple[int, _dt.date | None, int]:
    """Count penalty days from ``first`` through ``last``, skipping suspended days, stopping
    after ``limit`` counted days. Returns (days, last counted day, skipped days)."""
    count, last_counted, skipped_count = 0, None, 0
    day = first
    while day <= last and (limit is None or count < limit):
        if any(a <= day <= b for a, b in skipped):
            skipped_count += 1
        else:
            count += 1
            last_counted = day
        day += DAY
    return count, last_counted, skipped_count
