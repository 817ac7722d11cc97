"""Column headers: the names the library reads, their Dutch and English aliases, and what is
done with a header it does not know.

A header is matched case-, accent-, space- and punctuation-insensitively: ``"Datum
ontvangst"``, ``"datum_ontvangst"``, ``"DATUM-ONTVANGST "`` and ``"datumOntvangst"`` are one
name. Each canonical column of :data:`CANONICAL` has the documented aliases of :data:`ALIASES`
(``zaaknummer`` for ``case_id``, ``datum_ontvangst`` for ``received``, ``ingebrekestelling``
for ``notice_received``, ``beroep_ingesteld``, ``uitspraak``, ``besluit``, ``nationaliteit``,
``gehoord`` ...). An explicit mapping (``columns={"Zaak": "case_id"}`` in
:func:`dwangsom.assess`, :func:`dwangsom.validate` and :func:`dwangsom.read_cases`) wins over
the aliases.

A header that matches nothing passes through untouched, but is never silent: it is a
``warning`` row of the problems table (``unknown-column``, or ``resembles-column`` with the
name it resembles, e.g. ``"recieved"``), a :class:`ColumnWarning` is issued for a resembling
one, and ``strict=True`` makes either an error.

>>> resolve(["Zaaknummer", "Datum ontvangst", "Besluit", "recieved", "team"]).rename
{'Zaaknummer': 'case_id', 'Datum ontvangst': 'received', 'Besluit': 'decided'}
>>> [(u.header, u.resembles) for u in resolve(["case_id", "recieved", "team"]).unknown]
[('recieved', 'received'), ('team', None)]
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
import warnings
from collections.abc import Hashable, Iterable, Mapping

import pandas as pd

from .errors import CaseTableError, DwangsomError

__all__ = [
    "ALIASES",
    "CANONICAL",
    "RESEMBLE_LIMIT",
    "ColumnWarning",
    "Resolution",
    "Unknown",
    "canonical_frame",
    "flat_headers",
    "normalise",
    "resolve",
]

#: Every column the library reads (the case-table columns of :data:`dwangsom.cases.COLUMNS`
#: and the columns the rules of RULES §§ 10-12 read: nationality, the hearing, the court).
CANONICAL: tuple[str, ...] = (
    "case_id",
    "received",
    "application_type",
    "notice_received",
    "appeal_filed",
    "judgment_sent",
    "court_term_days",
    "court_per_day",
    "court_cap",
    "repeat_appeal",
    "decided",
    "applicants",
    "excluded",
    "extension_months",
    "nationality",
    "heard",
    "court_group",
)

#: Documented aliases (Dutch and English) of each canonical column; matched after
#: :func:`normalise`, like the canonical names themselves.
ALIASES: dict[str, tuple[str, ...]] = {
    "case_id": (
        "zaaknummer", "zaak_nummer", "zaak_id", "zaak", "dossiernummer", "dossier",
        "case_number", "case_no", "case",
    ),
    "received": (
        "datum_ontvangst", "ontvangstdatum", "ontvangen", "datum_aanvraag", "aanvraagdatum",
        "aanvraag_ontvangen", "received_on", "date_received", "receipt_date", "application_date",
    ),
    "application_type": (
        "soort_aanvraag", "aanvraagsoort", "type_aanvraag", "aanvraagtype", "soort", "procedure",
    ),
    "notice_received": (
        "ingebrekestelling", "datum_ingebrekestelling", "ingebrekestelling_ontvangen",
        "notice_of_default", "notice_of_default_received", "notice", "notice_date",
    ),
    "appeal_filed": (
        "beroep_ingesteld", "beroep", "datum_beroep", "beroep_niet_tijdig_beslissen",
        "beroep_ingediend", "appeal", "appeal_date",
    ),
    "judgment_sent": (
        "uitspraak", "datum_uitspraak", "uitspraak_verzonden", "judgment", "judgement",
        "judgement_sent", "judgment_date",
    ),
    "court_term_days": ("termijn_rechter", "rechterlijke_termijn", "beslistermijn_rechter",
                        "court_term"),
    "court_per_day": ("dwangsom_per_dag", "bedrag_per_dag", "court_rate"),
    "court_cap": ("maximum_dwangsom", "max_dwangsom", "dwangsom_maximum", "court_maximum"),
    "repeat_appeal": ("herhaald_beroep", "tweede_beroep", "repeat"),
    "decided": (
        "besluit", "datum_besluit", "beslist", "beslisdatum", "beslist_op", "decision",
        "decision_date", "decided_on",
    ),
    "applicants": ("aanvragers", "aantal_aanvragers", "aantal_personen", "personen"),
    "excluded": ("uitgesloten", "uitgezonderd", "exclude"),
    "extension_months": ("verlenging", "verlenging_maanden", "individuele_verlenging",
                         "extension"),
    "nationality": ("nationaliteit", "land_van_herkomst", "herkomstland", "country_of_origin"),
    "heard": ("gehoord", "gehoord_op", "datum_gehoor", "nader_gehoor", "hearing", "heard_on"),
    "court_group": ("rechtbank", "zittingsplaats", "court", "court_location"),
}  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(header: object) -> str:
    """A header as it is matched: accents dropped, camelCase split, lower case, every run of
    other characters one ``_``.

    >>> normalise(" Datum  Ontvangst "), normalise("noticeReceived"), normalise("Beslist-op")
    ('datum_ontvangst', 'notice_received', 'beslist_op')
    """
    text = unicodedata.normalize("NFKD", str(header))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _CAMEL.sub("_", text.strip()).lower()
    return _NON_WORD.sub("_", text).strip("_")


def _compact(header: str) -> str:
    return header.replace("_", "")


_LOOKUP: dict[str, str] = {}
for _name in CANONICAL:
    for _alias in (_name, *ALIASES.get(_name, ())):
        _LOOKUP[_compact(normalise(_alias))] = _name


#: How many unknown headers of one table are compared with the known names.
RESEMBLE_LIMIT = 200


class ColumnWarning(UserWarning):
    """A column the library does not read looks like one it does (``"recieved"``)."""


@dataclasses.dataclass(frozen=True)
class Unknown:
    """A header the library does not read; ``resembles`` the canonical name it looks like."""

    header: Hashable
    resembles: str | None


@dataclasses.dataclass(frozen=True)
class Resolution:
    """How a table's headers are read: ``rename`` maps each recognised header that is not
    already canonical to its canonical name; ``unknown`` lists the other headers, in order."""

    rename: dict[Hashable, str]
    unknown: tuple[Unknown, ...]

    def label(self, canonical: str) -> Hashable:
        """The user's header for a canonical column (itself when not renamed)."""
        for header, name in self.rename.items():
            if name == canonical:
                return header
        return canonical


