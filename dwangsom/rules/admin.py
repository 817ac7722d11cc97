"""The administrative penalty (Awb 4:17-4:18; RULES §4-5): the amount per band of days,
what bars it (Awb 4:17(6), IND WI 2013/17, the Temporary Act, bills), court-made suspensions,
the day the amount is fixed and the day it is payable, and the flags a case can carry.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

from .._dates import as_optional_date
from ..errors import DwangsomError, MissingDateError, OutOfTableError
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import AdminRate, bill
from .accrual import _count_days, _temporary_act_bars
from .notice import _notice_counts, _two_weeks_end
from .scope import DAY, LAST_DAY, _after_receipt, _received, _row_for
from .term import TermDetail, decision_term

__all__ = [
    "FLAGS",
    "AdminDetail",
    "admin_detail",
    "administrative_penalty",
    "penalty_band_amount",
]


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
