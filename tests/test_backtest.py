"""Backtests: settings, forecast before score, the score table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom.backtests import scoring, setting
from dwangsom.errors import DwangsomError


@pytest.mark.parametrize("name", ["2020", "2023", "2024"])
def test_settings_use_only_what_was_known(name: str) -> None:
    s = setting(name, scale=0.01)
    assert s.known_by >= s.reference
    assert s.hindcast.until == f"{s.known_by:%Y-%m-%d}"
    # every parameter the setting keeps is listed with its source and date
    for fixed in s.fixed:
        assert fixed.source and fixed.dated
    # a source dated after known_by is flagged as not known then
    assert all(f.known == (not f.dated[:4].isdigit() or f.dated <= f"{s.known_by:%Y-%m-%d}")
               for f in s.fixed)  # fmt: skip
    assert abs(sum(s.weights.values()) - 1) < 1e-12


def test_the_forecast_step_never_reads_what_was_paid(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> pd.DataFrame:
        raise AssertionError("the paid amounts were read before the forecast was made")

    s = setting("2023", scale=0.01)
    monkeypatch.setattr(scoring, "published", forbidden)
    f = scoring.forecast(s, draws=2)
    assert set(f.projections) == set(s.readings)
    with pytest.raises(AssertionError, match="before the forecast"):
        scoring.paid(s.years)


def test_backtest_reads_paid_only_after_the_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    real_forecast, real_paid = scoring.forecast, scoring.paid

    def forecast(*a: Any, **k: Any) -> Any:
        order.append("forecast")
        return real_forecast(*a, **k)

    def paid(*a: Any, **k: Any) -> Any:
        order.append("paid")
        return real_paid(*a, **k)

    monkeypatch.setattr(scoring, "forecast", forecast)
    monkeypatch.setattr(scoring, "paid", paid)
    b = dwangsom.backtest("2023", scale=0.01, draws=3)
    assert order == ["forecast", "paid"]
    t = b.table
    assert list(t.columns) == ["reading", "period", "p10", "p50", "p90", "expected", "paid",
                               "relative_error"]  # fmt: skip
    row = t[(t["reading"] == "as-applied") & (t["period"] == "2023")].iloc[0]
    assert row["paid"] == 11_300_000
    assert row["relative_error"] == pytest.approx((row["expected"] - 11.3e6) / 11.3e6)
    both = t[(t["reading"] == "as-applied") & (t["period"] == "2023+2024")].iloc[0]
    assert both["paid"] == 48_100_000
    assert both["expected"] == pytest.approx(
        t[(t["reading"] == "as-applied") & t["period"].isin(["2023", "2024"])]["expected"].sum()
    )
    assert (t["p10"] <= t["p90"] + 1e-6).all()
    d = b.decomposition
    assert {"reading", "year", "stream", "component", "expected"} <= set(d.columns)
    asylum = d[(d["stream"] == "asylum") & d["expected"].notna()]
    total = asylum[(asylum["reading"] == "as-applied") & (asylum["year"] == 2023)]["expected"].sum()
    assert total == pytest.approx(row["expected"])
    assert "backtest 2023" in str(b)


def test_the_2020_setting_scores_both_readings() -> None:
    b = dwangsom.backtest("2020", scale=0.01, draws=0)
    readings = set(b.table["reading"])
    assert {"no-temporary-act", "with the Temporary Act"} <= readings
    t = b.table.set_index(["reading", "period"])
    # the Act switches the asylum penalties off from 10 July 2020: less cash in 2021
    assert t.loc[("with the Temporary Act", "2021"), "expected"] < t.loc[
        ("no-temporary-act", "2021"), "expected"
    ]
    assert np.isnan(t.loc[("no-temporary-act", "2020"), "p10"])  # no draws asked


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(DwangsomError, match="unknown setting"):
        dwangsom.backtest("1999")


def test_cli_backtest_prints_the_score_table(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from dwangsom.cli import main

    chart = tmp_path / "bt.png"
    assert main(["backtest", "2023", "--scale", "0.01", "--draws", "2", "--plot", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "backtest 2023" in out and "relative_error" in out and "notice_share" in out
    assert chart.stat().st_size > 1000
    assert main(["backtest", "1999"]) == 2


def test_the_docs_page_script_runs_small(tmp_path: Any) -> None:
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "forecasts.py"
    spec = importlib.util.spec_from_file_location("forecasts_page", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "forecasts.md"
    # one setting (the others run in the tests above), the letter example, small
    args = ["--scale", "0.01", "--draws", "2", "--names", "2023", "--output", str(out)]
    assert module.main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# How good are the forecasts")
    assert "## Setting 2023" in text and "| 2023 | as-applied | 2023+2024 |" in text
    assert "within ±25% of what was paid" in text
    assert "What the backtests miss" in text
    assert "## The letter example, calibrated" in text and "void_weight" in text
    assert "notice_share" in text and (tmp_path / "forecasts.png").stat().st_size > 1000


def test_the_2024_setting_wires_the_new_drivers() -> None:
    from dwangsom.calibration import calibrate

    s = setting("2024", scale=0.005)
    names = [p.name for p in s.parameters]
    assert {"premature_notice_share", "void_weight", "spread_days"} <= set(names)
    # a short fit (two evaluations): every parameter reaches the model and moves a value
    cal = calibrate(s.hindcast, s.observations, as_of=s.known_by, parameters=s.parameters,
                    max_nfev=2)  # fmt: skip
    summary = cal.summary()
    assert ((summary["value"] >= summary["lower"]) & (summary["value"] <= summary["upper"])).all()
    assert np.isfinite(cal.se).all(), cal.se
    void = float(cal.values["void_weight"])
    assert cal.inputs().weights["extensions-void"] == pytest.approx(void)
