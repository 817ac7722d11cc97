"""Reading an extract (the reading flags, the bundled sample) and writing outputs
(by extension, atomically, never onto an input; the input's columns typed again)."""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import importlib.resources
import inspect
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

from .. import export
from ..cases import parse_cases, read_cases
from ..errors import DwangsomError
from .status import CommandError

#: The day the bundled synthetic extract was "taken"; ``dwangsom demo`` assesses as of this day.
SAMPLE_AS_OF = _dt.date(2025, 12, 31)


#: The read_cases parameters the reading flags map to (passed only where read_cases has them).
_READ_FLAGS = {
    "columns": "--columns",
    "strict": "--strict",
    "skip_rows": "--skip-rows",
    "sheet_name": "--sheet",
}


neutralise_formulas = export.neutralise_formulas


def sample_path() -> Path:
    """The bundled synthetic sample extract (gzip CSV; also in the repository as
    ``data/sample_cases.csv``). Every row is synthetic: see ``data/make_sample.py``."""
    resource = importlib.resources.files("dwangsom") / "sample" / "sample_cases.csv.gz"
    return Path(str(resource))


def _source(path: str) -> Path:
    return sample_path() if path == "sample" else Path(path)


def _sheet(text: str) -> str | int:
    """``--sheet``: a sheet name, or its number counted from 1 as Excel shows the tabs."""
    if text.strip().isdigit():
        number = int(text)
        if number < 1:
            raise argparse.ArgumentTypeError(f"sheet numbers count from 1, got {text!r}")
        return number - 1
    return text


def _column_map(text: str) -> dict[str, str]:
    """``--columns FILE``: a JSON object ``{"header in the file": "dwangsom column"}`` or a
    two-column CSV (``header,column``, one mapping a line)."""
    path = Path(text)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"--columns: cannot read {text}: {exc.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            mapping = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise argparse.ArgumentTypeError(f"--columns: {text} is not JSON ({exc.msg})") from None
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise argparse.ArgumentTypeError(
                f'--columns: {text} must hold one object of names, {{"zaaknummer": "case_id"}}'
            )
        return dict(mapping)
    out: dict[str, str] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) != 2 or not all(parts):
            raise argparse.ArgumentTypeError(
                f"--columns: line {number} of {text} is not 'header,column': {line!r}"
            )
        out[parts[0]] = parts[1]
    if not out:
        raise argparse.ArgumentTypeError(f"--columns: {text} holds no mapping")
    return out


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """The reading flags given, as read_cases keyword arguments; a flag read_cases cannot
    honour in this version is refused (never ignored)."""
    columns = getattr(args, "columns", None)
    given = {
        "columns": None if columns is None else _column_map(columns),
        "strict": True if getattr(args, "strict", False) else None,
        "skip_rows": getattr(args, "skip_rows", None),
        "sheet_name": getattr(args, "sheet", None),
    }
    given = {k: v for k, v in given.items() if v is not None}
    accepted = inspect.signature(read_cases).parameters
    refused = [_READ_FLAGS[k] for k in given if k not in accepted]
    if refused:
        raise CommandError(
            f"{', '.join(refused)}: this version of dwangsom.read_cases does not support "
            f"{'it' if len(refused) == 1 else 'them'}; the extract is not read"
        )
    return given


def _read(args: argparse.Namespace, path: str | None = None) -> pd.DataFrame:
    name = args.cases if path is None else path
    source = _source(name)
    cases = read_cases(source, **_read_options(args))
    cases.attrs["source"] = source.name
    return cases


def _inputs(args: argparse.Namespace) -> list[Path]:
    cases = getattr(args, "cases", None)
    found = [_source(cases)] if cases else []
    columns = getattr(args, "columns", None)
    return [*found, *([Path(columns)] if columns else [])]


def write_table(
    table: pd.DataFrame,
    path: str | Path,
    *,
    dialect: export.Dialect = "iso",
    inputs: Sequence[str | os.PathLike[str]] = (),
    money: Sequence[str] | None = None,
) -> Path:
    """Write ``table`` by the file's extension (see :func:`dwangsom.export.write_table`):
    atomically, never onto one of ``inputs``, formula-safe, ``.xlsx`` with a metadata sheet."""
    return export.write_table(table, path, dialect=dialect, inputs=inputs, money=money)


def _write(args: argparse.Namespace, table: pd.DataFrame, path: str, **kw: Any) -> Path:
    return write_table(table, path, dialect=args.dialect, inputs=_inputs(args), **kw)


def _is_text(values: pd.Series) -> bool:
    return bool(is_object_dtype(values.dtype) or is_string_dtype(values.dtype))


def _typed(results: pd.DataFrame, cases: pd.DataFrame, *, scenario: str) -> pd.DataFrame:
    """The input's own date, number and yes/no columns as typed values (for a workbook with
    real dates and numbers), where every cell of the column was read; other columns as given."""
    try:
        parsed = parse_cases(cases, scenario=scenario)
    except DwangsomError:
        return results
    out = results.copy()
    damaged = {str(c) for frame in parsed.problems for c in frame["column"]}
    blanks = {c: cases[c].isna() | cases[c].astype(str).str.strip().eq("") for c in cases.columns}
    for name, days in parsed.dates.items():
        if name in cases.columns and name not in damaged and _is_text(out[name]):
            if not (np.isnat(days) & ~blanks[name].to_numpy()).any():
                out[name] = pd.Series(days, index=out.index).astype("datetime64[s]")
    for name, numbers in parsed.ints.items():
        if name in cases.columns and name not in damaged and _is_text(out[name]):
            if not (np.isnan(numbers) & ~blanks[name].to_numpy()).any():
                whole = pd.array(np.nan_to_num(numbers).astype(np.int64), dtype="Int64")
                whole[np.isnan(numbers)] = pd.NA
                out[name] = pd.Series(whole, index=out.index)
    for name, flags in parsed.bools.items():
        if name in cases.columns and name not in damaged and _is_text(out[name]):
            out[name] = pd.Series(flags, index=out.index)
    out.attrs = dict(results.attrs)
    return out
