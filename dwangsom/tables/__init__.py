"""The legal tables, as data.

One CSV per legal source ships in this folder; every row carries its validity dates, its source
(article, decree, ruling) and a confidence tag from RULES.md: ``C`` confirmed, ``S`` secondary
sources only, ``U`` unconfirmed (used as a documented default that a scenario can change).

Each loader returns an immutable tuple of frozen rows; a malformed table raises
:class:`~dwangsom.errors.TableError` naming the file, the row and the column. The tables are loaded
once, on first use.

>>> [(r.valid_from.isoformat(), r.rates, r.maximum) for r in admin_rates()][:2]
[('2009-10-01', (20, 30, 40), 1260), ('2019-01-01', (23, 35, 45), 1442)]
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import functools
import io
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from ..errors import TableError

__all__ = [
    "AdminRate",
    "ApplicationType",
    "Bill",
    "Country",
    "CourtPractice",
    "Decree",
    "Moratorium",
    "Suspension",
    "TemporaryActPeriod",
    "admin_rates",
    "application_types",
    "bill",
    "bills",
    "countries",
    "country_codes",
    "court_practice",
    "decrees",
    "load_table",
    "moratoria",
    "normalise_country",
    "suspensions",
    "temporary_act_periods",
]

CONFIDENCE = ("C", "S", "U")


@dataclasses.dataclass(frozen=True)
class AdminRate:
    """Awb 4:17(2) daily amounts for notices received in ``[valid_from, valid_to]``."""

    valid_from: _dt.date
    valid_to: _dt.date | None
    rate_1: int
    rate_2: int
    rate_3: int
    band_days: int
    maximum: int
    source: str
    confidence: str

    @property
    def rates(self) -> tuple[int, int, int]:
        return (self.rate_1, self.rate_2, self.rate_3)

    def check(self) -> None:
        if self.band_days * (self.rate_1 + self.rate_2 + self.rate_3) != self.maximum:
            raise ValueError("maximum is not band_days x (rate_1 + rate_2 + rate_3)")


@dataclasses.dataclass(frozen=True)
class Decree:
    """A categorical extension of the asylum decision term (Vw art. 42(4))."""

    decree: str
    source: str
    published: _dt.date | None
    in_force: _dt.date | None
    lodged_from: _dt.date | None
    lodged_before: _dt.date | None
    term_ends_from: _dt.date | None
    extension_months: int
    status: str
    confidence: str
    note: str

    def check(self) -> None:
        if not 0 < self.extension_months <= 9:
            raise ValueError("extension_months must be 1..9 (Vw art. 42(4))")


@dataclasses.dataclass(frozen=True)
class TemporaryActPeriod:
    """What the Tijdelijke wet opschorting dwangsommen IND allows in a period (RULES §5)."""

    valid_from: _dt.date | None
    valid_to: _dt.date | None
    admin_penalty: bool
    bntb_appeal: bool
    court_penalty: bool
    source: str
    confidence: str


@dataclasses.dataclass(frozen=True)
class CourtPractice:
    """Default court term and penalty by the date the judgment is sent (Awb 8:55d, RULES §6)."""

    valid_from: _dt.date
    valid_to: _dt.date | None
    repeat: bool
    #: Empty: every reading; else the scenario's ``court_maximum_variant`` (ordinary appeals)
    #: or ``repeat_appeal_variant`` (repeat appeals) that selects the row.
    variant: str | None
    #: Default term when the applicant has not been heard yet.
    term_days: int
    #: Default term when the applicant was heard or 21 months have passed at the judgment.
    heard_term_days: int
    per_day: int
    maximum: int
    source: str
    confidence: str


@dataclasses.dataclass(frozen=True)
class ApplicationType:
    """Decision term and penalty regime of one kind of application."""

    application_type: str
    term_months: int | None
    term_days: int | None
    #: Individual extension allowed, in months (Vw art. 42(4)-(5); art. 25(2)).
    max_extension_months: int
    decree_extensions: bool
    #: Whether decision moratoria (Vw art. 43, asylum) apply.
    moratoria: bool
    temporary_act: bool
    penalty_from: _dt.date
    source: str
    confidence: str

    def check(self) -> None:
        if (self.term_months is None) == (self.term_days is None):
            raise ValueError("exactly one of term_months and term_days must be given")


@dataclasses.dataclass(frozen=True)
class Suspension:
    """A period in which the 4:17 penalty does not run (a court-made suspension)."""

    name: str
    first_day: _dt.date
    last_day: _dt.date
    deadline_on_or_before: _dt.date
    source: str
    confidence: str

    def check(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("last_day is before first_day")


@dataclasses.dataclass(frozen=True)
class Moratorium:
    """A decision moratorium for one nationality (Vw art. 43; RULES §2)."""

    nationality: str
    first_day: _dt.date
    last_day: _dt.date
    #: Months the term is extended by in the "extension" reading (never beyond 21 months).
    extension_months: int
    source: str
    confidence: str

    def check(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("last_day is before first_day")
        if len(self.nationality) != 3 or not self.nationality.isupper():
            raise ValueError("nationality must be an ISO 3166-1 alpha-3 code")


@dataclasses.dataclass(frozen=True)
class Country:
    """An ISO 3166-1 alpha-3 code with the English and Dutch names a case table may use."""

    iso3: str
    names_en: str
    names_nl: str
    source: str
    confidence: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling (the code and the ``;``-separated names)."""
        parts = [self.iso3, *self.names_en.split(";"), *self.names_nl.split(";")]
        return tuple(p.strip() for p in parts if p.strip())

    def check(self) -> None:
        if len(self.iso3) != 3 or not self.iso3.isupper():
            raise ValueError("iso3 must be three capital letters")


