"""Dated aggregates: what was published, about which period, and on which day.

An observation is one published figure: a ``measure`` (``notices``, ``cash``, ``open``, ...) of a
``stream`` (``asylum``, ``family``, ``regular`` or ``all``) over a period
(``period_start``..``period_end``; a stock has the same day twice), its ``value`` and ``unit``,
and the day it became public (``published``). The period a figure describes and the day it was
known are kept apart: the stock of 31 Dec 2022 was published on 2 Feb 2023. A calibration at a
reference date uses only rows published on or before it (:func:`known`), so a figure published
later can never move a fitted value.

The packaged table (:func:`published`) is ``data/figures/dated/observations.csv`` of the repository,
every row with its source.

>>> table = published()
>>> row = table[(table["measure"] == "cash") & (table["stream"] == "all")
...             & (table["period_start"] == "2022-01-01")].iloc[0]
>>> float(row["value"]), str(row["published"].date())
(3400000.0, '2023-02-13')
>>> len(known(table, "2023-02-16")) < len(table)
True
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .._dates import as_date
from ..errors import DwangsomError

__all__ = [
    "COLUMNS",
    "FLOW_MEASURES",
    "MEASURES",
    "SHARE_MEASURES",
    "STOCK_MEASURES",
    "ObservationError",
    "OutsideWindowError",
    "UnknownMeasureError",
    "UnpublishedError",
    "known",
    "observations",
    "published",
]

COLUMNS = (
    "measure",
    "stream",
    "period_start",
    "period_end",
    "value",
    "unit",
    "published",
    "status",
    "source",
)
#: Measures summed over the months of their period (counts and euros).
FLOW_MEASURES = (
    "notices",
    "appeals",
    "judgments",
    "decisions",
    "cash",
    "admin_cash",
    "court_cash",
    "accrued",
    "admin_accrued",
    "court_accrued",
)
#: Measures counted on the last day of their period (a month-end stock).
STOCK_MEASURES = ("open", "overdue")
#: Shares and rates over the period.
SHARE_MEASURES = ("decided_within_term_share", "claiming_share", "accrual_per_week")
MEASURES = FLOW_MEASURES + STOCK_MEASURES + SHARE_MEASURES
STREAMS = ("asylum", "family", "regular", "all")
#: Relative standard error assumed for a figure by its ``status`` (when no ``rel_sd`` column
#: is given): official counts 5%, derived figures 10%, press reports 20% (assumption: the
#: press rounds and mixes scopes; derived figures carry the error of their parts).
REL_SD = {"official": 0.05, "derived": 0.10, "press": 0.20}


class ObservationError(DwangsomError):
    """An observation the calibration cannot use: a missing publication date, an unknown measure
    or stream, a period that is not a date range, a value that is not a finite number, or a
    period outside the model's window. The message names the row."""


class UnpublishedError(ObservationError):
    """An observation without a publication day: it cannot be placed before or after a
    reference date, so no calibration may use it."""


class UnknownMeasureError(ObservationError):
    """An observation of a measure (or stream) the model cannot compute."""


class OutsideWindowError(ObservationError):
    """An observation about a period the model's hindcast window does not cover."""


#: Measures that describe the situation "now" and may be published before their period ends
#: (a rate or a share stated in a letter while the period runs).
_CURRENT = ("claiming_share", "accrual_per_week")


def published() -> pd.DataFrame:
    """The packaged observations (``data/figures/dated/observations.csv``), validated by
    :func:`observations`."""
    files = resources.files("dwangsom.calibration") / "data" / "observations.csv"
    with files.open("rb") as file:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
    return observations(table)


def _row_name(row: pd.Series, i: Any) -> str:
    return (
        f"row {i} ({row.get('measure', '?')}, {row.get('stream', '?')}, "
        f"{row.get('period_start', '?')}..{row.get('period_end', '?')})"
    )


