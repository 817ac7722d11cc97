"""The decision term (RULES §0, §2): the statutory term of each application type, the
categorical extension decrees (Vw art. 42(4)(b)), an individual extension (art. 42(4)-(5)),
decision moratoria by nationality (Vw art. 43) and the 21-month limit (art. 42(5)).

>>> decision_deadline("2023-10-25"), decision_term("2023-10-25").decrees[0].decree
(datetime.date(2025, 1, 25), 'WBV 2023/3')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

from ..errors import DwangsomError
from ..months import add_months
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import Decree, Moratorium, bill, country_codes, normalise_country
from .scope import DAY, _after_receipt, _received

__all__ = [
    "TermDetail",
    "covering_decrees",
    "decision_deadline",
    "decision_term",
    "nationality_code",
]


def covering_decrees(
    received: Any, *, scenario: Scenario | str | None = None, application_type: str = "asylum"
) -> tuple[Decree, ...]:
    """The categorical extensions (Vw art. 42(4)(b) decrees) that hold in ``scenario`` and cover
    an application received on ``received`` (RULES §2 table).

    A decree covers applications lodged in ``[lodged_from, lodged_before)``; WBV 2022/22 also
    requires that the 6-month term had not expired when it took effect (last day on or after
    27 Sept 2022, Stcrt. 2022, 25755).

    >>> [d.decree for d in covering_decrees("2022-03-27")]
    ['WBV 2022/22']
    >>> covering_decrees("2022-03-26")
    ()
    """
    s = _scenario(scenario)
    day = _received(received)
    kind = s.application_type(application_type)
    if not kind.decree_extensions or kind.term_months is None:
        return ()
    base_end = add_months(day, kind.term_months)
    found = []
    for decree in s.decrees:
        if decree.decree not in s.extensions:
            continue
        if decree.lodged_from is not None and day < decree.lodged_from:
            continue
        if decree.lodged_before is not None and day >= decree.lodged_before:
            continue
        if decree.term_ends_from is not None and base_end < decree.term_ends_from:
            continue
        found.append(decree)
    return tuple(found)


def nationality_code(value: Any) -> str | None:
    """The ISO 3166-1 alpha-3 code of a nationality cell: a code or an English or Dutch country
    name from ``countries.csv`` (case, accents and hyphens ignored); ``None`` for an empty cell.
    Anything else raises :class:`~dwangsom.errors.DwangsomError`.

    >>> nationality_code("Syrië"), nationality_code("sdn"), nationality_code(None)
    ('SYR', 'SDN', None)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise DwangsomError(f"nationality: {value!r} is not a country code or name")
    code = country_codes().get(normalise_country(value))
    if code is None:
        raise DwangsomError(
            f"nationality: {value!r} is not an ISO 3166-1 alpha-3 code or a country name in "
            "countries.csv"
        )
    return code


@dataclasses.dataclass(frozen=True)
class TermDetail:
    """How the decision term of one application comes about (RULES §0, §2)."""

    #: Term length before any moratorium: months (month-based terms) or days (day-based).
    months: int
    days: int
    #: Categorical extension decrees that hold and cover the case.
    decrees: tuple[Decree, ...]
    #: Individual extension applied, in months.
    individual_months: int
    #: Last day of the term without the moratorium.
    base_deadline: _dt.date
    #: The moratorium that changed the term (Vw art. 43), if any.
    moratorium: Moratorium | None
    #: The last day of the term.
    deadline: _dt.date
    #: Whether the 21-month limit (Vw art. 42(5), 43) cut the term short.
    capped: bool
    #: Whether bill 36 349's nine-month nareis term applies.
    nareis_bill: bool
    #: Whether the application falls under the EU Pact and its regime is unconfirmed.
    regime_unconfirmed: bool


def _step_months(received: _dt.date, base: int, extra: int, s: Scenario) -> _dt.date:
    if extra and not s.extension_in_one_step:
        return add_months(add_months(received, base), extra)
    return add_months(received, base + extra)


def _moratoria_for(code: str | None, s: Scenario) -> list[Moratorium]:
    if code is None or s.moratorium_reading == "none":
        return []
    return sorted(
        (m for m in s.moratorium_table if m.nationality == code), key=lambda m: m.first_day
    )


