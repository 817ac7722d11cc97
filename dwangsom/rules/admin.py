"""The scalar reference path: one function per rule, each citing its source.

This module is the specification. The vectorized engine (:mod:`dwangsom.engine`) must give the
same answers; property tests compare the two on generated cases. Functions take one case's dates
(anything :func:`dwangsom._dates.as_date` reads) and a :class:`~dwangsom.scenario.Scenario`
(``None``: ``"as-applied"``).

Worked example (RULES §8): received 25 Oct 2023, term 15 months (WBV 2023/3):

>>> import dwangsom
>>> dwangsom.decision_deadline("2023-10-25")
datetime.date(2025, 1, 25)
>>> dwangsom.decision_deadline("2023-10-25", scenario="extensions-void")
datetime.date(2024, 4, 25)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from .._dates import as_date, as_optional_date
from ..errors import DwangsomError, MissingDateError, OrderError, OutOfTableError
from ..months import add_months
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import (
    AdminRate,
    ApplicationType,
    CourtPractice,
    Decree,
    Moratorium,
    TemporaryActPeriod,
    bill,
    country_codes,
    normalise_country,
)

__all__ = [
    "FLAGS",
    "VW2000_IN_FORCE",
    "AdminDetail",
    "CourtDetail",
    "TermDetail",
    "admin_detail",
    "administrative_penalty",
    "court_detail",
    "court_group_detail",
    "court_penalty",
    "court_terms",
    "covering_decrees",
    "decision_deadline",
    "decision_term",
    "first_penalty_day",
    "nationality_code",
    "notice_valid",
    "past_21_months",
    "penalty_band_amount",
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


# --- RULES §2: the decision term -------------------------------------------------------------


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


def _notice_counts(notice: _dt.date, term: TermDetail) -> bool:
    """A notice counts if received after the term's last day, or, where a moratorium extended
    the term, if received before its first day on a term that had expired then (the notice
    keeps its effect, ECLI:NL:RBDHA:2025:14982)."""
    if notice > term.deadline:
        return True
    m = term.moratorium
    return m is not None and term.base_deadline < notice < m.first_day


# --- RULES §3: notice of default and the first penalty day ----------------------------------


def notice_valid(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> bool:
    """Whether a notice of default has effect: the authority must receive it after the decision
    term has expired, i.e. on a day after the term's last day (Awb 4:17(3), 6:12(2); e.g.
    ECLI:NL:RBDHA:2023:14401). A premature notice has no effect. A notice received on an
    expired term before a moratorium's first day keeps its effect (ECLI:NL:RBDHA:2025:14982).

    >>> notice_valid("2023-10-25", "2025-01-25"), notice_valid("2023-10-25", "2025-01-26")
    (False, True)
    """
    day = _received(received)
    notice = _after_receipt(notice_received, "notice_received", day)
    if notice is None:
        return False
    term = decision_term(
        day,
        scenario=scenario,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    return _notice_counts(notice, term)


#: Flags a case can carry besides its status: what the library could not confirm.
FLAGS: dict[str, str] = {
    "regime-unconfirmed": "received from the EU Pact date (12 June 2026, Regulation (EU) "
    "2024/1348): assessed with the Vw art. 42 terms, the regime that applies is unconfirmed "
    "(RULES §2)",
    "past-calendar": "an Atw-rolled term reaches past the end of the bridge-day decree table "
    "(Atw art. 3(3)); later decree days are unknown, so the end date may be early",
    "notice-kept": "the notice was received on an expired term before a decision moratorium "
    "began and keeps its effect (ECLI:NL:RBDHA:2025:14982)",
}


def _calendar_end(s: Scenario) -> _dt.date:
    from ..atw import default_calendar

    return (s.calendar or default_calendar()).decrees_until


def _two_weeks_end(notice: _dt.date, s: Scenario) -> _dt.date:
    """End of the two weeks after the notice (Awb 4:17(3)); Atw only if the scenario says [U]."""
    end = notice + _dt.timedelta(days=14)
    if s.atw_on_notice_term:
        from ..atw import default_calendar

        end = (s.calendar or default_calendar()).term_end(notice + DAY, end)
    return end


def first_penalty_day(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: str = "asylum",
    extension_months: int = 0,
    nationality: Any = None,
    decided: Any = None,
) -> _dt.date | None:
    """The first day a penalty accrues: two weeks after a valid notice have passed (Awb
    4:17(3)); by default notice receipt + 15 days (IND WI 2013/17; 14 behind the scenario's
    ``first_penalty_offset``) [U]. ``None`` when there is no valid notice.

    >>> first_penalty_day("2023-01-02", "2025-01-06", scenario="extensions-void")
    datetime.date(2025, 1, 21)
    """
    s = _scenario(scenario)
    if not notice_valid(
        received,
        notice_received,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    ):
        return None
    notice = as_date(notice_received, "notice_received")
    return _two_weeks_end(notice, s) + _dt.timedelta(days=s.first_penalty_offset - 14)


# --- RULES §4-5: the administrative penalty --------------------------------------------------


def penalty_band_amount(days: int, rate: AdminRate) -> int:
    """Euros for ``days`` penalty days (Awb 4:17(2)): days 1-14 at the first rate, 15-28 at the
    second, 29-42 at the third; never more than 42 days.

    >>> from dwangsom.tables import admin_rates
    >>> [penalty_band_amount(d, admin_rates()[1]) for d in (1, 14, 28, 42, 100)]
    [23, 322, 812, 1442, 1442]
    """
    total = 0
    for band, per_day in enumerate(rate.rates):
        in_band = min(max(days - band * rate.band_days, 0), rate.band_days)
        total += in_band * per_day
    return total


@dataclasses.dataclass(frozen=True)
class AdminDetail:
    """How the administrative penalty of one case comes about (for :func:`dwangsom.explain`)."""

    deadline: _dt.date
    decrees: tuple[str, ...]
    notice: _dt.date | None
    notice_valid: bool
    first_day: _dt.date | None
    #: Why no penalty runs although the notice is valid (``None`` when it runs).
    barred_by: str | None
    rate: AdminRate | None
    #: Penalty days counted through min(decision, as_of), at most 42.
    days: int
    #: First and last penalty day counted (``None`` when days == 0).
    last_day: _dt.date | None
    #: Days inside a court-made suspension, skipped.
    suspended_days: int
    amount: int
    #: Whether the penalty has stopped (decision sent or 42 days reached) by as_of.
    final: bool
    #: Awb 4:18: the day by which the amount must be fixed; ``None`` while it accrues.
    fixed_by: _dt.date | None
    #: Payment due (fixed_by + payment_days [U]); provisional (as if it stopped on as_of) while
    #: the penalty still accrues.
    payable_by: _dt.date | None
    #: How the decision term came about (moratorium, 21 months, bills, regime).
    term: TermDetail | None = None
    #: Flags on the case (:data:`FLAGS`): e.g. ``"regime-unconfirmed"``, ``"past-calendar"``.
    flags: tuple[str, ...] = ()


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


def _fixing_end(last_day: _dt.date, s: Scenario) -> _dt.date:
    """Awb 4:18: the amount is fixed within two weeks after the last penalty day."""
    end = last_day + _dt.timedelta(days=s.fixing_days)
    if s.atw_on_fixing_term:
        from ..atw import default_calendar

        end = (s.calendar or default_calendar()).term_end(last_day + DAY, end)
    return end


def admin_detail(
    received: Any,
    notice_received: Any = None,
    decided: Any = None,
    *,
    as_of: Any = None,
    application_type: str = "asylum",
    applicants: int = 1,
    excluded: bool = False,
    scenario: Scenario | str | None = None,
    extension_months: int = 0,
    nationality: Any = None,
) -> AdminDetail:
    """Every step of :func:`administrative_penalty` for one case."""
    s = _scenario(scenario)
    day = _received(received)
    kind = s.application_type(application_type)
    notice = _after_receipt(notice_received, "notice_received", day)
    done = _after_receipt(decided, "decided", day)
    cutoff = as_optional_date(as_of, "as_of")
    if cutoff is None and done is None:
        raise MissingDateError("as_of: give as_of, or decided for the total of a decided case")
    if not isinstance(applicants, int) or isinstance(applicants, bool) or applicants < 1:
        raise DwangsomError(f"applicants: {applicants!r} is not an int >= 1 (Awb 4:17(7))")
    term = decision_term(
        day,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=done,
    )
    deadline = term.deadline
    valid = notice is not None and _notice_counts(notice, term)
    flags = ["regime-unconfirmed"] if term.regime_unconfirmed else []
    if valid and notice is not None and notice <= deadline:
        flags.append("notice-kept")
    first = None
    if valid:
        assert notice is not None
        two_weeks = _two_weeks_end(notice, s)
        if s.atw_on_notice_term and two_weeks > _calendar_end(s):
            flags.append("past-calendar")
        first = two_weeks + _dt.timedelta(days=s.first_penalty_offset - 14)
    names = tuple(d.decree for d in term.decrees)
    empty = AdminDetail(
        deadline=deadline,
        decrees=names,
        notice=notice,
        notice_valid=valid,
        first_day=first,
        barred_by=None,
        rate=None,
        days=0,
        last_day=None,
        suspended_days=0,
        amount=0,
        final=True,
        fixed_by=None,
        payable_by=None,
        term=term,
        flags=tuple(flags),
    )
    if not valid or first is None or notice is None:
        return empty
    barred: str | None = None
    if excluded:
        barred = "excluded: notice unreasonably late, no interested party, or manifestly "
        barred += "inadmissible/unfounded (Awb 4:17(6))"
    elif day < kind.penalty_from:
        barred = f"application received before {kind.penalty_from.isoformat()} (IND WI 2013/17)"
    else:
        period = _temporary_act_bars(notice, kind, s, "admin_penalty")
        if period is not None:
            barred = f"Temporary Act: {period.source}"
        elif (
            s.admin_penalty_abolished_from is not None and notice >= s.admin_penalty_abolished_from
        ):
            row = bill("admin_penalty_abolished_from")
            barred = (
                f"bill {row.bill} in force from {s.admin_penalty_abolished_from.isoformat()} "
                f"(scenario): {row.source}"
            )
    if barred is not None:
        return dataclasses.replace(empty, barred_by=barred)
    rate = _row_for(s.admin_rates, notice)
    if rate is None:
        raise OutOfTableError(
            f"notice_received: {notice.isoformat()} is before the first Awb 4:17 rate "
            f"({min(r.valid_from for r in s.admin_rates).isoformat()})"
        )
    limit = 3 * rate.band_days
    last = _dt.date.max if done is None else (done if s.decision_day_counts else done - DAY)
    if cutoff is not None:
        last = min(last, cutoff)
    skipped = [
        (x.first_day, x.last_day)
        for x in s.suspension_table
        if x.name in s.suspensions and deadline <= x.deadline_on_or_before
    ]
    days, last_counted, skipped_days = _count_days(first, min(last, LAST_DAY), limit, skipped)
    stop_day = None if done is None else (done if s.decision_day_counts else done - DAY)
    final = days == limit or (stop_day is not None and (cutoff is None or stop_day <= cutoff))
    fixed_by = payable_by = None
    if days:
        assert last_counted is not None
        fixed = _fixing_end(last_counted, s)
        if s.atw_on_fixing_term and fixed > _calendar_end(s) and "past-calendar" not in flags:
            flags.append("past-calendar")
        payable_by = fixed + _dt.timedelta(days=s.payment_days)
        fixed_by = fixed if final else None
    return dataclasses.replace(
        empty,
        flags=tuple(flags),
        rate=rate,
        days=days,
        last_day=last_counted,
        suspended_days=skipped_days,
        amount=penalty_band_amount(days, rate),
        final=final,
        fixed_by=fixed_by,
        payable_by=payable_by,
    )


def administrative_penalty(
    received: Any,
    notice_received: Any = None,
    decided: Any = None,
    *,
    as_of: Any = None,
    application_type: str = "asylum",
    applicants: int = 1,
    excluded: bool = False,
    scenario: Scenario | str | None = None,
    extension_months: int = 0,
    nationality: Any = None,
) -> int:
    """Euros of Awb 4:17 penalty accrued on one application by ``as_of`` (or in total, when
    ``decided`` is given and ``as_of`` is None) (RULES §3-5).

    A penalty runs from the first penalty day through the day the decision is sent (explanatory
    memorandum to 4:18), for at most 42 days at the rates in force when the notice was received
    (Awb 4:17(2)); an appeal does not stop it (4:17(5)). Nothing is owed without a valid notice,
    for ``excluded`` cases (4:17(6)), for applications received before 1 Oct 2012 (IND WI
    2013/17), and, where the scenario applies the Temporary Act (Stb. 2020, 242), for asylum
    notices received from 10 July 2020. Several ``applicants`` on one application share the one
    amount (4:17(7)): the amount returned is the application's, not multiplied.

    RULES §8: notice received Mon 6 Jan 2025 on an expired term (a regular application, so the
    Temporary Act does not bar it); first penalty day Tue 21 Jan 2025:

    >>> administrative_penalty("2024-06-03", "2025-01-06", "2025-01-20",
    ...                        application_type="regular")
    0
    >>> administrative_penalty("2024-06-03", "2025-01-06", "2025-01-21",
    ...                        application_type="regular")
    23
    >>> [administrative_penalty("2024-06-03", "2025-01-06", as_of=d, application_type="regular")
    ...  for d in ("2025-02-03", "2025-02-17", "2025-03-03", "2025-06-01")]
    [322, 812, 1442, 1442]
    """
    return admin_detail(
        received,
        notice_received,
        decided,
        as_of=as_of,
        application_type=application_type,
        applicants=applicants,
        excluded=excluded,
        scenario=scenario,
        extension_months=extension_months,
        nationality=nationality,
    ).amount


# --- RULES §6: the court penalty ------------------------------------------------------------


def _amount_arg(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DwangsomError(f"{name}: {value!r} is not a whole number of euros/days >= 0")
    return value


def _court_rows(s: Scenario, *, repeat: bool) -> list[CourtPractice]:
    """The court-practice rows the scenario's variants select (RULES §6)."""
    chosen = s.repeat_appeal_variant if repeat else s.court_maximum_variant
    return [r for r in s.court_practice if r.repeat == bool(repeat) and r.variant in (None, chosen)]


