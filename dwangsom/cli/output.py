"""What the commands print and draw: euros, money tables, the summary of an
assessment, the monthly chart."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from ..cases import STATUSES


def _euros(value: Any) -> str:
    return f"{int(value):,}"


def _money_table(table: pd.DataFrame) -> str:
    flat = table.copy()
    if isinstance(flat.columns, pd.MultiIndex):
        flat.columns = [":".join(str(level) for level in c) for c in flat.columns]
    shown = flat.map(_euros)
    return shown.to_string()


def _summary(results: pd.DataFrame, *, as_of: _dt.date, scenario: str) -> str:
    n = len(results)
    lines = [f"{n:,} cases assessed as of {as_of.isoformat()}, scenario {scenario}.", ""]
    counts = results["status"].value_counts()
    width = max(len(s) for s in STATUSES)
    lines.append(f"{'status':<{width}}  {'cases':>9}")
    for status in STATUSES:
        if counts.get(status, 0):
            lines.append(
                f"{status:<{width}}  {int(counts[status]):>9,}  {STATUSES[status].split(';')[0]}"
            )
    lines.append("")
    admin = results["admin_amount"]
    court = results["court_amount"]
    total = results["total_amount"]
    rows = [
        ("administrative penalty (Awb 4:17)", int((admin > 0).sum()), int(admin.sum())),
        ("court penalty (Awb 8:55d)", int((court > 0).sum()), int(court.sum())),
        ("total", int((total > 0).sum()), int(total.sum())),
    ]
    lines.append(f"{'accrued through ' + as_of.isoformat():<34}  {'cases':>9}  {'EUR':>14}")
    lines += [f"{label:<34}  {cases:>9,}  {amount:>14,}" for label, cases, amount in rows]
    return "\n".join(lines)


def _plot(table: pd.DataFrame, path: str, *, title: str, as_of: _dt.date | None = None) -> None:
    from .. import plotting

    if isinstance(table.columns, pd.MultiIndex):
        attrs = dict(table.attrs)
        table = pd.DataFrame(table.xs("total", axis=1, level=0))
        table.attrs = attrs
    fig = plotting.overview_figure(table, title=title, as_of=as_of)
    fig.savefig(path, dpi=150)
