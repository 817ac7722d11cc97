"""Properties of the rules, and the vectorized engine against the scalar reference path."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import engine, rules
from dwangsom.testing import scenarios as scenario
from tests.strategies_core import case

DAY = dt.timedelta(days=1)


def _nat(values: list[Any]) -> np.ndarray:
    return np.array([np.datetime64(v, "D") if v else np.datetime64("NaT") for v in values])


def _opt(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _scalar(c: dict[str, Any], s: dwangsom.Scenario) -> tuple[rules.AdminDetail, Any]:
    admin = rules.admin_detail(
        c["received"],
        c["notice_received"],
        c["decided"],
        as_of=c["as_of"],
        application_type=c["application_type"],
        applicants=c["applicants"],
        excluded=c["excluded"],
        scenario=s,
        extension_months=c["extension_months"],
    )
    court = None
    if c["judgment_sent"]:
        court = rules.court_detail(
            c["judgment_sent"],
            c["decided"],
            as_of=c["as_of"],
            term_days=c["court_term_days"],
            per_day=c["court_per_day"],
            cap=c["court_cap"],
            repeat=c["repeat_appeal"],
            application_type=c["application_type"],
            scenario=s,
        )
    return admin, court


@settings(max_examples=150, deadline=None)
@given(st.lists(case(), min_size=1, max_size=25), scenario())
def test_engine_equals_scalar(cases: list[dict[str, Any]], s: dwangsom.Scenario) -> None:
    col = lambda k: [c[k] for c in cases]  # noqa: E731
    a = engine.admin_arrays(
        _nat(col("received")),
        _nat(col("notice_received")),
        _nat(col("decided")),
        as_of=_nat(col("as_of")),
        application_type=np.array(col("application_type")),
        applicants=np.array(col("applicants")),
        excluded=np.array(col("excluded")),
        scenario=s,
        extension_months=np.array(col("extension_months")),
    )
    c = engine.court_arrays(
        _nat(col("judgment_sent")),
        _nat(col("decided")),
        as_of=_nat(col("as_of")),
        term_days=_opt(col("court_term_days")),
        per_day=_opt(col("court_per_day")),
        cap=_opt(col("court_cap")),
        repeat=np.array(col("repeat_appeal")),
        application_type=np.array(col("application_type")),
        scenario=s,
    )
    nat = lambda d: np.datetime64(d, "D") if d else np.datetime64("NaT")  # noqa: E731
    for i, one in enumerate(cases):
        admin, court = _scalar(one, s)
        got = (
            a.deadline[i],
            a.notice_valid[i],
            a.first_day[i],
            a.days[i],
            a.amount[i],
            a.last_day[i],
            a.final[i],
            a.fixed_by[i],
            a.payable_by[i],
            a.barred[i],
        )
        want = (
            nat(admin.deadline),
            admin.notice_valid,
            nat(admin.first_day),
            admin.days,
            admin.amount,
            nat(admin.last_day),
            admin.final,
            nat(admin.fixed_by),
            nat(admin.payable_by),
            admin.barred_by is not None,
        )
        assert [str(x) for x in got] == [str(x) for x in want], (i, one)
        if court is None:
            assert c.amount[i] == 0 and np.isnat(c.due[i])
            continue
        got_c = (
            c.due[i],
            c.days[i],
            c.amount[i],
            c.first_day[i],
            c.last_day[i],
            c.final[i],
            c.payable_by[i],
            c.per_day[i],
            c.cap[i],
            c.term_days[i],
        )
        want_c = (
            nat(court.due),
            court.days,
            court.amount,
            nat(court.first_day),
            nat(court.last_day),
            court.final,
            nat(court.payable_by),
            court.per_day,
            court.cap,
            court.term_days,
        )
        assert [str(x) for x in got_c] == [str(x) for x in want_c], (i, one)
        # the accrued amount at the case's own cut-off equals the amount
        cut = one["as_of"] or dt.date(2099, 12, 31)
        assert c.accrued_through(np.datetime64(cut, "D"))[i] == court.amount
    cuts = _nat([one["as_of"] or "2099-12-31" for one in cases])
    np.testing.assert_array_equal(a.accrued_through(cuts), a.amount)


@settings(max_examples=200, deadline=None)
@given(case(), scenario(), st.integers(0, 200))
def test_admin_monotone_and_bounded(c: dict[str, Any], s: dwangsom.Scenario, later: int) -> None:
    """Never decreasing as the decision comes later, never above the maximum, zero before the
    first penalty day."""
    if c["notice_received"] is None:
        return
    kw = dict(
        application_type=c["application_type"],
        excluded=c["excluded"],
        scenario=s,
        extension_months=c["extension_months"],
    )
    decided = c["decided"] or c["received"] + 400 * DAY
    one = rules.admin_detail(c["received"], c["notice_received"], decided, **kw)
    two = rules.admin_detail(c["received"], c["notice_received"], decided + later * DAY, **kw)
    assert 0 <= one.amount <= two.amount
    rate = one.rate or two.rate
    if rate is not None:
        assert two.amount <= rate.maximum and two.days <= 3 * rate.band_days
    if one.first_day is not None:
        before = one.first_day - DAY
        assert (
            rules.administrative_penalty(c["received"], c["notice_received"], as_of=before, **kw)
            == 0
        )


@settings(max_examples=200, deadline=None)
@given(case(), scenario(), st.integers(0, 400))
def test_court_monotone_and_bounded(c: dict[str, Any], s: dwangsom.Scenario, later: int) -> None:
    if c["judgment_sent"] is None:
        return
    kw = dict(
        term_days=c["court_term_days"],
        per_day=c["court_per_day"],
        cap=c["court_cap"],
        repeat=c["repeat_appeal"],
        application_type=c["application_type"],
        scenario=s,
    )
    decided = c["decided"] or c["judgment_sent"] + 200 * DAY
    one = rules.court_detail(c["judgment_sent"], decided, **kw)  # type: ignore[arg-type]
    two = rules.court_detail(c["judgment_sent"], decided + later * DAY, **kw)  # type: ignore[arg-type]
    assert 0 <= one.amount <= two.amount <= two.cap
    assert rules.court_penalty(c["judgment_sent"], as_of=one.due, **kw) == 0  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(2001, 4, 1), dt.date(2090, 1, 1)), scenario(), st.integers(0, 12))
def test_deadline_between_6_and_21_months(
    received: dt.date, s: dwangsom.Scenario, ext: int
) -> None:
    deadline = dwangsom.decision_deadline(received, scenario=s, extension_months=ext)
    assert received + relativedelta(months=6) <= deadline <= received + relativedelta(months=21)


@given(st.dates(dt.date(2022, 1, 1), dt.date(2025, 12, 31)))
def test_extensions_void_never_later(received: dt.date) -> None:
    void = dwangsom.decision_deadline(received, scenario="extensions-void")
    assert void <= dwangsom.decision_deadline(received)
    assert void == received + relativedelta(months=6)


def test_scenario_fields_all_documented() -> None:
    """Every open choice of a scenario is listed in docs/rules.md."""
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    fields = [f.name for f in dataclasses.fields(dwangsom.Scenario)]
    missing = [f for f in fields if f"`{f}`" not in text]
    assert not missing, missing
