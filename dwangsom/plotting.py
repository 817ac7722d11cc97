"""Charts for reports: monthly liability, scenarios side by side, cumulative totals, projections.

Needs matplotlib (``pip install "dwangsom[plot]"``). Every function takes the table another
dwangsom function returns and gives back a :class:`matplotlib.figure.Figure` (made without
``pyplot``, so no global state is touched) with a title, euro amounts on the value axis and months
on the date axis. Pass ``ax=`` to draw into an axes of your own instead; save with
``fig.savefig("chart.png", dpi=150)``.

- :func:`plot_liability`: one scenario's monthly table (:func:`dwangsom.liability_by_month`),
  administrative and court penalties stacked per month.
- :func:`plot_scenarios`: the monthly total per scenario (:func:`dwangsom.compare`).
- :func:`plot_cumulative`: the running total, of one table or of each scenario.
- :func:`plot_projection`: a projection's central line with its uncertainty bands.
- :func:`overview_figure`: monthly and cumulative panels in one figure (what ``dwangsom demo``
  and ``dwangsom months --plot`` write).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "euro",
    "overview_figure",
    "plot_cumulative",
    "plot_liability",
    "plot_projection",
    "plot_scenarios",
]

_LIABILITY = ("admin", "court", "total")
_QUANTILE = re.compile(r"^(?:p|q|p_|q_|quantile_)?(\d{1,2}(?:\.\d+)?)%?$")
_CENTRE = ("median", "p50", "q50", "mean", "expected", "total")
_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2f5597")


def _matplotlib() -> Any:
    try:
        import matplotlib
        import matplotlib.dates
        import matplotlib.figure
        import matplotlib.ticker
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            'charts need matplotlib: pip install "dwangsom[plot]" (or pip install matplotlib)'
        ) from None
    return matplotlib


def euro(value: float, _pos: object = None) -> str:
    """A compact euro label for an axis tick: ``€ 0``, ``€ 950``, ``€ 12k``, ``€ 1.5m``.

    >>> euro(0), euro(950), euro(12_000), euro(1_500_000), euro(-2_000_000)
    ('€ 0', '€ 950', '€ 12k', '€ 1.5m', '-€ 2m')
    """
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size >= 1e9:
        text = f"{size / 1e9:.3g}bn"
    elif size >= 1e6:
        text = f"{size / 1e6:.3g}m"
    elif size >= 1e3:
        text = f"{size / 1e3:.3g}k"
    else:
        text = f"{size:.0f}"
    return f"{sign}€ {text}"


def _months(index: pd.Index[Any]) -> pd.DatetimeIndex:
    """Month starts of a monthly ``PeriodIndex`` (or of a date-like index)."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp(how="start")
    if isinstance(index, pd.DatetimeIndex):
        return index
    try:
        return pd.DatetimeIndex(pd.PeriodIndex(index.astype(str), freq="M").to_timestamp())
    except (ValueError, TypeError):
        raise ValueError(
            "chart: the table's index must be months (a monthly PeriodIndex or dates), "
            f"got {index.dtype}"
        ) from None


def _axes(ax: Axes | None, *, title: str | None) -> tuple[Figure, Axes]:
    mpl = _matplotlib()
    if ax is None:
        fig = mpl.figure.Figure(figsize=(10, 5), layout="constrained")
        ax = fig.add_subplot()
    figure = ax.get_figure(root=True)
    if figure is None:  # pragma: no cover - an axes always belongs to a figure
        raise ValueError("chart: the axes belongs to no figure")
    if title:
        ax.set_title(title, loc="left", fontweight="bold")
    return figure, ax


def _finish(ax: Axes, *, ylabel: str, legend: bool = True) -> None:
    mpl = _matplotlib()
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(euro))
    ax.set_ylabel(ylabel)
    locator = mpl.dates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator))
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False)


def _scenario_columns(table: pd.DataFrame) -> list[str]:
    if set(_LIABILITY) <= set(table.columns):
        return ["total"]
    columns = [str(c) for c in table.columns if not str(c).startswith("diff ")]
    if not columns:
        raise ValueError("chart: the table has no scenario columns")
    return columns


