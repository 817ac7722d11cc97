"""Benchmarks of :func:`dwangsom.project` (a script, not a test).

    python benchmarks/bench_projection.py            # all benchmarks (a few minutes)
    python benchmarks/bench_projection.py --quick    # smaller sizes, for a smoke run

1. Expected-value projection of 100,000 open cases over 36 months (target: under 2 seconds),
   FIFO and the 70/30 split, both scenarios; once more with identical cases not merged (the
   worst case, where no two cases share receipt day, decision day and type).
2. 1,000 Monte Carlo draws of 60,000 open cases over 24 months on 2 worker processes
   (target: under 60 seconds), FIFO (a decision schedule that does not depend on the draws).
3. The same with ``court_orders_first`` (the schedule depends on each draw's judgments, so every
   draw runs the allocation and the engine), 100 draws.

The open stock is synthetic (:func:`dwangsom.synthetic_open_cases`: a flat inflow of 5,000
applications a month, oldest decided first); inflow 4,000 a month and capacity 3,500 a month
keep a growing, largely overdue stock, so the behaviour chain and the court penalties are
exercised (the inflow adds 144,000 and 96,000 new cases to the 100,000 and 60,000). Timings are
wall clock, including reading the case table; the expected-value ones are the best of
``--repeat`` runs. The measured figures are in docs/projection.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

import dwangsom
from dwangsom import projection


def _stock(n: int, as_of: str) -> pd.DataFrame:
    months = pd.period_range(end=pd.Period(as_of, freq="M"), periods=n // 5000 + 2, freq="M")
    inflow = pd.Series(5000.0, index=months)
    return dwangsom.synthetic_open_cases(inflow, stock=n, as_of=as_of)


def _best(run: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n_ev, n_mc, draws, few = (
        (10_000, 6_000, 50, 10) if args.quick else (100_000, 60_000, 1_000, 100)
    )
    print(
        f"python {platform.python_version()}, numpy, {os.cpu_count()} cpus, dwangsom "
        f"{dwangsom.__version__}"
    )

    cases = _stock(n_ev, "2023-12-31")
    runs: list[tuple[str, Any, bool]] = [
        ("as-applied", "fifo", True),
        ("as-applied", dwangsom.policies.split(0.7), True),
        ("extensions-void", "fifo", True),
        ("extensions-void", dwangsom.policies.split(0.7), True),
        ("extensions-void", "fifo", False),
    ]
    for scenario, policy, merge in runs:

        def ev(scenario: str = scenario, policy: Any = policy) -> dwangsom.Projection:
            return dwangsom.project(
                cases,
                as_of="2023-12-31",
                until="2026-12-31",
                inflow=48_000.0,
                capacity=3_500.0,
                policy=policy,
                scenario=scenario,
            )

        projection.allocation._MERGE_IDENTICAL = merge
        seconds = _best(ev, args.repeat)
        p = ev()
        projection.allocation._MERGE_IDENTICAL = True
        label = "" if merge else ", identical cases not merged"
        print(
            f"expected value, {n_ev:,} open cases, 36 months, {scenario}, "
            f"{dwangsom.policies.get(policy)!r}{label}: {seconds:.2f} s "
            f"(EUR {p.total():,.0f} accrued)"
        )

    cases = _stock(n_mc, "2023-12-31")
    with ProcessPoolExecutor(args.workers) as pool:
        for policy, n in (("fifo", draws), (dwangsom.policies.fifo(court_orders_first=True), few)):

            def mc(policy: Any = policy, n: int = n) -> dwangsom.Projection:
                return dwangsom.project(
                    cases,
                    as_of="2023-12-31",
                    until="2025-12-31",
                    inflow=48_000.0,
                    capacity=3_500.0,
                    scenario="extensions-void",
                    draws=n,
                    seed=1,
                    policy=policy,
                    executor=pool,
                )

            t = time.perf_counter()
            p = mc()
            seconds = time.perf_counter() - t
            q = p.quantiles()
            print(
                f"Monte Carlo, {n:,} draws, {n_mc:,} open cases, 24 months, extensions-void, "
                f"{dwangsom.policies.get(policy)!r}, {args.workers} processes: {seconds:.1f} s "
                f"(mean EUR {p.total():,.0f}, P10 {q['p10']:,.0f}, P90 {q['p90']:,.0f})"
            )


if __name__ == "__main__":
    main()
