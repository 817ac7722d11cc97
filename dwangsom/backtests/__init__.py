"""Backtests: forecasts made as they could have been made, scored against what was paid.

``dwangsom.backtest("2023")`` rebuilds a named setting (:mod:`~dwangsom.backtests.settings`)
from the published figures, calibrates it on what was public by its information date
(:func:`dwangsom.calibrate`), projects 24 months and, only then, reads what the IND paid and
scores the forecast (:mod:`~dwangsom.backtests.scoring`). ``docs/forecasts.md`` shows the three.
"""

from __future__ import annotations

from .letter import LetterForecast, letter_forecast
from .scoring import (
    Backtest,
    Forecast,
    backtest,
    calibrated_2023,
    decomposition,
    forecast,
    paid,
    score,
)
from .settings import SETTINGS, Fixed, Setting, setting

__all__ = [
    "SETTINGS",
    "Backtest",
    "Fixed",
    "Forecast",
    "LetterForecast",
    "Setting",
    "backtest",
    "calibrated_2023",
    "decomposition",
    "forecast",
    "letter_forecast",
    "paid",
    "score",
    "setting",
]
