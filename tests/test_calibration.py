"""dwangsom.calibrate: no look-ahead, recovery of known parameters, refusals."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom.backtests import setting
from dwangsom.calibration import (
    Hindcast,
    ObservationError,
    OutsideWindowError,
    Parameter,
    UnknownMeasureError,
    UnpublishedError,
    calibrate,
    observations,
    published,
    with_mean,
)
from dwangsom.errors import DwangsomError

ROOT = Path(__file__).resolve().parents[1]


def test_packaged_observations_are_the_documented_copy() -> None:
    a = (ROOT / "data" / "figures" / "dated" / "observations.csv").read_bytes()
    b = (ROOT / "dwangsom" / "calibration" / "data" / "observations.csv").read_bytes()
    assert a == b


def test_every_published_row_has_a_source_and_a_date_after_its_period() -> None:
    t = published()
    assert (t["source"].str.len() > 0).all()
    later = t["published"] >= t["period_end"]
    exempt = t["measure"].isin(["claiming_share", "accrual_per_week"]) | t["measure"].str.endswith(
        "_forecast"
    )
    assert (later | exempt).all()


# --- no look-ahead ----------------------------------------------------------------------------


def _late_row(value: float, published_on: str) -> dict[str, str]:
    return {
        "measure": "notices", "stream": "all", "period_start": "2022-01-01",
        "period_end": "2022-12-31", "value": str(value), "unit": "notices",
        "published": published_on, "status": "official", "source": "test: a later revision",
    }  # fmt: skip


def test_rows_published_after_the_reference_date_change_no_fitted_value() -> None:
    s = setting("2023", scale=0.01)
    base = calibrate(s.hindcast, s.observations, as_of=s.known_by, parameters=s.parameters)
    raw = s.observations.copy()
    for c in ("period_start", "period_end", "published"):
        raw[c] = raw[c].dt.strftime("%Y-%m-%d")
    raw["value"] = raw["value"].astype(str)
    raw = raw.drop(columns=["rel_sd"])
    # add a wildly different later figure and change one published the day after the reference
    extra = pd.DataFrame([_late_row(1e6, "2023-02-17"), _late_row(5.0, "2030-01-01")])
    changed = pd.concat([raw, extra], ignore_index=True)
    again = calibrate(s.hindcast, changed, as_of=s.known_by, parameters=s.parameters)
    assert again.values.equals(base.values)
    assert again.se.equals(base.se)
    assert again.unused == base.unused + 2
    # the same rows published on the reference date do move the fit (the test can fail)
    moved = changed.copy()
    moved.loc[moved.index[-2], "published"] = "2023-02-16"
    shifted = calibrate(s.hindcast, moved, as_of=s.known_by, parameters=s.parameters)
    assert not np.isclose(shifted.values["notice_share"], base.values["notice_share"])


# --- recovery ---------------------------------------------------------------------------------

TRUE = {"notice_share": 0.7, "appeal_share": 0.35, "judgment_lag": 84.0}


def _synthetic_model() -> Hindcast:
    n = 240
    received = pd.date_range("2019-01-01", periods=n, freq="1D")
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(n)], "received": received})
    return Hindcast(
        cases, start="2019-09-30", until="2020-12-31", inflow=0.0, capacity=8.0,
        scenario="no-temporary-act",
    )  # fmt: skip


def _synthetic_observations(model: Hindcast, rel_sd: float, seed: int) -> pd.DataFrame:
    p = model.run(TRUE)
    rng = np.random.default_rng(seed)
    rows = []
    for quarter in pd.period_range("2019-10", "2020-12", freq="Q"):
        lo, hi = quarter.start_time, quarter.end_time.normalize()
        months = pd.period_range(lo, hi, freq="M")
        for measure, column in (("notices", "notices"), ("appeals", "appeals"),
                                ("judgments", "judgments"), ("court_accrued", "court_accrued")):
            value = float(p.by_month.loc[months, column].sum())
            if value <= 0:
                continue
            noisy = value * (1 + rel_sd * rng.standard_normal())
            rows.append({"measure": measure, "stream": "asylum",
                         "period_start": f"{lo:%Y-%m-%d}", "period_end": f"{hi:%Y-%m-%d}",
                         "value": str(max(noisy, 0.0)), "unit": "count",
                         "published": "2021-01-31", "status": "official",
                         "source": "synthetic: the projection itself", "rel_sd": str(rel_sd)})
    return pd.DataFrame(rows)  # fmt: skip


def test_calibration_recovers_known_parameters_within_their_uncertainty() -> None:
    model = _synthetic_model()
    table = _synthetic_observations(model, rel_sd=0.05, seed=1)
    params = [
        Parameter("notice_share", 0.5, 0.05, 1.0),
        Parameter("appeal_share", 0.2, 0.01, 0.9),
        Parameter("judgment_lag", 60.0, 20.0, 150.0),
    ]
    fit = calibrate(model, table, as_of="2021-06-30", parameters=params)
    assert fit.status.startswith("converged")
    for name, true in TRUE.items():
        se = float(fit.se[name])
        assert np.isfinite(se) and se > 0
        assert abs(float(fit.values[name]) - true) < 3 * se, (name, fit.values[name], se)
    # the fit table: observed, fitted and residual agree
    assert np.allclose(fit.fit["residual"], fit.fit["fitted"] - fit.fit["observed"])
    summary = fit.summary()
    assert list(summary.index) == list(TRUE)
    assert {"value", "se", "ci95_low", "ci95_high", "source"} <= set(summary.columns)
    assert "Calibration as of 2021-06-30" in fit._repr_html_()


def test_exact_synthetic_observations_are_recovered_exactly() -> None:
    model = _synthetic_model()
    table = _synthetic_observations(model, rel_sd=0.0001, seed=0)
    fit = calibrate(model, table, as_of="2021-06-30",
                    parameters={"notice_share": (0.5, 0.05, 1.0), "appeal_share": (0.2, 0.01, 0.9),
                                "judgment_lag": (60.0, 20.0, 150.0)})  # fmt: skip
    assert abs(float(fit.values["notice_share"]) - TRUE["notice_share"]) < 0.01
    assert abs(float(fit.values["appeal_share"]) - TRUE["appeal_share"]) < 0.01
    assert abs(float(fit.values["judgment_lag"]) - TRUE["judgment_lag"]) < 1.0


def test_bootstrap_gives_draws_and_a_second_standard_error() -> None:
    model = _synthetic_model()
    table = _synthetic_observations(model, rel_sd=0.05, seed=2)
    fit = calibrate(model, table, as_of="2021-06-30",
                    parameters={"notice_share": (0.5, 0.05, 1.0)}, bootstrap=2)  # fmt: skip
    assert len(fit.bootstrap) == 2
    assert "bootstrap_se" in fit.summary().columns
    assert len(fit.draws(2)) == 2


def test_lag_mean_is_a_smooth_shift() -> None:
    lag = dwangsom.Behaviour().notice_lag
    assert with_mean(lag, lag.mean + 10.5).mean == pytest.approx(lag.mean + 10.5)
    with pytest.raises(DwangsomError, match="below 1 day"):
        with_mean(lag, 1.0)


# --- refusals ---------------------------------------------------------------------------------


def _row(**changes: str) -> pd.DataFrame:
    base = {
        "measure": "notices", "stream": "asylum", "period_start": "2020-01-01",
        "period_end": "2020-03-31", "value": "10", "unit": "notices",
        "published": "2020-04-30", "status": "official", "source": "test",
    }  # fmt: skip
    base.update(changes)
    return pd.DataFrame([base])


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"published": ""}, UnpublishedError, "no published date"),
        ({"measure": "open_appeals"}, UnknownMeasureError, "cannot compute measure 'open_appeals'"),
        ({"stream": "family"}, UnknownMeasureError, "covers the stream"),
        ({"stream": "everything"}, ObservationError, "unknown stream"),
        ({"period_start": "2019-01-01"}, OutsideWindowError, "outside the model's window"),
        ({"period_end": "2019-12-31"}, ObservationError, "before period_start"),
        ({"value": "many"}, ObservationError, "not a number"),
        ({"value": "-1"}, ObservationError, ">= 0"),
        ({"published": "2020-03-01"}, ObservationError, "before the period it describes ended"),
        ({"published": "2099-01-01"}, ObservationError, "none published on or before"),
        ({"measure": "open", "period_start": "2020-02-10", "period_end": "2020-02-10",
          "published": "2020-03-01"}, OutsideWindowError, "month's end"),
    ],
)
def test_unusable_observations_are_refused_by_name(
    changes: dict[str, str], error: type[Exception], match: str
) -> None:
    model = dataclasses.replace(_synthetic_model(), start="2019-12-31")
    with pytest.raises(error, match=match):
        calibrate(model, _row(**changes), as_of="2021-01-01",
                  parameters={"notice_share": (0.5, 0.0, 1.0)})  # fmt: skip


def test_unknown_parameters_and_bad_bounds_are_refused() -> None:
    model = _synthetic_model()
    with pytest.raises(DwangsomError, match="not a Behaviour share or lag field"):
        calibrate(model, _row(), as_of="2021-01-01", parameters={"patience": (1, 0, 2)})
    with pytest.raises(DwangsomError, match="lower <= initial <= upper"):
        Parameter("notice_share", 2.0, 0.0, 1.0)
    with pytest.raises(ObservationError, match="missing column"):
        observations(pd.DataFrame({"measure": ["notices"]}))


def _overdue_stock() -> Hindcast:
    cases = pd.DataFrame({"case_id": [f"o{i}" for i in range(20)],
                          "received": ["2020-01-10"] * 10 + ["2020-06-10"] * 10})  # fmt: skip
    behaviour = dwangsom.Behaviour(notice_share=0.8, notice_lag={7: 0.5, 60: 0.5})
    return Hindcast(cases, start="2020-08-31", until="2020-12-31", inflow=0.0, capacity=0,
                    behaviour=behaviour, scenario="no-temporary-act")  # fmt: skip


def test_catch_up_notices_are_those_whose_lag_ended_before_the_window() -> None:
    counted = _overdue_stock()
    excluded = dataclasses.replace(counted, catch_up="exclude")
    p = counted.run({})
    # 10 cases 52 days overdue on 31 Aug (deadline 10 Jul): lag 7 ended before, lag 60 not
    assert counted.catch_up_notices(p) == pytest.approx(0.8 * 0.5 * 10)
    table = observations(_row(period_start="2020-09-01", period_end="2020-12-31",
                              published="2021-01-31"))  # fmt: skip
    with_catch_up = counted.values(p, table)[0]
    without = excluded.values(p, table)[0]
    assert with_catch_up - without == pytest.approx(4.0)
    # the others: 0.8 of the 10 old cases at lag 60 and 0.8 of the 10 new ones (deadline 10 Dec)
    assert without == pytest.approx(0.8 * 0.5 * 10 + 0.8 * 0.5 * 10)


def test_readings_combine_by_weight_and_void_weight_moves_them() -> None:
    base = _overdue_stock()
    readings = {"as-applied": "as-applied", "extensions-void": "no-temporary-act"}
    mixed = dataclasses.replace(base, scenario=None, readings=readings,
                                weights={"as-applied": 0.5, "extensions-void": 0.5})  # fmt: skip
    table = observations(_row(measure="accrued", period_start="2020-09-01",
                              period_end="2020-12-31", published="2021-01-31"))  # fmt: skip
    a = mixed.values(mixed.run({}, reading="as-applied"), table)[0]
    b = mixed.values(mixed.run({}, reading="extensions-void"), table)[0]
    assert a != b
    assert mixed.predict({"void_weight": 0.25}, table)[0] == pytest.approx(0.75 * a + 0.25 * b)
    assert mixed.inputs({"void_weight": 0.25}).weights == {"as-applied": 0.75,
                                                            "extensions-void": 0.25}  # fmt: skip
    with pytest.raises(DwangsomError, match="labelled 'extensions-void'"):
        base.inputs({"void_weight": 0.5})
    with pytest.raises(DwangsomError, match="name one to run"):
        mixed.run({})
