"""Backtests: calibrate on what was known, forecast, and only then score against what was paid.

:func:`backtest` runs in three steps that do not see each other's data:

1. :func:`forecast`: calibrate the setting on the observations published by its ``known_by``
   date, then project with the fitted parameters (expected value) and with ``draws`` parameter
   sets from the fit's uncertainty (for P10 / P50 / P90). It returns a frozen :class:`Forecast`;
   nothing paid in the scored years is read.
2. :func:`paid`: the amounts the IND paid in the scored years (``cash`` rows of
   ``observations.csv``, stream ``all``); read only here, after the forecast exists.
3. :func:`score`: the per-year table (projected P10 / P50 / P90 and expected value, paid, relative
   error) and the decomposition by component.

No parameter is set after a score is seen: the settings are fixed functions of the published
figures and their ``known_by`` date.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..calibration import Calibration, calibrate, published
from ..calibration.model import month_overlap
from ..projection import Projection
from .settings import Setting, setting

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Backtest", "Forecast", "backtest", "forecast", "paid", "score"]

_COMPONENTS = (("admin", "Awb 4:17"), ("court", "court (BNTB)"), ("repeat", "repeat appeals"))


@dataclasses.dataclass(frozen=True)
class Forecast:
    """What a backtest projects, made before any score: per reading the expected-value
    projection at the fitted parameters, and per parameter draw the yearly cash."""

    setting: Setting
    calibration: Calibration
    projections: Mapping[str, Projection]
    #: rows: draw, columns: (reading, year) cash in euros, scaled back up.
    draws: pd.DataFrame
    #: The readings' weights after the calibration (label -> probability).
    weights: Mapping[str, float]

    def years(self) -> tuple[int, int]:
        return self.setting.years

    def _period(self, year: int) -> tuple[str, str]:
        first = max(pd.Timestamp(f"{year}-01-01"), self.setting.forecast_start)
        end = f"{year}-12-15" if self.setting.name == "2020" and year == 2020 else f"{year}-12-31"
        return f"{first:%Y-%m-%d}", end

    def cash(self, reading: str, year: int, part: str = "total") -> float:
        """Expected cash of ``year`` under ``reading`` (euros, scaled back up), over the part of
        the year the paid figure covers."""
        lo, hi = self._period(year)
        return _cash(self.projections[reading], lo, hi, part) / self.setting.scale

    def weighted(self, year: int, part: str = "total") -> float:
        """The setting's own forecast: the readings combined by the fitted weights (one
        readings run on the same authority's decisions)."""
        return sum(w * self.cash(r, year, part) for r, w in self.weights.items() if w > 0)


def _cash(p: Projection, lo: str, hi: str, part: str) -> float:
    bm = p.by_month
    overlap = month_overlap(pd.PeriodIndex(bm.index), lo, hi)
    return float((bm[f"{part}_cash"].to_numpy() * overlap).sum())


def forecast(s: Setting, *, draws: int = 20, seed: int = 0) -> Forecast:
    """Step 1: calibrate ``s`` on what was published by ``s.known_by`` and project."""
    cal = calibrate(s.hindcast, s.observations, as_of=s.known_by, parameters=s.parameters)
    fitted = {str(k): float(v) for k, v in cal.values.items()}
    weights = dict(cal.inputs().weights)
    mixed = sum(w > 0 for w in weights.values()) > 1
    runs = {label: s.forecast.run(fitted, reading=label) for label in s.readings}
    sample = cal.draws(draws, seed=seed) if draws else []
    rows = []
    for params in sample:
        row: dict[tuple[str, int], float] = {}
        draw_weights = s.forecast.inputs(params).weights
        for label in s.readings:
            p = s.forecast.run(params, reading=label)
            for year in s.years:
                lo = max(pd.Timestamp(f"{year}-01-01"), s.forecast_start)
                hi = f"{year}-12-15" if s.name == "2020" and year == 2020 else f"{year}-12-31"
                row[(label, year)] = _cash(p, f"{lo:%Y-%m-%d}", hi, "total") / s.scale
        if mixed:
            for year in s.years:
                row[("weighted", year)] = sum(
                    w * row[(label, year)] for label, w in draw_weights.items()
                )
        rows.append(row)
    return Forecast(s, cal, runs, pd.DataFrame(rows), weights)


def paid(years: tuple[int, ...]) -> pd.Series:
    """Step 2: what the IND paid in ``years`` (all application types), from the ``cash`` rows of
    the published observations; read only after the forecast is made."""
    t = published()
    rows = t[(t["measure"] == "cash") & (t["stream"] == "all")]
    out = {}
    for year in years:
        r = rows[(rows["period_start"] == pd.Timestamp(f"{year}-01-01"))
                 & (rows["period_end"].dt.year == year)
                 & (rows["period_end"].dt.month == 12)]  # fmt: skip
        out[year] = float(r["value"].iloc[0]) if len(r) else np.nan
    return pd.Series(out, name="paid")


def score(f: Forecast, paid_by_year: pd.Series) -> pd.DataFrame:
    """Step 3: one row per (reading, year) and the setting's weighted forecast: projected P10 /
    P50 / P90 (over the parameter draws), the expected value at the fitted parameters, paid,
    and the relative error of the expected value; plus the two years together."""
    s = f.setting
    rows = []
    weights = f.weights
    mixed = sum(w > 0 for w in weights.values()) > 1
    labels = [*s.readings, "weighted"] if mixed else [*s.readings]
    for label in labels:
        ev_total = 0.0
        draw_total = np.zeros(len(f.draws))
        for year in s.years:
            ev = f.weighted(year) if label == "weighted" else f.cash(label, year)
            d = f.draws[(label, year)].to_numpy() if len(f.draws) else np.zeros(0)
            ev_total += ev
            draw_total = draw_total + d if len(d) else draw_total
            rows.append(_row(label, str(year), ev, d, float(paid_by_year.get(year, np.nan))))
        both = float(paid_by_year.reindex(list(s.years)).sum(min_count=len(s.years)))
        rows.append(_row(label, f"{s.years[0]}+{s.years[1]}", ev_total, draw_total, both))
    return pd.DataFrame(rows)


