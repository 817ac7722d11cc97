"""Tables with more than :data:`CHUNK_ROWS` rows, processed in chunks behind a
progress bar (the answer equals one call on the whole table)."""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import importlib.resources
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from ..cases import assess, validate

#: Tables with more rows than this are processed in chunks behind a progress bar.
CHUNK_ROWS = 250_000


@contextlib.contextmanager
def _progress(
    total: int, desc: str, *, enabled: bool, unit: str = "case"
) -> Iterator[Callable[[int], object]]:
    """A tqdm progress bar on standard error (shown only on a terminal); a no-op without tqdm."""
    bar: Any = None
    if enabled:
        try:
            tqdm: Any = importlib.import_module("tqdm")
        except ImportError:  # tqdm is optional: no bar, same result
            pass
        else:
            bar = tqdm.tqdm(total=total, desc=desc, unit=unit, disable=None, leave=False)
    try:
        yield (bar.update if bar is not None else (lambda n: None))
    finally:
        if bar is not None:
            bar.close()


def _errors(problems: pd.DataFrame) -> pd.DataFrame:
    """The rows of a problems table that invalidate cases (``level`` "error"); warnings, such as
    a column the library does not read, are shown but are not problems of the cases."""
    if "level" not in problems.columns:
        return problems
    return problems[problems["level"] == "error"]


def _chunks(n: int) -> list[slice]:
    return [slice(i, min(i + CHUNK_ROWS, n)) for i in range(0, n, CHUNK_ROWS)]


def _assess(cases: pd.DataFrame, *, as_of: _dt.date, scenario: str, progress: bool) -> Any:
    if len(cases) <= CHUNK_ROWS:
        return assess(cases, as_of=as_of, scenario=scenario)
    if not _errors(validate(cases, scenario=scenario)).empty:  # whole-table checks first
        assess(cases, as_of=as_of, scenario=scenario)  # raises the one-paragraph error
    parts = []
    with _progress(len(cases), "assessing", enabled=progress) as update:
        for part in _chunks(len(cases)):
            parts.append(assess(cases.iloc[part], as_of=as_of, scenario=scenario))
            update(part.stop - part.start)
    return pd.concat(parts)


def _recumulate(table: pd.DataFrame) -> pd.DataFrame:
    for column in table.columns:
        key = column if isinstance(column, tuple) else (column,)
        if str(key[0]).endswith("_cumulative"):
            base = (str(key[0]).removesuffix("_cumulative"), *key[1:])
            table[column] = table[base if len(base) > 1 else base[0]].cumsum()
    return table


def _by_chunks(
    cases: pd.DataFrame, compute: Callable[[pd.DataFrame], pd.DataFrame], *, progress: bool
) -> pd.DataFrame:
    """``compute`` over chunks of rows, summed month by month (every column is a sum over
    cases, so the result equals one call on the whole table; running totals are redone)."""
    if len(cases) <= CHUNK_ROWS:
        return compute(cases)
    if not _errors(validate(cases)).empty:  # whole-table checks (unique ids) before splitting
        return compute(cases)  # raises the one-paragraph error
    total: pd.DataFrame | None = None
    with _progress(len(cases), "summing months", enabled=progress) as update:
        for part in _chunks(len(cases)):
            table = compute(cases.iloc[part])
            total = table if total is None else total.add(table, fill_value=0)
            update(part.stop - part.start)
    assert total is not None
    total = total.fillna(0).astype("int64")
    total.index.name = "month"
    return _recumulate(total)