def past_21_months(received: Any, judgment_sent: Any, s: Scenario | str | None = None) -> bool:
    """Whether the absolute limit of 21 months after receipt (Vw art. 42(5)) had passed when
    the judgment was sent: the judgment is sent after the limit's last day (RULES §2).

    >>> past_21_months("2023-01-10", "2024-10-10"), past_21_months("2023-01-10", "2024-10-11")
    (False, True)
    """
    sc = _scenario(s)
    return as_date(judgment_sent, "judgment_sent") > add_months(
        as_date(received, "received"), sc.max_term_months
    )


def court_terms(
    judgment_sent: Any,
    *,
    term_days: int | None = None,
    per_day: int | None = None,
    cap: int | None = None,
    repeat: bool = False,
    application_type: str = "asylum",
    scenario: Scenario | str | None = None,
    received: Any = None,
    heard: bool = False,
    appeal_filed: Any = None,
) -> tuple[int, int, int, str]:
    """(term days, euros per day, maximum, source) of a court penalty (Awb 8:55d; RULES §6).

    What the court ordered wins; missing values come from the court-practice table by the date
    the judgment was sent (repeat appeals from their own rows; the scenario's
    ``court_maximum_variant`` and ``repeat_appeal_variant`` choose among the readings of
    practice). The default term is the table's shorter ``heard_term_days`` (56 days from 10 July
    2020) when the applicant was ``heard`` or when 21 months after ``received`` had passed at
    the judgment (ECLI:NL:RVS:2020:1560; e.g. ECLI:NL:RBDHA:2025:12480), else 112 days. Where
    the scenario applies the Temporary Act, an asylum judgment in a period the Act excluded the
    court penalty (10 July 2020 - 29 Nov 2022; ECLI:NL:RVS:2022:3353 set that aside from
    30 Nov 2022) has no default penalty; nor, where the scenario puts amendment Van Dijk (36 704
    nr. 32) in force, a BNTB appeal lodged from its date (``appeal_filed``; when empty, the
    judgment date stands in). A penalty the court did order still counts.

    >>> court_terms("2023-03-15")[:3]
    (112, 100, 7500)
    >>> court_terms("2021-03-15")[:3], court_terms("2021-03-15", per_day=100)[:3]
    ((112, 0, 7500), (112, 100, 7500))
    >>> court_terms("2025-06-02", heard=True)[:3], court_terms("2025-06-02")[:3]
    ((56, 100, 15000), (112, 100, 15000))
    """
    s = _scenario(scenario)
    day = as_date(judgment_sent, "judgment_sent")
    term = _amount_arg(term_days, "court_term_days")
    euros = _amount_arg(per_day, "court_per_day")
    maximum = _amount_arg(cap, "court_cap")
    kind = s.application_type(application_type)
    if term is not None and euros is not None and maximum is not None:
        return term, euros, maximum, "as ordered by the court (Awb 8:55d)"
    rows = _court_rows(s, repeat=repeat)
    row = _row_for(rows, day)
    if row is None:
        raise OutOfTableError(
            f"judgment_sent: {day.isoformat()} is outside the court-practice table "
            f"(from {min(r.valid_from for r in rows).isoformat()}); give the ordered term, "
            "per-day amount and cap"
        )
    source = row.source
    short = bool(heard) or (received is not None and past_21_months(received, day, s))
    if euros is None:
        euros = row.per_day
        barred = _temporary_act_bars(day, kind, s, "court_penalty")
        lodged = as_optional_date(appeal_filed, "appeal_filed") or day
        if barred is not None:
            euros = 0
            source = f"no default court penalty: {barred.source}"
        elif (
            s.court_penalty_abolished_from is not None and lodged >= s.court_penalty_abolished_from
        ):
            euros = 0
            law = bill("court_penalty_abolished_from")
            source = (
                f"no default court penalty: amendment {law.bill} in force from "
                f"{s.court_penalty_abolished_from.isoformat()} (scenario): {law.source}"
            )
    return (
        (row.heard_term_days if short else row.term_days) if term is None else term,
        euros,
        row.maximum if maximum is None else maximum,
        source,
    )


