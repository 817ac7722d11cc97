"""The drivers of issue 8: weighted readings, streams, the pipeline at its dates, court
compliance, repeat appeals, payment lag, spread, uncertainty; and the result's surface."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom import policies
from dwangsom.behaviour import Behaviour, BehaviourError, Beta, Lag, LagRange
from dwangsom.cases import parse_cases
from dwangsom.errors import DwangsomError
from dwangsom.projection import _PER_DRAW, MEASURES
from dwangsom.synthetic import synthetic_open_cases

AS_OF = "2023-02-16"
UNTIL = "2024-12-31"
SURE = Behaviour(notice_share=1.0, appeal_share=1.0)
EURO = [c for c in MEASURES if c.endswith(("_accrued", "_cash"))]


def _stock(n: int = 60, seed: int = 3) -> pd.DataFrame:
    """Open asylum cases received over 2021-2022 (some overdue under every reading, some
    only where the extension is void), a few with recorded appeals and judgments."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2021-06-01") + pd.to_timedelta(rng.integers(0, 560, n), unit="D")
    frame = pd.DataFrame({"case_id": [f"C{i}" for i in range(n)], "received": received})
    frame["notice_received"] = pd.NaT
    frame["appeal_filed"] = pd.NaT
    frame["judgment_sent"] = pd.NaT
    old = frame.index[frame["received"] < pd.Timestamp("2022-03-01")][:6]
    frame.loc[old, "notice_received"] = frame.loc[old, "received"] + pd.Timedelta(days=200)
    frame.loc[old, "appeal_filed"] = frame.loc[old, "notice_received"] + pd.Timedelta(days=20)
    frame.loc[old[:3], "judgment_sent"] = pd.Timestamp("2022-12-15")
    return frame


def _run(cases: pd.DataFrame, **kw: Any) -> dwangsom.Projection:
    args: dict[str, Any] = {"as_of": AS_OF, "until": UNTIL, "inflow": 0.0, "capacity": 3.0,
                            "behaviour": SURE}  # fmt: skip
    args.update(kw)
    return dwangsom.project(cases, **args)


# --- item 2: legal readings as probabilities ---------------------------------------------------


@pytest.mark.parametrize("w", [0.0, 0.3, 1.0])
def test_weighted_readings_are_exact_weighted_sums(w: float) -> None:
    cases = _stock()
    b = SURE.replace(premature_notice_share=0.5, repeat_appeal_share=0.5, court_compliance=0.2)
    kw: dict[str, Any] = {"authority_scenario": "as-applied", "behaviour": b}
    a = _run(cases, scenario="as-applied", **kw)
    v = _run(cases, scenario="extensions-void", **kw)
    mix = _run(cases, scenario={"as-applied": w, "extensions-void": 1 - w}, **kw)
    expected = w * a.by_month[EURO] + (1 - w) * v.by_month[EURO]
    pd.testing.assert_frame_equal(mix.by_month[EURO], expected, rtol=1e-12, atol=1e-6)
    for col in ("admin_amount", "court_amount", "total_amount"):
        np.testing.assert_allclose(
            mix.cases[col], w * a.cases[col] + (1 - w) * v.cases[col], atol=1e-6
        )
    assert v.total() > a.total()  # the readings differ in this stock
    if w == 1.0:
        pd.testing.assert_frame_equal(mix.by_month, a.by_month)


def test_monthly_weights() -> None:
    cases = _stock()
    months = pd.period_range("2021-01", "2026-12", freq="M")
    const = pd.Series(0.25, index=months)
    kw: dict[str, Any] = {"authority_scenario": "as-applied"}
    scalar = _run(cases, scenario={"as-applied": 0.75, "extensions-void": 0.25}, **kw)
    series = _run(cases, scenario={"as-applied": 1 - const, "extensions-void": const}, **kw)
    pd.testing.assert_frame_equal(scalar.by_month, series.by_month)
    # all weight on "void" from 2024 on: between the two pure readings
    step = pd.Series(np.where(months >= pd.Period("2024-01", "M"), 1.0, 0.0), index=months)
    late = _run(cases, scenario={"as-applied": 1 - step, "extensions-void": step}, **kw)
    a = _run(cases, scenario="as-applied", **kw)
    v = _run(cases, scenario="extensions-void", **kw)
    assert a.total() - 1e-6 <= late.total() <= v.total() + 1e-6
    with pytest.raises(DwangsomError, match=r"sum to 0\.9"):
        _run(cases, scenario={"as-applied": 0.5, "extensions-void": 0.4})


