"""The ``dwangsom`` command line.

::

    dwangsom demo                                # the bundled sample, two scenarios, a chart
    dwangsom check CASES                         # the problems table of an extract
    dwangsom assess CASES --as-of DATE [-o OUT]  # per-case results and a summary
    dwangsom months CASES --as-of DATE [--compare A,B] [--plot FILE.png] [-o OUT]
    dwangsom explain CASES CASE_ID --as-of DATE  # one case, rule by rule
    dwangsom project ...                         # the projection (see dwangsom project -h)
    dwangsom scenarios                           # the named scenarios

``CASES`` is a CSV (comma or semicolon separated, ISO or ``dd-mm-jjjj`` dates), Excel or Parquet
file; ``sample`` names the bundled synthetic extract. Outputs (``-o``) are written by their
extension: ``.csv``, ``.xlsx`` or ``.parquet``. CSV and Excel exports neutralise text a
spreadsheet would run as a formula (a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe). Errors print one line, ``dwangsom: error: ...``, to
standard error and exit with status 2.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as _dt
import importlib
import importlib.resources
import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TextIO, TypeVar

import pandas as pd
from pandas.api.types import CategoricalDtype, is_object_dtype, is_string_dtype

from . import __version__
from ._dates import as_date
from .cases import STATUSES, assess, compare, liability_by_month, read_cases, validate
from .errors import CaseTableError, DwangsomError
from .examples import EXAMPLES
from .explain import explain
from .projection import Projection, project
from .scenario import scenario as get_scenario
from .scenario import scenarios as scenario_names

__all__ = ["SAMPLE_AS_OF", "main", "neutralise_formulas", "sample_path", "write_table"]

#: The day the bundled synthetic extract was "taken"; ``dwangsom demo`` assesses as of this day.
SAMPLE_AS_OF = _dt.date(2025, 12, 31)
#: The scenarios ``dwangsom demo`` compares.
DEMO_SCENARIOS = ("as-applied", "no-temporary-act")
#: Tables with more rows than this are processed in chunks behind a progress bar.
CHUNK_ROWS = 250_000

_P = ParamSpec("_P")
_T = TypeVar("_T")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OUTPUTS = (".csv", ".xlsx", ".parquet")


class CommandError(DwangsomError):
    """A command-line usage problem (a bad option value, a missing optional package)."""


# --- files ----------------------------------------------------------------------------------


def sample_path() -> Path:
    """The bundled synthetic sample extract (gzip CSV; also in the repository as
    ``data/sample_cases.csv``). Every row is synthetic: see ``data/make_sample.py``."""
    resource = importlib.resources.files("dwangsom") / "sample" / "sample_cases.csv.gz"
    return Path(str(resource))


def _read(path: str, *, sheet: str | None = None) -> pd.DataFrame:
    source = sample_path() if path == "sample" else Path(path)
    if sheet is not None:
        return read_cases(source, sheet_name=sheet)
    return read_cases(source)


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` in which no text cell or column name starts like a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe, so a spreadsheet shows it instead of running it (OWASP, "CSV injection").
    Numbers and dates are not touched: a negative amount stays a number.

    >>> neutralise_formulas(pd.DataFrame({"note": ["=1+1", "ok", "@x"], "n": [-1, 2, 3]}))
        note  n
    0  '=1+1 -1
    1     ok  2
    2    '@x  3
    """

    def fix(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return "'" + value
        return value

    out = table.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if is_object_dtype(dtype) or is_string_dtype(dtype) or isinstance(dtype, CategoricalDtype):
            out[column] = out[column].astype(object).map(fix)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(fix(str(level)) for level in c) for c in out.columns]
        )
    else:
        out.columns = [fix(str(c)) for c in out.columns]
    return out


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """Index as a column (months as ``YYYY-MM`` text), MultiIndex columns as ``measure:group``."""
    out = table.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [":".join(str(level) for level in c) for c in out.columns]
    if isinstance(out.index, pd.PeriodIndex):
        out.index = out.index.astype(str)
    if out.index.name is not None:
        out = out.reset_index()
    return out


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``table`` by the file's extension: ``.csv`` (UTF-8, comma, ISO dates), ``.xlsx``
    or ``.parquet``. A named index (e.g. ``month``) becomes the first column. CSV and Excel
    are neutralised with :func:`neutralise_formulas`."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _OUTPUTS:
        raise CommandError(
            f"output {target.name!r}: unknown extension {target.suffix or '(none)'!r}; "
            "use .csv, .xlsx or .parquet"
        )
    flat = _flat(table)
    if suffix == ".csv":
        neutralise_formulas(flat).to_csv(target, index=False, date_format="%Y-%m-%d")
    elif suffix == ".xlsx":
        _need("openpyxl", "Excel output")
        with pd.ExcelWriter(
            target, engine="openpyxl", date_format="yyyy-mm-dd", datetime_format="yyyy-mm-dd"
        ) as writer:
            neutralise_formulas(flat).to_excel(writer, index=False, sheet_name="dwangsom")
    else:
        _need("pyarrow", "Parquet output")
        flat.to_parquet(target, index=False)
    return target


