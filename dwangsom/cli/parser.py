"""The ``dwangsom`` command line.

::

    dwangsom demo                                # the bundled sample, three scenarios, a chart
    dwangsom check CASES [-o PROBLEMS]           # the problems table of an extract
    dwangsom assess CASES --as-of DATE [-o OUT]  # per-case results and a summary
    dwangsom months CASES --as-of DATE [--compare A,B] [--grain quarter] [--plot FILE.png] [-o OUT]
    dwangsom explain CASES CASE_ID --as-of DATE  # one case, rule by rule
    dwangsom project ...                         # the projection (see dwangsom project -h)
    dwangsom scenarios                           # the named scenarios

``CASES`` is a CSV (comma or semicolon separated, ISO or ``dd-mm-jjjj`` dates), Excel or Parquet
file; ``sample`` names the bundled synthetic extract. Outputs (``-o``) are written by their
extension with :func:`dwangsom.export.write_table`: ``.csv`` (``--dialect nl`` for Dutch
Excel), ``.xlsx`` (real dates and numbers, euro formats, a metadata sheet) or ``.parquet``;
every write is atomic and never onto the input. CSV and Excel exports neutralise text a
spreadsheet would run as a formula.

Exit status: 0 done; 1 problems found (``check`` with problems, ``assess --problems`` with a
non-empty problems table: the outputs are written); 2 bad usage or bad input (one line,
``dwangsom: error: ...``, on standard error); 3 an internal error (a bug: one line, and
``--traceback`` for the details); 130 interrupted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as _dt
import importlib
import importlib.resources
import inspect
import json
import os
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TextIO, TypeVar

import numpy as np
import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

from .. import __version__, export
from .._dates import as_date
from ..cases import STATUSES, assess, compare, liability_by_month, parse_cases, read_cases, validate
from ..errors import CaseTableError, DwangsomError
from ..examples import EXAMPLES
from ..explain import explain
from ..policies import POLICIES
from ..projection import Projection, project
from ..scenario import scenario as get_scenario
from ..scenario import scenarios as scenario_names

__all__ = ["SAMPLE_AS_OF", "main", "neutralise_formulas", "sample_path", "write_table"]

#: The day the bundled synthetic extract was "taken"; ``dwangsom demo`` assesses as of this day.
SAMPLE_AS_OF = _dt.date(2025, 12, 31)
#: The scenarios ``dwangsom demo`` compares.
DEMO_SCENARIOS = ("as-applied", "extensions-void", "no-temporary-act")
#: Tables with more rows than this are processed in chunks behind a progress bar.
CHUNK_ROWS = 250_000
#: Exit statuses (documented in docs/cli.md).
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3

_P = ParamSpec("_P")
_T = TypeVar("_T")
_OUTPUTS = export.OUTPUTS
_GRAINS = {"month": "M", "quarter": "Q", "year": "Y"}
#: The read_cases parameters the reading flags map to (passed only where read_cases has them).
_READ_FLAGS = {
    "columns": "--columns",
    "strict": "--strict",
    "skip_rows": "--skip-rows",
    "sheet_name": "--sheet",
}

neutralise_formulas = export.neutralise_formulas


class CommandError(DwangsomError):
    """A command-line usage problem (a bad option value, a missing optional package)."""


# --- files ----------------------------------------------------------------------------------


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


# --- progress -------------------------------------------------------------------------------


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


# --- formatting -----------------------------------------------------------------------------


def _euros(value: Any) -> str:
    return f"{int(value):,}"


def _money_table(table: pd.DataFrame) -> str:
    flat = table.copy()
    if isinstance(flat.columns, pd.MultiIndex):
        flat.columns = [":".join(str(level) for level in c) for c in flat.columns]
    shown = flat.map(_euros)
    return shown.to_string()


def _summary(results: pd.DataFrame, *, as_of: _dt.date, scenario: str) -> str:
    n = len(results)
    lines = [f"{n:,} cases assessed as of {as_of.isoformat()}, scenario {scenario}.", ""]
    counts = results["status"].value_counts()
    width = max(len(s) for s in STATUSES)
    lines.append(f"{'status':<{width}}  {'cases':>9}")
    for status in STATUSES:
        if counts.get(status, 0):
            lines.append(
                f"{status:<{width}}  {int(counts[status]):>9,}  {STATUSES[status].split(';')[0]}"
            )
    lines.append("")
    admin = results["admin_amount"]
    court = results["court_amount"]
    total = results["total_amount"]
    rows = [
        ("administrative penalty (Awb 4:17)", int((admin > 0).sum()), int(admin.sum())),
        ("court penalty (Awb 8:55d)", int((court > 0).sum()), int(court.sum())),
        ("total", int((total > 0).sum()), int(total.sum())),
    ]
    lines.append(f"{'accrued through ' + as_of.isoformat():<34}  {'cases':>9}  {'EUR':>14}")
    lines += [f"{label:<34}  {cases:>9,}  {amount:>14,}" for label, cases, amount in rows]
    return "\n".join(lines)


# --- commands -------------------------------------------------------------------------------


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


def _cmd_scenarios(args: argparse.Namespace, out: TextIO) -> int:
    for name in scenario_names():
        description = get_scenario(name).description
        print(f"{name:<20} {description}", file=out)
    return EXIT_OK


def _spreadsheet_rows(problems: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """``row`` as the spreadsheet numbers it: the header is row 1 (after any ``--skip-rows``),
    so the first case is row 2; for Parquet, the first case is row 1."""
    if "row" not in problems.columns:
        return problems
    out = problems.copy()
    suffixes = [s.lower() for s in _source(args.cases).suffixes]
    if ".parquet" in suffixes:
        offset = 1
    else:
        offset = 2 + int(getattr(args, "skip_rows", None) or 0)
    out["row"] = pd.to_numeric(out["row"]).astype("Int64") + offset  # empty for warnings
    return out


def _with_rows(problems: pd.DataFrame, cases: pd.DataFrame, args: argparse.Namespace) -> Any:
    """The problems of ``assess --problems`` with ``row`` as the spreadsheet numbers it (from
    :func:`dwangsom.validate`, which lists the same problems in the same order)."""
    if "row" in problems.columns or problems.empty:
        return problems
    checked = validate(cases, scenario=args.scenario)
    def keys(table: pd.DataFrame) -> list[tuple[str, ...]]:
        ids = table["case_id"].astype(object).where(table["case_id"].notna(), "")
        return list(zip(ids.astype(str), table["column"].astype(str), table["check"], strict=True))

    same = len(checked) == len(problems) and keys(checked) == keys(problems)
    if not same or "row" not in checked.columns:
        return problems
    out = problems.copy()
    out.insert(0, "row", checked["row"].to_numpy())
    return _spreadsheet_rows(out, args)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    problems = _spreadsheet_rows(validate(cases, scenario=args.scenario), args)
    if args.output:  # written when clean too: an empty table with its header says "checked"
        problems.attrs.update(
            export.metadata(as_of=None, scenario=args.scenario, source=cases.attrs["source"])
        )
        _write(args, problems, args.output)
    errors = _errors(problems)
    warnings = len(problems) - len(errors)
    if problems.empty:
        print(f"{len(cases):,} cases, no problems.", file=out)
        if args.output:
            print(f"wrote an empty problems table to {args.output}", file=out)
        return EXIT_OK
    print(
        f"{len(errors):,} problem(s) in {errors['case_id'].nunique():,} of "
        f"{len(cases):,} cases, {warnings:,} warning(s) about the table "
        "(row: as the spreadsheet numbers it):",
        file=out,
    )
    print(problems.head(args.show).to_string(index=False), file=out)
    if len(problems) > args.show:
        print(f"... {len(problems) - args.show:,} more", file=out)
    if args.output:
        print(f"wrote {args.output}", file=out)
    return EXIT_PROBLEMS if len(errors) else EXIT_OK


def _cmd_assess(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    problems = None
    if args.problems:
        results, problems = assess(cases, as_of=args.as_of, scenario=args.scenario, errors="report")
    else:
        results = _assess(cases, as_of=args.as_of, scenario=args.scenario, progress=True)
    print(_summary(results, as_of=args.as_of, scenario=args.scenario), file=out)
    if problems is not None:
        problems = _with_rows(problems, cases, args)
        problems.attrs.update(results.attrs)
        _write(args, problems, args.problems)
        print(f"\n{len(problems):,} problem(s) written to {args.problems}", file=out)
    if args.output:
        _write(args, _typed(results, cases, scenario=args.scenario), args.output)
        print(f"\nwrote {len(results):,} rows to {args.output}", file=out)
    return EXIT_PROBLEMS if problems is not None and len(_errors(problems)) else EXIT_OK


def _window(table: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """The months from ``--start`` to ``--end`` (zeros where nothing happened; running totals
    count from the first month with an amount), summed to ``--grain``."""
    start = getattr(args, "start", None)
    end = getattr(args, "end", None)
    grain = getattr(args, "grain", "month")
    if start is None and end is None and grain == "month":
        return table
    attrs = dict(table.attrs)
    index = table.index
    lo = index.min() if start is None else pd.Period(start, freq="M")
    hi = index.max() if end is None else pd.Period(end, freq="M")
    if hi < lo:
        raise CommandError(f"--end {hi} is before --start {lo}")
    full = pd.period_range(min(lo, index.min()), max(hi, index.max()), freq="M", name="month")
    cumulative = [
        c for c in table.columns if str(c[0] if isinstance(c, tuple) else c).endswith("_cumulative")
    ]
    filled = _recumulate(table.reindex(full, fill_value=0))
    window = filled.loc[lo:hi]
    if grain != "month":
        periods = pd.PeriodIndex(window.index).asfreq(_GRAINS[grain])
        grouped = window.groupby(periods)
        summed = grouped.sum()
        if cumulative:
            summed.loc[:, cumulative] = grouped.last().loc[:, cumulative]
        window = summed
        window.index.name = grain
    window.attrs = attrs | {"grain": grain}
    return window


def _months_table(args: argparse.Namespace, cases: pd.DataFrame) -> pd.DataFrame:
    if args.compare:
        if args.scenario_given:
            raise CommandError("give either --scenario or --compare, not both")
        names = _scenario_list(args.compare)
        if args.by:
            raise CommandError("--by works with one scenario, not with --compare")
        table = _by_chunks(
            cases,
            lambda part: compare(part, names, as_of=args.as_of, basis=args.basis),
            progress=True,
        )
    elif args.by:
        table = liability_by_month(
            cases, as_of=args.as_of, scenario=args.scenario, basis=args.basis, by=args.by
        )
    else:
        table = _by_chunks(
            cases,
            lambda part: liability_by_month(
                part, as_of=args.as_of, scenario=args.scenario, basis=args.basis
            ),
            progress=True,
        )
    return _window(table, args)


def _plot(table: pd.DataFrame, path: str, *, title: str, as_of: _dt.date | None = None) -> None:
    from .. import plotting

    if isinstance(table.columns, pd.MultiIndex):
        attrs = dict(table.attrs)
        table = pd.DataFrame(table.xs("total", axis=1, level=0))
        table.attrs = attrs
    fig = plotting.overview_figure(table, title=title, as_of=as_of)
    fig.savefig(path, dpi=150)


def _cmd_months(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    table = _months_table(args, cases)
    if args.by:
        shown = pd.DataFrame(table.xs("total", axis=1, level=0))
    elif args.compare:
        shown = table
    else:
        shown = table[["admin", "court", "total", "total_cumulative"]]
    what = (
        f"scenarios {', '.join(_scenario_list(args.compare))}"
        if args.compare
        else f"scenario {args.scenario}"
    )
    per = {"month": "month", "quarter": "quarter", "year": "year"}[args.grain]
    print(
        f"Penalties per {per} ({args.basis} basis, EUR), {len(cases):,} cases as of "
        f"{args.as_of.isoformat()}, {what}:",
        file=out,
    )
    print(_money_table(shown), file=out)
    if args.output:
        money = [str(c) for c in export.flat(table).columns if str(c) not in ("month", per)]
        _write(args, table, args.output, money=money)
        print(f"\nwrote {args.output}", file=out)
    if args.plot:
        if args.grain != "month":
            raise CommandError("--plot draws months: leave out --grain, or write -o instead")
        _plot(
            table,
            args.plot,
            title=f"Penalty liability ({args.basis} basis), as of {args.as_of.isoformat()}",
            as_of=args.as_of,
        )
        print(f"wrote chart {args.plot}", file=out)
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    case_id: Any = args.case_id
    ids = cases["case_id"] if "case_id" in cases.columns else pd.Series([], dtype=object)
    if not ids.astype(str).eq(case_id).any():
        raise CommandError(f"case_id {case_id!r} is not in {args.cases}")
    match = ids[ids.astype(str) == case_id].iloc[0]
    print(str(explain(match, as_of=args.as_of, scenario=args.scenario, cases=cases)), file=out)
    return EXIT_OK


class _ProgressExecutor(concurrent.futures.Executor):
    """Runs each submitted batch of Monte Carlo draws at once, here, and advances a progress
    bar by the batch's size (the draws stay reproducible: each has its own random stream)."""

    def __init__(self, update: Callable[[int], object]) -> None:
        self._update = update

    def submit(
        self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> concurrent.futures.Future[_T]:
        future: concurrent.futures.Future[_T] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        self._update(next((len(a) for a in args if isinstance(a, list)), 1))
        return future


def _example(name: str) -> Callable[..., Projection]:
    """A named projection setting from ``dwangsom.examples.EXAMPLES``, as a callable taking
    ``scenario=``, ``draws=``, ``seed=`` and ``executor=`` and returning a
    :class:`dwangsom.Projection`; ``2023`` is the setting of the July 2023 letter to parliament
    (FIFO, the most likely inflow)."""
    if name not in EXAMPLES:
        raise CommandError(
            f"--example {name!r} is not a named example (known: {', '.join(sorted(EXAMPLES))})"
        )
    if name == "2023":  # with the parameters calibrated on what was known on 16 Feb 2023
        from ..backtests import calibrated_2023

        return calibrated_2023
    return EXAMPLES[name]


#: project options and the keyword of the example callables they would set.
_EXAMPLE_OPTIONS = {
    "cases": ("CASES", "cases"),
    "sheet": ("--sheet", "sheet_name"),
    "as_of": ("--as-of", "as_of"),
    "until": ("--until", "until"),
    "inflow": ("--inflow", "inflow"),
    "capacity": ("--capacity", "capacity"),
    "policy": ("--policy", "policy"),
    "columns": ("--columns", "columns"),
    "skip_rows": ("--skip-rows", "skip_rows"),
    "strict": ("--strict", "strict"),
}


def _example_call(args: argparse.Namespace, executor: Any) -> Projection:
    """Run ``--example NAME`` with every option given that the example accepts; an option it
    does not accept is refused, never ignored."""
    run = _example(args.example)
    accepted = inspect.signature(run).parameters
    kwargs: dict[str, Any] = {"scenario": args.scenario, "draws": args.draws, "seed": args.seed}
    kwargs["executor"] = executor
    refused = []
    for dest, (flag, keyword) in _EXAMPLE_OPTIONS.items():
        value = getattr(args, dest, None)
        if value is None or value is False:
            continue
        if keyword in accepted:
            kwargs[keyword] = value
        else:
            refused.append(flag)
    if refused:
        raise CommandError(
            f"--example {args.example} is a fixed setting: it does not take "
            f"{', '.join(refused)} (it takes --scenario, --draws, --seed, --basis, --plot and "
            "-o); give CASES --as-of --until --inflow --capacity [--policy] for your own"
        )
    return run(**{k: v for k, v in kwargs.items() if k in accepted})


def _history(cases: pd.DataFrame, args: argparse.Namespace) -> pd.Series | None:
    """What accrued before the projection's start, per month (for the chart)."""
    try:
        months = liability_by_month(
            cases, as_of=args.as_of, scenario=args.scenario, basis=args.basis
        )
    except DwangsomError:
        return None
    history = months["total"].astype(float)
    history.name = f"history ({args.basis})"
    return history


def _cmd_project(args: argparse.Namespace, out: TextIO) -> int:
    draws, seed = args.draws, args.seed
    if draws is not None and draws < 1:
        raise CommandError(f"--draws must be 1 or more, got {draws}")
    history = None
    with _progress(draws or 0, "Monte Carlo", enabled=draws is not None, unit="draw") as update:
        executor = _ProgressExecutor(update) if draws is not None else None
        if args.example:
            result = _example_call(args, executor)
        else:
            needed = {"CASES": args.cases, "--as-of": args.as_of, "--until": args.until}
            needed |= {"--inflow": args.inflow, "--capacity": args.capacity}
            missing = [flag for flag, value in needed.items() if value is None]
            if missing:
                raise CommandError(
                    f"project needs {', '.join(missing)} (or --example NAME for a named setting)"
                )
            cases = _read(args)
            result = project(
                cases,
                as_of=args.as_of,
                until=args.until,
                inflow=args.inflow,
                capacity=args.capacity,
                policy=args.policy or "fifo",
                scenario=args.scenario,
                draws=draws,
                seed=seed,
                executor=executor,
            )
            if args.plot:
                history = _history(cases, args)
    print(str(result), file=out)
    table = result.by_month
    columns = ["inflow", "decisions", "open", "overdue", "notices", "appeals", "judgments"]
    columns += [f"total_{args.basis}"]
    if draws is not None:
        columns += [f"total_{args.basis}_p10", f"total_{args.basis}_p90"]
    print(f"\nPer month (counts, EUR {args.basis}):", file=out)
    print(_money_table(table[columns].round()), file=out)
    if args.output:
        table = table.copy()
        table.attrs.update(
            export.metadata(
                as_of=_projection_start(result, args),
                scenario=result.scenario,
                basis=args.basis,
                source=None if args.example else _source(args.cases).name,
            )
        )
        _write(args, table, args.output)
        print(f"\nwrote {args.output}", file=out)
    if args.plot:
        _plot_projection(result, args, history)
        print(f"wrote chart {args.plot}", file=out)
    return EXIT_OK


def _projection_start(result: Projection, args: argparse.Namespace) -> Any:
    if args.as_of is not None:
        return args.as_of
    value = getattr(result, "as_of", None)
    if value is None:
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _plot_projection(result: Projection, args: argparse.Namespace, history: Any) -> None:
    from .. import plotting

    column = f"total_{args.basis}"
    by_month = result.by_month
    frame = pd.DataFrame({"expected" if args.draws is None else "mean": by_month[column]})
    if args.draws is not None:
        for q in (10, 90):
            frame[f"p{q}"] = by_month[f"{column}_p{q}"]
    if history is not None:  # the as-of month: what accrued so far plus what is projected
        overlap = frame.index.intersection(history.index)
        frame.loc[overlap] = frame.loc[overlap].add(history.loc[overlap], axis=0)
        history = history[history.index <= frame.index.min()]
    start = _projection_start(result, args)
    label = "penalty days" if args.basis == "accrued" else "amounts falling due"
    where = f", as of {start.isoformat()}" if start else ""
    fig = plotting.plot_projection(
        frame,
        observed=history,
        as_of=start,
        title=f"Projected penalties per month ({args.basis} basis: {label}){where}, "
        f"{result.scenario.name}, {result.policy!r}",
    )
    fig.savefig(args.plot, dpi=150)


def _demo_notes(cases: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Where the scenarios of the demo differ, and why two of them may not."""
    first = DEMO_SCENARIOS[0]
    base = assess(cases, as_of=SAMPLE_AS_OF, scenario=first)
    months = {
        name: liability_by_month(cases, as_of=SAMPLE_AS_OF, scenario=name)
        for name in DEMO_SCENARIOS
    }
    notes = []
    for name in DEMO_SCENARIOS[1:]:
        diff = int(table[f"diff {name}"].abs().sum())
        other = assess(cases, as_of=SAMPLE_AS_OF, scenario=name)
        if diff == 0:
            moved = base["notice_valid"].astype(bool) != other["notice_valid"].astype(bool)
            became = int(
                (~base["notice_valid"].astype(bool) & other["notice_valid"].astype(bool)).sum()
            )
            appealed = int((moved & cases["appeal_filed"].notna()).sum())
            judged = int((moved & cases["judgment_sent"].notna()).sum())
            notes.append(
                f"- {name} is identical to {first} in every month (charted dashed). "
                f"{became:,} notices in the sample were received between 6 and 15 months after "
                f"receipt: premature if the extension holds, valid if it is void; {appealed:,} "
                f"were followed by an appeal and {judged:,} by a judgment. Under the Temporary "
                "Act an asylum notice carries no Awb 4:17 penalty, and a court penalty is what "
                "the recorded judgment ordered, so the reading changes which notices count "
                f"(status notice-premature: {int((base['status'] == 'notice-premature').sum()):,} "
                f"v. {int((other['status'] == 'notice-premature').sum()):,}), not the euros."
            )
            continue
        admin = int(months[name]["admin"].sum() - months[first]["admin"].sum())
        court = int(months[name]["court"].sum() - months[first]["court"].sum())
        gained = (other["total_amount"] > base["total_amount"]).sum()
        notes.append(
            f"- {name} differs from {first} by EUR {_euros(admin + court)}: Awb 4:17 "
            f"EUR {_euros(admin)}, court penalties EUR {_euros(court)}, in {int(gained):,} cases."
        )
    if "no-temporary-act" in DEMO_SCENARIOS and "extensions-void" in DEMO_SCENARIOS:
        both = get_scenario("no-temporary-act").replace(
            name="no-temporary-act, extensions-void", extensions=frozenset()
        )
        extra = int(
            liability_by_month(cases, as_of=SAMPLE_AS_OF, scenario=both)["total"].sum()
            - months["no-temporary-act"]["total"].sum()
        )
        notes.append(
            "- Where the Awb 4:17 penalty applies, the reading of the extension matters: without "
            f"the Temporary Act, voiding the extensions adds EUR {_euros(extra)} (the Awb 4:17 "
            "penalties of those notices)."
        )
    return notes


def _cmd_backtest(args: argparse.Namespace, out: TextIO) -> int:
    from ..backtests import backtest

    if not 0 < args.scale <= 1:
        raise CommandError(f"--scale must be in (0, 1], got {args.scale}")
    result = backtest(args.name, scale=args.scale, draws=args.draws)
    print(str(result), file=out)
    print("\nfitted parameters:", file=out)
    print(result.calibration.summary().drop(columns=["source"]).round(4).to_string(), file=out)
    d = result.decomposition.dropna(subset=["expected"])
    print("\ndecomposition (expected cash, EUR million):", file=out)
    shown = d.assign(expected=(d["expected"] / 1e6).round(2))
    print(shown.to_string(index=False), file=out)
    if args.plot:
        result.plot().savefig(args.plot, dpi=150, bbox_inches="tight")
        print(f"wrote chart {args.plot}", file=out)
    return 0


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    started = time.perf_counter()
    cases = read_cases(sample_path())
    cases.attrs["source"] = sample_path().name
    table = compare(cases, list(DEMO_SCENARIOS), as_of=SAMPLE_AS_OF)
    print(
        f"dwangsom demo: {len(cases):,} synthetic asylum cases received 2021-2024 (the bundled "
        f"sample, data/sample_cases.csv), as of {SAMPLE_AS_OF.isoformat()}.\n"
        "Penalties accrued per month (EUR) under 'as-applied' (the law as applied), "
        "'extensions-void' (no categorical extension of the decision term holds) and "
        "'no-temporary-act' (had the Temporary Act never suspended the penalties):\n",
        file=out,
    )
    print(_money_table(table), file=out)
    totals = table.sum()
    named = ", ".join(f"{name} EUR {_euros(totals[name])}" for name in DEMO_SCENARIOS)
    print(f"\nTotal through {SAMPLE_AS_OF.isoformat()}: {named}.", file=out)
    print("\nWhere the differences come from:", file=out)
    for note in _demo_notes(cases, table):
        print(textwrap.fill(note, width=100, subsequent_indent="  "), file=out)
    if args.plot != "none":
        try:
            _plot(
                table,
                args.plot,
                title="Penalty liability on the synthetic sample (accrued basis), "
                f"as of {SAMPLE_AS_OF.isoformat()}",
                as_of=SAMPLE_AS_OF,
            )
        except ImportError as exc:
            print(f"chart skipped: {exc}", file=out)
        else:
            print(f"Chart: {args.plot}", file=out)
    first, second = DEMO_SCENARIOS[0], DEMO_SCENARIOS[-1]
    print(
        f"\nOn your own extract: dwangsom months CASES.csv --as-of {SAMPLE_AS_OF.isoformat()} "
        f"--compare {first},{second} --plot chart.png -o months.xlsx  "
        f"({time.perf_counter() - started:.1f} s)",
        file=out,
    )
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _ScenarioAction(argparse.Action):
    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.scenario_given = True


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dwangsom",
        description="Penalty payments (dwangsommen) for late IND asylum decisions.",
        epilog="Start with 'dwangsom demo'. Exit status: 0 done, 1 problems found, 2 bad usage "
        "or input, 3 internal error. Docs: docs/cli.md",
    )
    parser.add_argument("--version", action="version", version=f"dwangsom {__version__}")
    parser.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    known_scenarios = ", ".join(scenario_names())

    def command(name: str, run: Callable[..., int], help_: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=help_)
        sub.set_defaults(run=run, scenario_given=False, scenario="as-applied", dialect="iso")
        return sub

    def reading(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--sheet",
            type=_sheet,
            metavar="NAME|N",
            help="the Excel sheet, by name or number counted from 1 (default: the first)",
        )
        sub.add_argument(
            "--columns",
            metavar="FILE",
            help="your headers mapped to dwangsom's: a JSON object or a CSV of 'header,column' "
            "lines",
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            default=False,
            help="an unrecognised column is an error instead of a named problem",
        )
        sub.add_argument(
            "--skip-rows",
            type=_count,
            metavar="N",
            help="title rows above the header to skip (default 0)",
        )

    def cases(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "cases",
            metavar="CASES",
            help="case extract: .csv (comma or semicolon), .xlsx or .parquet; 'sample' for the "
            "bundled synthetic sample",
        )
        reading(sub)

    def as_of(sub: argparse.ArgumentParser, *, required: bool = True) -> None:
        sub.add_argument(
            "--as-of",
            type=_as_of,
            required=required,
            metavar="DATE",
            help="reporting date, YYYY-MM-DD or dd-mm-jjjj: events after it have not happened",
        )

    def scenario(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--scenario",
            action=_ScenarioAction,
            metavar="NAME",
            help=f"legal scenario: {known_scenarios} (default as-applied; 'dwangsom scenarios' "
            "says what each assumes)",
        )

    def output(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument(
            "-o",
            "--output",
            type=_output_path,
            metavar="OUT",
            help=f"{what} (.csv, .xlsx with a metadata sheet, or .parquet; written atomically)",
        )
        sub.add_argument(
            "--dialect",
            choices=("iso", "nl"),
            default="iso",
            help="CSV output: iso (UTF-8, ',', YYYY-MM-DD; default) or nl (as Dutch Excel opens "
            "it: ';', decimal comma, dd-mm-jjjj, UTF-8 with BOM)",
        )

    def basis(sub: argparse.ArgumentParser, help_: str) -> None:
        sub.add_argument("--basis", choices=("accrued", "cash"), default="accrued", help=help_)

    sub = command(
        "demo", _cmd_demo, "the monthly table of the bundled sample, three scenarios, a chart"
    )
    sub.add_argument(
        "--plot",
        default="dwangsom-demo.png",
        type=_chart_path,
        metavar="FILE",
        help="chart file, .png, .pdf or .svg (default dwangsom-demo.png; 'none' for no chart)",
    )

    sub = command("check", _cmd_check, "list the problems of a case extract (exit 1 if any)")
    cases(sub)
    scenario(sub)
    output(sub, "write the whole problems table, empty when the extract is clean")
    sub.add_argument(
        "--show", type=_count, default=20, metavar="N", help="problems to print (default 20)"
    )

    sub = command("assess", _cmd_assess, "per-case deadlines, penalties and status")
    cases(sub)
    as_of(sub)
    scenario(sub)
    output(sub, "write the per-case results")
    sub.add_argument(
        "--problems",
        type=_output_path,
        metavar="FILE",
        help="assess despite bad rows (status 'invalid') and write the problems table here "
        "(exit 1 when it is not empty)",
    )

    sub = command("months", _cmd_months, "penalties per month (or quarter, year), running totals")
    cases(sub)
    as_of(sub)
    scenario(sub)
    basis(
        sub,
        "accrued: euros in the month of each penalty day (default); cash: in the month the "
        "amount falls due",
    )
    sub.add_argument(
        "--compare",
        metavar="NAME,NAME",
        help=f"scenarios side by side, with differences to the first (of {known_scenarios})",
    )
    sub.add_argument("--by", metavar="COLUMN", help="one group of columns per value of COLUMN")
    sub.add_argument(
        "--start", type=_month, metavar="MONTH", help="first month shown, YYYY-MM or a date"
    )
    sub.add_argument(
        "--end", type=_month, metavar="MONTH", help="last month shown, YYYY-MM or a date"
    )
    sub.add_argument(
        "--grain",
        choices=tuple(_GRAINS),
        default="month",
        help="rows per month (default), quarter or year; running totals at the period's end",
    )
    sub.add_argument(
        "--plot",
        type=_chart_path,
        metavar="FILE.png",
        help="write a chart, .png, .pdf or .svg (needs dwangsom[plot])",
    )
    output(sub, "write the table")

    sub = command("explain", _cmd_explain, "one case's rule steps, with sources")
    cases(sub)
    sub.add_argument("case_id", metavar="CASE_ID")
    as_of(sub)
    scenario(sub)

    sub = command("project", _cmd_project, "project the liability forward month by month")
    sub.add_argument("cases", metavar="CASES", nargs="?", help="case extract on the --as-of date")
    reading(sub)
    as_of(sub, required=False)
    sub.add_argument("--until", type=_as_of, metavar="DATE", help="last day projected")
    sub.add_argument(
        "--inflow",
        type=_amount,
        metavar="N",
        help="new applications per year (a yearly total, spread evenly over the months)",
    )
    sub.add_argument(
        "--capacity",
        type=_amount,
        metavar="N",
        help="decisions per month (partial months pro rata)",
    )
    sub.add_argument(
        "--policy",
        choices=tuple(POLICIES),
        metavar="NAME",
        help=f"processing order: {', '.join(POLICIES)} (default fifo)",
    )
    scenario(sub)
    sub.add_argument(
        "--draws",
        type=int,
        metavar="N",
        help="Monte Carlo draws, with P10-P90 bands (default: expected values)",
    )
    sub.add_argument("--seed", type=int, metavar="N", help="random seed for the draws")
    basis(
        sub,
        "euros shown and charted: accrued (per penalty day, default) or cash (when due)",
    )
    sub.add_argument(
        "--example",
        metavar="NAME",
        help=f"a named setting instead of CASES ({', '.join(sorted(EXAMPLES))}; takes "
        "--scenario, --draws, --seed; see docs/examples)",
    )
    sub.add_argument(
        "--plot",
        type=_chart_path,
        metavar="FILE.png",
        help="write a chart: history, projection and its bands",
    )
    output(sub, "write the monthly projection")

    command("scenarios", _cmd_scenarios, "list the named legal scenarios")

    sub = command("backtest", _cmd_backtest, "calibrate a named setting, forecast, score on paid")
    sub.add_argument("name", choices=("2020", "2023", "2024"), metavar="NAME",
                     help="the setting: 2020, 2023 or 2024 (docs/forecasts.md)")  # fmt: skip
    sub.add_argument("--scale", type=float, default=1.0, metavar="X",
                     help="share of the cases (default 1; amounts scaled back up)")  # fmt: skip
    sub.add_argument("--draws", type=int, default=20, metavar="N",
                     help="parameter draws for the P10-P90 band (default 20)")  # fmt: skip
    sub.add_argument("--plot", type=_chart_path, metavar="FILE.png",
                     help="write the chart: projected bands against paid bars")  # fmt: skip
    return parser


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


def _one_line(exc: BaseException, *, cases: str | None = None) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"cannot open {exc.filename}: {exc.strerror or exc}"
    elif isinstance(exc, UnicodeDecodeError):
        text = f"the file is not UTF-8 text ({exc.reason}); save it as CSV UTF-8"
    elif isinstance(exc, zipfile.BadZipFile):
        text = f"not a valid Excel file ({exc})"
    else:
        text = str(exc) or type(exc).__name__
        if isinstance(exc, KeyError) and not isinstance(exc, DwangsomError):
            text = f"missing key {text}"
    if isinstance(exc, CaseTableError):
        text = text.replace(
            "Use errors='report' for the full problems table.",
            f"Run 'dwangsom check {cases or 'CASES'}' for the full problems table.",
        )
    return " ".join(text.split())


_EXPECTED = (
    DwangsomError,
    OSError,
    ValueError,
    KeyError,
    ImportError,
    zipfile.BadZipFile,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status: 0 done, 1 problems found, 2 bad usage or
    input, 3 internal error (130 interrupted)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        status: int = args.run(args, sys.stdout)
        return status
    except KeyboardInterrupt:
        print("dwangsom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `dwangsom months ... | head`: stop quietly
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")
        return 0
    except _EXPECTED as exc:
        if args.traceback:
            raise
        print(
            f"dwangsom: error: {_one_line(exc, cases=getattr(args, 'cases', None))}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, with the way to the details
        if args.traceback:
            raise
        print(
            f"dwangsom: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