def _resembles(key: str) -> str | None:
    close = difflib.get_close_matches(key, list(_LOOKUP), n=1, cutoff=0.85)
    return _LOOKUP[close[0]] if close else None


#: Resolutions already computed, by :func:`_key` (headers, their types, ``columns`` and
#: ``resemble``): a table's headers are matched once per process, not on every call. Bounded.
_RESOLVED: dict[tuple[object, ...], Resolution] = {}
_RESOLVED_MAX = 256


def _key(
    headers: list[Hashable], columns: Mapping[Hashable, str] | None, *, resemble: bool
) -> tuple[object, ...] | None:
    """The cache key of a resolution: every header with its type (``1``, ``1.0`` and ``True``
    are equal as dict keys, not as headers), the explicit mapping, ``resemble``; ``None`` when
    something in it cannot be hashed."""
    try:
        key = (
            tuple([(type(h), h) for h in headers]),
            None if columns is None else tuple([(type(h), h, n) for h, n in columns.items()]),
            resemble,
        )
        hash(key)
    except (TypeError, AttributeError):  # unhashable, or columns= that is not a mapping
        return None
    return key


def resolve(
    headers: Iterable[Hashable],
    *,
    columns: Mapping[Hashable, str] | None = None,
    strict: bool = False,
    warn: bool = False,
    resemble: bool = True,
) -> Resolution:
    """Match ``headers`` to :data:`CANONICAL` (explicit ``columns`` first, then names and
    aliases). Two headers meaning one column, a ``columns`` key not in the table or a value that
    is not a canonical name raise :class:`~dwangsom.errors.CaseTableError`; so does any unknown
    header when ``strict``. ``warn`` issues a :class:`ColumnWarning` per resembling header.
    Resemblance (``difflib``, ratio >= 0.85) is looked for in the first
    :data:`RESEMBLE_LIMIT` unknown headers (a hostile file may have thousands), none when
    ``resemble`` is false. The matching of one list of headers is computed once per process
    (the checks and warnings are made on every call).
    """
    headers = list(headers)
    key = _key(headers, columns, resemble=resemble)
    found = _RESOLVED.get(key) if key is not None else None
    if found is None:
        found = _match(headers, columns, resemble=resemble)
        if key is not None:
            if len(_RESOLVED) >= _RESOLVED_MAX:
                _RESOLVED.clear()
            _RESOLVED[key] = found
    unknown = found.unknown
    if strict and unknown:
        shown = ", ".join(
            f"{u.header!r}" + (f" (resembles {u.resembles!r})" if u.resembles else "")
            for u in unknown
        )
        raise CaseTableError(
            f"unknown-column: strict=True and the case table has column(s) the library does "
            f"not read: {shown}; drop them, rename them, or map them with columns=..."
        )
    if warn:
        for u in unknown:
            if u.resembles:
                warnings.warn(
                    f"column {u.header!r} is not read by dwangsom but resembles "
                    f"{u.resembles!r}: rename it or map it with columns={{{u.header!r}: "
                    f"{u.resembles!r}}}",
                    ColumnWarning,
                    stacklevel=4,
                )
    return found


