"""The calendar (:class:`AtwCalendar`): holidays, working days and the Atw's
extension of a term (art. 1-3), for single dates and for arrays.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np

from .._dates import as_date, as_day_array
from ..errors import OrderError, OutOfTableError, TableError
from .days import _SATURDAY, Bools, BridgeDay, Days, HolidayRule, _FieldError

__all__ = [
    "AtwCalendar",
]


USER_BRIDGE_DAY_NAME: Final = "holiday added to the calendar"
_ONE_DAY: Final = _dt.timedelta(days=1)


@dataclass(frozen=True)
class AtwCalendar:
    """The Atw calendar: the holiday rules of art. 3(1)/(2) plus the decree days of art. 3(3),
    over the years ``first_year`` through ``last_year``.

    Immutable; :meth:`with_bridge_days` returns a copy with extra decree days.

    >>> cal = default_calendar()
    >>> cal.is_holiday("2026-05-05"), cal.roll_forward("2025-01-25")
    (True, datetime.date(2025, 1, 27))
    """

    rules: tuple[HolidayRule, ...]
    bridge_days: tuple[BridgeDay, ...] = ()
    first_year: int = 1965
    last_year: int = 2099

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "bridge_days", tuple(self.bridge_days))
        for rule in self.rules:
            if not isinstance(rule, HolidayRule):
                raise TypeError(f"rules: expected HolidayRule rows, got {rule!r}")
        seen: set[_dt.date] = set()
        for bridge in self.bridge_days:
            if not isinstance(bridge, BridgeDay):
                raise TypeError(f"bridge_days: expected BridgeDay rows, got {bridge!r}")
            if bridge.date in seen:
                raise TableError(f"bridge_days: {bridge.date.isoformat()} appears twice")
            seen.add(bridge.date)
        if not 1 <= self.first_year <= self.last_year <= 9998:
            raise TableError(
                f"first_year {self.first_year} and last_year {self.last_year}: need "
                "1 <= first_year <= last_year <= 9998"
            )

    # -- tables -----------------------------------------------------------------------------

    @property
    def decrees_until(self) -> _dt.date:
        """The last day the bridge-day decree table (Atw art. 3(3)) speaks for: 31 December of
        the last year a decree covers (2028 in the packaged table; no later decree is known,
        RULES §1 [U]). A rolled term ending after it may miss a decree day not yet made; the
        assessment flags such cases (``past-calendar``) instead of guessing.

        >>> default_calendar().decrees_until
        datetime.date(2028, 12, 31)
        """
        if not self.bridge_days:
            return _dt.date(self.first_year - 1, 12, 31)
        return _dt.date(max(b.date.year for b in self.bridge_days), 12, 31)

    def past_decrees(self, day: Any) -> bool:
        """Whether ``day`` lies after :attr:`decrees_until`.

        >>> default_calendar().past_decrees("2029-01-02")
        True
        """
        return as_date(day, "day") > self.decrees_until

    @functools.cached_property
    def _names(self) -> dict[_dt.date, str]:
        """Holiday name by date, for first_year through last_year + 1 (a term ending late in
        the last year may roll into the next one)."""
        names: dict[_dt.date, list[str]] = {}
        for year in range(self.first_year, self.last_year + 2):
            for rule in self.rules:
                day = rule.date_in(year)
                if day is not None:
                    names.setdefault(day, []).append(rule.name)
        lo, hi = _dt.date(self.first_year, 1, 1), _dt.date(self.last_year + 1, 12, 31)
        for bridge in self.bridge_days:
            if lo <= bridge.date <= hi:
                names.setdefault(bridge.date, []).append(bridge.name)
        return {day: " / ".join(names[day]) for day in sorted(names)}

    @functools.cached_property
    def _all_days(self) -> Days:
        days = np.array(list(self._names), dtype="datetime64[D]")
        days.setflags(write=False)
        return days

    @functools.cached_property
    def _busdaycal(self) -> np.busdaycalendar:
        return np.busdaycalendar(weekmask="1111100", holidays=self._all_days)

    @functools.cached_property
    def _bounds(self) -> tuple[np.datetime64, np.datetime64]:
        return (
            np.datetime64(f"{self.first_year:04d}-01-01", "D"),
            np.datetime64(f"{self.last_year:04d}-12-31", "D"),
        )

    @functools.cached_property
    def _in_range(self) -> Days:
        lo, hi = self._bounds
        days = self._all_days[(self._all_days >= lo) & (self._all_days <= hi)]
        days.setflags(write=False)
        return days

    def holiday_array(self) -> Days:
        """All holidays and decree days (Atw art. 3) from ``first_year`` through ``last_year``,
        sorted, as a read-only ``datetime64[D]`` array (weekend holidays included).

        >>> default_calendar().holiday_array()[:3]
        array(['1965-01-01', '1965-04-16', '1965-04-19'], dtype='datetime64[D]')
        """
        return self._in_range

    def holidays(self, year: int) -> list[tuple[_dt.date, str]]:
        """The holidays and decree days (Atw art. 3(1)–(3)) of ``year`` with their names, for
        display. Two on one day share a row, their names joined by ``" / "``.

        >>> for day, name in default_calendar().holidays(2022)[-4:]:
        ...     print(day, name)
        2022-05-27 gelijkgestelde dag (vrijdag na Hemelvaartsdag)
        2022-06-06 Tweede Pinksterdag
        2022-12-25 Eerste Kerstdag
        2022-12-26 Tweede Kerstdag
        """
        if isinstance(year, bool) or not isinstance(year, int | np.integer):
            raise TypeError(f"year: expected a whole number, got {year!r}")
        if not self.first_year <= year <= self.last_year:
            raise OutOfTableError(
                f"year: {year} is outside the years the Atw calendar covers "
                f"({self.first_year}–{self.last_year})"
            )
        return [(day, name) for day, name in self._names.items() if day.year == year]

    def with_bridge_days(self, *days: BridgeDay | Any) -> AtwCalendar:
        """A copy with extra days made equal to holidays by decree (Atw art. 3(3)), e.g. from a
        decree published after this release.

        Give :class:`BridgeDay` rows, or dates (anything :func:`~dwangsom._dates.as_date`
        accepts), which become rows named "holiday added to the calendar" with source
        "user-supplied" and confidence "U". A day already in the table is kept once; a weekend
        day raises :class:`~dwangsom.errors.TableError`, a day outside the calendar's years
        :class:`~dwangsom.errors.OutOfTableError`.

        >>> cal = default_calendar().with_bridge_days("2029-05-11")
        >>> cal.is_holiday("2029-05-11"), default_calendar().is_holiday("2029-05-11")
        (True, False)
        """
        extra: list[BridgeDay] = []
        have = {bridge.date for bridge in self.bridge_days}
        for i, value in enumerate(days):
            name = f"days[{i}]"
            if isinstance(value, BridgeDay):
                bridge = value
            else:
                day = as_date(value, name)
                try:
                    bridge = BridgeDay(day, USER_BRIDGE_DAY_NAME, "user-supplied", "U")
                except _FieldError as exc:
                    raise TableError(f"{name}: {exc.detail}") from None
            self._check(bridge.date, name)
            if bridge.date not in have:
                have.add(bridge.date)
                extra.append(bridge)
        return replace(self, bridge_days=(*self.bridge_days, *extra))

    # -- range checks -----------------------------------------------------------------------

    def _range_text(self) -> str:
        return f"the years the Atw calendar covers ({self.first_year}–{self.last_year})"

    def _check(self, value: Any, name: str) -> _dt.date:
        day = as_date(value, name)
        if not self.first_year <= day.year <= self.last_year:
            raise OutOfTableError(f"{name}: {day.isoformat()} is outside {self._range_text()}")
        return day

    def _check_array(self, values: Any, name: str) -> Days:
        days = as_day_array(values, name)
        lo, hi = self._bounds
        bad = days[(days < lo) | (days > hi)]  # NaT compares False: ignored
        if bad.size:
            shown = ", ".join(str(d) for d in bad[:3])
            more = f" (and {bad.size - 3} more)" if bad.size > 3 else ""
            raise OutOfTableError(f"{name}: {shown}{more} outside {self._range_text()}")
        return days

    # -- scalar rules (plain Python: the reference the vectorized forms are tested against) --

    def _holiday(self, day: _dt.date) -> bool:
        return day in self._names

    def _working(self, day: _dt.date) -> bool:
        return day.weekday() < _SATURDAY and day not in self._names

    def _roll(self, day: _dt.date) -> _dt.date:
        while not self._working(day):
            day += _ONE_DAY
        return day

    def is_holiday(self, day: Any) -> bool:
        """Whether ``day`` is a generally recognised holiday (Atw art. 3(1)), Good Friday
        (art. 3(2)) or a day made equal to one by decree (art. 3(3)).

        >>> default_calendar().is_holiday("2023-05-05")  # 5 May, every year
        True
        """
        return self._holiday(self._check(day, "day"))

    def is_working_day(self, day: Any) -> bool:
        """Whether ``day`` is neither a Saturday, a Sunday nor a holiday (Atw art. 1 and 3).

        >>> default_calendar().is_working_day("2022-05-27")  # a decree day (art. 3(3))
        False
        """
        return self._working(self._check(day, "day"))

    def roll_forward(self, day: Any) -> _dt.date:
        """The day a statutory term that ends on ``day`` really ends (Atw art. 1): ``day``
        itself if it is a working day, else the next day that is not a Saturday, Sunday or
        holiday. (Not for terms counted backwards, nor for terms over three months: art. 4.)

        >>> default_calendar().roll_forward("2026-04-03")  # Good Friday -> after Easter Monday
        datetime.date(2026, 4, 7)
        """
        return self._roll(self._check(day, "day"))

    def term_end(self, start: Any, end: Any) -> _dt.date:
        """The last day of a statutory term from ``start`` (its first day) to ``end`` (its last
        day) after Atw art. 1 and art. 2.

        Art. 1 moves an end on a Saturday, Sunday or holiday to the next working day. Art. 2
        then extends a term of at least three days (``end - start + 1 >= 3``), where needed, so
        that it contains at least two working days. Shorter terms get art. 1 only.

        >>> cal = default_calendar()
        >>> cal.term_end("2026-12-26", "2026-12-28")  # Sat-Mon: one working day, so Tue
        datetime.date(2026, 12, 29)
        """
        first = self._check(start, "start")
        last = self._check(end, "end")
        if first > last:
            raise OrderError(
                f"start: {first.isoformat()} is after end {last.isoformat()}; a term's first "
                "day cannot follow its last"
            )
        out = self._roll(last)
        if (last - first).days >= 2:  # at least three days: art. 2
            count = sum(
                self._working(first + _dt.timedelta(days=i)) for i in range((out - first).days + 1)
            )
            while count < 2:
                out = self._roll(out + _ONE_DAY)
                count += 1
        return out

    # -- vectorized rules -------------------------------------------------------------------

    def is_holiday_array(self, days: Any) -> Bools:
        """:meth:`is_holiday` over a column (Atw art. 3); ``NaT`` gives ``False``.

        >>> default_calendar().is_holiday_array(["2026-05-05", "2026-05-06", None])
        array([ True, False, False])
        """
        arr = self._check_array(days, "days")
        out: Bools = np.isin(arr, self._all_days) & ~np.isnat(arr)
        return out

    def is_working_day_array(self, days: Any) -> Bools:
        """:meth:`is_working_day` over a column (Atw art. 1 and 3); ``NaT`` gives ``False``.

        >>> default_calendar().is_working_day_array(["2025-01-24", "2025-01-25", None])
        array([ True, False, False])
        """
        arr = self._check_array(days, "days")
        nat = np.isnat(arr)
        filled = np.where(nat, self._bounds[0], arr)
        out: Bools = np.is_busday(filled, busdaycal=self._busdaycal) & ~nat
        return out

    def roll_forward_array(self, days: Any) -> Days:
        """:meth:`roll_forward` over a column (Atw art. 1); ``NaT`` stays ``NaT``.

        >>> default_calendar().roll_forward_array(["2025-01-25", "2025-01-27", None])
        array(['2025-01-27', '2025-01-27',        'NaT'], dtype='datetime64[D]')
        """
        arr = self._check_array(days, "days")
        out: Days = np.busday_offset(arr, 0, roll="forward", busdaycal=self._busdaycal)
        return out

    def term_end_array(self, starts: Any, ends: Any) -> Days:
        """:meth:`term_end` over two columns (Atw art. 1 and 2); ``NaT`` in either gives
        ``NaT``.

        >>> default_calendar().term_end_array(["2026-12-26", "2026-12-27"],
        ...                                   ["2026-12-28", "2026-12-28"])
        array(['2026-12-29', '2026-12-28'], dtype='datetime64[D]')
        """
        first, last = np.broadcast_arrays(
            self._check_array(starts, "starts"), self._check_array(ends, "ends")
        )
        nat = np.isnat(first) | np.isnat(last)
        if np.any(first > last):
            i = int(np.flatnonzero(first > last)[0])
            raise OrderError(
                f"starts: {first.flat[i]} is after ends {last.flat[i]} (position {i}); a "
                "term's first day cannot follow its last"
            )
        cal = self._busdaycal
        rolled = np.busday_offset(last, 0, roll="forward", busdaycal=cal)  # art. 1
        second = np.busday_offset(first, 1, roll="forward", busdaycal=cal)  # 2nd working day
        long_term = (last - first) >= np.timedelta64(2, "D")  # NaT compares False
        out: Days = np.where(long_term, np.maximum(rolled, second), rolled)  # art. 2
        out[nat] = np.datetime64("NaT")
        return out
