"""Benchmarks of :func:`dwangsom.project` (a script, not a test).

    python benchmarks/bench_projection.py            # all benchmarks (several minutes)
    python benchmarks/bench_projection.py --quick    # smaller sizes, for a smoke run

1. Expected value of 100,000 open cases in three streams (asylum 70,000, family reunification
   20,000, regular 10,000) over 36 months, every driver of issue 8 on: weighted readings
   ``{"as-applied": 0.6, "extensions-void": 0.4}``, premature notices, partial court
   compliance, repeat appeals, a payment lag, FIFO with a 365-day spread (target: under 2 s).
   Once more with one stream, one reading and today's defaults (the old setting), and once with
   identical cases not merged (the worst case).
2. 1,000 Monte Carlo draws of 60,000 open cases over 24 months with parameter uncertainty
   (Beta shares, a judgment-lag range, the reading drawn from its weights), FIFO with a
   365-day spread (a schedule that does not depend on the draws): serially, on a 2-process
   pool and on a 2-worker Dask LocalCluster (if ``distributed`` is installed), paired in one
   run (target: under 60 s on 2 cores; the pool at least 1.6 x serial; Dask no slower than
   serial).

The stocks are synthetic (:func:`dwangsom.synthetic_open_cases`, flat inflows); inflow and
capacity keep a growing, largely overdue stock so the chains and the court penalties are
exercised. Timings are wall clock including reading the case table: the median and the range
of ``--repeat`` runs. The machine is shared: say what else was running when you quote them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import pandas as pd

import dwangsom
from dwangsom import projection
from dwangsom.behaviour import Behaviour, Beta, LagRange

STREAMS = {"asylum": 0.7, "family-reunification": 0.2, "regular": 0.1}
DRIVERS = Behaviour(premature_notice_share=0.3, court_compliance=0.5, repeat_appeal_share=0.2,
                    payment_lag={0: 0.5, 60: 0.5})  # fmt: skip
UNCERTAIN = Behaviour(
    notice_share=Beta(8, 2), appeal_share=Beta(2, 8), court_compliance=Beta(2, 2),
    judgment_lag=LagRange(56, 240, points=4),
)  # fmt: skip
READINGS = {"as-applied": 0.6, "extensions-void": 0.4}


def _stock(n: int, as_of: str, streams: dict[str, float]) -> pd.DataFrame:
    parts = []
    for kind, share in streams.items():
        k = round(n * share)
        # received over the 30 months before as_of (a spread order leaves old cases)
        months = pd.period_range(end=pd.Period(as_of, freq="M"), periods=31, freq="M")
        inflow = pd.Series(k / 30, index=months)
        parts.append(dwangsom.synthetic_open_cases(
            inflow, stock=k, as_of=as_of, application_type=kind, id_prefix=kind[:1].upper(),
            spread_days=365,
        ))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def _times(run: Callable[[], Any], repeat: int) -> str:
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        ts.append(time.perf_counter() - t)
    return f"median {statistics.median(ts):.2f} s (range {min(ts):.2f}-{max(ts):.2f}, n={repeat})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n_ev, n_mc, draws = (10_000, 6_000, 50) if args.quick else (100_000, 60_000, 1_000)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, dwangsom "
          f"{dwangsom.__version__}")  # fmt: skip

    as_of, until = "2023-12-31", "2026-12-31"
    months = pd.period_range(as_of, until, freq="M")
    cases = _stock(n_ev, as_of, STREAMS)
    inflow = pd.DataFrame({k: 4_000.0 * v for k, v in STREAMS.items()}, index=months)
    capacity = pd.DataFrame({k: 3_500.0 * v for k, v in STREAMS.items()}, index=months)
    spread = dwangsom.policies.fifo(spread_days=365, seed=1)
    runs: list[tuple[str, dict[str, Any], bool]] = [
        ("three streams, every driver", {"inflow": inflow, "capacity": capacity,
         "scenario": READINGS, "behaviour": DRIVERS, "policy": spread}, True),
        ("three streams, every driver, identical cases not merged", {"inflow": inflow,
         "capacity": capacity, "scenario": READINGS, "behaviour": DRIVERS, "policy": spread},
         False),
        ("one shared capacity, as-applied, default behaviour, strict FIFO",
         {"inflow": 48_000.0, "capacity": 3_500.0}, True),
    ]  # fmt: skip
    for label, kw, merge in runs:

        def ev(kw: dict[str, Any] = kw) -> dwangsom.Projection:
            return dwangsom.project(cases, as_of=as_of, until=until, **kw)

        projection.allocation._MERGE_IDENTICAL = merge
        timing = _times(ev, args.repeat)
        p = ev()
        projection.allocation._MERGE_IDENTICAL = True
        print(f"expected value, {n_ev:,} open cases, 36 months, {label}: {timing} "
              f"(EUR {p.total():,.0f} accrued, {p.total(basis='cash'):,.0f} paid)")  # fmt: skip

    cases = _stock(n_mc, as_of, {"asylum": 1.0})

    def mc(executor: Executor | None) -> dwangsom.Projection:
        return dwangsom.project(
            cases, as_of=as_of, until="2025-12-31", inflow=48_000.0, capacity=3_500.0,
            scenario=READINGS, behaviour=UNCERTAIN, draws=draws, seed=1, executor=executor,
            policy=dwangsom.policies.fifo(spread_days=365, seed=1),
        )  # fmt: skip

    def timed(executor: Executor | None) -> tuple[float, dwangsom.Projection]:
        t = time.perf_counter()
        p = mc(executor)
        return time.perf_counter() - t, p

    serial, p = timed(None)
    q = p.quantiles()
    print(f"Monte Carlo, {draws:,} draws, {n_mc:,} open cases, 24 months, parameter "
          f"uncertainty, serial: {serial:.1f} s (mean EUR {p.total():,.0f}, P10 "
          f"{q['p10']:,.0f}, P90 {q['p90']:,.0f})")  # fmt: skip
    with ProcessPoolExecutor(args.workers) as pool:
        seconds, same = timed(pool)
    print(f"  {args.workers}-process pool: {seconds:.1f} s, {serial / seconds:.2f} x serial "
          f"(target >= 1.6), same result: {same.by_month.equals(p.by_month)}")  # fmt: skip
    try:
        import distributed
    except ImportError:
        print("  Dask: distributed not installed (pip install 'dwangsom[dask]')")
        return
    with (
        distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        seconds, same = timed(client.get_executor())
    print(f"  Dask LocalCluster, {args.workers} workers: {seconds:.1f} s, "
          f"{serial / seconds:.2f} x serial (target >= 1.0), same result: "
          f"{same.by_month.equals(p.by_month)}")  # fmt: skip


if __name__ == "__main__":
    main()
