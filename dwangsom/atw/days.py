"""The rows of the calendar's tables: a holiday rule (:class:`HolidayRule`) and a
bridge day made equal to a holiday by decree (:class:`BridgeDay`), each checked.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from dateutil import easter as _easter  # type: ignore[import-untyped, unused-ignore]

from ..errors import TableError

__all__ = [
    "BridgeDay",
    "HolidayRule",
]


Days = npt.NDArray[np.datetime64]
Bools = npt.NDArray[np.bool_]

KINDS: Final = ("fixed", "easter")
CONFIDENCES: Final = ("C", "S", "U")

_SATURDAY: Final = 5


class _FieldError(TableError):
    """A bad value in one column of a rule or bridge day (the loader adds file and row)."""

    def __init__(self, column: str, detail: str) -> None:
        super().__init__(f"column {column!r}: {detail}")
        self.column = column
        self.detail = detail


def _require_text(column: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _FieldError(column, f"must not be empty, got {value!r}")


def _require_confidence(value: str) -> None:
    if value not in CONFIDENCES:
        raise _FieldError("confidence", f"must be one of {', '.join(CONFIDENCES)}, got {value!r}")


@dataclass(frozen=True)
class HolidayRule:
    """One holiday rule of Atw art. 3(1)/(2): a row of ``tables/atw_holidays.csv``.

    ``kind`` is ``"fixed"`` (``month``/``day``; on a Sunday moved by ``sunday_shift`` days) or
    ``"easter"`` (``easter_offset`` days from Western Easter Sunday). The rule applies from
    ``first_year`` through ``last_year`` (``None``: still in force).

    >>> rule = HolidayRule("Koningsdag", "fixed", 4, 27, None, -1, 2014, None,
    ...                    "Atw art. 3(1)", "S")
    >>> rule.date_in(2025)  # 27 April 2025 was a Sunday
    datetime.date(2025, 4, 26)
    >>> rule.date_in(2013) is None
    True
    """

    name: str
    kind: str
    month: int | None
    day: int | None
    easter_offset: int | None
    sunday_shift: int
    first_year: int
    last_year: int | None
    source: str
    confidence: str

    def __post_init__(self) -> None:
        _require_text("name", self.name)
        if self.kind not in KINDS:
            raise _FieldError("kind", f"unknown kind {self.kind!r}; expected one of {KINDS}")
        if self.kind == "fixed":
            if self.month is None or self.day is None:
                raise _FieldError(
                    "month" if self.month is None else "day",
                    "a fixed rule needs both month and day",
                )
            try:
                _dt.date(2000, self.month, self.day)  # a leap year: 29 February is a day
            except ValueError:
                raise _FieldError(
                    "day", f"month {self.month}, day {self.day} is not a calendar day"
                ) from None
            if self.easter_offset is not None:
                raise _FieldError("easter_offset", "must be empty for a fixed rule")
        else:
            if self.easter_offset is None:
                raise _FieldError("easter_offset", "an easter rule needs an offset in days")
            if self.month is not None or self.day is not None:
                raise _FieldError(
                    "month" if self.month is not None else "day",
                    "must be empty for an easter rule",
                )
            if self.sunday_shift:
                raise _FieldError("sunday_shift", "must be 0 for an easter rule")
        if not -6 <= self.sunday_shift <= 6:
            raise _FieldError("sunday_shift", f"must be between -6 and 6, got {self.sunday_shift}")
        if self.last_year is not None and self.first_year > self.last_year:
            raise _FieldError(
                "first_year",
                f"first_year {self.first_year} is after last_year {self.last_year}",
            )
        _require_text("source", self.source)
        _require_confidence(self.confidence)

    def applies_in(self, year: int) -> bool:
        """Whether the rule was in force in ``year`` (Atw art. 3).

        >>> default_calendar().rules[0].applies_in(2025)
        True
        """
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def date_in(self, year: int) -> _dt.date | None:
        """The holiday this rule gives in ``year`` (Atw art. 3), or ``None`` if it did not apply.

        >>> [r.date_in(2026) for r in default_calendar().rules if r.name == "Goede Vrijdag"]
        [datetime.date(2026, 4, 3)]
        """
        if not self.applies_in(year):
            return None
        if self.easter_offset is not None:
            sunday: _dt.date = _easter.easter(year)  # Western (Gregorian) Easter
            return sunday + _dt.timedelta(days=self.easter_offset)
        assert self.month is not None and self.day is not None  # checked in __post_init__
        try:
            day = _dt.date(year, self.month, self.day)
        except ValueError:  # 29 February in a common year
            return None
        if day.weekday() == 6 and self.sunday_shift:
            day += _dt.timedelta(days=self.sunday_shift)
        return day


@dataclass(frozen=True)
class BridgeDay:
    """A day made equal to a holiday by decree (Atw art. 3(3)): a row of
    ``tables/atw_bridge_days.csv``. A bridge day on a Saturday or Sunday is an error.

    >>> BridgeDay(_dt.date(2022, 5, 27), "vrijdag na Hemelvaartsdag", "Atw art. 3(3)", "S").date
    datetime.date(2022, 5, 27)
    """

    date: _dt.date
    name: str
    source: str
    confidence: str

    def __post_init__(self) -> None:
        if not isinstance(self.date, _dt.date) or isinstance(self.date, _dt.datetime):
            raise _FieldError("date", f"must be a datetime.date, got {self.date!r}")
        if self.date.weekday() >= _SATURDAY:
            raise _FieldError(
                "date",
                f"{self.date.isoformat()} is a {self.date.strftime('%A')}; a weekend day is "
                "never a working day, so a decree under Atw art. 3(3) cannot concern it",
            )
        _require_text("name", self.name)
        _require_text("source", self.source)
        _require_confidence(self.confidence)
