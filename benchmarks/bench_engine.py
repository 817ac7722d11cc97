"""Benchmark of the engine's penalty functions, paired and in one process.

Run: ``python benchmarks/bench_engine.py`` (``--rows``, ``--repeat``; ``--baseline DIR`` adds an
older copy of the package importable from DIR as ``dwangsom_baseline``, made with
``git archive <commit> dwangsom | tar -x -C DIR`` and the folder renamed, for before/after
figures taken in the same run).

The inputs are the ones :func:`dwangsom.assess` hands the engine on the synthetic table of
``bench_cases.py`` (``--rows`` cases; one million: about 450,000 rows with a notice for
:func:`~dwangsom.engine.admin_arrays`, 200,000 with a judgment for
:func:`~dwangsom.engine.court_arrays`), recorded by wrapping the two functions during one
``assess``. Every round runs each contender once, in an order that rotates per round; the
figures are medians with their spread (min-max), wall clock and CPU time of this process, and
the minor page faults per call (first touches of fresh memory). The outputs of the current and
the baseline engine are compared field by field before anything is timed. Not part of the test
suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import dwangsom
from dwangsom import engine

sys.path.insert(0, str(Path(__file__).parent))
from bench_cases import AS_OF, synthetic


def record(n: int) -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    """The arguments of the largest engine calls one ``assess`` of ``n`` cases makes."""
    calls: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    originals = {"admin": engine.admin_arrays, "court": engine.court_arrays}

    def wrap(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            size = np.size(args[0])
            if size > len(calls.get(name, ((np.empty(0),), {}))[0][0]):
                calls[name] = (args, dict(kwargs))
            return originals[name](*args, **kwargs)

        return call

    engine.admin_arrays = wrap("admin")  # type: ignore[assignment]
    engine.court_arrays = wrap("court")  # type: ignore[assignment]
    try:
        dwangsom.assess(synthetic(n), as_of=AS_OF)
    finally:
        engine.admin_arrays = originals["admin"]  # type: ignore[assignment]
        engine.court_arrays = originals["court"]  # type: ignore[assignment]
    return calls


def same(new: Any, old: Any) -> None:
    for field in dataclasses.fields(old):
        a, b = getattr(new, field.name), getattr(old, field.name)
        if field.name == "windows":
            assert len(a) == len(b), field.name
            for (_, _, x), (_, _, y) in zip(a, b, strict=True):
                np.testing.assert_array_equal(x, y, err_msg=field.name)
            continue
        assert a.dtype == b.dtype, field.name
        np.testing.assert_array_equal(a, b, err_msg=field.name)


def spread(values: list[float]) -> str:
    ms = [v * 1e3 for v in values]
    return f"{statistics.median(ms):7.1f} ms [{min(ms):.1f}-{max(ms):.1f}]"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args(argv)
    calls = record(args.rows)
    packages: dict[str, Any] = {"": dwangsom}
    if args.baseline is not None:
        sys.path.insert(0, str(args.baseline))
        packages["baseline "] = importlib.import_module("dwangsom_baseline")
    contenders: dict[str, Callable[[], Any]] = {}
    for label, package in packages.items():
        for name, (call_args, kwargs) in calls.items():
            kw = {**kwargs, "scenario": package.scenario(kwargs["scenario"].name)}
            func = getattr(package.engine, f"{name}_arrays")
            contenders[f"{label}{name}_arrays"] = lambda func=func, call_args=call_args, kw=kw: (
                func(*call_args, **kw)
            )
    if args.baseline is not None:
        for name in calls:
            same(contenders[f"{name}_arrays"](), contenders[f"baseline {name}_arrays"]())
        print("outputs identical to the baseline, field by field")
    sizes = ", ".join(f"{name}_arrays {np.size(a[0]):,} rows" for name, (a, _) in calls.items())
    print(f"{args.rows:,} cases: {sizes}; {args.repeat} paired rounds (median [min-max])")
    names = list(contenders)
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    faults: dict[str, list[int]] = {k: [] for k in names}
    for name in names:
        contenders[name]()
    for r in range(args.repeat):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            c, w = time.process_time(), time.perf_counter()
            out = contenders[name]()
            wall[name].append(time.perf_counter() - w)
            cpu[name].append(time.process_time() - c)
            faults[name].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
            del out
    for name in names:
        print(
            f"  {name:<24} wall {spread(wall[name])}  cpu {spread(cpu[name])}  "
            f"page faults {statistics.median(faults[name]):,.0f}"
        )
    if args.baseline is not None:
        for name in calls:
            old = statistics.median(cpu[f"baseline {name}_arrays"])
            new = statistics.median(cpu[f"{name}_arrays"])
            print(f"  before/after {name}_arrays (cpu): {old * 1e3:.1f} -> {new * 1e3:.1f} ms "
                  f"({old / new:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
