"""Charts: titles, euro value axes, month date axes, bands; clear errors on the wrong table."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dwangsom import plotting

MONTHS = pd.period_range("2022-01", "2023-12", freq="M", name="month")


@pytest.fixture
def liability() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {"admin": rng.integers(0, 5_000, MONTHS.size), "court": rng.integers(0, 90_000, 24)},
        index=MONTHS,
    )
    table["total"] = table["admin"] + table["court"]
    for column in ["admin", "court", "total"]:
        table[f"{column}_cumulative"] = table[column].cumsum()
    return table


@pytest.fixture
def comparison(liability: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {"as-applied": liability["total"], "extensions-void": liability["total"] * 2},
        index=MONTHS,
    )
    table["diff extensions-void"] = table["extensions-void"] - table["as-applied"]
    return table


def _labels(axis: object) -> list[str]:
    fig = axis.figure  # type: ignore[attr-defined]
    fig.canvas.draw()
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]  # type: ignore[attr-defined]


def test_euro_labels() -> None:
    assert doctest.testmod(plotting).failed == 0
    assert plotting.euro(7_500) == "€ 7.5k"
    assert plotting.euro(55_000_000) == "€ 55m"


def test_liability_chart(liability: pd.DataFrame, tmp_path: Path) -> None:
    fig = plotting.plot_liability(liability)
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Penalty liability per month"
    assert "euros" in ax.get_ylabel()
    assert all(label.startswith(("€", "-€")) for label in _labels(ax.yaxis))
    assert any("2023" in label for label in _labels(ax.xaxis))
    assert len(ax.patches) == 2 * MONTHS.size  # admin and court bars stacked
    fig.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000


def test_scenarios_skip_difference_columns(comparison: pd.DataFrame) -> None:
    ax = plotting.plot_scenarios(comparison, title="Mine").axes[0]
    assert ax.get_title(loc="left") == "Mine"
    assert [line.get_label() for line in ax.lines] == ["as-applied", "extensions-void"]


def test_cumulative(liability: pd.DataFrame, comparison: pd.DataFrame) -> None:
    ax = plotting.plot_cumulative(liability).axes[0]
    total = next(line for line in ax.lines if line.get_label() == "total")
    assert total.get_ydata()[-1] == liability["total"].sum()  # type: ignore[index]
    ax = plotting.plot_cumulative(comparison).axes[0]
    assert len(ax.lines) == 2


def test_overview_has_two_panels(liability: pd.DataFrame, comparison: pd.DataFrame) -> None:
    for table in (liability, comparison):
        fig = plotting.overview_figure(table, title="Demo")
        assert len(fig.axes) == 2
        assert fig.get_suptitle() == "Demo"


def test_projection_bands(liability: pd.DataFrame) -> None:
    centre = liability["total_cumulative"].astype(float)
    projection = pd.DataFrame(
        {"p5": centre * 0.8, "p25": centre * 0.9, "p50": centre, "p75": centre * 1.1},
        index=MONTHS,
    )
    projection["p95"] = centre * 1.2
    ax = plotting.plot_projection(projection, observed=centre[:6].rename("accrued")).axes[0]
    labels = [c.get_label() for c in ax.collections]
    assert labels == ["5%-95% band", "25%-75% band"]
    assert [line.get_label() for line in ax.lines] == ["p50", "accrued"]
    assert ax.get_title(loc="left") == "Projected penalty liability"


def test_wrong_tables_raise_clearly(comparison: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="liability_by_month"):
        plotting.plot_liability(comparison)
    with pytest.raises(ValueError, match="no central column"):
        plotting.plot_projection(pd.DataFrame({"x": [1.0]}, index=MONTHS[:1]))
    with pytest.raises(ValueError, match="index must be months"):
        plotting.plot_scenarios(pd.DataFrame({"a": [1.0]}, index=["not a month"]))