def _need(module: str, what: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise CommandError(
            f'{what} needs {module}: pip install "dwangsom[io]" (or pip install {module})'
        ) from None


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


def _chunks(n: int) -> list[slice]:
    return [slice(i, min(i + CHUNK_ROWS, n)) for i in range(0, n, CHUNK_ROWS)]


def _assess(cases: pd.DataFrame, *, as_of: _dt.date, scenario: str, progress: bool) -> Any:
    if len(cases) <= CHUNK_ROWS:
        return assess(cases, as_of=as_of, scenario=scenario)
    if not validate(cases, scenario=scenario).empty:  # whole-table checks (unique ids) first
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
    if not validate(cases).empty:  # whole-table checks (unique ids) before splitting
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
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args.cases, sheet=args.sheet)
    problems = validate(cases, scenario=args.scenario)
    if problems.empty:
        print(f"{len(cases):,} cases, no problems.", file=out)
        return 0
    print(
        f"{len(problems):,} problem(s) in {problems['case_id'].nunique():,} of "
        f"{len(cases):,} cases:",
        file=out,
    )
    print(problems.head(args.show).to_string(index=False), file=out)
    if len(problems) > args.show:
        print(f"... {len(problems) - args.show:,} more", file=out)
    if args.output:
        write_table(problems, args.output)
        print(f"wrote {args.output}", file=out)
    return 1


def _cmd_assess(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args.cases, sheet=args.sheet)
    if args.problems:
        results, problems = assess(cases, as_of=args.as_of, scenario=args.scenario, errors="report")
        write_table(problems, args.problems)
    else:
        results = _assess(cases, as_of=args.as_of, scenario=args.scenario, progress=True)
    print(_summary(results, as_of=args.as_of, scenario=args.scenario), file=out)
    if args.problems:
        print(f"\n{len(problems):,} problem(s) written to {args.problems}", file=out)
    if args.output:
        write_table(results, args.output)
        print(f"\nwrote {len(results):,} rows to {args.output}", file=out)
    return 0


def _months_table(args: argparse.Namespace, cases: pd.DataFrame) -> pd.DataFrame:
    if args.compare:
        if args.scenario_given:
            raise CommandError("give either --scenario or --compare, not both")
        names = _scenario_list(args.compare)
        if args.by:
            raise CommandError("--by works with one scenario, not with --compare")
        return _by_chunks(
            cases,
            lambda part: compare(part, names, as_of=args.as_of, basis=args.basis),
            progress=True,
        )
    if args.by:
        return liability_by_month(
            cases, as_of=args.as_of, scenario=args.scenario, basis=args.basis, by=args.by
        )
    return _by_chunks(
        cases,
        lambda part: liability_by_month(
            part, as_of=args.as_of, scenario=args.scenario, basis=args.basis
        ),
        progress=True,
    )


def _plot(table: pd.DataFrame, path: str, *, title: str) -> None:
    from . import plotting

    if isinstance(table.columns, pd.MultiIndex):
        table = pd.DataFrame(table.xs("total", axis=1, level=0))
    fig = plotting.overview_figure(table, title=title)
    fig.savefig(path, dpi=150)


