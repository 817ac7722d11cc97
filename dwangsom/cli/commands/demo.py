"""``dwangsom demo``: the bundled sample in three scenarios, where they differ
and why, and a chart."""

from __future__ import annotations

import argparse
import textwrap
import time
from typing import TextIO

import pandas as pd

from ...cases import (
    assess,
    compare,
    liability_by_month,
    read_cases,
)
from ...scenario import scenario as get_scenario
from ..files import SAMPLE_AS_OF, sample_path
from ..output import _euros, _money_table, _plot
from ..status import EXIT_OK

#: The scenarios ``dwangsom demo`` compares.
DEMO_SCENARIOS = ("as-applied", "extensions-void", "no-temporary-act")


def _demo_notes(cases: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Where the scenarios of the demo differ, and why two of them may not."""
    first = DEMO_SCENARIOS[0]
    base = assess(cases, as_of=SAMPLE_AS_OF, scenario=first)
    months = {
        name: liability_by_month(cases, as_of=SAMPLE_AS_OF, scenario=name)
        for name in DEMO_SCENARIOS
    }
    notes = []
    for name in DEMO_SCENARIOS[1:]:
        diff = int(table[f"diff {name}"].abs().sum())
        other = assess(cases, as_of=SAMPLE_AS_OF, scenario=name)
        if diff == 0:
            moved = base["notice_valid"].astype(bool) != other["notice_valid"].astype(bool)
            became = int(
                (~base["notice_valid"].astype(bool) & other["notice_valid"].astype(bool)).sum()
            )
            appealed = int((moved & cases["appeal_filed"].notna()).sum())
            judged = int((moved & cases["judgment_sent"].notna()).sum())
            notes.append(
                f"- {name} is identical to {first} in every month (charted dashed). "
                f"{became:,} notices in the sample were received between 6 and 15 months after "
                f"receipt: premature if the extension holds, valid if it is void; {appealed:,} "
                f"were followed by an appeal and {judged:,} by a judgment. Under the Temporary "
                "Act an asylum notice carries no Awb 4:17 penalty, and a court penalty is what "
                "the recorded judgment ordered, so the reading changes which notices count "
                f"(status notice-premature: {int((base['status'] == 'notice-premature').sum()):,} "
                f"v. {int((other['status'] == 'notice-premature').sum()):,}), not the euros."
            )
            continue
        admin = int(months[name]["admin"].sum() - months[first]["admin"].sum())
        court = int(months[name]["court"].sum() - months[first]["court"].sum())
        gained = (other["total_amount"] > base["total_amount"]).sum()
        notes.append(
            f"- {name} differs from {first} by EUR {_euros(admin + court)}: Awb 4:17 "
            f"EUR {_euros(admin)}, court penalties EUR {_euros(court)}, in {int(gained):,} cases."
        )
    if "no-temporary-act" in DEMO_SCENARIOS and "extensions-void" in DEMO_SCENARIOS:
        both = get_scenario("no-temporary-act").replace(
            name="no-temporary-act, extensions-void", extensions=frozenset()
        )
        extra = int(
            liability_by_month(cases, as_of=SAMPLE_AS_OF, scenario=both)["total"].sum()
            - months["no-temporary-act"]["total"].sum()
        )
        notes.append(
            "- Where the Awb 4:17 penalty applies, the reading of the extension matters: without "
            f"the Temporary Act, voiding the extensions adds EUR {_euros(extra)} (the Awb 4:17 "
            "penalties of those notices)."
        )
    return notes


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    started = time.perf_counter()
    cases = read_cases(sample_path())
    cases.attrs["source"] = sample_path().name
    table = compare(cases, list(DEMO_SCENARIOS), as_of=SAMPLE_AS_OF)
    print(
        f"dwangsom demo: {len(cases):,} synthetic asylum cases received 2021-2024 (the bundled "
        f"sample, data/sample_cases.csv), as of {SAMPLE_AS_OF.isoformat()}.\n"
        "Penalties accrued per month (EUR) under 'as-applied' (the law as applied), "
        "'extensions-void' (no categorical extension of the decision term holds) and "
        "'no-temporary-act' (had the Temporary Act never suspended the penalties):\n",
        file=out,
    )
    print(_money_table(table), file=out)
    totals = table.sum()
    named = ", ".join(f"{name} EUR {_euros(totals[name])}" for name in DEMO_SCENARIOS)
    print(f"\nTotal through {SAMPLE_AS_OF.isoformat()}: {named}.", file=out)
    print("\nWhere the differences come from:", file=out)
    for note in _demo_notes(cases, table):
        print(textwrap.fill(note, width=100, subsequent_indent="  "), file=out)
    if args.plot != "none":
        try:
            _plot(
                table,
                args.plot,
                title="Penalty liability on the synthetic sample (accrued basis), "
                f"as of {SAMPLE_AS_OF.isoformat()}",
                as_of=SAMPLE_AS_OF,
            )
        except ImportError as exc:
            print(f"chart skipped: {exc}", file=out)
        else:
            print(f"Chart: {args.plot}", file=out)
    first, second = DEMO_SCENARIOS[0], DEMO_SCENARIOS[-1]
    print(
        f"\nOn your own extract: dwangsom months CASES.csv --as-of {SAMPLE_AS_OF.isoformat()} "
        f"--compare {first},{second} --plot chart.png -o months.xlsx  "
        f"({time.perf_counter() - started:.1f} s)",
        file=out,
    )
    return EXIT_OK
