"""The July 2023 letter's example, finished: the calibrated forecast to the end of 2024 next to
the letter's EUR 55 million and the EUR 48.1 million paid, with the sensitivities a budget
discussion asks for.

The setting is the letter's own (:mod:`dwangsom.examples.letter_2023`: the track-4 stock of
16 Feb 2023 with the 4,000 open BNTB appeals of 2022, FIFO, the most likely inflow, the planned
and project decisions); the behaviour is the one calibrated on what was known on 16 Feb 2023
(the 2023 backtest, :func:`dwangsom.backtest`). As in the backtests, what was paid is read
only after the projections and the sensitivities are made.

Sensitivities (expected cash 17 Feb 2023 - 31 Dec 2024, per reading), from
:func:`dwangsom.sensitivity`: 1,000 more decisions a month, ten points more notice share, courts
ruling a month later; and ten points more weight on "extensions-void": with FIFO by receipt the
decisions do not depend on the reading, so the weighted total is linear in the weight and ten
points move it by a tenth of the difference between the two readings.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..calibration import Calibration, calibrate
from ..projection import Projection, sensitivity
from .scoring import paid
from .settings import setting

__all__ = ["LetterForecast", "letter_forecast"]

READINGS = ("as-applied", "extensions-void")


@dataclasses.dataclass(frozen=True)
class LetterForecast:
    """``cash``: expected cash per reading and year (euros); ``sensitivities``: one row per
    (reading, lever) with ``step``, ``base``, ``changed`` and ``change`` (euros);
    ``letter``: the letter's EUR 55M; ``paid``: 2023 and 2024 as paid (read last)."""

    calibration: Calibration
    projections: dict[str, Projection]
    cash: pd.DataFrame
    sensitivities: pd.DataFrame
    letter: float
    paid: pd.Series
    scale: float


def letter_forecast(scale: float = 1.0) -> LetterForecast:
    """Calibrate (the 2023 backtest's calibration), project the letter's setting under both
    readings, compute the sensitivities, then read what was paid."""
    from ..examples import letter_2023 as letter

    s = setting("2023", scale)
    cal = calibrate(s.hindcast, s.observations, as_of=s.known_by, parameters=s.parameters)
    behaviour = cal.behaviour()
    r = letter.reference()
    until = r["until"]
    stock = letter.open_cases(scale)
    runs: dict[str, Projection] = {}
    rows: list[dict[str, Any]] = []
    tables = []
    for reading in READINGS:
        p = letter.project(reading, "FIFO", "most_likely", scale=scale, cases=stock,
                           behaviour=behaviour)  # fmt: skip
        runs[reading] = p
        for year in (2023, 2024):
            cash = p.total(f"{year}-01", f"{year}-12", basis="cash") / scale
            rows.append({"reading": reading, "year": str(year), "cash": cash})
        rows.append({"reading": reading, "year": "2023+2024",
                     "cash": p.total(basis="cash") / scale})  # fmt: skip
        sens = sensitivity(
            stock, as_of=r["as_of"], until=until, inflow=letter.inflow("most_likely", scale, until),
            capacity=letter.capacity(scale, until), behaviour=behaviour, scenario=reading,
            basis="cash", capacity_step=1000 * scale,
        )  # fmt: skip
        sens = sens.assign(reading=reading)
        sens.loc["capacity", "step"] = "+1,000 decisions a month"
        for column in ("base", "changed", "change"):
            sens[column] = sens[column] / scale
        tables.append(sens.reset_index())
    applied = runs["as-applied"].total(basis="cash") / scale
    void = runs["extensions-void"].total(basis="cash") / scale
    tables.append(pd.DataFrame([{
        "lever": "void_weight", "step": "+10 points weight on extensions-void (from as-applied)",
        "base": applied, "changed": applied + 0.1 * (void - applied),
        "change": 0.1 * (void - applied), "reading": "weighted",
    }]))  # fmt: skip
    sens_all = pd.concat(tables, ignore_index=True)[
        ["reading", "lever", "step", "base", "changed", "change"]
    ]
    amounts = paid((2023, 2024))  # read only now
    return LetterForecast(cal, runs, pd.DataFrame(rows), sens_all, r["letter_total"], amounts,
                          scale)  # fmt: skip
