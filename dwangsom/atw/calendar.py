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
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt
from dateutil import easter as _easter  # type: ignore[import-untyped, unused-ignore]

from .._dates import as_date, as_day_array
from ..errors import OrderError, OutOfTableError, TableError

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

Days = npt.NDArray[np.datetime64]
Bools = npt.NDArray[np.bool_]

KINDS: Final = ("fixed", "easter")
CONFIDENCES: Final = ("C", "S", "U")
RULE_COLUMNS: Final = (
    "name",
    "kind",
    "month",
    "day",
    "easter_offset",
    "sunday_shift",
    "first_year",
    "last_year",
    "source",
    "confidence",
)
BRIDGE_DAY_COLUMNS: Final = ("date", "name", "source", "confidence")
USER_BRIDGE_DAY_NAME: Final = "holiday added to the calendar"

_SATURDAY: Final = 5
_ONE_DAY: Final = _dt.timedelta(days=1)
_TABLES: Final = ("dwangsom", "tables")
_INT_COLUMNS: Final = ("month", "day", "easter_offset", "sunday_shift", "first_year", "last_year")


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


# ----------------------------------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------
# Loaders
# ----------------------------------------------------------------------------------------------

Source = Traversable | Path | str
_Row = TypeVar("_Row", HolidayRule, BridgeDay)


def _rows(
    source: Source, columns: tuple[str, ...]
) -> Iterator[tuple[str, int, int, dict[str, str]]]:
    """Yield ``(label, row number, line number, row)`` per data row, checking the header."""
    path: Traversable | Path = Path(source) if isinstance(source, str) else source
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"{label}: cannot read the table ({exc})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(cell.strip() for cell in next(reader, []))
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown or len(set(header)) != len(header):
        parts = [f"missing column(s) {', '.join(map(repr, missing))}"] if missing else []
        if unknown:
            parts.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
        if not parts:
            parts.append("a column appears twice")
        raise TableError(
            f"{label}: header (line 1): {'; '.join(parts)}; expected the columns "
            f"{', '.join(columns)}"
        )
    number = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        number += 1
        if len(cells) != len(header):
            raise TableError(
                f"{label}: row {number} (line {reader.line_num}): {len(cells)} cells for "
                f"{len(header)} columns"
            )
        yield (
            label,
            number,
            reader.line_num,
            {column: cell.strip() for column, cell in zip(header, cells, strict=True)},
        )


def _where(label: str, number: int, line: int, column: str) -> str:
    return f"{label}: row {number} (line {line}), column {column!r}"


def _int(label: str, number: int, line: int, row: Mapping[str, str], column: str) -> int | None:
    text = row[column]
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise TableError(
            f"{_where(label, number, line, column)}: expected a whole number, got {text!r}"
        ) from None


def _build(where: Callable[[str], str], make: Callable[..., _Row], **fields: Any) -> _Row:
    try:
        return make(**fields)
    except _FieldError as exc:
        raise TableError(f"{where(exc.column)}: {exc.detail}") from None


def load_holiday_rules(source: Source) -> tuple[HolidayRule, ...]:
    """Read and validate a holiday-rule table of Atw art. 3(1)/(2) (``atw_holidays.csv``).

    Anything malformed (a missing or unknown column, an unknown ``kind``, an empty ``source``,
    ``first_year`` after ``last_year``, two rows of one holiday whose years overlap) raises
    :class:`~dwangsom.errors.TableError` naming the file, the row and the column.

    >>> rules = load_holiday_rules(resources.files("dwangsom") / "tables" / "atw_holidays.csv")
    >>> sorted({rule.name for rule in rules})[:3]
    ['Bevrijdingsdag', 'Eerste Kerstdag', 'Goede Vrijdag']
    """
    rules: list[tuple[HolidayRule, int]] = []
    for label, number, line, row in _rows(source, RULE_COLUMNS):
        where = functools.partial(_where, label, number, line)
        ints = {c: _int(label, number, line, row, c) for c in RULE_COLUMNS if c in _INT_COLUMNS}
        first_year = ints.pop("first_year")
        if first_year is None:
            raise TableError(f"{where('first_year')}: must not be empty")
        rule = _build(
            where,
            HolidayRule,
            name=row["name"],
            kind=row["kind"],
            month=ints["month"],
            day=ints["day"],
            easter_offset=ints["easter_offset"],
            sunday_shift=ints["sunday_shift"] or 0,
            first_year=first_year,
            last_year=ints["last_year"],
            source=row["source"],
            confidence=row["confidence"],
        )
        for other, other_number in rules:
            if other.name == rule.name and _overlap(other, rule):
                raise TableError(
                    f"{where('first_year')}: the years of {rule.name!r} overlap those of row "
                    f"{other_number}; a rule that changed is two rows with separate year ranges"
                )
        rules.append((rule, number))
    if not rules:
        raise TableError(f"{source}: the table has no rows")
    return tuple(rule for rule, _ in rules)


def _overlap(a: HolidayRule, b: HolidayRule) -> bool:
    a_end = a.last_year if a.last_year is not None else 10_000
    b_end = b.last_year if b.last_year is not None else 10_000
    return a.first_year <= b_end and b.first_year <= a_end


def load_bridge_days(source: Source) -> tuple[BridgeDay, ...]:
    """Read and validate a table of days made equal to holidays by decree (Atw art. 3(3),
    ``atw_bridge_days.csv``).

    A date that is not an ISO date, falls on a weekend or repeats an earlier row, an empty name or
    source, or an unknown confidence raises :class:`~dwangsom.errors.TableError` naming the file,
    the row and the column.

    >>> days = load_bridge_days(resources.files("dwangsom") / "tables" / "atw_bridge_days.csv")
    >>> days[0].date, days[0].confidence
    (datetime.date(2017, 4, 28), 'C')
    """
    days: list[BridgeDay] = []
    seen: dict[_dt.date, int] = {}
    for label, number, line, row in _rows(source, BRIDGE_DAY_COLUMNS):
        where = functools.partial(_where, label, number, line)
        try:
            day = _dt.date.fromisoformat(row["date"])
        except ValueError:
            raise TableError(
                f"{where('date')}: expected an ISO date YYYY-MM-DD, got {row['date']!r}"
            ) from None
        if day in seen:
            raise TableError(f"{where('date')}: {day.isoformat()} duplicates row {seen[day]}")
        days.append(
            _build(
                where,
                BridgeDay,
                date=day,
                name=row["name"],
                source=row["source"],
                confidence=row["confidence"],
            )
        )
        seen[day] = number
    return tuple(days)


# ----------------------------------------------------------------------------------------------
# The calendar
# ----------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------
# The default calendar and module-level shortcuts
# ----------------------------------------------------------------------------------------------


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