def _cmd_months(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args.cases, sheet=args.sheet)
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
    print(
        f"Penalties per month ({args.basis} basis, EUR), {len(cases):,} cases as of "
        f"{args.as_of.isoformat()}, {what}:",
        file=out,
    )
    print(_money_table(shown), file=out)
    if args.output:
        write_table(table, args.output)
        print(f"\nwrote {args.output}", file=out)
    if args.plot:
        _plot(table, args.plot, title=f"Penalty liability ({args.basis}), as of {args.as_of}")
        print(f"wrote chart {args.plot}", file=out)
    return 0


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args.cases, sheet=args.sheet)
    case_id: Any = args.case_id
    ids = cases["case_id"] if "case_id" in cases.columns else pd.Series([], dtype=object)
    if not ids.astype(str).eq(case_id).any():
        raise CommandError(f"case_id {case_id!r} is not in {args.cases}")
    match = ids[ids.astype(str) == case_id].iloc[0]
    print(str(explain(match, as_of=args.as_of, scenario=args.scenario, cases=cases)), file=out)
    return 0


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
        from .backtests import calibrated_2023

        return calibrated_2023
    return EXAMPLES[name]


def _cmd_project(args: argparse.Namespace, out: TextIO) -> int:
    draws, seed = args.draws, args.seed
    if draws is not None and draws < 1:
        raise CommandError(f"--draws must be 1 or more, got {draws}")
    with _progress(draws or 0, "Monte Carlo", enabled=draws is not None, unit="draw") as update:
        executor = _ProgressExecutor(update) if draws is not None else None
        if args.example:
            result = _example(args.example)(
                scenario=args.scenario, draws=draws, seed=seed, executor=executor
            )
        else:
            needed = {"CASES": args.cases, "--as-of": args.as_of, "--until": args.until}
            needed |= {"--inflow": args.inflow, "--capacity": args.capacity}
            missing = [flag for flag, value in needed.items() if value is None]
            if missing:
                raise CommandError(
                    f"project needs {', '.join(missing)} (or --example NAME for a named setting)"
                )
            result = project(
                _read(args.cases, sheet=args.sheet),
                as_of=args.as_of,
                until=args.until,
                inflow=args.inflow,
                capacity=args.capacity,
                policy=args.policy,
                scenario=args.scenario,
                draws=draws,
                seed=seed,
                executor=executor,
            )
    print(str(result), file=out)
    table = result.by_month
    columns = ["inflow", "decisions", "open", "overdue", "notices", "appeals", "judgments"]
    columns += [f"total_{args.basis}"]
    if draws is not None:
        columns += [f"total_{args.basis}_p10", f"total_{args.basis}_p90"]
    print(f"\nPer month (counts, EUR {args.basis}):", file=out)
    print(_money_table(table[columns].round()), file=out)
    if args.output:
        write_table(table, args.output)
        print(f"\nwrote {args.output}", file=out)
    if args.plot:
        result.plot(basis=args.basis).savefig(args.plot, dpi=150)
        print(f"wrote chart {args.plot}", file=out)
    return 0