@dataclasses.dataclass(frozen=True)
class Bill:
    """A pending bill the scenario can put in force from a date (RULES §2, §5, §6)."""

    bill: str
    scenario_field: str
    effect: str
    term_months: int | None
    source: str
    confidence: str


Row = TypeVar("Row")


def _parse(kind: Any, text: str) -> Any:
    optional = typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(kind)
    )
    if optional:
        if text == "":
            return None
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if kind is str:
        if text == "":
            raise ValueError("empty")
        return text
    if text == "":
        raise ValueError("empty")
    if kind is int:
        return int(text)
    if kind is bool:
        if text not in ("true", "false"):
            raise ValueError(f"{text!r} is not true/false")
        return text == "true"
    if kind is _dt.date:
        return _dt.date.fromisoformat(text)
    raise TypeError(kind)  # pragma: no cover - a programming error in a row class


def load_table(source: str | Path | io.StringIO, row: type[Row]) -> tuple[Row, ...]:
    """Read and validate one legal table into frozen ``row`` objects.

    ``source`` is a file path or an open text buffer. Raises :class:`TableError` naming the
    file, the row number and the column for a missing column, an unreadable value, a bad
    confidence tag, a row whose ``valid_to`` is before its ``valid_from`` or a row's own check.
    """
    if isinstance(source, io.StringIO):
        name, text = "<buffer>", source.getvalue()
    else:
        name, text = str(source), Path(source).read_text(encoding="utf-8")
    hints = typing.get_type_hints(row)
    fields = [f.name for f in dataclasses.fields(row)]  # type: ignore[arg-type]
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in fields if f not in (reader.fieldnames or [])]
    if missing:
        raise TableError(f"{name}: missing column(s) {', '.join(missing)}")
    rows: list[Row] = []
    for number, record in enumerate(reader, start=2):
        values: dict[str, Any] = {}
        for field in fields:
            raw = (record.get(field) or "").strip()
            try:
                values[field] = _parse(hints[field], raw)
            except ValueError as exc:
                raise TableError(
                    f"{name}, line {number}, column {field!r}: cannot read {raw!r} ({exc})"
                ) from None
        if "confidence" in values and values["confidence"] not in CONFIDENCE:
            raise TableError(
                f"{name}, line {number}, column 'confidence': {values['confidence']!r} is not "
                f"one of {', '.join(CONFIDENCE)}"
            )
        start, end = values.get("valid_from"), values.get("valid_to")
        if start is not None and end is not None and end < start:
            raise TableError(f"{name}, line {number}, column 'valid_to': {end} is before {start}")
        item = row(**values)
        check: Callable[[], None] | None = getattr(item, "check", None)
        if check is not None:
            try:
                check()
            except ValueError as exc:
                raise TableError(f"{name}, line {number}: {exc}") from None
        rows.append(item)
    if not rows:
        raise TableError(f"{name}: the table has no rows")
    _check_periods(name, rows)
    return tuple(rows)