def decision_term(
    received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> TermDetail:
    """Every step of :func:`decision_deadline`.

    Decision moratoria (Vw art. 43, ``moratoria.csv``) apply to asylum applications of the
    moratorium's nationality that were received on or before its last day and not decided
    before its first day. In the scenario's default ``"extension"`` reading the term gets 12
    more months (also a term that had already expired, ECLI:NL:RVS:2025:3082); in the
    ``"suspension"`` reading it is extended by the days the moratorium overlaps a running term
    (ECLI:NL:RBDHA:2026:1940). Either way the term never passes 21 months after receipt (art.
    42(5), 43).

    RULES §8: a Syrian applicant received 30 Jan 2024 (WBV 2023/26 withdrawn), a Sudanese one
    received 11 Jul 2023 (WBV 2023/3, capped at 21 months):

    >>> decision_term("2024-01-30", nationality="SYR").deadline
    datetime.date(2025, 7, 30)
    >>> t = decision_term("2023-07-11", nationality="Soedan")
    >>> t.base_deadline, t.deadline, t.capped
    (datetime.date(2024, 10, 11), datetime.date(2025, 4, 11), True)
    """
    s = _scenario(scenario)
    day = _received(received)
    kind = s.application_type(application_type)
    code = nationality_code(nationality)
    done = _after_receipt(decided, "decided", day)
    if isinstance(extension_months, bool) or not isinstance(extension_months, int):
        raise DwangsomError(f"extension_months: {extension_months!r} is not an int >= 0")
    if extension_months < 0:
        raise DwangsomError(f"extension_months: {extension_months!r} is not an int >= 0")
    if extension_months > kind.max_extension_months:
        raise DwangsomError(
            f"extension_months: {extension_months} is more than the "
            f"{kind.max_extension_months} months a {kind.application_type!r} term can be "
            "extended by (Vw art. 42(4)-(5), 25(2))"
        )
    months, days = kind.term_months or 0, kind.term_days or 0
    nareis = (
        kind.application_type == "family-reunification"
        and s.nareis_nine_months_from is not None
        and day >= s.nareis_nine_months_from
    )
    if nareis:
        months, days = bill("nareis_nine_months_from").term_months or 0, 0
    found: tuple[Decree, ...] = ()
    if months:
        found = covering_decrees(day, scenario=s, application_type=application_type)
        categorical = max((d.extension_months for d in found), default=0)
        extra = min(categorical + extension_months, max(s.max_term_months - months, 0))
        base_end = _step_months(day, months, extra, s)
    else:
        extra = extension_months
        base_end = add_months(day + _dt.timedelta(days=days), extra)
    limit = add_months(day, s.max_term_months)
    end, applied = base_end, None
    if kind.moratoria and months:
        for m in _moratoria_for(code, s):
            if day > m.last_day or (done is not None and done < m.first_day):
                continue
            if s.moratorium_reading == "extension":
                total = min(months + extra + m.extension_months, s.max_term_months)
                new_end = _step_months(day, months, total - months, s)
            else:
                if end < m.first_day:
                    continue
                start = max(m.first_day, day + DAY)
                new_end = end + _dt.timedelta(days=(m.last_day - start).days + 1)
            if new_end > end:
                end, applied = new_end, m
    capped = False
    if applied is not None:
        would = (
            _step_months(day, months, extra + applied.extension_months, s)
            if s.moratorium_reading == "extension"
            else end
        )
        capped = would > limit
        end = min(end, limit)
    pact = (
        s.eu_pact_from is not None
        and s.eu_pact_unconfirmed
        and kind.decree_extensions
        and day >= s.eu_pact_from
    )
    return TermDetail(
        months=months,
        days=days,
        decrees=found,
        individual_months=extension_months,
        base_deadline=base_end,
        moratorium=applied,
        deadline=end,
        capped=capped,
        nareis_bill=nareis,
        regime_unconfirmed=pact,
    )


def decision_deadline(
    received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> _dt.date:
    """The last day of the statutory decision term (RULES §0, §2).

    Asylum: six months after receipt (Vw art. 42(1)), plus nine months where a categorical
    extension decree holds in the scenario and covers the case (Vw art. 42(4)(b); WBV 2022/22,
    WBV 2023/3), plus an individual ``extension_months`` (Vw art. 42(4)-(5)), never beyond 21
    months (art. 42(5)). Counted from the receipt day in one step (RULES §0; ECLI:NL:HR:2017:
    2225) and **not** rolled by the Algemene termijnenwet (art. 4: terms over three months).
    A decision moratorium for the applicant's ``nationality`` (Vw art. 43) extends the term
    (see :func:`decision_term`); ``decided`` tells whether the case was still pending on the
    moratorium's first day. Other application types use their term from
    ``application_types.csv``: regular and family-reunification 90 days, extendable by at most
    three months (ECLI:NL:RBDHA:2025:2576), nine months for nareis under bill 36 349 where the
    scenario puts it in force.

    >>> decision_deadline("2023-08-31")
    datetime.date(2024, 11, 30)
    >>> decision_deadline("2023-08-31", scenario="extensions-void")
    datetime.date(2024, 2, 29)
    >>> decision_deadline("2022-03-26"), decision_deadline("2022-03-27")
    (datetime.date(2022, 9, 26), datetime.date(2023, 6, 27))
    >>> decision_deadline("2024-01-23", application_type="family-reunification",
    ...                   extension_months=3)
    datetime.date(2024, 7, 22)
    """
    return decision_term(
        received,
        scenario=scenario,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    ).deadline
