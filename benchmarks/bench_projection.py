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
exercised. Timings are wall clock including reading the case table. Each part runs its
contenders in ``--repeat`` paired rounds (every contender once per round, in an order that
rotates from round to round); it prints the median with the range (min-max), each ratio to
serial taken within a round, each target's ratio, and the load average at the start and the
end. The pool and the cluster are started before the rounds (a 2-draw run on each, untimed).
The machine is shared: say what else was running when you quote them.

    python benchmarks/bench_projection.py --skip-ev --repeat 5    # only the Monte Carlo part
"""

from __future__ import annotations

import argparse
import contextlib
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


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover - not on every platform
        return "load average not known"
    return f"load average {one:.2f} (5 min {five:.2f}, 15 min {fifteen:.2f})"


def _spread(ts: list[float], unit: str = "s") -> str:
    return f"{statistics.median(ts):.2f} {unit} [{min(ts):.2f}-{max(ts):.2f}]"


def _paired(runs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Each round runs every contender once, in an order that rotates from round to round, so
    that a busy spell of the machine falls on all of them alike."""
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--repeat", type=int, default=3, help="paired rounds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-ev", action="store_true", help="only the Monte Carlo part")
    args = parser.parse_args()
    n_ev, n_mc, draws = (10_000, 6_000, 50) if args.quick else (100_000, 60_000, 1_000)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, dwangsom "
          f"{dwangsom.__version__}; {args.repeat} paired rounds, medians [min-max]; start: "
          f"{_load()}")  # fmt: skip

    as_of, until = "2023-12-31", "2026-12-31"
    months = pd.period_range(as_of, until, freq="M")
    inflow = pd.DataFrame({k: 4_000.0 * v for k, v in STREAMS.items()}, index=months)
    capacity = pd.DataFrame({k: 3_500.0 * v for k, v in STREAMS.items()}, index=months)
    spread = dwangsom.policies.fifo(spread_days=365, seed=1)
    if not args.skip_ev:
        cases = _stock(n_ev, as_of, STREAMS)
        settings: dict[str, tuple[dict[str, Any], bool]] = {
            "three streams, every driver": ({"inflow": inflow, "capacity": capacity,
             "scenario": READINGS, "behaviour": DRIVERS, "policy": spread}, True),
            "three streams, every driver, identical cases not merged": ({"inflow": inflow,
             "capacity": capacity, "scenario": READINGS, "behaviour": DRIVERS,
             "policy": spread}, False),
            "one shared capacity, as-applied, default behaviour, strict FIFO":
            ({"inflow": 48_000.0, "capacity": 3_500.0}, True),
        }  # fmt: skip
        results: dict[str, dwangsom.Projection] = {}

        def ev(label: str) -> Callable[[], Any]:
            kw, merge = settings[label]

            def run() -> None:
                projection.allocation._MERGE_IDENTICAL = merge
                try:
                    results[label] = dwangsom.project(cases, as_of=as_of, until=until, **kw)
                finally:
                    projection.allocation._MERGE_IDENTICAL = True

            return run

        times = _paired({label: ev(label) for label in settings}, args.repeat)
        for label, ts in times.items():
            p = results[label]
            target = (f"; target < 2 s: {statistics.median(ts) / 2:.2f} x the target"
                      if label == "three streams, every driver" else "")  # fmt: skip
            print(f"expected value, {n_ev:,} open cases, 36 months, {label}: {_spread(ts)}"
                  f"{target} (EUR {p.total():,.0f} accrued, {p.total(basis='cash'):,.0f} "
                  "paid)")  # fmt: skip
        print(f"  after the expected values: {_load()}")

    cases = _stock(n_mc, as_of, {"asylum": 1.0})

    def mc(executor: Executor | None, n: int = draws) -> dwangsom.Projection:
        return dwangsom.project(
            cases, as_of=as_of, until="2025-12-31", inflow=48_000.0, capacity=3_500.0,
            scenario=READINGS, behaviour=UNCERTAIN, draws=n, seed=1, executor=executor,
            policy=dwangsom.policies.fifo(spread_days=365, seed=1),
        )  # fmt: skip

    executors: dict[str, Executor | None] = {"serial": None}
    with contextlib.ExitStack() as stack:
        executors[f"{args.workers}-process pool"] = stack.enter_context(
            ProcessPoolExecutor(args.workers)
        )
        try:
            import dask
            import distributed

            # the recipe of docs/projection.md: Dask's default MALLOC_TRIM_THRESHOLD_ for its
            # workers makes every large numpy temporary fresh memory (2-3 x the CPU here)
            stack.enter_context(dask.config.set({
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None
            }))  # fmt: skip
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True,
                dashboard_address=None,
            ))  # fmt: skip
            client = stack.enter_context(distributed.Client(cluster))
            executors[f"Dask LocalCluster, {args.workers} workers"] = client.get_executor()
        except ImportError:
            print("  Dask: distributed not installed (pip install 'dwangsom[dask]')")
        # start the workers before the rounds (untimed): a pool starts its processes on the
        # first task, and a cluster's start is not a cost of the draws
        for ex in executors.values():
            mc(ex, 2)
        out: dict[str, dwangsom.Projection] = {}

        def one(name: str) -> Callable[[], Any]:
            def run() -> None:
                out[name] = mc(executors[name])

            return run

        times = _paired({name: one(name) for name in executors}, args.repeat)
    base = out["serial"]
    q = base.quantiles()
    serial = times["serial"]
    print(f"Monte Carlo, {draws:,} draws, {n_mc:,} open cases, 24 months, parameter "
          f"uncertainty, serial: {_spread(serial)} (mean EUR {base.total():,.0f}, P10 "
          f"{q['p10']:,.0f}, P90 {q['p90']:,.0f}); target < 60 s: "
          f"{statistics.median(serial) / 60:.2f} x the target")  # fmt: skip
    for name, ts in times.items():
        if name == "serial":
            continue
        ratio = [a / b for a, b in zip(serial, ts, strict=True)]
        target = 1.6 if "pool" in name else 1.0
        print(f"  {name}: {_spread(ts)}, {_spread(ratio, 'x')} serial in the same round "
              f"(target >= {target}: median {statistics.median(ratio) / target:.2f} x the "
              f"target), same result: {out[name].by_month.equals(base.by_month)}")  # fmt: skip
    print(f"  end: {_load()}")


if __name__ == "__main__":
    main()
