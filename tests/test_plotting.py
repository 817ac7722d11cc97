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


def test_euro_axis_never_shows_minus_zero(comparison: pd.DataFrame) -> None:
    assert plotting.euro(-0.0) == plotting.euro(-0.4) == plotting.euro(-1e-12) == "€ 0"
    assert plotting.euro(999_999) == "€ 1m" and plotting.euro(-1_500) == "-€ 1.5k"
    flat = comparison.copy()
    flat["as-applied"] = 0  # a line at zero: matplotlib puts ticks at tiny negatives
    flat["extensions-void"] = 0
    ax = plotting.plot_scenarios(flat).axes[0]
    labels = _labels(ax.yaxis)
    assert "-€ 0" not in labels and "€ 0" in labels


def test_identical_series_dashed_and_named(comparison: pd.DataFrame) -> None:
    same = comparison.copy()
    same["extensions-void"] = same["as-applied"]
    same["no-temporary-act"] = same["as-applied"] * 3
    for plot in (plotting.plot_scenarios, plotting.plot_cumulative):
        ax = plot(same).axes[0]
        lines = {line.get_label(): line for line in ax.lines}
        dashed = lines["extensions-void (identical to as-applied)"]
        assert dashed.get_linestyle() == "--" and dashed.get_zorder() > 2
        assert lines["as-applied"].get_linestyle() == "-"
        assert lines["no-temporary-act"].get_linestyle() == "-"


def test_as_of_marker_and_titles_from_the_result() -> None:
    import dwangsom

    cases = pd.DataFrame(
        {"case_id": [1], "received": ["2019-06-01"], "notice_received": ["2020-01-02"]}
    )
    months = dwangsom.liability_by_month(cases, as_of="2020-03-31", basis="cash")
    ax = plotting.plot_liability(months).axes[0]
    assert ax.get_title(loc="left") == (
        "Penalty liability per month (cash basis, as of 2020-03-31)"
    )
    assert [t.get_text() for t in ax.texts] == ["as of 2020-03-31"]
    fig = plotting.overview_figure(months)
    assert "cash basis, as of 2020-03-31" in fig.get_suptitle()
    assert all(a.texts for a in fig.axes)


def test_plots_accept_what_their_docs_say(liability: pd.DataFrame) -> None:
    import dwangsom

    cases = pd.DataFrame(
        {
            "case_id": [1, 2],
            "received": ["2019-06-01", "2019-07-01"],
            "notice_received": ["2020-01-02", "2020-02-03"],
            "team": ["a", "b"],
        }
    )
    grouped = dwangsom.liability_by_month(cases, as_of="2020-06-30", by="team")
    whole = dwangsom.liability_by_month(cases, as_of="2020-06-30")
    ax = plotting.plot_liability(grouped).axes[0]  # a by= table: summed over its groups
    heights = [p.get_height() for p in ax.patches][: len(whole)]
    assert heights == whole["admin"].astype(float).tolist()
    ax = plotting.plot_scenarios(whole).axes[0]  # "a liability_by_month table works too"
    assert [line.get_label() for line in ax.lines if line.get_gid() is None] == ["total"]
    quantiles = pd.DataFrame({"q05": [1.0, 2.0], "q95": [3.0, 4.0], "median": [2.0, 3.0]},
                             index=MONTHS[:2])  # fmt: skip
    ax = plotting.plot_projection(quantiles).axes[0]
    assert [c.get_label() for c in ax.collections] == ["5%-95% band"]
    percent = quantiles.rename(columns={"q05": "5%", "q95": "95%"})
    assert plotting.plot_projection(percent).axes[0].collections


def test_projection_joined_to_its_history() -> None:
    history = pd.Series([10.0, 20.0], index=MONTHS[:2], name="history")
    projection = pd.DataFrame(
        {"p10": [25.0, 28.0], "mean": [30.0, 33.0], "p90": [35.0, 38.0]}, index=MONTHS[2:4]
    )
    ax = plotting.plot_projection(projection, observed=history, as_of="2022-02-28").axes[0]
    joins = [line for line in ax.lines if line.get_gid() == "join"]
    assert len(joins) == 1
    assert list(joins[0].get_ydata()) == [20.0, 30.0]  # type: ignore[arg-type]
    assert [t.get_text() for t in ax.texts] == ["as of 2022-02-28"]
    assert [line.get_gid() for line in ax.lines].count("as-of") == 1
