"""The parsed case table (:class:`ParsedCases`): a frame read column by column
(headers matched, dates, numbers and ids checked), every problem recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import cells, engine, headers, rules
from ..errors import CaseTableError
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .columns import COLUMNS, DATE_COLUMNS, OUTPUT_COLUMNS, Days
from .layout import _Columns, _layout, _types_dtype
from .values import (
    _NULL_TEXT,
    _factorize,
    _factorize_text,
    _hashable,
    _is_null,
    _null_ids,
    _parse_ints,
    _plain_ids,
    _unique_ids,
)

__all__ = [
    "ParsedCases",
]


_RULE = {
    "missing-column": "case tables need case_id and received",
    "missing-id": "every case needs a case_id",
    "not-an-id": "a case_id is a text or a number, not a list, set or mapping",
    "duplicate-id": "case_id must be unique",
    **cells.DATE_RULES,
    "missing-date": "received is required (the start of the decision term, Vw art. 42(1))",
    "out-of-table": f"the rules cover receipt from {rules.VW2000_IN_FORCE} (Vw 2000) to "
    f"{rules.LAST_DAY}",
    "before-receipt": "an event cannot precede the application",
    "judgment-before-appeal": "a court judges an appeal after it is filed (Awb 8:55b)",
    **cells.NUMBER_RULES,
    "not-whole": "money is whole euros and terms whole days (Awb 4:17(2), 8:55d)",
    "negative": "amounts and terms are not negative",
    "too-large": "amounts and terms are below 1,000,000,000",
    "too-few-applicants": "an application has at least one applicant (Awb 4:17(7))",
    "not-boolean": "true/false, 1/0, yes/no or ja/nee",
    "unknown-type": "application types come from application_types.csv",
    "extension-not-allowed": "an individual extension is at most the application type's maximum "
    "(asylum to 21 months in all, Vw art. 42(4)-(5); 3 months on a 90-day term, art. 25(2))",
    "unknown-nationality": "nationality is an ISO 3166-1 alpha-3 code or an English or Dutch "
    "country name from countries.csv",
    "court-group-conflict": "linked cases share one court order (RULES §6, "
    "ECLI:NL:RBDHA:2026:2612): the same judgment_sent, court_term_days, court_per_day, "
    "court_cap and repeat_appeal",
    "court-out-of-table": "the court-practice table starts 1 Oct 2009 (Awb 8:55d); give the "
    "ordered term, amount and cap",
}


@dataclasses.dataclass
class ParsedCases:
    """A case table read into engine arrays (see :func:`parse_cases`).

    ``ids`` is the ``case_id`` column; ``dates`` maps each date column of :data:`COLUMNS` to
    ``datetime64[D]`` (NaT: empty or unreadable); ``ints`` the whole-number columns to floats
    (NaN: empty, use the default); ``bools`` the flags; ``types`` is a pandas ``Categorical``
    of application types; ``problems`` the validation problems found, and ``bad`` marks the
    rows that have any. ``headers`` records how the table's headers were read (aliases,
    unknown columns: :mod:`dwangsom.headers`); unknown columns are warnings, not problems.

    A parse is checked against one scenario's tables (the application types it knows, where
    its court-practice table starts); :meth:`for_scenario` re-targets it at another scenario
    without reading the table again. :func:`assess`, :func:`liability_by_month`,
    :func:`compare` and :func:`dwangsom.explain` accept a ``ParsedCases`` in place of the
    table (``frame`` is the table it was read from; change neither afterwards). The last
    evaluation (one scenario, one ``as_of``) is kept, so :func:`assess` then
    :func:`liability_by_month` on the same parse runs the engine once.
    """

    n: int
    ids: pd.Series
    dates: dict[str, Days]
    ints: dict[str, npt.NDArray[np.float64]]
    bools: dict[str, npt.NDArray[np.bool_]]
    types: Any  # pandas Categorical of application type names
    problems: list[pd.DataFrame]
    bad: npt.NDArray[np.bool_]
    #: ISO alpha-3 codes (``None``: empty), or ``None`` when the table has no nationality column.
    nationality: npt.NDArray[np.object_] | None = None
    #: Court group numbers (-1: none), or ``None`` when the table has no court_group column.
    court_group: npt.NDArray[np.int64] | None = None
    headers: headers.Resolution = dataclasses.field(
        default_factory=lambda: headers.Resolution({}, ())
    )
    #: The case table this was read from.
    frame: pd.DataFrame | None = dataclasses.field(default=None, repr=False)
    #: The scenario-independent parse this one was targeted from (None: this is it).
    base: ParsedCases | None = dataclasses.field(default=None, repr=False)
    #: What of the scenario the targeted checks read (its application types, court table).
    target: Any = dataclasses.field(default=None, repr=False)
    _memo: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)

    def for_scenario(self, scenario: Scenario | str | None = None) -> ParsedCases:
        """This parse checked against ``scenario``'s tables: itself when they are the same
        tables, else a new parse sharing the arrays (only the scenario's checks run again)."""
        s = _scenario(scenario)
        key = _target_key(s)
        if self.target is not None and key == self.target:
            return self
        base = self.base if self.base is not None else self
        cached = base._memo.get("targets", {}).get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        targeted = _retarget(base, s, key)
        base._memo.setdefault("targets", {})[key] = targeted
        return targeted

    def flag(
        self,
        check: str,
        column: str,
        mask: Any,
        values: pd.Series | Callable[[], pd.Series] | None,
    ) -> None:
        """Record rows failing ``check`` in ``column``; ``values`` (or what a callable gives, so
        the column is taken out only when a row fails) is read only at those rows."""
        mask = np.asarray(mask, dtype=bool)
        if not np.count_nonzero(mask):  # no ufunc reduction: a fraction of mask.any()'s cost
            return
        rows = np.flatnonzero(mask)
        shown = [""] * rows.size
        if callable(values):
            values = values()
        if values is not None:
            shown = [cells.show(v) for v in values.iloc[rows]]
        self.problems.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "case_id": self.ids.iloc[rows].to_numpy(dtype=object),
                    "column": self.headers.label(column),
                    "check": check,
                    "value": shown,
                    "rule": _RULE[check],
                }
            )
        )
        self.bad |= mask


