"""Benchmark of the case-table path, paired and in one process (the figures of docs/benchmarks.md).

Run: ``python benchmarks/bench_cases.py`` (one million cases; ``--rows``, ``--repeat``, ``--big``
and the sample sizes are options; ``--quick`` is a smoke run). Every round runs each contender
once, in an order that rotates from round to round, so a busy spell of the machine falls on all
of them alike; the figures are medians over the rounds with their spread (min-max). The
contenders, on the same synthetic cases with string case ids:

- one ``np.busday_offset`` pass over the receipt dates with the Atw holidays as its calendar
  (the cost of one calendar-aware numpy pass: the yardstick of the targets);
- ``assess``, ``liability_by_month`` and ``compare`` on typed columns (``datetime64``, as a
  Parquet extract gives them) and ``assess`` on text columns (``dd-mm-jjjj`` text, as a CSV
  extract gives them), also read from CSV with ``read_cases``;
- the same calls on a table parsed once (:func:`dwangsom.cases.parse_cases`);
- the scalar reference path (``assess_case``) on a sample, per case;
- a hand-written pandas ``apply`` with ``relativedelta`` on a sample, per case: what one would
  write without the library (six months, a nine-month decree extension, two weeks after the
  notice, three bands of 14 days; no Temporary Act, no court penalty, no suspensions), so a
  lower bound on what a correct row-by-row version costs;
- with ``--baseline DIR``, the same calls on an older copy of the package importable from DIR
  as ``dwangsom_baseline`` (``git archive <commit> dwangsom | tar -x -C DIR`` and rename the
  folder), for before/after figures taken in the same run.

Small calls (1, 10 and 100 rows) and the big table (``--big`` rows against ``--rows``, with the
peak of numpy's traced memory) are measured after the rounds. Each target of issue 12 is
printed with its ratio beside the figure. Not part of the test suite (a smoke run is).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

import dwangsom
from dwangsom.atw import default_calendar
from dwangsom.cases import assess_case, parse_cases

AS_OF = "2025-06-30"
SCENARIOS = ["as-applied", "extensions-void", "no-temporary-act"]


def synthetic(n: int, seed: int = 20230216) -> pd.DataFrame:
    """N cases received 2019-2025 with notices, appeals, judgments and decisions at plausible
    rates (fixed seed; ``datetime64`` columns, string case ids in order as extracts are sorted)."""
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
    width = len(str(n))
    return pd.DataFrame(
        {
            "case_id": pd.array([f"V{i:0{width}d}" for i in range(n)], dtype="str"),
            "received": received,
            "application_type": np.where(rng.random(n) < 0.9, "asylum", "regular"),
            "notice_received": notice,
            "appeal_filed": appeal,
            "judgment_sent": judgment,
            "decided": decided,
            "excluded": rng.random(n) < 0.02,
        }
    )


def as_text(cases: pd.DataFrame) -> pd.DataFrame:
    """The table as a CSV extract gives it: every cell text, dates ``dd-mm-jjjj``."""
    out = cases.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_dtype(values.dtype):
            codes, uniques = pd.factorize(values)
            texts = np.array([d.strftime("%d-%m-%Y") for d in uniques] + [""], dtype=object)
            out[column] = pd.array(np.where(codes < 0, None, texts[codes]), dtype="str")
        elif values.dtype == bool:
            out[column] = pd.array(np.where(values, "ja", "nee"), dtype="str")
    return out


def by_hand(frame: pd.DataFrame) -> pd.Series:
    """A hand-written pandas ``apply`` of the main administrative-penalty rules."""
    cut = dt.date.fromisoformat(AS_OF)

    def one(row: pd.Series) -> int:
        received = row["received"].date()
        months = 6 + (9 if dt.date(2022, 3, 26) <= received < dt.date(2024, 1, 1) else 0)
        deadline = received + relativedelta(months=months)
        if pd.isna(row["notice_received"]) or row["excluded"]:
            return 0
        notice = row["notice_received"].date()
        if notice <= deadline or notice > cut:
            return 0
        first = notice + dt.timedelta(days=15)
        last = cut
        if not pd.isna(row["decided"]):
            last = min(last, row["decided"].date() - dt.timedelta(days=1))
        days = min(max((last - first).days + 1, 0), 42)
        return 23 * min(days, 14) + 35 * min(max(days - 14, 0), 14) + 45 * max(days - 28, 0)

    return frame.apply(one, axis=1)


def spread(values: list[float], scale: float = 1.0, unit: str = "s", digits: int = 3) -> str:
    v = [x * scale for x in values]
    return f"{statistics.median(v):.{digits}f} {unit} [{min(v):.{digits}f}-{max(v):.{digits}f}]"


#: CPU seconds of this process per contender and run (beside the wall-clock figures: on a
#: shared machine the difference is time spent waiting for a core).
CPU: dict[str, list[float]] = {}


def rounds(contenders: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Each contender once per round after one warm-up run, in an order rotating per round;
    wall-clock seconds (CPU seconds go to :data:`CPU`)."""
    names = list(contenders)
    for name in names:
        contenders[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeat):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            cpu, start = time.process_time(), time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - start)
            CPU.setdefault(name, []).append(time.process_time() - cpu)
        print(f"  round {r + 1}/{repeat} done", file=sys.stderr)
    return times


