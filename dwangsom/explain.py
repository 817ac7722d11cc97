"""One case, every rule applied: the audit trail behind a row of :func:`dwangsom.assess`.

>>> import dwangsom
>>> e = dwangsom.explain({"case_id": "EX-1", "received": "2019-06-01",
...                       "notice_received": "2020-01-02", "decided": "2020-03-31"},
...                      as_of="2020-06-30")
>>> print(str(e).splitlines()[0])
Case EX-1 as of 2020-06-30 (scenario as-applied): total EUR 1,442
>>> [s.step for s in e.steps][:4]
['application received', 'decision term', 'deadline', 'in default']
>>> e.total == int(dwangsom.assess(e.case_table(), as_of="2020-06-30")["total_amount"].iloc[0])
True
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import rules, tables
from ._dates import as_date
from .cases import case_details, parse_cases
from .cells import show
from .errors import DwangsomError
from .headers import canonical_frame
from .scenario import Scenario
from .scenario import scenario as _scenario

__all__ = ["Explanation", "Step", "explain"]


@dataclasses.dataclass(frozen=True)
class Step:
    """One rule applied to the case: when, what, how much, and where the rule comes from."""

    step: str
    date: _dt.date | None
    detail: str
    source: str
    amount: int | None = None


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The chain of rule steps for one case, with the totals :func:`dwangsom.assess` gives."""

    case_id: Any
    as_of: _dt.date
    scenario: str
    steps: tuple[Step, ...]
    result: Mapping[str, Any]
    case: Mapping[str, Any]

    @property
    def total(self) -> int:
        return int(self.result["total_amount"])

    def case_table(self) -> pd.DataFrame:
        """The case as a one-row case table (to feed back into :func:`dwangsom.assess`)."""
        return pd.DataFrame([dict(self.case)])

    def to_frame(self) -> pd.DataFrame:
        """The steps as a table (date, step, amount, detail, source)."""
        return pd.DataFrame(
            [
                {
                    "date": s.date,
                    "step": s.step,
                    "amount": s.amount,
                    "detail": s.detail,
                    "source": s.source,
                }
                for s in self.steps
            ]
        )

    def __str__(self) -> str:
        head = (
            f"Case {self.case_id} as of {self.as_of.isoformat()} (scenario {self.scenario}): "
            f"total EUR {self.total:,}"
        )
        lines = [head, f"  {'date':<10}  {'step':<20}  {'amount':>6}  rule"]
        for s in self.steps:
            day = s.date.isoformat() if s.date else ""
            amount = f"{s.amount:,}" if s.amount is not None else ""
            lines.append(f"  {day:<10}  {s.step:<20}  {amount:>6}  {s.detail} [{s.source}]")
        lines.append(f"  status: {self.result['status']}")
        if self.result.get("flags"):
            lines.append(f"  flags: {self.result['flags']}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(s.date.isoformat() if s.date else '')}</td><td>{e(s.step)}</td>"
            f"<td style='text-align:right'>{'' if s.amount is None else f'{s.amount:,}'}</td>"
            f"<td>{e(s.detail)}</td><td><small>{e(s.source)}</small></td></tr>"
            for s in self.steps
        )
        return (
            f"<div><b>Case {e(str(self.case_id))}</b> as of {self.as_of.isoformat()} "
            f"(scenario <code>{e(self.scenario)}</code>): total <b>EUR {self.total:,}</b>, "
            f"status <code>{e(str(self.result['status']))}</code>"
            "<table><thead><tr><th>date</th><th>step</th><th>EUR</th><th>rule</th>"
            f"<th>source</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


def _find(case: Any, cases: Any) -> dict[str, Any]:
    if isinstance(case, pd.Series):
        return {str(k): v for k, v in case.items()}
    if isinstance(case, Mapping):
        return dict(case)
    if cases is None:
        raise DwangsomError(
            "case: give a row, a mapping, or a case id together with cases=<the case table>"
        )
    from .cases import ParsedCases, _frame

    if isinstance(cases, ParsedCases):  # a parsed table: find the row in the table it read
        cases = _frame(cases)
    if "case_id" not in cases.columns:
        raise DwangsomError("cases: the case table has no column 'case_id'")
    hits = cases[cases["case_id"].map(show).to_numpy(dtype=object) == show(case)]
    if hits.empty:
        raise DwangsomError(f"case: no case with case_id {case!r} in the table")
    if len(hits) > 1:
        raise DwangsomError(f"case: case_id {case!r} occurs {len(hits)} times in the table")
    return {str(k): v for k, v in hits.iloc[0].items()}


def _checked(row: dict[str, Any], s: Scenario, table: Any) -> dict[str, Any]:
    """The row validated by the checks :func:`dwangsom.assess` applies (raising the same
    :class:`~dwangsom.errors.CaseTableError`), with headers read as a table reads them and its
    cells replaced by what the table parser read (so a number or date reads the same here)."""
    frame = pd.DataFrame([row] if row else [{}], index=[0])
    frame, _ = canonical_frame(frame)
    placeholder = "case_id" not in frame.columns
    if placeholder:
        frame["case_id"] = "(case)"
    if table is not None:
        from .cases import _frame

        frame.attrs.update(_frame(table).attrs)  # a ParsedCases: the table it was read from
    parsed = parse_cases(frame, scenario=s)
    out = {str(k): v for k, v in frame.iloc[0].items()}
    for name, days in parsed.dates.items():
        if name in out:
            out[name] = None if np.isnat(days[0]) else days[0].astype(_dt.date)
    for name, numbers in parsed.ints.items():
        if name in out:
            out[name] = None if np.isnan(numbers[0]) else int(numbers[0])
    for name, flags in parsed.bools.items():
        if name in out:
            out[name] = bool(flags[0])
    if "application_type" in out:
        out["application_type"] = str(parsed.types[0])
    if placeholder:
        del out["case_id"]
    return out


def explain(
    case: Any,
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    cases: Any = None,
) -> Explanation:
    """The chain of rule steps for one case — term, decree, deadline, notice, first penalty
    day, each penalty band and court day range, amounts — each with its date, amount and
    citation. ``case`` is a row (``Series``), a mapping of case-table columns, or a case id
    with ``cases`` the table to find it in (or the table's
    :func:`~dwangsom.cases.parse_cases`). Its numbers are :func:`dwangsom.assess`'s.
    """
    s = _scenario(scenario)
    if isinstance(cases, pd.DataFrame):
        cases = canonical_frame(cases, warn=False)[0]
    row = _checked(_find(case, cases), s, cases)
    c, admin, court, result = case_details(row, as_of=as_of, scenario=s)
    cut = as_date(as_of, "as_of")
    kind = s.application_type(c.application_type)
    steps = [
        Step("application received", c.received, f"{c.application_type} application", kind.source)
    ]
    info = admin.term
    if info is not None and info.nareis_bill:
        law = tables.bill("nareis_nine_months_from")
        term = f"{info.months} months after receipt (bill {law.bill}, in force from "
        term += f"{s.nareis_nine_months_from} in scenario {s.name!r})"
        steps.append(Step("decision term", None, term, law.source))
    else:
        if kind.term_months is not None:
            term = f"{kind.term_months} months after receipt"
        else:
            term = f"{kind.term_days} days after receipt"
        steps.append(
            Step(
                "decision term",
                None,
                term,
                "Vw art. 42(1)" if c.application_type == "asylum" else kind.source,
            )
        )
    for d in s.decrees:
        if d.decree in admin.decrees:
            steps.append(
                Step(
                    "categorical extension",
                    d.in_force,
                    f"+{d.extension_months} months: {d.decree} holds and covers the case",
                    d.source,
                )
            )
    every = s.replace(extensions=frozenset(x.decree for x in s.decrees))
    for d in rules.covering_decrees(
        c.received, scenario=every, application_type=c.application_type
    ):
        if d.decree not in admin.decrees:
            steps.append(
                Step(
                    "extension not applied",
                    d.in_force,
                    f"{d.decree} would cover the case but does not hold in scenario {s.name!r}",
                    d.note,
                )
            )
    if c.extension_months:
        steps.append(
            Step(
                "individual extension",
                None,
                f"+{c.extension_months} months (at most {kind.max_extension_months}; "
                f"{s.max_term_months} months in all for asylum)",
                "Vw art. 42(4)-(5)"
                if c.application_type == "asylum"
                else "Vw art. 25(2); ECLI:NL:RBDHA:2025:2576",
            )
        )
    steps.extend(_moratorium_steps(c, admin, s))
    steps.append(
        Step(
            "deadline",
            admin.deadline,
            f"last day of the term ({admin.deadline:%A}); not rolled to a working day",
            "RULES §0; ECLI:NL:HR:2017:2225; Atw art. 4",
        )
    )
    steps.append(
        Step(
            "in default",
            result["in_default_from"],
            "from the day after the deadline",
            "Awb 4:17(3), 6:12(2)",
        )
    )
    if c.notice_received is None:
        steps.append(
            Step("notice of default", None, "none received by the as-of date", "Awb 4:17(3)")
        )
    elif not admin.notice_valid:
        steps.append(
            Step(
                "notice of default",
                c.notice_received,
                "received on or before the deadline: premature, no effect",
                "Awb 4:17(3); ECLI:NL:RBDHA:2023:14401",
            )
        )
    else:
        kept = "notice-kept" in admin.flags
        steps.append(
            Step(
                "notice of default",
                c.notice_received,
                "received on the expired term before the moratorium: valid"
                if kept
                else "received after the deadline: valid",
                "Awb 4:17(3); ECLI:NL:RBDHA:2025:14982" if kept else "Awb 4:17(3)",
            )
        )
        steps.append(
            Step(
                "first penalty day",
                admin.first_day,
                f"notice + {s.first_penalty_offset} days (two weeks have passed)",
                "Awb 4:17(3); IND WI 2013/17",
            )
        )
        steps.extend(_admin_steps(admin, s))
    if court is not None:
        steps.extend(_court_steps(court, repeat=c.repeat_appeal, s=s, case=c))
    if c.decided is not None:
        stop = "the penalties stop"
        if s.decision_day_counts:
            stop += "; the decision day counts as a penalty day"
        steps.append(Step("decision sent", c.decided, stop, "explanatory memorandum to Awb 4:18"))
    if c.applicants > 1 and admin.amount:
        share, rest = divmod(admin.amount, c.applicants)
        steps.append(
            Step(
                "shared by applicants",
                None,
                f"{c.applicants} applicants share EUR {admin.amount:,} "
                f"(EUR {share:,} each, {rest} left over)",
                "Awb 4:17(7)",
            )
        )
    steps.append(
        Step(
            "total",
            cut,
            "administrative + court penalty accrued by the as-of date",
            "dwangsom.assess",
            result["total_amount"],
        )
    )
    return Explanation(c.case_id, cut, s.name, tuple(steps), result, row)


def _admin_steps(detail: rules.AdminDetail, s: Scenario) -> list[Step]:
    if detail.barred_by is not None:
        reason, _, source = detail.barred_by.partition(": ")
        if reason.startswith("bill "):
            reason += " (notices received before the date keep Awb 4:17)"
        return [Step("no administrative penalty", detail.first_day, reason, source, 0)]
    assert detail.rate is not None and detail.first_day is not None
    rate, steps, start = detail.rate, [], detail.first_day
    for band, per_day in enumerate(rate.rates):
        n = min(max(detail.days - band * rate.band_days, 0), rate.band_days)
        if not n:
            continue
        first, last = band * rate.band_days + 1, band * rate.band_days + n
        steps.append(
            Step(
                f"penalty days {first}-{last}",
                start,
                f"{n} days x EUR {per_day} (rates for notices from {rate.valid_from.isoformat()})",
                rate.source,
                n * per_day,
            )
        )
        start = start + _dt.timedelta(days=n)
    if detail.suspended_days:
        steps.append(
            Step(
                "suspension",
                None,
                f"{detail.suspended_days} days not counted",
                "ECLI:NL:RBDHA:2020:6088",
            )
        )
    if detail.days == 3 * rate.band_days:
        end = "capped at 42 days"
    else:
        end = "through the decision" if detail.final else "through the as-of date"
    steps.append(
        Step(
            "administrative penalty",
            detail.last_day,
            f"{detail.days} penalty days, {end}",
            "Awb 4:17(1)-(2)",
            detail.amount,
        )
    )
    if detail.fixed_by is not None:
        steps.append(
            Step(
                "amount to be fixed",
                detail.fixed_by,
                f"within {s.fixing_days} days after the last penalty day",
                "Awb 4:18",
            )
        )
    if detail.payable_by is not None:
        note = "" if detail.final else " (provisional: the penalty still accrues)"
        steps.append(
            Step(
                "payable by",
                detail.payable_by,
                f"{s.payment_days} days after fixing{note}",
                "RULES §4 [U]",
            )
        )
    return steps


def _moratorium_steps(c: Any, admin: rules.AdminDetail, s: Scenario) -> list[Step]:
    """Moratorium, 21-month limit, notice kept, EU Pact regime (RULES §2)."""
    steps: list[Step] = []
    info = admin.term
    if info is None:
        return steps
    m = info.moratorium
    if m is not None:
        if s.moratorium_reading == "extension":
            how = f"+{m.extension_months} months (reading 'extension')"
        else:
            how = f"+{(info.deadline - info.base_deadline).days} days of overlap (reading "
            how += "'suspension')"
        steps.append(
            Step(
                "decision moratorium",
                m.first_day,
                f"{m.nationality} moratorium {m.first_day} - {m.last_day}: term to "
                f"{info.base_deadline} extended, {how}",
                f"Vw art. 43; {m.source}",
            )
        )
    elif c.nationality is not None and s.moratorium_reading == "none":
        if any(x.nationality == c.nationality for x in s.moratorium_table):
            steps.append(
                Step(
                    "moratorium not applied",
                    None,
                    f"scenario {s.name!r} applies no moratorium reading",
                    "Vw art. 43; RULES §2 [U]",
                )
            )
    if info.capped:
        steps.append(
            Step(
                "21-month limit",
                info.deadline,
                f"the term never passes {s.max_term_months} months after receipt",
                "Vw art. 42(5), 43; ECLI:NL:RBDHA:2025:15586",
            )
        )
    if "notice-kept" in admin.flags:
        steps.append(
            Step(
                "notice kept",
                admin.notice,
                "received on the expired term before the moratorium began: keeps its effect",
                "ECLI:NL:RBDHA:2025:14982",
            )
        )
    if info.regime_unconfirmed:
        steps.append(
            Step(
                "regime unconfirmed",
                s.eu_pact_from,
                "received from the EU Pact date: Regulation (EU) 2024/1348 (art. 35) and bill "
                "36 871 apply, their terms and enforcement are unconfirmed; assessed with the "
                "Vw art. 42 terms (flag regime-unconfirmed)",
                "Regulation (EU) 2024/1348; RULES §2 [U]",
            )
        )
    if "past-calendar" in admin.flags:
        steps.append(
            Step(
                "past the calendar",
                None,
                "an Atw-rolled term ends after the bridge-day decree table (2028); later decree "
                "days are unknown (flag past-calendar)",
                "Atw art. 3(3); RULES §1 [U]",
            )
        )
    return steps


def _court_steps(c: rules.CourtDetail, *, repeat: bool, s: Scenario, case: Any) -> list[Step]:
    steps: list[Step] = []
    if c.heard or c.past_21_months:
        why = "the applicant was heard" if c.heard else "21 months after receipt had passed"
        steps.append(
            Step(
                "court term by hearing",
                None,
                f"{why} at the judgment: the default court term is the shorter one",
                "ECLI:NL:RVS:2020:1560; ECLI:NL:RBDHA:2025:12480, :14185",
            )
        )
    if case is not None and case.court_group is not None:
        steps.append(
            Step(
                "joint court penalty",
                None,
                f"court group {case.court_group!r}: one penalty and one maximum for the linked "
                "cases, carried by the group's first case, until the last decision",
                "ECLI:NL:RBDHA:2026:2612; RULES §6 [U]",
            )
        )
    if s.court_penalty_abolished_from is not None and "amendment" in c.source:
        steps.append(
            Step(
                "court penalty abolished",
                s.court_penalty_abolished_from,
                "BNTB appeal lodged from the date (scenario): no court penalty",
                "amendment Van Dijk, kst. 36 704 nr. 32 [U]",
            )
        )
    steps += [
        Step(
            "judgment sent",
            c.judgment_sent,
            f"{'repeat appeal: ' if repeat else ''}decide within {c.term_days} days; "
            f"EUR {c.per_day}/day, max EUR {c.cap:,}",
            c.source,
        ),
        Step("court term ends", c.due, "the decision is due by this day", "Awb 8:55d"),
    ]
    if c.days and c.first_day is not None and c.last_day is not None:
        steps.append(
            Step(
                f"court days {c.first_day:%d %b}-{c.last_day:%d %b %Y}",
                c.first_day,
                f"{c.days} days x EUR {c.per_day}, max EUR {c.cap:,}",
                "Awb 8:55d; RULES §6",
                c.amount,
            )
        )
    return steps