@dataclasses.dataclass(frozen=True)
class CourtDetail:
    """How one court penalty comes about (for :func:`dwangsom.explain`)."""

    judgment_sent: _dt.date
    term_days: int
    per_day: int
    cap: int
    source: str
    #: The last day of the court's term: the decision is due by this day.
    due: _dt.date
    days: int
    first_day: _dt.date | None
    last_day: _dt.date | None
    amount: int
    final: bool
    payable_by: _dt.date | None
    #: Whether the applicant had been heard at the judgment (case table ``heard``).
    heard: bool = False
    #: Whether 21 months after receipt had passed at the judgment (Vw art. 42(5)).
    past_21_months: bool = False


def court_detail(
    judgment_sent: Any,
    decided: Any = None,
    *,
    as_of: Any = None,
    term_days: int | None = None,
    per_day: int | None = None,
    cap: int | None = None,
    repeat: bool = False,
    application_type: str = "asylum",
    scenario: Scenario | str | None = None,
    received: Any = None,
    heard: bool = False,
    appeal_filed: Any = None,
) -> CourtDetail:
    """Every step of :func:`court_penalty`."""
    s = _scenario(scenario)
    sent = as_date(judgment_sent, "judgment_sent")
    done = as_optional_date(decided, "decided")
    cutoff = as_optional_date(as_of, "as_of")
    if cutoff is None and done is None:
        raise MissingDateError("as_of: give as_of, or decided for the total of a decided case")
    term, euros, maximum, source = court_terms(
        sent,
        term_days=term_days,
        per_day=per_day,
        cap=cap,
        repeat=repeat,
        application_type=application_type,
        scenario=s,
        received=received,
        heard=heard,
        appeal_filed=appeal_filed,
    )
    due = sent + _dt.timedelta(days=term)
    first = due + DAY
    stop = None if done is None else (done if s.court_decision_day_counts else done - DAY)
    last = LAST_DAY if stop is None else stop
    if cutoff is not None:
        last = min(last, cutoff)
    limit = None if euros == 0 else -(-maximum // euros)  # days until the cap is reached
    days, last_counted, _ = _count_days(first, last, limit, ()) if euros else (0, None, 0)
    if euros == 0:
        days = max((last - first).days + 1, 0)
        last_counted = last if days else None
    amount = min(days * euros, maximum)
    final = (limit is not None and days >= limit) or (
        stop is not None and (cutoff is None or stop <= cutoff)
    )
    payable = None
    if amount and last_counted is not None:
        payable = last_counted + _dt.timedelta(days=s.court_payment_days)
    return CourtDetail(
        judgment_sent=sent,
        term_days=term,
        per_day=euros,
        cap=maximum,
        source=source,
        due=due,
        days=days,
        first_day=first if days else None,
        last_day=last_counted,
        amount=amount,
        final=final,
        payable_by=payable,
        heard=bool(heard),
        past_21_months=received is not None and past_21_months(received, sent, s),
    )


def court_group_detail(
    judgment_sent: Any,
    decided: Sequence[Any],
    *,
    as_of: Any = None,
    **terms: Any,
) -> CourtDetail:
    """One joint court penalty for linked cases (e.g. one family, ECLI:NL:RBDHA:2026:2612): the
    cases share one court order, one penalty and one maximum. The joint penalty runs until the
    last of the linked decisions is sent (``decided`` holds one date or ``None`` per case)
    [U: the reading for decisions sent on different days]. ``terms`` are those of
    :func:`court_detail` (the order every linked case shares).

    >>> court_group_detail("2025-01-10", ["2025-06-01", "2025-07-01"], per_day=100).amount
    6000
    """
    days = [as_optional_date(d, "decided") for d in decided]
    last = None if not days or any(d is None for d in days) else max(d for d in days if d)
    return court_detail(judgment_sent, last, as_of=as_of, **terms)


def court_penalty(
    judgment_sent: Any,
    decided: Any = None,
    *,
    as_of: Any = None,
    term_days: int | None = None,
    per_day: int | None = None,
    cap: int | None = None,
    repeat: bool = False,
    application_type: str = "asylum",
    scenario: Scenario | str | None = None,
    received: Any = None,
    heard: bool = False,
    appeal_filed: Any = None,
) -> int:
    """Euros of court penalty (Awb 8:55d) accrued by ``as_of`` (or in total when ``decided`` is
    given and ``as_of`` is None).

    The court's term runs from the day after the judgment is sent (the Atw does not apply); the
    penalty runs from the day after the term's last day through the day the decision is sent
    (switchable), up to the maximum (RULES §6).

    RULES §8: judgment sent 15 Mar 2023, 16-week term, decision due Wed 5 July 2023; a decision
    sent 4 Aug 2023 costs 30 days:

    >>> court_penalty("2023-03-15", "2023-08-04")
    3000
    >>> court_penalty("2023-03-15", "2023-07-05"), court_penalty("2023-03-15", "2025-01-01")
    (0, 7500)
    """
    return court_detail(
        judgment_sent,
        decided,
        as_of=as_of,
        term_days=term_days,
        per_day=per_day,
        cap=cap,
        repeat=repeat,
        application_type=application_type,
        scenario=scenario,
        received=received,
        heard=heard,
        appeal_filed=appeal_filed,
    ).amount
