"""The argument parser: every command, its options and their help."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from .. import __version__
from ..examples import EXAMPLES
from ..policies import POLICIES
from ..scenario import scenarios as scenario_names
from .arguments import _GRAINS, _amount, _as_of, _chart_path, _count, _month, _output_path
from .commands.assess import _cmd_assess
from .commands.backtest import _cmd_backtest
from .commands.check import _cmd_check
from .commands.demo import _cmd_demo
from .commands.explain import _cmd_explain
from .commands.months import _cmd_months
from .commands.project import _cmd_project
from .commands.scenarios import _cmd_scenarios
from .files import _sheet


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