def _cmd_backtest(args: argparse.Namespace, out: TextIO) -> int:
    from .backtests import backtest

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
    table = compare(cases, list(DEMO_SCENARIOS), as_of=SAMPLE_AS_OF)
    first, second = DEMO_SCENARIOS
    print(
        f"dwangsom demo: {len(cases):,} synthetic asylum cases received 2021-2024 (the bundled "
        f"sample, data/sample_cases.csv), as of {SAMPLE_AS_OF.isoformat()}.\n"
        f"Penalties accrued per month (EUR) under '{first}' (the law as applied) and "
        f"'{second}' (had the Temporary Act never suspended the penalties):\n",
        file=out,
    )
    print(_money_table(table), file=out)
    totals = table.sum()
    print(
        f"\nTotal through {SAMPLE_AS_OF.isoformat()}: {first} EUR {_euros(totals[first])}, "
        f"{second} EUR {_euros(totals[second])}.",
        file=out,
    )
    if args.plot != "none":
        try:
            _plot(table, args.plot, title="Penalty liability on the synthetic sample")
        except ImportError as exc:
            print(f"chart skipped: {exc}", file=out)
        else:
            print(f"Chart: {args.plot}", file=out)
    print(
        f"\nOn your own extract: dwangsom months CASES.csv --as-of {SAMPLE_AS_OF.isoformat()} "
        f"--compare {first},{second} --plot chart.png  "
        f"({time.perf_counter() - started:.1f} s)",
        file=out,
    )
    return 0


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
        epilog="Start with 'dwangsom demo'. Docs: docs/getting-started.md",
    )
    parser.add_argument("--version", action="version", version=f"dwangsom {__version__}")
    parser.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, run: Callable[..., int], help_: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=help_)
        sub.set_defaults(run=run, scenario_given=False, scenario="as-applied")
        return sub

    def cases(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "cases",
            metavar="CASES",
            help="case extract: .csv (comma or semicolon), .xlsx or .parquet; 'sample' for the "
            "bundled synthetic sample",
        )
        sub.add_argument("--sheet", metavar="NAME", help="the Excel sheet (default: the first)")

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
            help=f"legal scenario (default as-applied; one of {', '.join(scenario_names())})",
        )

    def output(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument(
            "-o",
            "--output",
            type=_output_path,
            metavar="OUT",
            help=f"{what} (.csv, .xlsx, .parquet)",
        )

    sub = command("demo", _cmd_demo, "the monthly table of the bundled sample, two scenarios")
    sub.add_argument(
        "--plot",
        default="dwangsom-demo.png",
        type=_chart_path,
        metavar="FILE",
        help="chart file (default dwangsom-demo.png; 'none' for no chart)",
    )

    sub = command("check", _cmd_check, "list the problems of a case extract (exit 1 if any)")
    cases(sub)
    scenario(sub)
    output(sub, "write the whole problems table")
    sub.add_argument("--show", type=int, default=20, help="problems to print (default 20)")

    sub = command("assess", _cmd_assess, "per-case deadlines, penalties and status")
    cases(sub)
    as_of(sub)
    scenario(sub)
    output(sub, "write the per-case results")
    sub.add_argument(
        "--problems",
        type=_output_path,
        metavar="FILE",
        help="assess despite bad rows (status 'invalid') and write the problems table here",
    )

    sub = command("months", _cmd_months, "penalties per month, with running totals")
    cases(sub)
    as_of(sub)
    scenario(sub)
    sub.add_argument(
        "--basis",
        choices=("accrued", "cash"),
        default="accrued",
        help="accrued: in the month of each penalty day (default); cash: in the month it is due",
    )
    sub.add_argument(
        "--compare", metavar="NAME,NAME", help="scenarios side by side, with differences"
    )
    sub.add_argument("--by", metavar="COLUMN", help="one group of columns per value of COLUMN")
    sub.add_argument(
        "--plot", type=_chart_path, metavar="FILE.png", help="write a chart (needs dwangsom[plot])"
    )
    output(sub, "write the monthly table")

    sub = command("explain", _cmd_explain, "one case's rule steps, with sources")
    cases(sub)
    sub.add_argument("case_id", metavar="CASE_ID")
    as_of(sub)
    scenario(sub)

    sub = command("project", _cmd_project, "project the liability forward month by month")
    sub.add_argument("cases", metavar="CASES", nargs="?", help="case extract on the --as-of date")
    sub.add_argument("--sheet", metavar="NAME", help="the Excel sheet (default: the first)")
    as_of(sub, required=False)
    sub.add_argument("--until", type=_as_of, metavar="DATE", help="last day projected")
    sub.add_argument(
        "--inflow", type=float, metavar="N", help="new applications per year (spread evenly)"
    )
    sub.add_argument("--capacity", type=float, metavar="N", help="decisions per month")
    sub.add_argument(
        "--policy", default="fifo", metavar="NAME", help="processing order (default fifo)"
    )
    scenario(sub)
    sub.add_argument("--draws", type=int, metavar="N", help="Monte Carlo draws (default: expected)")
    sub.add_argument("--seed", type=int, metavar="N", help="random seed for the draws")
    sub.add_argument(
        "--basis", choices=("accrued", "cash"), default="accrued", help="euros shown and charted"
    )
    sub.add_argument(
        "--example",
        metavar="NAME",
        help=f"a named setting instead of CASES ({', '.join(sorted(EXAMPLES))}; see docs/examples)",
    )
    sub.add_argument(
        "--plot", type=_chart_path, metavar="FILE.png", help="write a chart with the bands"
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
    """Run the command line; returns the exit status (0 ok, 1 problems found, 2 error)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
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
        return 2
    except Exception as exc:  # a bug: still one line, with the way to the details
        if args.traceback:
            raise
        print(
            f"dwangsom: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --traceback and report it)",
            file=sys.stderr,
        )
        return 1