def test_premature_notices_count_only_where_the_extension_is_void() -> None:
    cases = pd.DataFrame({"case_id": ["p"], "received": ["2022-10-01"]})
    b = SURE.replace(premature_notice_share=1.0, notice_lag={7: 1.0})
    kw: dict[str, Any] = {"capacity": 0.0, "behaviour": b, "authority_scenario": "as-applied"}
    applied = _run(cases, scenario="as-applied", **kw)
    void = _run(cases, scenario="extensions-void", **kw)
    # the notice is sent 7 days after the 6-month term (2023-04-08): premature if the
    # 15 months hold (RULES §3), so no court penalty under "as-applied"
    assert applied.total(part="court") == 0.0 and void.total(part="court") > 0


# --- item 1: streams ---------------------------------------------------------------------------


def test_streams() -> None:
    months = pd.period_range("2023-02", "2024-12", freq="M")
    inflow = pd.DataFrame({"asylum": 40.0, "family-reunification": 30.0}, index=months)
    capacity = pd.DataFrame({"asylum": 20.0, "family-reunification": 10.0}, index=months)
    nareis = synthetic_open_cases(
        pd.Series(60.0, index=pd.period_range("2021-01", "2023-02", freq="M")),
        stock=300, as_of=AS_OF, application_type="family-reunification", id_prefix="N",
    )  # fmt: skip
    cases = pd.concat([_stock(), nareis], ignore_index=True)
    p = _run(cases, inflow=inflow, capacity=capacity, scenario="as-applied")
    streams = p.streams
    assert set(streams) == {"asylum", "family-reunification"}
    # Awb 4:17 for family reunification, none for asylum (Temporary Act, RULES §5)
    assert streams["family-reunification"]["admin_accrued"].sum() > 0
    assert streams["asylum"]["admin_accrued"].sum() == 0
    for name, frame in streams.items():
        assert (frame["decisions"] <= frame["capacity"] + 1e-9).all(), name
        start = int(((p.cases["source"] == "open") & _types(p, cases, name)).sum())
        expected = start + np.cumsum(frame["inflow"] - frame["decisions"])
        np.testing.assert_allclose(frame["open"], expected, atol=1e-6)
    summed = sum(f[[*EURO, "decisions", "open"]] for f in streams.values())
    pd.testing.assert_frame_equal(summed, p.by_month[[*EURO, "decisions", "open"]])
    by = p.total(by="application_type")
    assert by.sum() == pytest.approx(p.total())
    # a stream with no inflow and no stock adds nothing
    more = inflow.assign(regular=0.0)
    q = _run(cases, inflow=more, capacity=capacity.assign(regular=5.0), scenario="as-applied")
    pd.testing.assert_frame_equal(q.by_month[EURO], p.by_month[EURO])


def test_behaviour_per_stream() -> None:
    nareis = synthetic_open_cases(
        pd.Series(60.0, index=pd.period_range("2021-01", "2023-02", freq="M")),
        stock=300, as_of=AS_OF, application_type="family-reunification", id_prefix="N",
    )  # fmt: skip
    cases = pd.concat([_stock(), nareis], ignore_index=True)
    kw: dict[str, Any] = {"scenario": "extensions-void", "capacity": 4.0}
    one = _run(cases, **kw)
    same = _run(cases, behaviour={"asylum": SURE, "family-reunification": SURE}, **kw)
    pd.testing.assert_frame_equal(one.by_month, same.by_month)
    few = SURE.replace(notice_share=0.1)
    split = _run(cases, behaviour={"asylum": SURE, "family-reunification": few}, **kw)
    a, b = one.streams, split.streams
    pd.testing.assert_frame_equal(a["asylum"], b["asylum"])
    # Awb 4:17 is linear in the notice share (the chain after the notice scales with it)
    assert b["family-reunification"]["admin_accrued"].sum() == pytest.approx(
        0.1 * a["family-reunification"]["admin_accrued"].sum()
    )
    with pytest.raises(DwangsomError, match="expected-value mode"):
        _run(cases, behaviour={"asylum": SURE}, draws=2, seed=1, **kw)
    with pytest.raises(DwangsomError, match="not an application type"):
        _run(cases, behaviour={"asylum": SURE, "nareis": SURE}, **kw)


