"""``dwangsom months``: penalties per month (or quarter, year), one scenario
or several side by side."""

from __future__ import annotations

import argparse
from typing import TextIO

import pandas as pd

from ... import export
from ...cases import (
    compare,
    liability_by_month,
)
from ..arguments import _GRAINS, _scenario_list
from ..chunks import _by_chunks, _recumulate
from ..files import _read, _write
from ..output import _money_table, _plot
from ..status import EXIT_OK, CommandError


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
