"""Writing the per-case results of the bundled sample (34,221 rows) to .xlsx and .csv.

Paired, in one process: the workbook of :func:`dwangsom.export.write_table` (xlsxwriter in
constant memory, typed cells, formats, metadata sheet) against the previous path (pandas'
``to_excel`` through openpyxl, every cell as pandas gives it), alternating, median of
``--repeat`` runs with the spread. Run from the repository root::

    python benchmarks/bench_export.py --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

import dwangsom
from dwangsom import cli, export


def _openpyxl(table: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl", date_format="yyyy-mm-dd") as writer:
        export.neutralise_formulas(table).to_excel(writer, index=False, sheet_name="dwangsom")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-openpyxl", action="store_true")
    args = parser.parse_args()
    cases = dwangsom.read_cases(cli.sample_path())
    results = dwangsom.assess(cases, as_of="2025-12-31")
    typed = cli._typed(results, cases, scenario="as-applied")
    runs: dict[str, list[float]] = {"xlsxwriter": [], "openpyxl": [], "csv nl": []}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for _ in range(args.repeat):
            for name in runs:
                if name == "openpyxl" and args.skip_openpyxl:
                    continue
                started = time.perf_counter()
                if name == "xlsxwriter":
                    export.write_table(typed, out / "a.xlsx")
                elif name == "openpyxl":
                    _openpyxl(results, out / "b.xlsx")
                else:
                    export.write_table(typed, out / "c.csv", dialect="nl")
                runs[name].append(time.perf_counter() - started)
    print(f"{len(results):,} rows x {results.shape[1]} columns, {args.repeat} runs each")
    for name, times in runs.items():
        if times:
            print(
                f"{name:<11} median {statistics.median(times):6.2f} s  "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )


if __name__ == "__main__":
    main()