def _check_periods(name: str, rows: Sequence[Any]) -> None:
    """Dated rows of one kind must not overlap (a date has exactly one applicable row)."""
    if not hasattr(rows[0], "valid_to"):
        return
    groups: dict[Any, list[Any]] = {}
    for r in rows:
        groups.setdefault((getattr(r, "repeat", None), getattr(r, "variant", None)), []).append(r)
    for group in groups.values():
        lo = _dt.date.min
        ordered = sorted(group, key=lambda r: r.valid_from or _dt.date.min)
        for r in ordered:
            start = r.valid_from or _dt.date.min
            if start < lo:
                raise TableError(f"{name}: row starting {start} overlaps the row before it")
            if r.valid_to is None:
                lo = _dt.date.max
            else:
                lo = r.valid_to + _dt.timedelta(days=1)


def _packaged(filename: str) -> Path:
    return Path(str(resources.files(__package__).joinpath(filename)))


@functools.cache
def admin_rates() -> tuple[AdminRate, ...]:
    """Awb 4:17 daily amounts by notice-receipt date (``awb_4_17_rates.csv``)."""
    return load_table(_packaged("awb_4_17_rates.csv"), AdminRate)


@functools.cache
def decrees() -> tuple[Decree, ...]:
    """Categorical extensions of the asylum term (``wbv_decrees.csv``)."""
    return load_table(_packaged("wbv_decrees.csv"), Decree)


@functools.cache
def temporary_act_periods() -> tuple[TemporaryActPeriod, ...]:
    """Periods of the Temporary Act (``temporary_act.csv``)."""
    return load_table(_packaged("temporary_act.csv"), TemporaryActPeriod)


@functools.cache
def court_practice() -> tuple[CourtPractice, ...]:
    """Default court terms and penalties by judgment date (``court_practice.csv``)."""
    return load_table(_packaged("court_practice.csv"), CourtPractice)


@functools.cache
def application_types() -> tuple[ApplicationType, ...]:
    """Decision terms and regimes by application type (``application_types.csv``)."""
    return load_table(_packaged("application_types.csv"), ApplicationType)


@functools.cache
def suspensions() -> tuple[Suspension, ...]:
    """Court-made suspensions of the 4:17 penalty (``suspensions.csv``)."""
    return load_table(_packaged("suspensions.csv"), Suspension)


@functools.cache
def moratoria() -> tuple[Moratorium, ...]:
    """Decision moratoria per nationality (``moratoria.csv``; Vw art. 43)."""
    return load_table(_packaged("moratoria.csv"), Moratorium)


@functools.cache
def countries() -> tuple[Country, ...]:
    """ISO 3166-1 alpha-3 codes with English and Dutch names (``countries.csv``)."""
    return load_table(_packaged("countries.csv"), Country)


def _fold(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.lower().replace("-", " ").split())


@functools.cache
def country_codes() -> Mapping[str, str]:
    """Every accepted spelling of a nationality, folded (lower case, no accents, hyphens as
    spaces), mapped to its ISO 3166-1 alpha-3 code.

    >>> country_codes()[normalise_country("Syrië")], country_codes()[normalise_country("sdn")]
    ('SYR', 'SDN')
    """
    out: dict[str, str] = {}
    for c in countries():
        for name in c.names:
            key = _fold(name)
            if out.get(key, c.iso3) != c.iso3:
                raise TableError(f"countries.csv: {name!r} names both {out[key]} and {c.iso3}")
            out[key] = c.iso3
    return types.MappingProxyType(out)


def normalise_country(text: str) -> str:
    """The folded form :func:`country_codes` is keyed on."""
    return _fold(text)


@functools.cache
def bills() -> tuple[Bill, ...]:
    """Pending bills a scenario can put in force (``bills.csv``)."""
    return load_table(_packaged("bills.csv"), Bill)


def bill(field: str) -> Bill:
    """The row of ``bills.csv`` behind the scenario field ``field``."""
    for row in bills():
        if row.scenario_field == field:
            return row
    raise KeyError(field)  # pragma: no cover - a programming error
