"""The values of the options: dates, months, counts, amounts, output and chart
file names, scenario lists."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

import numpy as np

from .. import export
from .._dates import as_date
from ..errors import DwangsomError
from ..scenario import scenario as get_scenario
from .status import CommandError

_OUTPUTS = export.OUTPUTS
_GRAINS = {"month": "M", "quarter": "Q", "year": "Y"}


def _as_of(text: str) -> _dt.date:
    try:
        return as_date(text, "date")
    except DwangsomError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _output_path(text: str) -> str:
    if Path(text).suffix.lower() not in _OUTPUTS:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no known extension; use .csv, .xlsx or .parquet"
        )
    return text


def _chart_path(text: str) -> str:
    if text != "none" and Path(text).suffix.lower() not in (".png", ".pdf", ".svg"):
        raise argparse.ArgumentTypeError(f"{text!r}: use a .png, .pdf or .svg file name")
    return text


def _scenario_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if len(names) < 2:
        raise CommandError(
            f"--compare: give two or more scenarios separated by commas, got {text!r}"
        )
    for name in names:
        get_scenario(name)  # unknown names raise, listing the known ones
    return names


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 or more")
    return value


def _amount(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of 0 or more")
    return value


def _month(text: str) -> _dt.date:
    stripped = text.strip()
    if len(stripped) == 7 and stripped[4] == "-":
        stripped += "-01"
    return _as_of(stripped)