def _types(p: dwangsom.Projection, cases: pd.DataFrame, name: str) -> pd.Series:
    kinds = cases.get("application_type", pd.Series("asylum", index=cases.index))
    full = pd.Series("new", index=p.cases.index)
    full.iloc[: len(cases)] = kinds.fillna("asylum").to_numpy()
    return full == name


# --- item 5: the pipeline at its own dates -----------------------------------------------------


def test_recorded_judgment_runs_its_term_from_its_own_date() -> None:
    cases = pd.DataFrame({"case_id": ["j"], "received": ["2021-11-01"],
                          "notice_received": ["2022-06-01"], "appeal_filed": ["2022-06-20"],
                          "judgment_sent": ["2022-12-15"]})  # fmt: skip
    p = _run(cases, capacity=0.0)
    # 15 Dec 2022 + 112 days = 6 Apr 2023; EUR 100 a day from 7 Apr (RULES §6), max 7,500
    assert p.by_month.loc["2023-04", "court_accrued"] == 24 * 100
    assert p.by_month.loc["2023-03", "court_accrued"] == 0
    assert p.total(part="court") == 7_500


def test_a_longer_wait_leaves_a_shorter_judgment_lag() -> None:
    lag = Lag({56: 0.5, 120: 0.25, 240: 0.25})
    cases = pd.DataFrame({
        "case_id": ["old", "new"], "received": ["2021-01-10", "2021-01-10"],
        "notice_received": ["2022-06-01", "2022-06-01"],
        "appeal_filed": ["2022-11-08", "2023-02-06"],
    })  # fmt: skip
    p = _run(cases, capacity=0.0, behaviour=SURE.replace(judgment_lag=lag))
    j = p.by_month["judgments"]
    # "old" waited 100 days: judgment 120 or 240 days after its appeal (8 Mar / 6 Jul 2023)
    assert j.loc["2023-03"] == pytest.approx(0.5) and j.loc["2023-07"] == pytest.approx(0.5)
    # "new" waited 10 days: 56 days (3 Apr), 120 (6 Jun) or 240 (4 Oct), unconditionally
    assert j.loc["2023-04"] == pytest.approx(0.5) and j.loc["2023-06"] == pytest.approx(0.25)
    assert j.sum() == pytest.approx(2.0)
    assert lag.after(np.array([100]))[0].tolist() == [0.0, 0.5, 0.5]


# --- item 4: court compliance; item 6: repeat appeals; item 7: payment lag --------------------


def test_court_compliance_extremes() -> None:
    cases = _stock()
    base = _run(cases, scenario="extensions-void")
    none = _run(cases, scenario="extensions-void", behaviour=SURE.replace(court_compliance=0.0))
    full = _run(cases, scenario="extensions-void", behaviour=SURE.replace(court_compliance=1.0))
    half = _run(cases, scenario="extensions-void", behaviour=SURE.replace(court_compliance=0.5))
    pd.testing.assert_frame_equal(none.by_month, base.by_month)
    assert base.total(part="court") > 0 and full.total(part="court") == 0.0
    assert half.total(part="court") == pytest.approx(base.total(part="court") / 2)


def test_repeat_appeals_after_a_missed_court_term() -> None:
    cases = pd.DataFrame({"case_id": ["r"], "received": ["2021-11-01"],
                          "notice_received": ["2022-06-01"], "appeal_filed": ["2022-06-20"],
                          "judgment_sent": ["2022-12-15"]})  # fmt: skip
    b = SURE.replace(repeat_appeal_share=1.0, repeat_appeal_lag={14: 1.0})
    p = _run(cases, capacity=0.0, behaviour=b)
    # missed term 6 Apr 2023; repeat appeal 21 Apr; repeat judgment 56 days later (16 Jun);
    # the repeat court term and amounts come from the scenario's repeat row (RULES §6)
    assert p.by_month.loc[:"2023-06", "repeat_accrued"].sum() == 0.0
    assert p.total(part="repeat") > 0
    assert p.total() == pytest.approx(p.total(part="court") + p.total(part="repeat"))
    none = _run(cases, capacity=0.0, behaviour=b.replace(court_compliance=1.0))
    assert none.total(part="repeat") == 0.0


