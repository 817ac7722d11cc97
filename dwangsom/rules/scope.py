"""What the rules cover, and the checks every rule makes of a case's dates.

Applications received from 1 April 2001 (the Vreemdelingenwet 2000) through the last day the
calendar and tables are defined for: a receipt date outside that period raises
:class:`~dwangsom.errors.OutOfTableError`, a later event dated before the receipt
:class:`~dwangsom.errors.OrderError`. Also the look-up of the table row in force on a day.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from .._dates import as_date, as_optional_date
from ..errors import OrderError, OutOfTableError
from ..tables import AdminRate, CourtPractice, TemporaryActPeriod

__all__ = [
    "VW2000_IN_FORCE",
]


#: The Vreemdelingenwet 2000 applies to applications received from 1 April 2001; the library's
#: rules do not reach further back.
VW2000_IN_FORCE = _dt.date(2001, 4, 1)
#: The last day the calendar and tables are defined for.
LAST_DAY = _dt.date(2099, 12, 31)
DAY = _dt.timedelta(days=1)


class _Dated(Protocol):
    @property
    def valid_to(self) -> _dt.date | None: ...


Row = TypeVar("Row", AdminRate, CourtPractice, TemporaryActPeriod)


def _row_for(rows: Sequence[Row], day: _dt.date) -> Row | None:
    for row in rows:
        start = row.valid_from or _dt.date.min
        end = row.valid_to or _dt.date.max
        if start <= day <= end:
            return row
    return None


def _received(value: Any) -> _dt.date:
    day = as_date(value, "received")
    if not VW2000_IN_FORCE <= day <= LAST_DAY:
        raise OutOfTableError(
            f"received: {day.isoformat()} is outside the period the rules cover "
            f"({VW2000_IN_FORCE.isoformat()} (Vreemdelingenwet 2000 in force) to "
            f"{LAST_DAY.isoformat()})"
        )
    return day


def _after_receipt(value: Any, name: str, received: _dt.date) -> _dt.date | None:
    day = as_optional_date(value, name)
    if day is not None and day < received:
        raise OrderError(
            f"{name}: {day.isoformat()} is before the application was received "
            f"({received.isoformat()})"
        )
    if day is not None and day > LAST_DAY:
        raise OutOfTableError(f"{name}: {day.isoformat()} is after {LAST_DAY.isoformat()}")
    return day
