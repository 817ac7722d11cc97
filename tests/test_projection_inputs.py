"""Inputs of a projection: the behaviour model and the synthetic open stock."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom.behaviour import DEFAULT_SOURCES, Behaviour, BehaviourError, Lag
from dwangsom.errors import DwangsomError
from dwangsom.synthetic import monthly_series, spread_over_days, synthetic_open_cases


def test_every_behaviour_default_names_its_source() -> None:
    fields = {f.name for f in dataclasses.fields(Behaviour)}
    assert fields == set(DEFAULT_SOURCES)
    for name, text in DEFAULT_SOURCES.items():
        assert text.startswith(("derived", "assumption", "RULES")), name


def test_lag_validation_and_sampling() -> None:
    lag = Lag({7: 0.4, 30: 0.6})
    assert lag.mean == pytest.approx(20.8)
    draws = lag.sample(np.random.default_rng(0), 20_000)
    assert set(np.unique(draws)) == {7, 30}
    assert abs((draws == 7).mean() - 0.4) < 0.02
    assert Lag.point(5).sample(np.random.default_rng(0), 3).tolist() == [5, 5, 5]
    with pytest.raises(BehaviourError, match=r"probabilities sum to 0.9"):
        Lag({7: 0.4, 30: 0.5})
    with pytest.raises(BehaviourError, match=r"probability of 7 days must be in 0..1"):
        Lag({7: 1.5})
    with pytest.raises(BehaviourError, match="give a mapping"):
        Lag([7, 30])  # type: ignore[arg-type]
    assert Lag({7: 0.5, 30: 0.5, 91: 0.0}).days == (7, 30)


def test_behaviour_validation() -> None:
    b = Behaviour(notice_lag={14: 1.0})  # type: ignore[arg-type]
    assert isinstance(b.notice_lag, Lag)
    with pytest.raises(BehaviourError, match="appeal_share: a share between 0 and 1"):
        Behaviour(appeal_share=-0.1)
    with pytest.raises(BehaviourError, match="court_term_days: a whole number >= 0 or None"):
        Behaviour(court_term_days=-5)
    with pytest.raises(BehaviourError, match=r"unknown field\(s\) notice_rate"):
        Behaviour().replace(notice_rate=0.5)
    assert Behaviour().judgment_lag.shifted(30).days == (86,)


def test_behaviour_court_terms_override_the_table() -> None:
    cases = pd.DataFrame(
        {
            "case_id": ["a"],
            "received": ["2022-01-03"],
            "notice_received": ["2022-08-01"],
            "appeal_filed": ["2024-01-02"],
        }
    )
    sure = Behaviour(judgment_lag={10: 1.0}, court_term_days=14, court_per_day=50, court_cap=1000)  # type: ignore[arg-type]
    p = dwangsom.project(
        cases, as_of="2024-01-31", until="2024-12-31", inflow=0.0, capacity=0.0, behaviour=sure
    )
    # judgment 1 Feb 2024 (as_of + 1: the court is late), due 15 Feb, EUR 50 a day to 1,000
    assert p.total(part="court") == 1000.0
    assert p.by_month.loc["2024-02", "court_accrued"] == 50 * 14


def test_synthetic_stock_is_the_newest_applications() -> None:
    inflow = pd.Series([100.0, 200.0, 300.0], index=["2023-01", "2023-02", "2023-03"])
    table = synthetic_open_cases(inflow, stock=350, as_of="2023-03-31")
    assert len(table) == 350 and table["case_id"].is_unique
    assert table["received"].is_monotonic_increasing
    assert (table["received"] >= pd.Timestamp("2023-02-01")).all()
    assert (table["received"].dt.month == 3).sum() == 300
    # the month of as_of counts pro rata: 15 of 31 days of March
    half = synthetic_open_cases(inflow, stock=200, as_of="2023-03-15")
    assert half["received"].max() <= pd.Timestamp("2023-03-15")
    assert (half["received"].dt.month == 3).sum() == 145
    assert dwangsom.assess(table, as_of="2023-03-31")["status"].eq("within-term").all()


def test_synthetic_errors() -> None:
    inflow = pd.Series([100.0, 200.0], index=pd.period_range("2023-01", periods=2, freq="M"))
    with pytest.raises(DwangsomError, match="inflow: runs to 2023-02"):
        synthetic_open_cases(inflow, stock=10, as_of="2023-05-01")
    with pytest.raises(DwangsomError, match="stock: a whole number >= 0"):
        synthetic_open_cases(inflow, stock=-3, as_of="2023-02-28")
    gap = pd.Series([1.0, 2.0], index=["2023-01", "2023-03"])
    with pytest.raises(DwangsomError, match="months missing in the series: 2023-02"):
        synthetic_open_cases(gap, stock=1, as_of="2023-03-31")
    with pytest.raises(DwangsomError, match="counts must be numbers >= 0"):
        synthetic_open_cases(pd.Series([-1.0], index=["2023-01"]), stock=0, as_of="2023-01-31")


def test_monthly_series_keeps_published_months() -> None:
    s = monthly_series({2022: 35_535}, known={"2022-09": 4319, "2022-10": 3912})
    assert s["2022-09"] == 4319 and s.sum() == pytest.approx(35_535)
    assert s["2022-01"] == pytest.approx((35_535 - 4319 - 3912) / 10)
    profile = monthly_series({2023: 1200}, profile=[1] * 6 + [3] * 6)
    assert profile["2023-07"] == pytest.approx(3 * profile["2023-01"])
    with pytest.raises(DwangsomError, match="profile: 12 weights"):
        monthly_series({2023: 1}, profile=[1, 2])


def test_spread_over_days() -> None:
    days = spread_over_days(
        np.array(["2024-02-01", "2024-03-01"], dtype="datetime64[D]"),
        np.array([29, 31]),
        np.array([2, 0]),
    )
    assert days.tolist() == [np.datetime64("2024-02-08"), np.datetime64("2024-02-22")]


def test_linked_cases_are_named_where_a_projection_counts_them_apart() -> None:
    """Projections do not model joint court penalties (RULES §6): a table with linked cases
    projects each with its own court penalty and says so (a ProjectionWarning naming them);
    without links nothing is said."""
    cases = pd.DataFrame(
        {
            "case_id": ["a", "b", "c"],
            "received": ["2022-01-03", "2022-01-03", "2022-02-01"],
            "notice_received": ["2022-08-01", "2022-08-01", "2022-09-01"],
            "appeal_filed": ["2023-01-02", "2023-01-02", None],
            "judgment_sent": ["2023-06-01", "2023-06-01", None],
            "court_group": ["G1", "G1", ""],
        }
    )
    kw = {"as_of": "2024-01-31", "until": "2024-06-30", "inflow": 0.0, "capacity": 0.0}
    with pytest.warns(dwangsom.ProjectionWarning, match=r"2 linked case\(s\) \(a, b, \.\.\.\)"):
        linked = dwangsom.project(cases, **kw)  # type: ignore[arg-type]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", dwangsom.ProjectionWarning)
        apart = dwangsom.project(cases.drop(columns="court_group"), **kw)  # type: ignore[arg-type]
    # counted apart either way: each of a and b carries its own court penalty
    assert linked.total(part="court") == apart.total(part="court") > 0
    joint = dwangsom.assess(cases, as_of="2024-01-31")
    own = dwangsom.assess(cases.drop(columns="court_group"), as_of="2024-01-31")
    assert joint["court_amount"].sum() < own["court_amount"].sum()  # what the warning is about
