"""The court penalty (Awb 8:55d; RULES §6): the term, the amount per day and the maximum
the court ordered or practice supplies, and what accrues until the decision is sent, also for
linked cases that share one order.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Sequence
from typing import Any

from .._dates import as_date, as_optional_date
from ..errors import DwangsomError, MissingDateError, OutOfTableError
from ..months import add_months
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import CourtPractice, bill
from .accrual import _count_days, _temporary_act_bars
from .scope import DAY, LAST_DAY, _row_for

__all__ = [
    "CourtDetail",
    "court_detail",
    "court_group_detail",
    "court_penalty",
    "court_terms",
    "past_21_months",
]


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