def _parse(
    cases: pd.DataFrame,
    s: Scenario,
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """Read and validate ``cases`` against scenario ``s``. The scenario-independent read is the
    result's ``base`` (where :meth:`ParsedCases.for_scenario` keeps other targets); it does not
    keep this one, so a parse used once is freed without the cycle collector."""
    return _retarget(_read(cases, columns=columns, strict=strict), s, _target_key(s))


_LOW_DAY = np.datetime64(rules.VW2000_IN_FORCE, "D")
_HIGH_DAY = np.datetime64(rules.LAST_DAY, "D")


def _read(
    cases: pd.DataFrame, *, columns: Mapping[Any, str] | None = None, strict: bool = False
) -> ParsedCases:
    """The checks that do not depend on a scenario (every column's cells, dates, order)."""
    if not isinstance(cases, pd.DataFrame):
        raise CaseTableError(
            f"cases: expected a pandas DataFrame, got {type(cases).__name__}; "
            "use dwangsom.read_cases(path) for files"
        )
    original = cases
    table_headers = headers.flat_headers(cases)
    resolution = headers.resolve(table_headers, columns=columns, strict=strict, warn=True)
    layout = _layout(table_headers, columns, resolution)
    present = layout.present
    missing = [c for c in ("case_id", "received") if c not in present]
    if missing:
        named = pd.Index([resolution.rename.get(h, h) for h in table_headers])
        near = [f"{u.header!r} resembles {u.resembles!r}" for u in resolution.unknown
                if u.resembles in missing]  # fmt: skip
        hint = f"; {', '.join(near)}: rename it or map it with columns=" if near else ""
        raise CaseTableError(
            f"missing-column: the case table has no column {', '.join(map(repr, missing))} "
            f"(columns: {', '.join(map(str, named[:12]))}){hint}. Headers are read "
            "in any case, with Dutch aliases (zaaknummer, datum_ontvangst, ...); a title row "
            "above the header is skipped by read_cases(skip_rows=...)"
        )
    clash = [c for c in OUTPUT_COLUMNS if c in present]
    if clash:
        raise CaseTableError(
            f"the case table already has result column(s) {', '.join(map(repr, clash))}: "
            "drop them before assessing (results never overwrite input silently)"
        )
    if not layout.unique:
        named = pd.Index([resolution.rename.get(h, h) for h in table_headers])
        twice = sorted({str(c) for c in named[named.duplicated()]})
        raise CaseTableError(f"the case table has duplicate column(s) {', '.join(twice)}")
    n = len(cases)
    decimal = cells.decimal_mark(cases)
    # each column taken out once, by its canonical name (the table is not renamed)
    table = _Columns(cases, layout.labels, present)
    cases = cast(pd.DataFrame, table)
    p = ParsedCases(n, cases["case_id"], {}, {}, {}, None, [], np.zeros(n, bool))
    p.frame = original  # the table as given: results keep its headers
    p._memo["canonical"] = table  # the columns by canonical name, for the scenario checks
    p.headers = resolution
    raw_ids = p.ids
    plain = _plain_ids(raw_ids)
    null_ids = _null_ids(raw_ids) if plain is None else plain[0]
    p.flag("missing-id", "case_id", null_ids, raw_ids)
    try:
        unique = _unique_ids(raw_ids) if plain is None else plain[1]
        ids = raw_ids
    except TypeError:  # lists, dicts, sets as ids
        unhashable = ~raw_ids.map(lambda v: isinstance(v, Hashable)).to_numpy(dtype=bool)
        p.flag("not-an-id", "case_id", unhashable, raw_ids)
        ids = raw_ids.map(cells.show).where(~unhashable, None)
        unique = False
    if not unique:
        dup = ids.duplicated(keep=False).to_numpy() & ~null_ids
        p.flag("duplicate-id", "case_id", dup, raw_ids)

    for column in DATE_COLUMNS:
        if column not in cases:
            p.dates[column] = np.full(n, engine.NAT)
            continue
        typed = table.days(column)  # datetime64 of any unit: none fails
        if typed is not None:
            p.dates[column] = typed
            continue
        raw = cases[column]
        days, date_checks = cells.read_dates(raw)
        for check, bad in date_checks.items():
            p.flag(check, column, bad, raw)
        p.dates[column] = days
    received = p.dates["received"]
    raw_received = table.lazy("received")
    p.flag("missing-date", "received", np.isnat(received) & ~p.bad, raw_received)
    low, high = _LOW_DAY, _HIGH_DAY
    p.flag("out-of-table", "received", (received < low) | (received > high), raw_received)
    # an absent column is all NaT, which fails every comparison: nothing to check there
    for column in ("notice_received", "appeal_filed", "judgment_sent", "decided"):
        if column not in cases:
            continue
        day = p.dates[column]
        shown = table.lazy(column)
        p.flag("before-receipt", column, day < received, shown)
        p.flag("out-of-table", column, day > high, shown)
    if "judgment_sent" in cases and "appeal_filed" in cases:
        p.flag(
            "judgment-before-appeal",
            "judgment_sent",
            p.dates["judgment_sent"] < p.dates["appeal_filed"],
            table.lazy("judgment_sent"),
        )

    empty = np.full(n, np.nan)  # shared by absent columns; never written to
    for column, (kind, _) in COLUMNS.items():
        if kind != "int":
            continue
        if column not in cases:
            p.ints[column] = empty
            continue
        values, checks = _parse_ints(table.array(column), decimal, table.lazy(column))
        shown = table.lazy(column)
        for check, mask in checks.items():
            p.flag(check, column, mask, shown)
        failed = np.zeros(n, dtype=bool)
        for mask in checks.values():
            failed |= mask
        p.ints[column] = np.where(failed, np.nan, values)
    if "applicants" in cases:  # NaN (absent) is never below 1
        p.flag(
            "too-few-applicants", "applicants", p.ints["applicants"] < 1, table.lazy("applicants")
        )
    for column in ("repeat_appeal", "excluded", "heard"):
        if column not in cases:
            p.bools[column] = np.zeros(n, dtype=bool)
            continue
        stored = table.array(column)
        if isinstance(stored, np.ndarray) and stored.dtype == np.bool_:  # typed: none fails
            p.bools[column] = stored.copy()
            continue
        flags, bad = cells.read_bools(cases[column])
        p.flag("not-boolean", column, bad, cases[column])
        p.bools[column] = flags & ~bad

    if "application_type" in cases:
        text = _factorize_text(table.array("application_type"))
        uniques: Any
        if text is not None:
            codes, uniques = text
        else:
            raw = cases["application_type"]
            try:
                codes, uniques = pd.factorize(raw)  # empty cells get code -1
            except TypeError:  # lists, dicts: named as text (and unknown types)
                codes, uniques = pd.factorize(raw.map(_hashable, na_action="ignore"))
        names = [cells.show(u).strip() for u in uniques]
        names = ["asylum" if x.lower() in _NULL_TEXT else x for x in names] + ["asylum"]
    else:
        codes, names = np.zeros(n, dtype=np.int64), ["asylum"]
    # one category per distinct (cleaned) name, so the engine need not factorize again; names
    # a scenario does not know are checked (and mapped) by _retarget. Code -1 (an empty cell)
    # takes the last name, "asylum".
    categories = list(dict.fromkeys(names))
    remap = np.array([categories.index(x) for x in names], dtype=np.int64)
    p.types = pd.Categorical.from_codes(
        remap[codes], dtype=_types_dtype(categories), validate=False
    )
    p._memo["type_names"] = categories  # the categories as a list, for _retarget
    _parse_new_columns(cases, p)
    return p


def _target_key(s: Scenario) -> tuple[Any, ...]:
    """Everything of a scenario that :func:`_retarget`'s checks read: its application types
    (name, month-based, longest individual extension) and the first day of its court-practice
    table. Kept per scenario object (frozen; kept alive with its key, so its id stays its)."""
    cached = _TARGET_KEYS.get(id(s))
    if cached is not None and cached[0] is s:
        return cached[1]
    kinds = tuple(
        (r.application_type, r.term_months is not None, r.max_extension_months)
        for r in s.application_types
    )
    key = kinds, min(r.valid_from for r in s.court_practice)
    if len(_TARGET_KEYS) >= 256:
        _TARGET_KEYS.clear()
    _TARGET_KEYS[id(s)] = (s, key)
    return key


_TARGET_KEYS: dict[int, tuple[Scenario, tuple[Any, ...]]] = {}


def _retarget(base: ParsedCases, s: Scenario, key: tuple[Any, ...]) -> ParsedCases:
    """The checks of ``base`` that depend on the scenario's tables, as a new parse."""
    cases = base._memo.get("canonical", base.frame)
    if cases is None:
        cases = pd.DataFrame()
    p = _replaced(base)
    p.problems, p.bad = list(base.problems), base.bad.copy()
    p.base, p.target, p._memo = base, key, {}
    known = {r.application_type for r in s.application_types}
    categories = base._memo.get("type_names")
    if categories is None:
        categories = list(base.types.categories)
    codes = np.asarray(base.types.codes, dtype=np.int64)
    unknown_category = np.array([x not in known for x in categories], dtype=bool)
    if unknown_category.any():
        p.flag("unknown-type", "application_type", unknown_category[codes], cases.get(
            "application_type"))
        names = ["asylum" if x not in known else x for x in categories]
        mapped = list(dict.fromkeys(names))
        remap = np.array([mapped.index(x) for x in names], dtype=np.int64)
        p.types = pd.Categorical.from_codes(
            remap[codes], dtype=_types_dtype(mapped), validate=False
        )
        categories, codes = mapped, remap[codes]
    # an individual extension longer than the type allows (Vw art. 42(4)-(5): to 21 months for
    # asylum; 3 months for regular and family reunification, ECLI:NL:RBDHA:2025:2576)
    ext = p.ints["extension_months"]
    ext = np.where(np.isnan(ext), 0.0, ext)
    allowed = {r.application_type: r.max_extension_months for r in s.application_types}
    most = np.array([allowed.get(c, 0) for c in categories], dtype=float)
    too_long = ext > most[codes]
    if too_long.any():
        p.flag("extension-not-allowed", "extension_months", too_long, cases.get("extension_months"))
    # a default court penalty needs the court-practice table (from 1 Oct 2009)
    start = np.datetime64(key[1], "D")
    early = p.dates["judgment_sent"] < start
    if early.any():
        given = ~np.isnan(p.ints["court_term_days"]) & ~np.isnan(p.ints["court_per_day"])
        given &= ~np.isnan(p.ints["court_cap"])
        p.flag("court-out-of-table", "judgment_sent", early & ~given, cases.get("judgment_sent"))
    return p


def _replaced(base: ParsedCases) -> ParsedCases:
    """A shallow copy of ``base`` (what ``dataclasses.replace`` without changes gives: every
    field the same object; ParsedCases has no ``__post_init__``), without calling ``__init__``
    with every field."""
    if not _COPY_FIELDS:
        return dataclasses.replace(base)
    p = object.__new__(ParsedCases)
    p.__dict__.update(base.__dict__)
    return p


#: Whether :func:`_replaced` copies the fields directly (off: ``dataclasses.replace``).
_COPY_FIELDS = True


def _parse_new_columns(cases: pd.DataFrame, p: ParsedCases) -> None:
    """The nationality and court_group columns (RULES §2 moratoria, §6 joint penalties)."""
    from ..tables import country_codes, normalise_country

    if "nationality" in cases:
        raw = cases["nationality"]
        nulls = _is_null(raw)
        codes, uniques = _factorize(raw.where(~nulls, None))
        table = country_codes()
        found = [
            table.get(normalise_country(u)) if isinstance(u, str) else None for u in uniques
        ]
        lookup = np.array([*found, None], dtype=object)
        iso = lookup[np.where(codes < 0, len(found), codes)]
        unknown = ~nulls & np.asarray(pd.isna(iso), dtype=bool)
        p.flag("unknown-nationality", "nationality", unknown, raw)
        iso[unknown] = None
        p.nationality = np.asarray(iso, dtype=object)
    if "court_group" in cases:
        raw = cases["court_group"]
        nulls = _is_null(raw)
        first_codes, uniques = _factorize(raw.astype(object).where(~nulls, None))
        # distinct cells once: " 1" and "1" name the same group
        same, _ = pd.factorize(pd.Series([str(u).strip() for u in uniques], dtype=object))
        group = np.where(first_codes < 0, -1, np.append(same, -1)[first_codes])
        group = np.asarray(group, dtype=np.int64)
        p.court_group = group
        member = group >= 0
        if member.any():
            k = int(group.max()) + 1  # factorized: groups are 0..k-1, non-members bucket k
            inverse = np.where(member, group, k)
            ids = np.arange(k + 1)
            first = np.full(ids.size, p.n, dtype=np.int64)
            np.minimum.at(first, inverse, np.arange(p.n))
            lead = first[inverse]
            sent = p.dates["judgment_sent"]
            differs = ~((np.isnat(sent) & np.isnat(sent[lead])) | (sent == sent[lead]))
            for column in ("court_term_days", "court_per_day", "court_cap"):
                v = p.ints[column]
                differs |= ~((np.isnan(v) & np.isnan(v[lead])) | (v == v[lead]))
            differs |= p.bools["repeat_appeal"] != p.bools["repeat_appeal"][lead]
            bad = member & differs
            # name every case of a conflicting group
            bad_groups = np.zeros(ids.size, dtype=bool)
            np.logical_or.at(bad_groups, inverse, bad)
            conflict = member & bad_groups[inverse]
            p.flag("court-group-conflict", "court_group", conflict, raw)