def test_payment_lag_moves_cash_not_accrual() -> None:
    cases = _stock()
    late = SURE.replace(payment_lag={0: 0.5, 365: 0.5})
    a = _run(cases, scenario="extensions-void", until="2026-12-31")
    b = _run(cases, scenario="extensions-void", until="2026-12-31", behaviour=late)
    pd.testing.assert_series_equal(a.by_month["total_accrued"], b.by_month["total_accrued"])
    assert b.total(basis="cash", end="2023-12") < a.total(basis="cash", end="2023-12")
    with pytest.raises(BehaviourError):
        Behaviour(notice_lag={0: 1.0})  # type: ignore[arg-type]


# --- item 3: spread ---------------------------------------------------------------------------


def test_spread_is_seeded_and_ages_the_stock() -> None:
    cases = _stock(80)
    strict = _run(cases, policy="fifo")
    noisy = _run(cases, policy=policies.fifo(spread_days=365, seed=1))
    again = _run(cases, policy=policies.fifo(spread_days=365, seed=1))
    pd.testing.assert_frame_equal(noisy.cases, again.cases)
    assert not noisy.cases["decided"].equals(strict.cases["decided"])

    # strict FIFO never decides a younger case before an older one; the spread does
    def inversions(p: dwangsom.Projection) -> int:
        c = p.cases.dropna(subset=["decided"]).sort_values(["received", "decided"])
        return int((np.diff(c["decided"].to_numpy().astype("int64")) < 0).sum())

    assert inversions(strict) == 0 < inversions(noisy)
    share = noisy.timeliness()
    assert list(share.columns) == ["decisions", "decided_in_term", "share"]
    assert (share["share"].dropna().between(0, 1)).all()
    assert policies.split(0.7, spread_days=30).spread_days == 30
    inflow = pd.Series(100.0, index=pd.period_range("2021-01", "2023-02", freq="M"))
    fifo = synthetic_open_cases(inflow, stock=500, as_of=AS_OF)
    aged = synthetic_open_cases(inflow, stock=500, as_of=AS_OF, spread_days=365, seed=2)
    assert len(aged) == 500 and aged["received"].is_monotonic_increasing
    assert aged["received"].min() < fifo["received"].min()


# --- item 8: what we do not know, in the bands -------------------------------------------------


def test_expected_value_is_the_mean_of_draws_with_parameter_uncertainty() -> None:
    cases = _stock(40)
    b = Behaviour(notice_share=Beta(6, 4), appeal_share=Beta(2, 6), court_compliance=Beta(2, 2),
                  judgment_lag=LagRange(56, 240, points=3))  # fmt: skip
    kw: dict[str, Any] = {"scenario": {"as-applied": 0.5, "extensions-void": 0.5},
                          "behaviour": b, "capacity": 2.0}  # fmt: skip
    ev = _run(cases, **kw)
    mc = _run(cases, draws=300, seed=8, **kw)
    idx = {n: i for i, n in enumerate(_PER_DRAW)}
    per_draw = sum(mc._draw_monthly[:, idx[f"{p}_accrued"]] for p in ("admin", "court", "repeat"))
    totals = np.asarray(per_draw).sum(axis=1)
    se = totals.std(ddof=1) / np.sqrt(totals.size)
    assert ev.total() > 0 and abs(totals.mean() - ev.total()) <= 4 * se
    q = mc.quantiles()
    assert q["p90"] - q["p10"] > 0.5 * ev.total()  # model uncertainty, not sampling noise
    with ThreadPoolExecutor(2) as pool:
        same = _run(cases, draws=300, seed=8, executor=pool, **kw)
    pd.testing.assert_frame_equal(mc.by_month, same.by_month)