def target(label: str, value: float, limit: float, unit: str = "x") -> str:
    met = "met" if value <= limit else "NOT met"
    return f"{label:<58} {value:8.2f}{unit}  (target <= {limit:g}{unit}: {met})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--big", type=int, default=5_000_000, help="0: skip the big table")
    parser.add_argument("--scalar-sample", type=int, default=1000)
    parser.add_argument("--apply-sample", type=int, default=20_000)
    parser.add_argument("--small-calls", type=int, default=300)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="a smoke run on 3,000 rows")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.repeat, args.big = 3000, 2, 6000
        args.scalar_sample, args.apply_sample, args.small_calls = 50, 200, 5
    n = args.rows
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"dwangsom {dwangsom.__version__}, {os.cpu_count()} cores, {platform.machine()}; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start"
    )
    cases = synthetic(n)
    text = as_text(cases)
    holidays = default_calendar().holiday_array()
    received = cases["received"].to_numpy().astype("datetime64[D]")
    calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    tmp = tempfile.TemporaryDirectory()
    csv = Path(tmp.name) / "cases.csv"
    text.to_csv(csv, index=False, sep=";")
    scalar_rows = [
        r._asdict()
        for r in cases.sample(min(n, args.scalar_sample), random_state=1).itertuples(index=False)
    ]
    apply_rows = cases.sample(min(n, args.apply_sample), random_state=2)

    def scalar() -> None:
        for row in scalar_rows:
            assess_case(row, as_of=AS_OF)

    def assess_and_months(table: Any) -> None:
        dwangsom.assess(table, as_of=AS_OF)
        dwangsom.liability_by_month(table, as_of=AS_OF)

    contenders: dict[str, Callable[[], Any]] = {
        "busday": lambda: np.busday_offset(received, 10, roll="forward", busdaycal=calendar),
        "assess": lambda: dwangsom.assess(cases, as_of=AS_OF),
        "months": lambda: dwangsom.liability_by_month(cases, as_of=AS_OF),
        "assess+months": lambda: assess_and_months(cases),
        "parse+assess+months": lambda: assess_and_months(parse_cases(cases)),
        "compare(3)": lambda: dwangsom.compare(cases, SCENARIOS, as_of=AS_OF),
        "assess text": lambda: dwangsom.assess(text, as_of=AS_OF),
        "read CSV": lambda: dwangsom.read_cases(csv),
        "scalar sample": scalar,
        "apply sample": lambda: by_hand(apply_rows),
    }
    if args.baseline is not None:
        sys.path.insert(0, str(args.baseline))
        old = importlib.import_module("dwangsom_baseline")
        contenders |= {
            "baseline assess": lambda: old.assess(cases, as_of=AS_OF),
            "baseline assess+months": lambda: (
                old.assess(cases, as_of=AS_OF),
                old.liability_by_month(cases, as_of=AS_OF),
            ),
            "baseline compare(3)": lambda: old.compare(cases, SCENARIOS, as_of=AS_OF),
            "baseline assess text": lambda: old.assess(text, as_of=AS_OF),
        }
    # the results agree before anything is timed
    got = dwangsom.assess(cases, as_of=AS_OF)
    assert (dwangsom.assess(text, as_of=AS_OF)["total_amount"] == got["total_amount"]).all()
    if args.baseline is not None:  # an older copy knows fewer rules: say how many rows differ
        before = old.assess(cases, as_of=AS_OF)
        common = [c for c in before.columns if c in got.columns]
        same = [
            (got[c] == before[c]).fillna(value=False).to_numpy(dtype=bool)
            | (got[c].isna() & before[c].isna()).to_numpy(dtype=bool)
            for c in common
        ]
        differ = ~np.logical_and.reduce(same)
        extra = [c for c in got.columns if c not in before.columns]
        print(f"baseline: {int(differ.sum()):,} of {n:,} rows differ in the columns both have "
              f"(rules added since); columns only here: {', '.join(extra) or 'none'}")
    print(f"{n:,} cases as of {AS_OF}, {args.repeat} paired rounds (median [min-max])")
    t = rounds(contenders, args.repeat)
    per_case_scalar = [x / len(scalar_rows) for x in t.pop("scalar sample")]
    per_case_apply = [x / len(apply_rows) for x in t.pop("apply sample")]
    for name, values in t.items():
        print(f"  {name:<26} {spread(values)}   cpu {statistics.median(CPU[name]):.3f} s")
    print(f"  {'scalar path, per case':<26} {spread(per_case_scalar, 1e6, 'us', 1)}")
    print(f"  {'pandas apply, per case':<26} {spread(per_case_apply, 1e6, 'us', 1)}")
    med = {k: statistics.median(v) for k, v in t.items()}
    vector = med["assess"] / n
    paired = [s / (a / n) for s, a in zip(per_case_scalar, t["assess"], strict=True)]
    print(
        f"  vectorized assess per case {vector * 1e6:.2f} us: "
        f"{statistics.median(per_case_scalar) / vector:,.0f}x the scalar path, "
        f"{statistics.median(per_case_apply) / vector:,.0f}x the pandas apply "
        f"(scalar per round: {spread(paired, 1, 'x', 0)})"
    )

    small: dict[int, list[float]] = {}
    parsed_small: dict[int, list[float]] = {}
    for k in (1, 10, 100):
        table = cases.iloc[:k].reset_index(drop=True)
        p = parse_cases(table)
        small[k], parsed_small[k], small_cpu = [], [], []
        for _ in range(args.small_calls):
            cpu, start = time.process_time(), time.perf_counter()
            dwangsom.assess(table, as_of=AS_OF)
            small[k].append(time.perf_counter() - start)
            small_cpu.append(time.process_time() - cpu)
            start = time.perf_counter()
            dwangsom.liability_by_month(p, as_of=AS_OF)
            parsed_small[k].append(time.perf_counter() - start)
        print(
            f"  small call, {k:>3} rows: assess {spread(small[k], 1e3, 'ms', 2)} "
            f"(cpu {statistics.median(small_cpu) * 1e3:.2f} ms); "
            f"liability_by_month on a parse {spread(parsed_small[k], 1e3, 'ms', 2)}"
        )

    big_ratio = float("nan")
    if args.big:
        big = pd.concat([synthetic(n, seed=k) for k in range(-(-args.big // n))], ignore_index=True)
        big = big.iloc[: args.big].copy()
        big["case_id"] = pd.array([f"B{i:09d}" for i in range(len(big))], dtype="str")
        pair = {
            "assess 1x": lambda: dwangsom.assess(cases, as_of=AS_OF),
            f"assess {len(big) / n:g}x": lambda: dwangsom.assess(big, as_of=AS_OF),
        }
        bt = rounds(pair, 3)
        for name, values in bt.items():
            print(f"  {name:<26} {spread(values)}")
        big_ratio = statistics.median(bt[list(pair)[1]]) / statistics.median(bt["assess 1x"])
        peaks = []
        for table in (cases, big):
            tracemalloc.start()
            dwangsom.liability_by_month(table, as_of=AS_OF)
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        print(
            f"  peak traced memory of liability_by_month: {peaks[0]:,.0f} MiB ({n:,} rows), "
            f"{peaks[1]:,.0f} MiB ({len(big):,} rows)"
        )

    print("targets (issue 12):")
    print(
        target("1. compare of three scenarios / one assess", med["compare(3)"] / med["assess"], 1.5)
    )
    print(target("2. assess / one busday_offset pass", med["assess"] / med["busday"], 10))
    print(target("2. assess + months (raw table), seconds", med["assess+months"], 0.6, " s"))
    print(target("2. parse once + assess + months, seconds", med["parse+assess+months"], 0.6, " s"))
    worst = max(statistics.median(v) for v in small.values()) * 1e3
    print(target("3. a call on 1-100 rows (worst median), ms", worst, 1, " ms"))
    if args.big:
        limit = 5.5 * (len(big) / n) / 5  # 5.5 for five times the rows
        print(target(f"4. {len(big):,} rows / {n:,} rows, time", big_ratio, limit))
    if args.baseline is not None:
        for name in ("assess", "assess+months", "compare(3)", "assess text"):
            before, after = med[f"baseline {name}"], med[name]
            print(
                f"  before/after {name:<16} {before:.3f} s -> {after:.3f} s ({before / after:.2f}x)"
            )
    tmp.cleanup()


if __name__ == "__main__":
    main()
