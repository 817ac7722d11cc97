"""``dwangsom assess``: per-case results and a summary."""

from __future__ import annotations

import argparse
from typing import TextIO

from ...cases import (
    assess,
)
from ..chunks import _assess, _errors
from ..commands.check import _with_rows
from ..files import _read, _typed, _write
from ..output import _summary
from ..status import EXIT_OK, EXIT_PROBLEMS


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
