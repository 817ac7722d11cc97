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
import numpy.typing as npt
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
        import matplotlib.colors
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

    A value that rounds to zero is ``€ 0``, never ``-€ 0``; a value that rounds up to the next
    unit is labelled in it (``€ 1m``, not ``€ 1e+03k``).

    >>> euro(0), euro(950), euro(12_000), euro(1_500_000), euro(-2_000_000)
    ('€ 0', '€ 950', '€ 12k', '€ 1.5m', '-€ 2m')
    >>> euro(-0.4), euro(-1e-9), euro(999_999), euro(float("nan"))
    ('€ 0', '€ 0', '€ 1m', '')
    """
    number = float(value)
    if not np.isfinite(number):
        return ""
    size = abs(number)
    text = f"{size:.0f}"
    for unit, scale in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        shown = float(f"{size / scale:.3g}")
        if shown >= 1:
            text = f"{shown:g}{unit}"
            break
    if float(text.rstrip("kmbn") or 0) == 0:
        return "€ 0"
    sign = "-" if number < 0 else ""
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


def _finish(ax: Axes, *, ylabel: str, legend: bool = True, as_of: Any = None) -> None:
    mpl = _matplotlib()
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(euro))
    ax.set_ylabel(ylabel)
    locator = mpl.dates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator))
    ax.set_xlabel("month")
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if as_of is not None:
        _as_of_marker(ax, as_of)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False)


def _as_of_day(value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"chart: as_of {value!r} is not a date") from None
    return None if pd.isna(day) else day.normalize()


def _as_of_marker(ax: Axes, as_of: Any) -> None:
    """A vertical dotted line at ``as_of``, labelled: what lies right of it has not happened."""
    day = _as_of_day(as_of)
    if day is None:
        return
    where = float(_matplotlib().dates.date2num(day.to_pydatetime()))
    ax.axvline(where, color="#595959", linestyle=":", linewidth=1.2, zorder=1, gid="as-of")
    ax.annotate(
        f"as of {day.date().isoformat()}",
        xy=(where, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#595959",
    )


def _context(table: pd.DataFrame, as_of: Any) -> tuple[Any, str]:
    """The as-of date (argument, else ``table.attrs``) and a title suffix naming basis and
    as-of (from the result's metadata, see :func:`dwangsom.export.metadata`)."""
    attrs = table.attrs if isinstance(table.attrs, dict) else {}
    day = as_of if as_of is not None else attrs.get("as_of")
    parts = []
    if attrs.get("basis"):
        parts.append(f"{attrs['basis']} basis")
    stamp = _as_of_day(day)
    if stamp is not None:
        parts.append(f"as of {stamp.date().isoformat()}")
    return day, (f" ({', '.join(parts)})" if parts else "")


def _same_as(series: dict[str, npt.NDArray[np.float64]]) -> dict[str, str]:
    """For each series equal in every month to an earlier one, the earlier one's name."""
    names = list(series)
    found: dict[str, str] = {}
    for i, name in enumerate(names):
        for earlier in names[:i]:
            if earlier not in found and np.array_equal(series[name], series[earlier]):
                found[name] = earlier
                break
    return found


def _lines(ax: Axes, x: pd.DatetimeIndex, series: dict[str, npt.NDArray[np.float64]]) -> None:
    """One line per series; a series identical to an earlier one is drawn dashed on top of it
    and named as identical, so neither hides the other."""
    same = _same_as(series)
    for i, (label, values) in enumerate(series.items()):
        if label in same:
            ax.plot(
                x,
                values,
                color=_COLOURS[i % len(_COLOURS)],
                linewidth=2.0,
                linestyle=(0, (5, 4)),
                zorder=3,
                label=f"{label} (identical to {same[label]})",
            )
        else:
            ax.plot(
                x,
                values,
                color=_COLOURS[i % len(_COLOURS)],
                linewidth=2.2 if label == "total" else 1.8,
                zorder=2,
                label=label,
            )


def _scenario_columns(table: pd.DataFrame) -> list[str]:
    if set(_LIABILITY) <= set(table.columns):
        return ["total"]
    columns = [str(c) for c in table.columns if not str(c).startswith("diff ")]
    if not columns:
        raise ValueError("chart: the table has no scenario columns")
    return columns


def _by_groups_summed(table: pd.DataFrame) -> pd.DataFrame:
    """A ``by=`` table (``(measure, group)`` columns) summed over its groups."""
    if not isinstance(table.columns, pd.MultiIndex):
        return table
    summed = table.T.groupby(level=0, sort=False).sum().T
    summed.attrs = dict(table.attrs)
    return summed


def plot_liability(
    months: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    as_of: Any = None,
) -> Figure:
    """Stacked monthly bars of the administrative (Awb 4:17) and court (Awb 8:55d) penalties.

    ``months`` is a table from :func:`dwangsom.liability_by_month` (columns ``admin``, ``court``;
    index: months); a ``by=`` table is summed over its groups. ``as_of`` (default: the table's
    ``attrs``) draws a marker at the reporting date.
    """
    months = _by_groups_summed(months)
    missing = {"admin", "court"} - set(months.columns)
    if missing:
        raise ValueError(
            f"plot_liability: the table lacks column(s) {', '.join(sorted(missing))}; "
            "pass the result of dwangsom.liability_by_month"
        )
    day, suffix = _context(months, as_of)
    fig, ax = _axes(ax, title=title or f"Penalty liability per month{suffix}")
    x = _months(months.index) + pd.Timedelta(days=14)
    admin = months["admin"].to_numpy(dtype=float)
    court = months["court"].to_numpy(dtype=float)
    ax.bar(x, admin, width=25, color=_COLOURS[0], label="administrative (Awb 4:17)")
    ax.bar(x, court, width=25, bottom=admin, color=_COLOURS[1], label="court (Awb 8:55d)")
    _finish(ax, ylabel="euros per month", as_of=day)
    return fig


def plot_scenarios(
    comparison: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    as_of: Any = None,
) -> Figure:
    """The monthly total of each scenario as a line (a table from :func:`dwangsom.compare`;
    ``diff …`` columns are skipped). A :func:`dwangsom.liability_by_month` table works too.

    A scenario equal to an earlier one in every month is drawn dashed over it and labelled
    ``(identical to …)``, so both stay visible. ``as_of`` (default: the table's ``attrs``)
    draws a marker at the reporting date.
    """
    comparison = _by_groups_summed(comparison)
    day, suffix = _context(comparison, as_of)
    fig, ax = _axes(ax, title=title or f"Penalty liability per month, by scenario{suffix}")
    x = _months(comparison.index)
    series = {c: comparison[c].to_numpy(dtype=float) for c in _scenario_columns(comparison)}
    _lines(ax, x, series)
    _finish(ax, ylabel="euros per month", as_of=day)
    return fig


def plot_cumulative(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    as_of: Any = None,
) -> Figure:
    """The running total: of ``admin``, ``court`` and ``total`` for a
    :func:`dwangsom.liability_by_month` table, or of each scenario for a
    :func:`dwangsom.compare` table (identical series dashed and named, as in
    :func:`plot_scenarios`)."""
    table = _by_groups_summed(table)
    day, suffix = _context(table, as_of)
    fig, ax = _axes(ax, title=title or f"Cumulative penalty liability{suffix}")
    x = _months(table.index)
    if set(_LIABILITY) <= set(table.columns):
        columns = {
            "administrative (Awb 4:17)": table["admin"],
            "court (Awb 8:55d)": table["court"],
            "total": table["total"],
        }
    else:
        columns = {str(c): table[c] for c in _scenario_columns(table)}
    series = {k: np.cumsum(v.to_numpy(dtype=float)) for k, v in columns.items()}
    _lines(ax, x, series)
    _finish(ax, ylabel="euros, cumulative", as_of=day)
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
    as_of: Any = None,
) -> Figure:
    """A projection's central line with shaded bands between matching quantile columns.

    ``projection`` is indexed by month; quantile columns are named like ``p5``/``p95``,
    ``q05``/``q95`` or ``5%``/``95%``, and the central line is ``centre`` or the first of
    ``median``, ``p50``, ``mean``, ``expected``, ``total`` that exists. Each pair of quantiles
    symmetric around the median becomes one band (wider bands lighter), with its edges drawn.
    ``observed`` (a monthly series, e.g. :func:`dwangsom.liability_by_month`'s ``total``) is
    the history, drawn as a black line and joined to the projection's first later month.
    ``as_of`` draws a marker at the projection's start.
    """
    day, suffix = _context(projection, as_of)
    fig, ax = _axes(ax, title=title or f"Projected penalty liability{suffix}")
    x = _months(projection.index)
    quantiles = _quantile_columns(projection)
    name = centre or next((c for c in _CENTRE if c in projection.columns), None)
    if name is not None and name not in projection.columns:
        raise ValueError(f"plot_projection: no column {name!r} for the central line")
    if name is None and 0.5 in quantiles:
        name = quantiles[0.5]
    lows = sorted(q for q in quantiles if q < 0.5)
    bands = [(q, round(1 - q, 6)) for q in lows if round(1 - q, 6) in quantiles]
    if name is None and not bands:
        raise ValueError(
            "plot_projection: no central column (median, p50, mean, expected, total) "
            "and no quantile columns (p5, p95, ...) found"
        )
    mpl = _matplotlib()
    for i, (low, high) in enumerate(bands):  # widest first
        ax.fill_between(
            x,
            projection[quantiles[low]].to_numpy(dtype=float),
            projection[quantiles[high]].to_numpy(dtype=float),
            facecolor=mpl.colors.to_rgba(_COLOURS[0], 0.22 + 0.15 * i),
            edgecolor=mpl.colors.to_rgba(_COLOURS[0], 0.8),
            linewidth=0.6,
            label=f"{low:.0%}-{high:.0%} band",
        )
    centre_values = None
    if name is not None:
        centre_values = projection[name].to_numpy(dtype=float)
        ax.plot(x, centre_values, color=_COLOURS[0], linewidth=2.0, zorder=4, label=name)
    if observed is not None:
        seen_x = _months(observed.index)
        seen_y = observed.to_numpy(dtype=float)
        ax.plot(
            seen_x,
            seen_y,
            color="black",
            linewidth=1.6,
            zorder=3,
            label=str(observed.name or "observed"),
        )
        if centre_values is not None and len(seen_x) and len(x):
            after = np.flatnonzero(x > seen_x[-1])  # join the history to the projection
            if after.size and after[0] == 0:
                ax.plot(
                    [seen_x[-1], x[after[0]]],
                    [seen_y[-1], centre_values[after[0]]],
                    color=_COLOURS[0],
                    linewidth=1.4,
                    linestyle=(0, (2, 2)),
                    zorder=3,
                    gid="join",
                )
    _finish(ax, ylabel="euros per month", as_of=day)
    return fig


def overview_figure(table: pd.DataFrame, *, title: str | None = None, as_of: Any = None) -> Figure:
    """Two panels: per month (top) and cumulative (bottom).

    For a :func:`dwangsom.compare` table the panels show each scenario (identical ones dashed
    and named); for one :func:`dwangsom.liability_by_month` table, the administrative and court
    penalties. ``as_of`` (default: the table's ``attrs``) draws a marker at the reporting date;
    the default title states the basis and the as-of date.
    """
    mpl = _matplotlib()
    table = _by_groups_summed(table)
    day, suffix = _context(table, as_of)
    fig = mpl.figure.Figure(figsize=(10, 8), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    if set(_LIABILITY) <= set(table.columns):
        plot_liability(table, ax=top, title="Per month", as_of=day)
    else:
        plot_scenarios(table, ax=top, title="Per month, by scenario", as_of=day)
    top.set_xlabel("")
    plot_cumulative(table, ax=bottom, title="Cumulative", as_of=day)
    fig.suptitle(title or f"Penalty liability for late IND decisions{suffix}", fontweight="bold")
    result: Figure = fig
    return result
