"""Benchmarks of :func:`dwangsom.project` (a script, not a test).

    python benchmarks/bench_projection.py            # both benchmarks
    python benchmarks/bench_projection.py --quick    # smaller sizes, for a smoke run

1. Expected-value projection of 100,000 open cases over 36 months (target: under 2 seconds).
2. 1,000 Monte Carlo draws of 60,000 open cases over 24 months on 2 worker processes
   (target: under 60 seconds).

The open stock is synthetic (:func:`dwangsom.synthetic_open_cases`: a flat inflow of 5,000
applications a month, oldest decided first); inflow 4,000 a month and capacity 3,500 a month
keep a growing, partly overdue stock, so the behaviour chain and both penalties are exercised.
Each timing is the best of ``--repeat`` runs (wall clock, including reading the case table).
The measured figures are in docs/projection.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

import dwangsom


def _stock(n: int, as_of: str) -> pd.DataFrame:
    months = pd.period_range(end=pd.Period(as_of, freq="M"), periods=n // 5000 + 2, freq="M")
    inflow = pd.Series(5000.0, index=months)
    return dwangsom.synthetic_open_cases(inflow, stock=n, as_of=as_of)


def _best(run: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n_ev, n_mc, draws = (10_000, 6_000, 50) if args.quick else (100_000, 60_000, 1_000)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, dwangsom "
          f"{dwangsom.__version__}")

    cases = _stock(n_ev, "2023-12-31")
    for scenario in ("as-applied", "extensions-void"):
        for policy in ("fifo", dwangsom.policies.split(0.7)):
            def ev(scenario: str = scenario, policy: object = policy) -> dwangsom.Projection:
                return dwangsom.project(
                    cases, as_of="2023-12-31", until="2026-12-31", inflow=48_000.0,
                    capacity=3_500.0, policy=policy, scenario=scenario,  # type: ignore[arg-type]
                )

            seconds = _best(ev, args.repeat)
            p = ev()
            print(f"expected value, {n_ev:,} open cases, 36 months, {scenario}, {policy!r}: "
                  f"{seconds:.2f} s (EUR {p.total():,.0f} accrued)")

    cases = _stock(n_mc, "2023-12-31")
    with ProcessPoolExecutor(args.workers) as pool:
        def mc() -> dwangsom.Projection:
            return dwangsom.project(
                cases, as_of="2023-12-31", until="2025-12-31", inflow=48_000.0,
                capacity=3_500.0, scenario="extensions-void", draws=draws, seed=1,
                executor=pool,
            )

        seconds = _best(mc, 1)
        p = mc()
    q = p.quantiles()
    print(f"Monte Carlo, {draws:,} draws, {n_mc:,} open cases, 24 months, extensions-void, "
          f"{args.workers} processes: {seconds:.1f} s (mean EUR {p.total():,.0f}, "
          f"P10 {q['p10']:,.0f}, P90 {q['p90']:,.0f})")


if __name__ == "__main__":
    main()
