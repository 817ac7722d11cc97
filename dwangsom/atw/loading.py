"""Reading the holiday and bridge-day tables (CSV files, or rows given in code), every
row checked and a bad one named by its line.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
from collections.abc import Callable, Iterator, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

from ..errors import TableError
from .days import BridgeDay, HolidayRule, _FieldError

__all__ = [
    "load_bridge_days",
    "load_holiday_rules",
]


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
_INT_COLUMNS: Final = ("month", "day", "easter_offset", "sunday_shift", "first_year", "last_year")

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