def test_same_seed_on_a_process_pool_with_uncertainty() -> None:
    cases = _stock(20)
    b = SURE.replace(notice_share=Beta(5, 5), court_compliance=Beta(1, 1))
    kw: dict[str, Any] = {"behaviour": b, "draws": 16, "seed": 4,
                          "scenario": {"as-applied": 0.5, "extensions-void": 0.5}}  # fmt: skip
    with ProcessPoolExecutor(2) as pool:
        a = _run(cases, executor=pool, **kw)
    pd.testing.assert_frame_equal(a.by_month, _run(cases, **kw).by_month)


def test_dask_local_cluster_gives_the_same_draws() -> None:
    """The documented Dask recipe (docs/projection.md): a LocalCluster's executor."""
    distributed = pytest.importorskip("distributed")
    import dask

    cases = _stock(20)
    kw: dict[str, Any] = {"behaviour": SURE.replace(notice_share=Beta(5, 5)), "draws": 8,
                          "seed": 9}  # fmt: skip
    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                 processes=True) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        a = _run(cases, executor=client.get_executor(), **kw)
    pd.testing.assert_frame_equal(a.by_month, _run(cases, **kw).by_month)


def test_blocks_of_cases_give_the_draws_of_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Monte Carlo cuts the cases into blocks (a task each, issue 12 item 5): blocks of 7 cases
    give the draws of one block (to rounding: the sums are added in another order), and a
    process pool gives exactly what the blocks give serially."""
    from dwangsom.projection import montecarlo

    cases = _stock(30)
    b = SURE.replace(notice_share=Beta(5, 5), court_compliance=Beta(2, 2), repeat_appeal_share=0.3,
                     judgment_lag=LagRange(56, 200, points=3))  # fmt: skip
    kw: dict[str, Any] = {"behaviour": b, "draws": 12, "seed": 21, "inflow": 40.0,
                          "scenario": {"as-applied": 0.5, "extensions-void": 0.5}}  # fmt: skip
    whole = _run(cases, **kw)
    monkeypatch.setattr(montecarlo, "_BLOCK_CASES", 7)
    blocks = _run(cases, **kw)
    pd.testing.assert_frame_equal(blocks.by_month, whole.by_month, rtol=1e-12)
    pd.testing.assert_frame_equal(blocks.cases, whole.cases, rtol=1e-12)
    assert np.allclose(blocks._draw_monthly, whole._draw_monthly, rtol=1e-12, atol=1e-9)
    assert (blocks._draw_monthly.std(axis=0) > 0).any()  # the draws differ from each other
    with ProcessPoolExecutor(2) as pool:
        pooled = _run(cases, executor=pool, **kw)
    assert pooled.by_month.equals(blocks.by_month) and pooled.cases.equals(blocks.cases)


def test_a_block_reads_its_cases_uniforms_from_the_stream() -> None:
    """A block's uniforms are the doubles ``lo..hi`` of the draw's stream after its parameters:
    what ``rng.random(n)[lo:hi]`` gives (one PCG64 step per double)."""
    from dwangsom.projection.montecarlo import _uniforms

    for seed in range(5):
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        rng.integers(3)  # what a LagRange draw takes
        rng.beta(2.0, 3.0)
        state = dict(rng.bit_generator.state)
        full = rng.random(1_000)
        for lo, hi in ((0, 1_000), (0, 7), (7, 20), (999, 1_000)):
            assert np.array_equal(_uniforms(state, lo, hi), full[lo:hi])


# --- the result -------------------------------------------------------------------------------


def test_summary_periods_and_parsed_cases() -> None:
    cases = _stock()
    p = _run(cases, scenario="extensions-void")
    s = p.summary()
    assert s.loc["total_accrued", "value"] == round(p.total())
    assert s["value"].dtype == np.int64 and s.loc["total_cash", "unit"] == "EUR"
    life = p.liability_by_month(after_as_of=True)
    assert life["total"].sum() == pytest.approx(p.total())
    assert life["total"].sum() == pytest.approx(p.by_month["total_accrued"].sum())
    parsed = parse_cases(cases, scenario="extensions-void")
    q = _run(parsed, scenario="extensions-void")
    pd.testing.assert_frame_equal(q.by_month, p.by_month)
    mc = _run(cases, scenario="extensions-void", draws=5, seed=1).summary()
    assert {"p10", "p50", "p90"} <= set(mc.columns)
