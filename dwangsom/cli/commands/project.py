"""``dwangsom project``: the liability projected month by month, from an
extract or a named example, with Monte Carlo bands."""

from __future__ import annotations

import argparse
import concurrent.futures
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TextIO, TypeVar

import pandas as pd

from ... import export
from ...cases import (
    liability_by_month,
)
from ...errors import DwangsomError
from ...examples import EXAMPLES
from ...projection import Projection, project
from ..chunks import _progress
from ..files import _read, _source, _write
from ..output import _money_table
from ..status import EXIT_OK, CommandError

_P = ParamSpec("_P")
_T = TypeVar("_T")


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
        from ...backtests import calibrated_2023

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
    from ... import plotting

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
