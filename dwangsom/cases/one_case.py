"""One case: its inputs, every rule's detail and :func:`assess_case`, the scalar
reference the table is tested against.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from .. import rules
from .._dates import as_date, as_optional_date
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .columns import FLAGS
from .values import _TRUE, is_missing

__all__ = [
    "assess_case",
]


@dataclasses.dataclass(frozen=True)
class CaseInputs:
    """One case-table row read into typed values as of a date (events after it are empty)."""

    case_id: Any
    received: _dt.date
    application_type: str
    notice_received: _dt.date | None
    judgment_sent: _dt.date | None
    decided: _dt.date | None
    court_term_days: int | None
    court_per_day: int | None
    court_cap: int | None
    repeat_appeal: bool
    applicants: int
    excluded: bool
    extension_months: int
    appeal_filed: _dt.date | None = None
    nationality: str | None = None
    heard: bool = False
    court_group: str | None = None


def case_inputs(case: Mapping[str, Any], *, as_of: Any) -> CaseInputs:
    """Read one row (a mapping of case-table columns; missing keys are empty) as of ``as_of``."""
    cut = as_date(as_of, "as_of")

    def get(name: str) -> Any:
        value = case.get(name)
        return None if is_missing(value) else value

    def event(name: str) -> _dt.date | None:
        day = as_optional_date(get(name), name)
        return None if day is None or day > cut else day

    def whole(name: str) -> int | None:
        value = get(name)
        return None if value is None else int(float(value))

    def flag(name: str) -> bool:
        value = get(name)
        return False if value is None else str(value).strip().lower() in _TRUE

    return CaseInputs(
        case_id=get("case_id"),
        received=as_date(get("received"), "received"),
        application_type=str(get("application_type") or "asylum").strip(),
        notice_received=event("notice_received"),
        judgment_sent=event("judgment_sent"),
        decided=event("decided"),
        court_term_days=whole("court_term_days"),
        court_per_day=whole("court_per_day"),
        court_cap=whole("court_cap"),
        repeat_appeal=flag("repeat_appeal"),
        applicants=whole("applicants") or 1,
        excluded=flag("excluded"),
        extension_months=whole("extension_months") or 0,
        appeal_filed=event("appeal_filed"),
        nationality=rules.nationality_code(get("nationality")),
        heard=flag("heard"),
        court_group=None if get("court_group") is None else str(get("court_group")).strip(),
    )


def case_details(
    case: Mapping[str, Any],
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    linked: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[CaseInputs, rules.AdminDetail, rules.CourtDetail | None, dict[str, Any]]:
    """The inputs, the rule details and the :func:`assess` columns of one case (scalar path).

    ``linked``: the rows of the case table in order (or at least those of the case's
    ``court_group``), for a joint court penalty (:func:`dwangsom.rules.court_group_detail`):
    the group's first case carries it, the others get none. Without ``linked`` a grouped case
    is assessed alone.
    """
    s = _scenario(scenario)
    cut = as_date(as_of, "as_of")
    c = case_inputs(case, as_of=cut)
    admin = rules.admin_detail(
        c.received,
        c.notice_received,
        c.decided,
        as_of=cut,
        application_type=c.application_type,
        applicants=c.applicants,
        excluded=c.excluded,
        scenario=s,
        extension_months=c.extension_months,
        nationality=c.nationality,
    )
    court = None
    members = [c]
    if c.court_group is not None and linked is not None:
        members = [
            m
            for m in (case_inputs(row, as_of=cut) for row in linked)
            if m.court_group == c.court_group
        ] or [c]
    lead = members[0]
    if c.judgment_sent is not None:
        court = rules.court_group_detail(
            lead.judgment_sent,
            [m.decided for m in members],
            as_of=cut,
            term_days=lead.court_term_days,
            per_day=lead.court_per_day,
            cap=lead.court_cap,
            repeat=lead.repeat_appeal,
            application_type=lead.application_type,
            scenario=s,
            received=lead.received,
            heard=lead.heard,
            appeal_filed=lead.appeal_filed,
        )
        if lead is not c and lead.case_id != c.case_id:
            court = dataclasses.replace(
                court,
                days=0,
                first_day=None,
                last_day=None,
                amount=0,
                final=True,
                payable_by=None,
            )
    court_amount = court.amount if court else 0
    admin_running = admin.days > 0 and not admin.final
    court_running = court is not None and court.days > 0 and not court.final and court.per_day > 0
    if c.decided is not None:
        status = "decided-in-term" if c.decided <= admin.deadline else "decided"
    elif cut <= admin.deadline:
        status = "within-term"
    elif admin_running or court_running:
        status = "accruing"
    elif admin.amount or court_amount:
        status = "capped"
    elif court is not None and cut <= court.due:
        status = "court-term-running"
    elif (
        admin.notice_valid
        and admin.barred_by is None
        and admin.first_day is not None
        and cut < admin.first_day
    ):
        status = "notice-pending"
    elif admin.notice_valid:
        status = "no-penalty"
    elif c.notice_received is not None:
        status = "notice-premature"
    else:
        status = "overdue-no-notice"
    result = {
        "deadline": admin.deadline,
        "in_default_from": admin.deadline + rules.DAY,
        "notice_valid": admin.notice_valid,
        "penalty_start": admin.first_day,
        "admin_days": admin.days,
        "admin_amount": admin.amount,
        "court_due": court.due if court else None,
        "court_days": court.days if court else 0,
        "court_amount": court_amount,
        "total_amount": admin.amount + court_amount,
        "fixed_by": admin.fixed_by,
        "payable_by": admin.payable_by,
        "court_payable_by": court.payable_by if court else None,
        "status": status,
        "flags": ",".join(f for f in FLAGS if f in admin.flags),
    }
    return c, admin, court, result


def assess_case(
    case: Mapping[str, Any],
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    linked: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The scalar reference for one row of :func:`assess`, built from :mod:`dwangsom.rules`.

    ``case`` maps column names to values as in a case table (missing keys are empty). Returns
    the :data:`OUTPUT_COLUMNS` as plain Python values (dates as :class:`datetime.date`).

    >>> r = assess_case({"received": "2022-03-27", "notice_received": "2022-06-25",
    ...                  "application_type": "regular"}, as_of="2023-08-01")
    >>> r["deadline"], r["admin_amount"], r["status"]
    (datetime.date(2022, 6, 25), 0, 'notice-premature')
    """
    return case_details(case, as_of=as_of, scenario=scenario, linked=linked)[3]
