"""Benchmark: assess and liability_by_month on N synthetic cases, against the scalar path.

Run: ``python benchmarks/bench_cases.py [N]`` (default 1,000,000). Prints cases per second for
the vectorized engine and for the scalar reference path (on a sample), the speed-up, and the
peak memory. Not part of the test suite.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

import dwangsom
from dwangsom.cases import assess_case

AS_OF = "2025-06-30"


def synthetic(n: int, seed: int = 20230216) -> pd.DataFrame:
    """N cases received 2019-2025 with notices, appeals, judgments and decisions at plausible
    rates (fixed seed; datetime64 columns, as a Parquet extract would give)."""
    rng = np.random.default_rng(seed)
    received = np.datetime64("2019-01-01") + rng.integers(0, 6 * 365, n).astype("timedelta64[D]")
    nat = np.datetime64("NaT")

    def maybe(share: float, start: np.ndarray, low: int, high: int) -> np.ndarray:
        days = start + rng.integers(low, high, n).astype("timedelta64[D]")
        return np.where((rng.random(n) < share) & ~np.isnat(start), days, nat)

    notice = maybe(0.5, received, 150, 700)
    appeal = maybe(0.6, notice, 14, 120)
    judgment = maybe(0.8, appeal, 40, 150)
    decided = maybe(0.7, received, 60, 900)
    return pd.DataFrame(
        {
            "case_id": np.arange(n),
            "received": received,
            "application_type": np.where(rng.random(n) < 0.9, "asylum", "regular"),
            "notice_received": notice,
            "appeal_filed": appeal,
            "judgment_sent": judgment,
            "decided": decided,
            "excluded": rng.random(n) < 0.02,
        }
    )


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10


def timed(label: str, func, *args, repeat: int = 3, **kwargs):  # type: ignore[no-untyped-def]
    """Best of ``repeat`` runs after one warm-up run (first-touch page faults, caches)."""
    result = func(*args, **kwargs)
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        seconds = min(seconds, time.perf_counter() - start)
    print(f"{label:<40} {seconds:8.2f} s   process peak so far {_rss():8,.0f} MiB")
    return result, seconds


def main(n: int) -> None:
    before = _rss()
    cases = synthetic(n)
    print(f"{n:,} synthetic cases, as of {AS_OF} (memory before: {before:,.0f} MiB)")
    _, t_assess = timed("assess", dwangsom.assess, cases, as_of=AS_OF)
    months, t_months = timed(
        "liability_by_month (accrued)", dwangsom.liability_by_month, cases, as_of=AS_OF
    )
    timed(
        "liability_by_month (cash)", dwangsom.liability_by_month, cases, as_of=AS_OF, basis="cash"
    )
    both = t_assess + t_months
    print(
        f"assess + months: {both:.2f} s = {n / both:,.0f} cases/s "
        f"(total EUR {int(months['total'].sum()):,})"
    )

    sample = cases.sample(min(n, 2000), random_state=1)
    rows = [r._asdict() for r in sample.itertuples(index=False)]
    scalar = float("inf")
    for _ in range(3):  # best of three, as for the vectorized runs
        start = time.perf_counter()
        for row in rows:
            assess_case(row, as_of=AS_OF)
        scalar = min(scalar, (time.perf_counter() - start) / len(rows))
    vector = t_assess / n
    print(
        f"scalar path: {1 / scalar:,.0f} cases/s; vectorized assess: {1 / vector:,.0f} "
        f"cases/s; speed-up x{scalar / vector:,.0f}"
    )
    print(f"peak resident memory of the process: {_rss():,.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