def plot_liability(
    months: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Figure:
    """Stacked monthly bars of the administrative (Awb 4:17) and court (Awb 8:55d) penalties.

    ``months`` is a table from :func:`dwangsom.liability_by_month` (columns ``admin``, ``court``;
    index: months).
    """
    missing = {"admin", "court"} - set(months.columns)
    if missing:
        raise ValueError(
            f"plot_liability: the table lacks column(s) {', '.join(sorted(missing))}; "
            "pass the result of dwangsom.liability_by_month"
        )
    fig, ax = _axes(ax, title=title or "Penalty liability per month")
    x = _months(months.index) + pd.Timedelta(days=14)
    admin = months["admin"].to_numpy(dtype=float)
    court = months["court"].to_numpy(dtype=float)
    ax.bar(x, admin, width=25, color=_COLOURS[0], label="administrative (Awb 4:17)")
    ax.bar(x, court, width=25, bottom=admin, color=_COLOURS[1], label="court (Awb 8:55d)")
    _finish(ax, ylabel="euros per month")
    return fig


def plot_scenarios(
    comparison: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Figure:
    """The monthly total of each scenario as a line (a table from :func:`dwangsom.compare`;
    ``diff …`` columns are skipped). A :func:`dwangsom.liability_by_month` table works too."""
    fig, ax = _axes(ax, title=title or "Penalty liability per month, by scenario")
    x = _months(comparison.index)
    for i, column in enumerate(_scenario_columns(comparison)):
        ax.plot(
            x,
            comparison[column].to_numpy(dtype=float),
            color=_COLOURS[i % len(_COLOURS)],
            linewidth=1.8,
            label=column,
        )
    _finish(ax, ylabel="euros per month")
    return fig


def plot_cumulative(
    table: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None
) -> Figure:
    """The running total: of ``admin``, ``court`` and ``total`` for a
    :func:`dwangsom.liability_by_month` table, or of each scenario for a
    :func:`dwangsom.compare` table."""
    fig, ax = _axes(ax, title=title or "Cumulative penalty liability")
    x = _months(table.index)
    if set(_LIABILITY) <= set(table.columns):
        series = {
            "administrative (Awb 4:17)": table["admin"],
            "court (Awb 8:55d)": table["court"],
            "total": table["total"],
        }
    else:
        series = {str(c): table[c] for c in _scenario_columns(table)}
    for i, (label, values) in enumerate(series.items()):
        ax.plot(
            x,
            np.cumsum(values.to_numpy(dtype=float)),
            color=_COLOURS[i % len(_COLOURS)],
            linewidth=2.2 if label == "total" else 1.6,
            label=label,
        )
    _finish(ax, ylabel="euros, cumulative")
    return fig


def _quantile_columns(table: pd.DataFrame) -> dict[float, str]:
    found: dict[float, str] = {}
    for column in table.columns:
        m = _QUANTILE.match(str(column).lower())
        if m:
            found[round(float(m.group(1)) / 100, 6)] = str(column)  # names are percentages
    return found


def plot_projection(
    projection: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    centre: str | None = None,
    observed: pd.Series[Any] | None = None,
) -> Figure:
    """A projection's central line with shaded bands between matching quantile columns.

    ``projection`` is indexed by month; quantile columns are named like ``p5``/``p95``,
    ``q05``/``q95`` or ``5%``/``95%``, and the central line is ``centre`` or the first of
    ``median``, ``p50``, ``mean``, ``expected``, ``total`` that exists. Each pair of quantiles
    symmetric around the median becomes one band (wider bands lighter). ``observed`` (a monthly
    series) is drawn as a black line, e.g. the accrued liability so far.
    """
    fig, ax = _axes(ax, title=title or "Projected penalty liability")
    x = _months(projection.index)
    quantiles = _quantile_columns(projection)
    lows = sorted(q for q in quantiles if q < 0.5)
    bands = [(q, round(1 - q, 6)) for q in lows if round(1 - q, 6) in quantiles]
    for i, (low, high) in enumerate(bands):  # widest first
        ax.fill_between(
            x,
            projection[quantiles[low]].to_numpy(dtype=float),
            projection[quantiles[high]].to_numpy(dtype=float),
            color=_COLOURS[0],
            alpha=0.15 + 0.15 * i,
            linewidth=0,
            label=f"{low:.0%}-{high:.0%} band",
        )
    name = centre or next((c for c in _CENTRE if c in projection.columns), None)
    if name is None and 0.5 in quantiles:
        name = quantiles[0.5]
    if name is None and not bands:
        raise ValueError(
            "plot_projection: no central column (median, p50, mean, expected, total) "
            "and no quantile columns (p5, p95, ...) found"
        )
    if name is not None:
        ax.plot(x, projection[name].to_numpy(dtype=float), color=_COLOURS[0], label=name)
    if observed is not None:
        ax.plot(
            _months(observed.index),
            observed.to_numpy(dtype=float),
            color="black",
            linewidth=1.4,
            label=str(observed.name or "observed"),
        )
    _finish(ax, ylabel="euros")
    return fig


def overview_figure(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Two panels: per month (top) and cumulative (bottom).

    For a :func:`dwangsom.compare` table the panels show each scenario; for one
    :func:`dwangsom.liability_by_month` table, the administrative and court penalties.
    """
    mpl = _matplotlib()
    fig = mpl.figure.Figure(figsize=(10, 8), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    if set(_LIABILITY) <= set(table.columns):
        plot_liability(table, ax=top, title="Per month")
    else:
        plot_scenarios(table, ax=top, title="Per month, by scenario")
    top.set_xlabel("")
    plot_cumulative(table, ax=bottom, title="Cumulative")
    fig.suptitle(title or "Penalty liability for late IND decisions", fontweight="bold")
    result: Figure = fig
    return result