def observations(table: pd.DataFrame) -> pd.DataFrame:
    """A validated copy of an observation table: dates as ``datetime64`` days, ``value`` and
    ``rel_sd`` as floats, the original row order and index kept. Rows are refused (not dropped)
    with :class:`ObservationError`: a missing or unreadable ``published`` day, an unknown
    ``measure`` or ``stream``, ``period_end`` before ``period_start``, a non-finite or negative
    value, a share outside 0..1, or a publication day before the period has ended (a figure about
    a period cannot be known before the period is over, except for ``open_forecast``-style
    forecasts, which are not observations and are refused as an unknown measure).

    >>> bad = pd.DataFrame({"measure": ["notices"], "stream": ["all"],
    ...     "period_start": ["2022-01-01"], "period_end": ["2022-12-31"], "value": ["19830"],
    ...     "unit": ["notices"], "published": [""], "status": ["official"], "source": ["x"]})
    >>> observations(bad)
    Traceback (most recent call last):
    ...
    dwangsom.calibration.observations.UnpublishedError: row 0 (notices, all, ...): no published ...
    """
    if not isinstance(table, pd.DataFrame):
        raise ObservationError(f"observations: a DataFrame expected, got {type(table).__name__}")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ObservationError(
            f"observations: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"
        )
    out = table.copy()
    starts, ends, days, values, sds = [], [], [], [], []
    for i, row in table.iterrows():
        name = _row_name(row, i)
        measure = str(row["measure"])
        if not measure:
            raise ObservationError(f"{name}: no measure")
        if str(row["stream"]) not in STREAMS:
            raise ObservationError(
                f"{name}: unknown stream {row['stream']!r}; known: {', '.join(STREAMS)}"
            )
        pub = row["published"]
        if pub is None or (isinstance(pub, float) and np.isnan(pub)) or str(pub).strip() == "":
            raise UnpublishedError(
                f"{name}: no published date; a figure whose publication day is unknown cannot be "
                "placed before or after a reference date"
            )
        try:
            start = as_date(row["period_start"], "period_start")
            end = as_date(row["period_end"], "period_end")
            day = as_date(pub, "published")
        except DwangsomError as exc:
            raise ObservationError(f"{name}: {exc}") from None
        if end < start:
            raise ObservationError(f"{name}: period_end {end} is before period_start {start}")
        if day < end and measure not in _CURRENT and not measure.endswith("_forecast"):
            raise ObservationError(
                f"{name}: published {day}, before the period it describes ended ({end})"
            )
        try:
            value = float(str(row["value"]).replace(",", ""))
        except ValueError:
            raise ObservationError(f"{name}: value {row['value']!r} is not a number") from None
        if not np.isfinite(value) or value < 0:
            raise ObservationError(f"{name}: value must be a finite number >= 0, got {value!r}")
        if measure.endswith("_share") and value > 1:
            raise ObservationError(f"{name}: a share must be in 0..1, got {value!r}")
        sd = row.get("rel_sd", "")
        if sd is None or str(sd).strip() in ("", "nan"):
            status = str(row["status"])
            if status not in REL_SD:
                raise ObservationError(
                    f"{name}: status {status!r} is not one of {', '.join(REL_SD)}; give rel_sd"
                )
            sd_value = REL_SD[status]
        else:
            sd_value = float(sd)
            if not np.isfinite(sd_value) or sd_value <= 0:
                raise ObservationError(f"{name}: rel_sd must be > 0, got {sd!r}")
        starts.append(start)
        ends.append(end)
        days.append(day)
        values.append(value)
        sds.append(sd_value)
    out["period_start"] = pd.Series(np.array(starts, dtype="datetime64[D]"), index=out.index)
    out["period_end"] = pd.Series(np.array(ends, dtype="datetime64[D]"), index=out.index)
    out["published"] = pd.Series(np.array(days, dtype="datetime64[D]"), index=out.index)
    out["value"] = pd.Series(np.array(values, dtype=float), index=out.index)
    out["rel_sd"] = pd.Series(np.array(sds, dtype=float), index=out.index)
    return out


def known(table: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """The rows of ``table`` published on or before ``as_of`` (validated; order kept)."""
    t = table if _validated(table) else observations(table)
    day = np.datetime64(as_date(as_of, "as_of"), "D")
    mask = t["published"].to_numpy().astype("datetime64[D]") <= day
    return t[mask]


def _validated(table: pd.DataFrame) -> bool:
    return (
        "rel_sd" in table.columns
        and str(table["published"].dtype).startswith("datetime64")
        and table["value"].dtype == float
    )