def _row(reading: str, period: str, ev: float, d: Any, paid_value: float) -> dict[str, Any]:
    q = np.quantile(d, [0.1, 0.5, 0.9]) if len(d) else [np.nan] * 3
    return {
        "reading": reading,
        "period": period,
        "p10": float(q[0]),
        "p50": float(q[1]),
        "p90": float(q[2]),
        "expected": ev,
        "paid": paid_value,
        "relative_error": (ev - paid_value) / paid_value if paid_value else np.nan,
    }


def decomposition(f: Forecast) -> pd.DataFrame:
    """Expected cash per scored year by reading, stream and component (Awb 4:17, court, repeat
    appeals). Streams other than asylum are not modelled by these settings yet (listed with NaN
    so the gap shows)."""
    s = f.setting
    rows = []
    mixed = sum(w > 0 for w in f.weights.values()) > 1
    for label in [*f.projections, "weighted"] if mixed else f.projections:
        for year in s.years:
            for part, name in _COMPONENTS:
                value = f.weighted(year, part) if label == "weighted" else f.cash(label, year, part)
                rows.append({"reading": label, "year": year, "stream": "asylum",
                             "component": name, "expected": value})  # fmt: skip
            for stream in ("family", "regular"):
                rows.append({"reading": label, "year": year, "stream": stream,
                             "component": "Awb 4:17", "expected": np.nan})  # fmt: skip
    return pd.DataFrame(rows)


@dataclasses.dataclass(frozen=True)
class Backtest:
    """The result of :func:`backtest`: the forecast, what was paid, the score table and the
    decomposition."""

    forecast: Forecast
    paid: pd.Series
    table: pd.DataFrame
    decomposition: pd.DataFrame

    @property
    def calibration(self) -> Calibration:
        return self.forecast.calibration

    def __str__(self) -> str:
        s = self.forecast.setting
        shown = self.table.copy()
        for c in ("p10", "p50", "p90", "expected", "paid"):
            shown[c] = (shown[c] / 1e6).round(1)
        shown["relative_error"] = (shown["relative_error"] * 100).round(0)
        fitted = ", ".join(
            f"{n} = {v:.3g} (se {self.calibration.se.loc[n]:.2g})"
            for n, v in zip(self.calibration.values.index, self.calibration.values, strict=True)
        )
        return (
            f"backtest {s.name}: {s.description}\nknown by {s.known_by.date()}; fitted {fitted}\n"
            "EUR million (relative error in %):\n" + shown.to_string(index=False)
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(str(self))}</pre>"

    def plot(self, *, ax: Any = None) -> Figure:
        """Projected bands (P10-P90, expected value) against the paid bars per year."""
        import matplotlib.pyplot as plt

        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 3.5))
        else:
            fig = ax.figure
        t = self.table[~self.table["period"].str.contains("\\+")]
        years = sorted(set(t["period"]))
        x = np.arange(len(years))
        ax.bar(x, [self.paid.get(int(y), np.nan) / 1e6 for y in years], width=0.5, color="0.8",
               label="paid")  # fmt: skip
        for i, (label, g) in enumerate(t.groupby("reading", sort=False)):
            off = (i - 0.5) * 0.15
            g = g.set_index("period").reindex(years)
            ax.errorbar(
                x + off, g["expected"] / 1e6,
                yerr=[(g["expected"] - g["p10"]).clip(lower=0) / 1e6,
                      (g["p90"] - g["expected"]).clip(lower=0) / 1e6],
                fmt="o", capsize=3, label=label,
            )  # fmt: skip
        ax.set_xticks(x, years)
        ax.set_ylabel("EUR million")
        ax.set_title(f"backtest {self.forecast.setting.name}")
        ax.legend(fontsize=7)
        return fig


def backtest(name: str, *, scale: float = 1.0, draws: int = 20, seed: int = 0) -> Backtest:
    """Calibrate the named setting (``"2020"``, ``"2023"``, ``"2024"``), project 24 months,
    and score: forecast first, paid amounts read after."""
    s = setting(name, scale)
    f = forecast(s, draws=draws, seed=seed)  # 1. the forecast, complete
    amounts = paid(s.years)  # 2. only now what was paid
    return Backtest(f, amounts, score(f, amounts), decomposition(f))  # 3. the score


def calibrated_2023(
    *,
    scenario: str = "as-applied",
    draws: int | None = None,
    seed: int | None = None,
    executor: Any = None,
) -> Projection:
    """The letter's 2023 example (:func:`dwangsom.examples.letter_2023.project`: the stock of
    16 Feb 2023, FIFO, the most likely inflow, to the end of 2024) with the behaviour calibrated
    on what was known on 16 Feb 2023 (the 2023 backtest's calibration); what
    ``dwangsom project --example 2023`` runs."""
    from ..examples import letter_2023

    s = setting("2023", 1.0)
    cal = calibrate(s.hindcast, s.observations, as_of=s.known_by, parameters=s.parameters)
    return letter_2023.project(
        scenario, "FIFO", "most_likely", behaviour=cal.behaviour(), draws=draws, seed=seed,
        executor=executor,
    )  # fmt: skip
