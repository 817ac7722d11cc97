"""Projection: conservation, the properties of issue 4, both modes, inputs and outputs."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import policies
from dwangsom.behaviour import Behaviour
from dwangsom.errors import DwangsomError, OrderError
from dwangsom.projection import _PER_DRAW, MEASURES, Projection

AS_OF = dt.date(2024, 3, 15)
SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def open_cases(
    draw: st.DrawFn, *, as_of: dt.date = AS_OF, max_size: int = 10, events: bool = True
) -> pd.DataFrame:
    """A case table as of ``as_of``: open (and some decided) cases with recorded events."""
    n = draw(st.integers(0, max_size))
    rows: list[dict[str, Any]] = []
    for i in range(n):
        received = as_of - dt.timedelta(days=draw(st.integers(0, 1200)))
        row: dict[str, Any] = {"case_id": f"K{i}", "received": received}
        row["application_type"] = draw(st.sampled_from(["asylum"] * 4 + ["regular"]))
        days_left = (as_of - received).days
        if events and draw(st.booleans()) and days_left > 20:
            notice = received + dt.timedelta(days=draw(st.integers(0, days_left - 20)))
            row["notice_received"] = notice
            room = (as_of - notice).days
            if draw(st.booleans()) and room > 15:
                appeal = notice + dt.timedelta(days=draw(st.integers(15, room)))
                row["appeal_filed"] = appeal
                if draw(st.booleans()):
                    row["judgment_sent"] = appeal + dt.timedelta(
                        days=draw(st.integers(0, (as_of - appeal).days))
                    )
        if draw(st.integers(0, 5)) == 0:
            row["decided"] = received + dt.timedelta(days=draw(st.integers(0, days_left)))
        rows.append(row)
    columns = ["case_id", "received", "application_type", "notice_received", "appeal_filed",
               "judgment_sent", "decided"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for c in ("received", "notice_received", "appeal_filed", "judgment_sent", "decided"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def _run(cases: pd.DataFrame, **kw: Any) -> Projection:
    args: dict[str, Any] = {
        "as_of": AS_OF, "until": "2025-06-30", "inflow": 24.0, "capacity": 3.0,
        "behaviour": Behaviour(notice_share=0.8, appeal_share=0.5),
    }  # fmt: skip
    args.update(kw)
    return dwangsom.project(cases, **args)


def _conserved(p: Projection, cases: pd.DataFrame) -> None:
    bm = p.by_month
    assert (bm["decisions"] <= bm["capacity"] + 1e-9).all()
    open_start = int((p.cases["source"] == "open").sum())
    expected = open_start + np.cumsum(bm["inflow"] - bm["decisions"])
    np.testing.assert_allclose(bm["open"], expected, atol=1e-6)
    projected = p.cases[p.cases["source"] != "decided"]
    assert ((projected["p_decided"] >= -1e-9) & (projected["p_decided"] <= 1 + 1e-9)).all()
    np.testing.assert_allclose(projected["p_decided"].sum(), bm["decisions"].sum(), atol=1e-6)
    assert len(p.cases) == len(cases) + bm["inflow"].sum()
    assert (bm["overdue"] <= bm["open"] + 1e-9).all()
    assert (bm[list(MEASURES)].to_numpy() >= -1e-6).all()


@SETTINGS
@given(
    cases=open_cases(),
    capacity=st.integers(0, 6),
    inflow=st.sampled_from([0.0, 24.0, 60.0]),
    policy=st.sampled_from(
        [
            "fifo",
            "deadline-first",
            "least-liability",
            policies.split(0.7),
            policies.fifo(court_orders_first=True),
        ]
    ),
)
def test_conservation(cases: pd.DataFrame, capacity: int, inflow: float, policy: Any) -> None:
    p = _run(cases, capacity=capacity, inflow=inflow, policy=policy)
    _conserved(p, cases)


@settings(max_examples=5, deadline=None, derandomize=True)
@given(cases=open_cases(max_size=6), capacity=st.integers(0, 4))
def test_conservation_monte_carlo(cases: pd.DataFrame, capacity: int) -> None:
    for policy in ("fifo", policies.fifo(court_orders_first=True)):
        p = _run(cases, capacity=capacity, draws=5, seed=3, policy=policy)
        _conserved(p, cases)
        assert (p.by_month["decisions"] == np.floor(p.by_month["decisions"])).all()


def test_each_case_decided_once_or_open() -> None:
    cases = _fixed_table()
    p = _run(cases, capacity=2.0, inflow=12.0)
    c = p.cases
    decided = c["decided"].notna()
    assert ((c["p_decided"] == 1.0) == decided).all()
    assert (c.loc[~decided, "p_decided"] == 0.0).all()
    months = c.loc[decided & (c["source"] != "decided"), "decision_month"]
    counts = months.value_counts().reindex(p.by_month.index, fill_value=0)
    np.testing.assert_array_equal(counts.to_numpy(), p.by_month["decisions"].to_numpy())


def _fixed_table() -> pd.DataFrame:
    return pd.DataFrame({
        "case_id": [f"F{i}" for i in range(8)],
        # F1: received 15 Mar 2022 (six months to 15 Sep 2022, before WBV 2022/22's first
        # covered term end), so the 21 months have not passed at its judgment of 1 Dec 2023 and
        # the court's default term is 112 days (RULES §6)
        "received": pd.to_datetime(["2021-06-01", "2022-03-15", "2022-02-01", "2022-09-01",
                                    "2023-01-10", "2023-06-01", "2023-11-20", "2024-02-01"]),
        "notice_received": pd.to_datetime([None, "2022-10-03", None, None, None, None, None,
                                           None]),
        "appeal_filed": pd.to_datetime([None, "2022-11-01", None, None, None, None, None, None]),
        "judgment_sent": pd.to_datetime([None, "2023-12-01", None, None, None, None, None, None]),
    })  # fmt: skip


# --- the properties of issue 4 ---------------------------------------------------------------


@SETTINGS
@given(
    cases=open_cases(),
    low=st.integers(0, 4),
    extra=st.integers(1, 4),
    scenario=st.sampled_from(["as-applied", "extensions-void", "no-temporary-act"]),
)
def test_more_capacity_never_raises_liability_under_fifo(
    cases: pd.DataFrame, low: int, extra: int, scenario: str
) -> None:
    months = pd.period_range("2024-03", "2025-06", freq="M")
    base = pd.Series(float(low), index=months)
    bump = base + pd.Series(np.arange(len(months)) % 2 * extra, index=months)
    a = _run(cases, capacity=base, scenario=scenario)
    b = _run(cases, capacity=bump, scenario=scenario)
    for basis in ("accrued", "cash"):
        assert b.total(basis=basis) <= a.total(basis=basis) + 1e-6
    assert (b.cases["total_amount"] <= a.cases["total_amount"] + 1e-6).all()


@SETTINGS
@given(cases=open_cases(as_of=dt.date(2024, 6, 30)), capacity=st.integers(0, 4))
def test_extensions_void_never_less_than_as_applied(cases: pd.DataFrame, capacity: int) -> None:
    """Holds per case under FIFO while the court-practice schedule does not change inside the
    projection (judgments from 2024 on); see the next test for the exception."""
    kw = {"as_of": "2024-06-30", "until": "2026-06-30", "capacity": float(capacity)}
    applied = _run(cases, scenario="as-applied", **kw)
    void = _run(cases, scenario="extensions-void", **kw)
    assert void.total() >= applied.total() - 1e-6
    assert void.total(basis="cash") >= applied.total(basis="cash") - 1e-6
    assert (void.cases["total_amount"] >= applied.cases["total_amount"] - 1e-6).all()


def test_extensions_void_can_be_cheaper_across_the_2024_court_maximum() -> None:
    """A documented exception (docs/projection.md): the court maximum rose from EUR 7,500 to
    15,000 for judgments from 1 Jan 2024 (RULES §6). Under "extensions-void" the chain runs
    earlier, the judgment falls in 2023 and the penalty stops at 7,500; under "as-applied" it
    falls in 2024 and runs to 15,000 while the case stays open."""
    cases = pd.DataFrame({"case_id": ["X"], "received": ["2022-11-01"]})
    sure = Behaviour(notice_share=1.0, notice_lag={7: 1.0}, appeal_share=1.0,
                     appeal_lag={1: 1.0})  # fmt: skip
    kw: dict[str, Any] = {"as_of": "2023-01-31", "until": "2025-12-31", "inflow": 0.0,
                          "capacity": 0.0, "behaviour": sure}  # fmt: skip
    applied = dwangsom.project(cases, scenario="as-applied", **kw)
    void = dwangsom.project(cases, scenario="extensions-void", **kw)
    assert void.total() == 7_500 and applied.total() == 15_000


@SETTINGS
@given(
    cases=open_cases(events=False),
    capacity=st.integers(0, 4),
    scenario=st.sampled_from(["as-applied", "extensions-void", "no-temporary-act"]),
    policy=st.sampled_from(["fifo", "least-liability", policies.split(0.5)]),
)
def test_zero_notice_propensity_zero_liability(
    cases: pd.DataFrame, capacity: int, scenario: str, policy: Any
) -> None:
    b = Behaviour(notice_share=0.0, appeal_share=1.0)
    p = _run(cases, capacity=capacity, scenario=scenario, behaviour=b, policy=policy)
    assert p.total() == 0.0 and p.total(basis="cash") == 0.0
    assert p.by_month[["notices", "appeals", "judgments"]].to_numpy().sum() == 0.0
    assert p.cases["total_amount"].sum() == 0.0


def test_expected_value_equals_mean_of_monte_carlo() -> None:
    """Statistical test with a fixed seed: the expected value lies within four standard errors
    of the mean of the draws, for the totals and for the event counts."""
    rng = np.random.default_rng(7)
    received = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, 80), unit="D")
    cases = pd.DataFrame({"case_id": np.arange(80), "received": received,
                          "application_type": np.where(np.arange(80) % 3 == 0, "regular",
                                                       "asylum")})  # fmt: skip
    kw: dict[str, Any] = {
        "as_of": "2024-01-31",
        "until": "2025-06-30",
        "inflow": 60.0,
        "capacity": 5.0,
        "scenario": "no-temporary-act",
        "behaviour": Behaviour(notice_share=0.6, appeal_share=0.4),
    }
    ev = dwangsom.project(cases, **kw)
    mc = dwangsom.project(cases, draws=400, seed=2024, **kw)
    for basis in ("accrued", "cash"):
        for part in ("admin", "court"):
            idx = {n: i for i, n in enumerate(_PER_DRAW)}
            per_draw = mc._draw_monthly[:, idx[f"{part}_{basis}"]].sum(axis=1)
            se = per_draw.std(ddof=1) / np.sqrt(per_draw.size)
            target = ev.total(basis=basis, part=part)
            assert target > 0
            assert abs(per_draw.mean() - target) <= 4 * se + 1e-9, (basis, part)
    for column in ("notices", "appeals", "judgments"):
        idx = {n: i for i, n in enumerate(_PER_DRAW)}
        per_draw = mc._draw_monthly[:, idx[column]].sum(axis=1)
        se = per_draw.std(ddof=1) / np.sqrt(per_draw.size)
        assert abs(per_draw.mean() - ev.by_month[column].sum()) <= 4 * se + 1e-9, column
    np.testing.assert_allclose(mc.by_month["decisions"], ev.by_month["decisions"])


@pytest.mark.skipif(
    not hasattr(dwangsom, "liability_by_month"),
    reason="dwangsom.liability_by_month (cases.py) is not there yet",
)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    cases=__import__("dwangsom.testing", fromlist=["cases"]).cases(max_size=12),
    scenario=st.sampled_from(
        ["as-applied", "extensions-void", "no-temporary-act", "bills-in-force"]
    ),
    basis=st.sampled_from(["accrued", "cash"]),
)
def test_horizon_at_as_of_equals_liability_by_month(
    cases: pd.DataFrame, scenario: str, basis: str
) -> None:
    as_of = "2026-12-31"  # the generated cases are received up to this day (EU Pact era included)
    expected = dwangsom.liability_by_month(cases, as_of=as_of, scenario=scenario, basis=basis)
    p = dwangsom.project(
        cases, as_of=as_of, until=as_of, inflow=50.0, capacity=10.0, scenario=scenario
    )
    got = p.liability_by_month(basis=basis)
    pd.testing.assert_frame_equal(got, expected.astype(float), check_freq=False)
    assert p.total() == 0.0 and p.by_month["decisions"].sum() == 0.0


# --- modes, reproducibility, executors -------------------------------------------------------


def test_same_seed_same_result_and_executors_agree() -> None:
    cases = _fixed_table()
    kw: dict[str, Any] = {"draws": 12, "seed": 11, "scenario": "extensions-void"}
    a = _run(cases, **kw)
    b = _run(cases, **kw)
    pd.testing.assert_frame_equal(a.by_month, b.by_month)
    with ThreadPoolExecutor(2) as pool:
        c = _run(cases, executor=pool, **kw)
    pd.testing.assert_frame_equal(a.by_month, c.by_month)
    pd.testing.assert_frame_equal(a.cases, c.cases)
    d = _run(cases, draws=12, seed=12, scenario="extensions-void")
    assert not a.by_month["notices"].equals(d.by_month["notices"])


def test_process_pool_executor() -> None:
    cases = _fixed_table()
    kw: dict[str, Any] = {"draws": 6, "seed": 5, "policy": policies.fifo(court_orders_first=True)}
    with ProcessPoolExecutor(2) as pool:
        a = _run(cases, executor=pool, **kw)
    pd.testing.assert_frame_equal(a.by_month, _run(cases, **kw).by_month)


def test_monte_carlo_bands() -> None:
    p = _run(_fixed_table(), draws=30, seed=1, scenario="extensions-void")
    bm = p.by_month
    for name in MEASURES:
        assert (bm[f"{name}_p10"] <= bm[f"{name}_p50"] + 1e-9).all()
        assert (bm[f"{name}_p50"] <= bm[f"{name}_p90"] + 1e-9).all()
    q = p.quantiles()
    assert list(q.index) == ["p10", "p50", "p90"] and q["p10"] <= q["p90"]
    with pytest.raises(DwangsomError, match="draws"):
        _run(_fixed_table()).quantiles()


# --- behaviour of the model -----------------------------------------------------------------


def test_recorded_judgment_runs_to_the_cap_without_capacity() -> None:
    cases = _fixed_table().iloc[[1]]
    p = _run(cases, capacity=0.0, inflow=0.0, as_of="2023-12-31", until="2024-12-31")
    # judgment 1 Dec 2023, 112 days, EUR 100 a day, maximum 7,500 (RULES §6)
    assert p.total(part="court") == 7_500
    assert p.by_month.loc["2024-03", "court_accrued"] == 100 * 9  # due 22 March
    cash = p.by_month["court_cash"]
    assert cash.sum() == 7_500 and cash[cash > 0].index[0] == pd.Period("2024-07", freq="M")


def test_court_orders_first_decides_judged_cases_in_time() -> None:
    cases = _fixed_table()
    base = _run(cases, capacity=2.0, scenario="extensions-void")
    first = _run(
        cases,
        capacity=2.0,
        scenario="extensions-void",
        policy=policies.fifo(court_orders_first=True),
    )
    assert first.total(part="court") <= base.total(part="court")
    judged = first.cases["case_id"] == "F1"
    assert first.cases.loc[judged, "court_amount"].item() == 0.0
    mc = _run(
        cases,
        capacity=2.0,
        scenario="extensions-void",
        draws=20,
        seed=1,
        policy=policies.fifo(court_orders_first=True),
    )
    assert mc.cases.loc[judged, "court_amount"].item() == 0.0


def test_least_liability_decides_the_running_court_penalty_first() -> None:
    cases = _fixed_table()
    p = _run(cases, capacity=1.0, as_of="2024-03-31", policy="least-liability", inflow=0.0)
    first = p.cases.sort_values("decided").iloc[0]
    assert first["case_id"] == "F1"
    fifo = _run(cases, capacity=1.0, as_of="2024-03-31", inflow=0.0)
    assert fifo.cases.sort_values("decided").iloc[0]["case_id"] == "F0"
    assert p.total() <= fifo.total()


def test_split_policy_changes_the_order() -> None:
    cases = _fixed_table()
    kw: dict[str, Any] = {"capacity": 1.0, "inflow": 0.0, "as_of": "2024-03-31"}
    all_late = _run(cases, policy=policies.split(1.0), **kw)
    all_new = _run(cases, policy=policies.split(0.0), **kw)
    assert all_late.cases.sort_values("decided")["case_id"].iloc[0] == "F0"
    young = all_new.cases.sort_values("decided")["case_id"].iloc[0]
    assert young == "F4"  # the oldest case within its term on 1 April 2024 (to 2024-04-10)


def test_events_after_as_of_are_ignored_like_liability_by_month() -> None:
    cases = _fixed_table()
    later = cases.copy()
    later.loc[0, "notice_received"] = pd.Timestamp("2025-01-01")
    later["decided"] = pd.NaT
    later.loc[2, "decided"] = pd.Timestamp("2025-02-01")
    a = _run(cases, as_of="2024-03-31")
    b = _run(later, as_of="2024-03-31")
    pd.testing.assert_frame_equal(a.by_month, b.by_month)


def test_inflow_and_capacity_inputs() -> None:
    cases = _fixed_table()
    months = pd.period_range("2024-03", "2025-06", freq="M")
    series = pd.Series(2.0, index=months)
    p = _run(cases, inflow=series, capacity=[1.0, pd.Series(3.0, index=months[2:5])])
    bm = p.by_month
    assert bm["capacity"].tolist()[:6] == [1.0, 1.0, 4.0, 4.0, 4.0, 1.0]
    # the month of as_of (15 March) counts pro rata: 16 of 31 days
    assert bm.loc["2024-03", "inflow"] == 1.0 and bm.loc["2024-04", "inflow"] == 2.0
    received = p.cases.loc[p.cases["source"] == "new", "received"]
    assert received.min() > pd.Timestamp(AS_OF) and received.max() <= pd.Timestamp("2025-06-30")
    yearly = _run(cases, inflow=120.0)  # a yearly total: 10 a month
    assert yearly.by_month.loc["2024-05", "inflow"] == 10.0
    seasonal = dwangsom.monthly_series({2024: 120, 2025: 120}, profile=[2] * 6 + [0] * 6)
    s = _run(cases, inflow=seasonal)
    assert s.by_month.loc["2024-05", "inflow"] == 20.0 and s.by_month.loc["2024-08", "inflow"] == 0


def test_bad_input_raises_named_errors() -> None:
    cases = _fixed_table()
    with pytest.raises(OrderError, match="until: 2024-01-01 is before as_of"):
        _run(cases, until="2024-01-01")
    with pytest.raises(DwangsomError, match=r"capacity: no figure for .* first 2024-09"):
        _run(cases, capacity=pd.Series(1.0, index=pd.period_range("2024-03", "2024-08", freq="M")))
    with pytest.raises(DwangsomError, match="inflow: must be a number >= 0, got -1"):
        _run(cases, inflow=-1)
    with pytest.raises(DwangsomError, match="draws: a whole number >= 1"):
        _run(cases, draws=0)
    with pytest.raises(DwangsomError, match="policy: 'lifo' is not known"):
        _run(cases, policy="lifo")
    with pytest.raises(DwangsomError, match=r"received: case\(s\) F7 received after as_of"):
        _run(cases, as_of="2024-01-31")
    with pytest.raises(DwangsomError, match=r"behaviour: a dwangsom.Behaviour expected"):
        _run(cases, behaviour={"notice_share": 0.5})
    with pytest.raises(DwangsomError, match=r"executor: a concurrent.futures.Executor"):
        _run(cases, draws=2, executor="pool")
    with pytest.raises(DwangsomError, match="missing-column"):
        _run(pd.DataFrame({"case_id": [1]}))
    with pytest.raises(DwangsomError, match="basis: 'paid'"):
        _run(cases).total(basis="paid")  # type: ignore[arg-type]


# --- outputs ----------------------------------------------------------------------------------


def test_outputs_and_display() -> None:
    p = _run(_fixed_table(), scenario="extensions-void")
    assert isinstance(p.by_month.index, pd.PeriodIndex) and p.by_month.index.name == "month"
    assert list(p.by_month.columns) == ["inflow", "capacity", *MEASURES]
    assert p.total() == pytest.approx(p.by_month["total_accrued"].sum())
    assert p.total("2024-06", "2024-12", basis="cash") == pytest.approx(
        p.by_month.loc["2024-06":"2024-12", "total_cash"].sum()
    )
    assert p.total(part="admin") + p.total(part="court") == pytest.approx(p.total())
    text = str(p)
    assert "Projection 2024-03-15 -> 2025-06-30 (expected value)" in text and "per year" in text
    assert "<table" in p._repr_html_() and "Projection" in repr(p)
    assert {"case_id", "decision_month", "p_notice", "total_amount"} <= set(p.cases.columns)
    with pytest.raises(OrderError, match="end: 2024-01 is before start 2024-05"):
        p.total("2024-05", "2024-01")
    life = p.liability_by_month()
    assert life["total_cumulative"].iloc[-1] == pytest.approx(p.cases["total_amount"].sum())


def test_plot() -> None:
    pytest.importorskip("matplotlib")
    p = _run(_fixed_table(), draws=5, seed=1, scenario="extensions-void")
    fig = p.plot(basis="cash")
    assert fig.axes and "Projected penalties" in fig.axes[0].get_title(loc="left")
    assert _run(_fixed_table()).plot().axes


def test_compare_projections_and_sensitivity() -> None:
    cases = _fixed_table()
    runs = {name: _run(cases, scenario=name) for name in ("as-applied", "extensions-void")}
    table = dwangsom.compare_projections(runs)
    assert list(table.index) == ["as-applied", "extensions-void"]
    assert table.loc["extensions-void", "total_accrued"] >= table.loc["as-applied", "total_accrued"]
    monthly = dwangsom.compare_projections(runs, column="total_cash", start="2024-06")
    assert list(monthly.columns) == list(runs) and monthly.index[0] == pd.Period("2024-06", "M")
    with pytest.raises(DwangsomError, match="column: 'euros' is not a by_month column"):
        dwangsom.compare_projections(runs, column="euros")
    sens = dwangsom.sensitivity(
        cases,
        as_of=AS_OF,
        until="2025-06-30",
        inflow=24.0,
        capacity=3.0,
        scenario="extensions-void",
        behaviour=Behaviour(notice_share=0.95),
    )
    assert list(sens.index) == ["capacity", "notice_share", "court_delay"]
    assert sens.loc["capacity", "change"] <= 0 <= sens.loc["notice_share", "change"]
    assert (sens["base"] == sens["base"].iloc[0]).all()
