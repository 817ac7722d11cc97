"""Measure dwangsom on the bundled sample and on larger tables made by repeating it.

Run from the repository root: ``python docs/benchmarks.py`` (figures in ``docs/benchmarks.md``
come from this script). ``--sizes`` takes row counts; each table repeats the sample with new case
ids. Every figure is the best of ``--repeat`` runs, in seconds, on one process.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import dwangsom
from dwangsom.cli import SAMPLE_AS_OF, sample_path


def best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def table_of(sample: pd.DataFrame, rows: int) -> pd.DataFrame:
    reps = -(-rows // len(sample))
    table = pd.concat([sample] * reps, ignore_index=True).iloc[:rows].copy()
    table["case_id"] = [f"B{i:08d}" for i in range(rows)]
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[34_221, 250_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sample = dwangsom.read_cases(sample_path())
    as_of = SAMPLE_AS_OF
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"dwangsom {dwangsom.__version__}, {os.cpu_count()} cores, {platform.machine()}"
    )
    print("rows | read CSV | assess | liability_by_month | compare (3) | cases/s (assess)")
    print("---:|---:|---:|---:|---:|---:")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            table = table_of(sample, rows)
            path = Path(tmp) / f"cases_{rows}.csv"
            table.to_csv(path, index=False)
            read = best(lambda p=path: dwangsom.read_cases(p), args.repeat)
            assess = best(lambda t=table: dwangsom.assess(t, as_of=as_of), args.repeat)
            months = best(lambda t=table: dwangsom.liability_by_month(t, as_of=as_of), args.repeat)
            compare = best(
                lambda t=table: dwangsom.compare(t, list(dwangsom.scenarios()), as_of=as_of),
                args.repeat,
            )
            print(
                f"{rows:,} | {read:.2f} | {assess:.2f} | {months:.2f} | {compare:.2f} | "
                f"{rows / assess:,.0f}"
            )


if __name__ == "__main__":
    main()
