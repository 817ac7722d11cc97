"""Calibration: fit projection parameters to what was published on or before a reference date.

- :mod:`~dwangsom.calibration.observations`: the dated aggregates (``published`` kept apart from
  the period a figure describes) and the no-look-ahead filter :func:`known`;
- :mod:`~dwangsom.calibration.model`: :class:`Hindcast`, parameters in, predicted aggregates out,
  from a projection that starts before the reference date;
- :mod:`~dwangsom.calibration.fit`: :func:`calibrate` (scipy least squares) and its result
  :class:`Calibration` (fitted values, fit table, standard errors, bootstrap).

The backtests that use them are in :mod:`dwangsom.backtests`; ``docs/forecasts.md`` shows how
well they do.
"""

from __future__ import annotations

from .fit import Calibration, calibrate
from .model import APPLIERS, Hindcast, Inputs, Parameter, lag_mean, with_mean
from .observations import (
    ObservationError,
    OutsideWindowError,
    UnknownMeasureError,
    UnpublishedError,
    known,
    observations,
    published,
)

__all__ = [
    "APPLIERS",
    "Calibration",
    "Hindcast",
    "Inputs",
    "ObservationError",
    "OutsideWindowError",
    "Parameter",
    "UnknownMeasureError",
    "UnpublishedError",
    "calibrate",
    "known",
    "lag_mean",
    "observations",
    "published",
    "with_mean",
]