def _match(
    headers: list[Hashable], columns: Mapping[Hashable, str] | None, *, resemble: bool
) -> Resolution:
    """What :func:`resolve` computes (and keeps) for one list of headers."""
    explicit: dict[Hashable, str] = {}
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise DwangsomError(
                f"columns: expected a mapping of header -> column name, got "
                f"{type(columns).__name__}"
            )
        present = set()
        for h in headers:
            try:
                present.add(h)
            except TypeError:
                continue
        for header, name in columns.items():
            if name not in CANONICAL:
                raise DwangsomError(
                    f"columns: {name!r} (for header {header!r}) is not a column the library "
                    f"reads; known: {', '.join(CANONICAL)}"
                )
            if header not in present:
                raise CaseTableError(
                    f"columns: the case table has no header {header!r} "
                    f"(headers: {', '.join(map(repr, headers[:12]))})"
                )
            explicit[header] = name
    meaning: dict[Hashable, str] = {}
    unknown: list[Unknown] = []
    for header in headers:
        if header in explicit:
            meaning[header] = explicit[header]
            continue
        key = _compact(normalise(header))
        found = _LOOKUP.get(key)
        if found is None or found in explicit.values():
            look = resemble and not found and len(unknown) < RESEMBLE_LIMIT and len(key) <= 64
            unknown.append(Unknown(header, _resembles(key) if look else None))
        else:
            meaning[header] = found
    by_name: dict[str, list[Hashable]] = {}
    for header, name in meaning.items():
        by_name.setdefault(name, []).append(header)
    twice = {name: hs for name, hs in by_name.items() if len(hs) > 1}
    if twice:
        name, hs = next(iter(twice.items()))
        raise CaseTableError(
            f"the case table has {len(hs)} columns meaning {name!r}: "
            f"{', '.join(map(repr, hs))}; drop one, or name the one to read with "
            f"columns={{{hs[0]!r}: {name!r}}}"
        )
    rename = {h: n for h, n in meaning.items() if h != n}
    return Resolution(rename, tuple(unknown))


def flat_headers(table: pd.DataFrame) -> list[Hashable]:
    """The headers of ``table`` as a list; MultiIndex columns raise
    :class:`~dwangsom.errors.CaseTableError`."""
    if isinstance(table.columns, pd.MultiIndex):
        raise CaseTableError(
            f"the case table has MultiIndex columns ({table.columns.nlevels} levels, first "
            f"{table.columns[0] if len(table.columns) else ()!r}): give one header row, e.g. "
            "cases.columns = cases.columns.get_level_values(-1)"
        )
    columns = table.columns
    found = _FLAT.get(id(columns))
    if found is None or found[0] is not columns:
        found = (columns, tuple(columns.tolist()))
        if _FLAT_MAX:
            if len(_FLAT) >= _FLAT_MAX:
                _FLAT.clear()
            _FLAT[id(columns)] = found
    return list[Hashable](found[1])


#: The headers of an Index (immutable; kept alive with its id, so the id stays its), as
#: :func:`flat_headers` lists them: a table's headers are listed once per Index. At most
#: ``_FLAT_MAX`` (0: none kept).
_FLAT: dict[int, tuple[pd.Index, tuple[Hashable, ...]]] = {}
_FLAT_MAX = 256


def canonical_frame(
    table: pd.DataFrame,
    *,
    columns: Mapping[Hashable, str] | None = None,
    strict: bool = False,
    warn: bool = True,
) -> tuple[pd.DataFrame, Resolution]:
    """``table`` with its recognised headers renamed to the canonical names (no data copied)
    and the :class:`Resolution`; MultiIndex columns raise
    :class:`~dwangsom.errors.CaseTableError`."""
    resolution = resolve(flat_headers(table), columns=columns, strict=strict, warn=warn)
    if resolution.rename:
        table = table.rename(columns=resolution.rename)
    return table, resolution
