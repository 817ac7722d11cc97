"""``dwangsom backtest``: calibrate a named setting, forecast, score on what
was paid."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..status import CommandError


def _cmd_backtest(args: argparse.Namespace, out: TextIO) -> int:
    from ...backtests import backtest

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
