"""The setting of the July 2023 letter to parliament, rebuilt and projected to the end of 2024.

Run it (``--scale`` shrinks every count, amounts scaled back up; ``--draws`` adds Monte Carlo
bands)::

    python -m dwangsom.examples.letter_2023        # the full tables (about a minute)
    python -m dwangsom.examples.letter_2023 --scale 0.05 --draws 50
    python docs/examples/letter_2023.py            # the same, from a checkout of the repository

Kamerstuk 19 637 nr. 3156 (13 July 2023) projected EUR 55 million of penalties to be paid up to
and including 2024, as of 16 February 2023, assuming the 15-month decision term holds. This
module rebuilds that setting from the published figures (``data/figures``, through
:mod:`dwangsom.examples.figures`) and projects it with :func:`dwangsom.project`, under
"as-applied" (the 15 months hold) and "extensions-void" (the strict *Zimir* reading), FIFO against
the 70/30 split. Every number below is either read from a figure (its row named) or an assumption
stated where it is used; no behaviour parameter is tuned to the letter's result.
docs/examples/index.md explains the results. ``dwangsom project --example 2023`` runs
:func:`example` (FIFO, the most likely inflow).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from dwangsom import policies
from dwangsom.engine import decision_deadline
from dwangsom.examples import figures
from dwangsom.projection import Projection, sensitivity
from dwangsom.projection import project as _project
from dwangsom.synthetic import synthetic_open_cases

#: The letter's inflow scenarios for 2023 (seed_letter_2023.csv, MPP April 2023).
INFLOWS = ("min", "medio", "most_likely", "max")
POLICIES = {
    "FIFO": policies.fifo(),
    "70/30 split": policies.split(0.7),
    "FIFO, court orders first": policies.fifo(court_orders_first=True),
}
SCENARIOS = ("as-applied", "extensions-void")


def reference() -> dict[str, Any]:
    """The letter's figures used here, each from its row of seed_letter_2023.csv."""
    f = figures.letter()
    return {
        "as_of": f["projection_reference_date"],
        "until": "2024-12-31",
        "letter_total": float(f["penalty_projection_to_end_2024"]),
        "open_appeals_2022": int(f["open_bntb_cases_from_2022"]),
        "letter_new_appeals": int(f["expected_new_bntb_cases_to_2024_12_30"]),
        "track4_2023_04_30": int(f["backlog_track4"]),
        "track1": int(f["backlog_track1"]),
        "track2": int(f["backlog_track2"]),
        "planned_decisions": float(f["planned_decisions_track4_2023"]),
        "project_decisions": float(f["extra_decisions_baa_first_year"]),
        "overdue_share": float(f["fte_share_overdue_backlog"]),
        "inflow": {k: float(f[f"inflow_2023_{k}"]) for k in INFLOWS},
    }


def track4_stock(as_of: str) -> int:
    """Open track-4 cases on ``as_of``, interpolated linearly between two derived points:

    - 31 Dec 2022: 35,790 open asylum applications (asylum_backlog.csv) minus the Dublin (3,650)
      and safe-country (125) tracks as the letter counts them on 30 Apr 2023 (assumption: those
      two stocks did not change from January to April) = 32,015;
    - 30 Apr 2023: 33,555 (backlog_track4, Kamerstuk 19 637 nr. 3156).
    """
    r = reference()
    start = figures.backlog("2022-12-31") - r["track1"] - r["track2"]
    t0, t1 = pd.Timestamp("2022-12-31"), pd.Timestamp("2023-04-30")
    share = (pd.Timestamp(as_of) - t0) / (t1 - t0)
    stock: float = start + share * (r["track4_2023_04_30"] - start)
    return round(stock)


def asylum_stock(as_of: str) -> int:
    """All open asylum applications on ``as_of``: 35,790 on 31 Dec 2022 (asylum_backlog.csv)
    plus the first applications received from 1 Jan 2023 (January and, pro rata, February as
    published, asylum_inflow.csv) minus the planned track-4 decisions for those days (22,184 a
    year, seed_letter_2023.csv; the other tracks' decisions are not published)."""
    r = reference()
    history = figures.first_applications([2021, 2022, 2023])
    day = pd.Timestamp(as_of)
    month = history.loc[f"{day:%Y-%m}"]
    later = month * (1 - day.day / day.days_in_month)  # the rest of the month
    received = history.loc["2023-01" : f"{day:%Y-%m}"].sum() - later
    days = (day - pd.Timestamp("2022-12-31")).days
    stock: float = figures.backlog("2022-12-31") + received - r["planned_decisions"] * days / 365
    return round(stock)


def open_cases(scale: float = 1.0, *, appeals_judged: bool = False) -> pd.DataFrame:
    """The open track-4 stock on the reference date (16 Feb 2023), from published aggregates:

    1. all open asylum applications on that day (:func:`asylum_stock`) are the newest first
       applications received up to it, oldest decided first (asylum_inflow.csv: the published
       months kept, the rest of each year's total spread evenly; only months up to the reference
       date are used, so nothing later leaks in; :func:`dwangsom.synthetic_open_cases`);
    2. track 4 is the oldest :func:`track4_stock` of them (assumption: the Dublin and
       safe-country tracks are fast procedures, so their open cases are the newest);
    3. the about 4,000 BNTB appeals from 2022 still open in Q1 2023 (seed_letter_2023.csv) sit on
       the oldest cases, whose 6-month term ended before WBV 2022/22 could extend it (received
       before 27 Mar 2022, RULES §2): a notice of default 14 days after the deadline and the
       appeal 30 days after the notice (assumption: the dates are not published), no judgment
       yet. With ``appeals_judged=True`` (the other reading of "open BNTB cases"), the court has
       already ruled: judgments spread evenly from 1 Dec 2022 (after the ABRvS rulings of
       30 Nov 2022) to the reference date, with the court-practice term and amounts.
    """
    r = reference()
    as_of = r["as_of"]
    history = figures.first_applications([2021, 2022, 2023]).loc[: as_of[:7]] * scale
    everyone = synthetic_open_cases(history, stock=round(asylum_stock(as_of) * scale), as_of=as_of)
    table = everyone.iloc[: round(track4_stock(as_of) * scale)].copy()
    deadline = decision_deadline(table["received"])
    unextended = np.flatnonzero(deadline < np.datetime64("2022-09-27"))
    appealed = unextended[: round(r["open_appeals_2022"] * scale)]
    notice = deadline[appealed] + np.timedelta64(14, "D")
    none = np.full(len(table), np.datetime64("NaT"), dtype="datetime64[s]")
    dates = {"notice_received": none.copy(), "appeal_filed": none.copy(), "judgment_sent": none}
    dates["notice_received"][appealed] = notice
    dates["appeal_filed"][appealed] = notice + np.timedelta64(30, "D")
    if appeals_judged:
        span = (pd.Timestamp(as_of) - pd.Timestamp("2022-12-01")).days
        steps = (np.arange(appealed.size) * span) // max(appealed.size, 1)
        dates["judgment_sent"][appealed] = np.datetime64("2022-12-01") + steps.astype("m8[D]")
    for column, values in dates.items():
        table[column] = values
    return table.reset_index(drop=True)


def inflow(name: str, scale: float = 1.0, until: str = "2024-12-31") -> pd.Series:
    """Track-4 applications per month, 16 Feb 2023 to Dec 2024.

    - ``min``/``medio``/``most_likely``/``max``: the letter's 2023 scenario (first + resettlement
      + repeat + family reunification) times the 2022 share of first applications in the total
      asylum inflow (35,535 / 48,600 = 0.731, asylum_inflow.csv), evenly over the months; 2024
      (and any later month up to ``until``) the same as 2023 (assumption: the letter gives 2023
      only). Dublin claims are not taken out of the first applications, so track 4 gets
      somewhat too much.
    - ``hindsight``: the first applications that came (2023: 38,000 with January and February as
      published; 2024: 32,180; asylum_inflow.csv) - what the letter could not know.
    """
    months = pd.period_range("2023-02", until[:7], freq="M", name="month")
    if name == "hindsight":
        series = figures.first_applications([2023, 2024])
        return series.reindex(months) * scale
    yearly = reference()["inflow"][name] * figures.first_share_2022()
    return pd.Series(yearly / 12 * scale, index=months)


def capacity(scale: float = 1.0, until: str = "2024-12-31") -> list[pd.Series]:
    """Decisions per month: the 22,184 planned track-4 decisions of 2023 evenly over the year
    (2024 and later the same, assumption), plus the 13,000 project decisions (BAA: Syrian and Yemeni
    applications likely to be granted) evenly from May 2023 to April 2024, decided in the same
    order as the rest (assumption: the project's own selection is not modelled)."""
    r = reference()
    months = pd.period_range("2023-02", until[:7], freq="M", name="month")
    project = pd.period_range("2023-05", "2024-04", freq="M", name="month")
    return [
        pd.Series(r["planned_decisions"] / 12 * scale, index=months),
        pd.Series(r["project_decisions"] / 12 * scale, index=project),
    ]


def project(
    scenario: str,
    policy: str,
    inflow_name: str = "most_likely",
    *,
    scale: float = 1.0,
    cases: pd.DataFrame | None = None,
    until: str | None = None,
    **kw: Any,
) -> Projection:
    """One projection of the setting (default behaviour, :class:`dwangsom.Behaviour`), to the
    end of 2024 or to ``until``."""
    r = reference()
    end = until or r["until"]
    return _project(
        open_cases(scale) if cases is None else cases, as_of=r["as_of"], until=end,
        inflow=inflow(inflow_name, scale, end), capacity=capacity(scale, end),
        policy=POLICIES[policy], scenario=scenario, **kw,
    )  # fmt: skip


def example(
    *,
    scenario: str = "as-applied",
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
) -> Projection:
    """The named example ``2023`` (``dwangsom project --example 2023``): the letter setting at
    full size, FIFO (the IND's stated order), the most likely inflow, to the end of 2024."""
    return project(scenario, "FIFO", "most_likely", draws=draws, seed=seed, executor=executor)


#: (variant, inflow, policy, appeals already judged) rows of the result table; every row is run
#: under both scenarios.
ROWS = (
    ("letter setting", "most_likely", "FIFO", False),
    ("letter setting", "most_likely", "70/30 split", False),
    ("court orders first", "most_likely", "FIFO, court orders first", False),
    ("open appeals already judged", "most_likely", "FIFO", True),
    ("open appeals already judged", "most_likely", "70/30 split", True),
    ("inflow min", "min", "FIFO", False),
    ("inflow medio", "medio", "FIFO", False),
    ("inflow max", "max", "FIFO", False),
    ("inflow max", "max", "70/30 split", False),
    ("inflow as it came", "hindsight", "FIFO", False),
)


def results(
    scale: float = 1.0,
    *,
    rows: tuple[tuple[str, str, str, bool], ...] = ROWS,
    draws: int | None = None,
    seed: int | None = 2023,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """The result table: one row per (variant, scenario), amounts scaled back up to the full
    setting (divided by ``scale``), in euros; counts likewise."""
    stocks = {judged: open_cases(scale, appeals_judged=judged) for judged in (False, True)}
    out = []
    for variant, name, policy, judged in rows:
        for scenario in SCENARIOS:
            p = project(scenario, policy, name, scale=scale, cases=stocks[judged], draws=draws,
                        seed=seed, executor=executor)  # fmt: skip
            bm = p.by_month
            row: dict[str, Any] = {
                "variant": variant, "inflow": name, "policy": policy, "scenario": scenario,
                "cash_to_2024": p.total(basis="cash") / scale,
                "accrued_to_2024": p.total() / scale,
                "admin_cash": p.total(basis="cash", part="admin") / scale,
                "appeals": bm["appeals"].sum() / scale,
                "judgments": bm["judgments"].sum() / scale,
                "open_end_2024": bm["open"].iloc[-1] / scale,
                "overdue_end_2024": bm["overdue"].iloc[-1] / scale,
            }  # fmt: skip
            if draws is not None:
                q = p.quantiles(basis="cash") / scale
                row["cash_p10"], row["cash_p90"] = q["p10"], q["p90"]
            out.append(row)
    return pd.DataFrame(out)


#: The drivers of issue 8, each set on its own from the letter setting (FIFO, as-applied,
#: most likely inflow): (driver, what is set, where the value comes from). No value is fitted
#: to what was paid; the calibration (issue 9) fits them on data known at the reference date.
DRIVERS: tuple[tuple[str, str, str], ...] = (
    ("letter setting", "as in the letter (the baseline)", "Kamerstuk 19 637 nr. 3156"),
    (
        "pipeline at its dates",
        "the 4,000 open appeals judged 1 Dec 2022 - 16 Feb 2023, their court terms from those days",
        "seed_letter_2023.csv (4,000 open BNTB cases); judgment dates after ABRvS 30 Nov 2022 "
        "(RVS:2022:3353) are an assumption",
    ),
    (
        "court backlog",
        "judgment lag 56 / 120 / 180 / 270 days (a quarter each), given the wait",
        "RULES §6: 8 weeks is the statute's minimum; the spread over a year is an assumption",
    ),
    (
        "spread in the order",
        "FIFO with 365 days of seeded noise, stock rebuilt the same way",
        "shared/FORECAST.md: a spread of 365 days reproduces the published 65% decided within 15 "
        "months (2023); timeliness, not payments",
    ),
    (
        "courts voiding the extension",
        'scenario {"as-applied": 0.75, "extensions-void": 0.25}',
        "RULES §2: RBDHA:2023:136 (6 Jan 2023) held WBV 2022/22 unlawful, other chambers upheld "
        "it; a quarter of the courts is an assumption",
    ),
    (
        "premature notices",
        "premature_notice_share 0.3 (with the readings above)",
        "RULES §3; the share is an assumption (the 2022 notices follow the 6-month overdue stock)",
    ),
    (
        "repeat appeals",
        "repeat_appeal_share 0.2 (with the pipeline at its dates)",
        "RULES §6 (RBDHA:2024:15671); the share is an assumption",
    ),
    (
        "court compliance 50%",
        "court_compliance 0.5 (with the pipeline at its dates)",
        "assumption; shared/FORECAST.md lever 100% -> 0%",
    ),
    (
        "payment lag",
        "payment_lag 0 or 90 days (half each)",
        "assumption; RULES §4 (legal due dates) and FORECAST.md (2021: paid late)",
    ),
    (
        "family reunification stream",
        "18,000 open nareis cases (31 Dec 2022), 1,500 new and 1,500 decisions a month",
        "published_2020_2024.csv nareis_open 18,000 (IND via ANP); inflow = capacity is an "
        "assumption; Awb 4:17 applies (RULES §5)",
    ),
)


def nareis_cases(scale: float = 1.0) -> pd.DataFrame:
    """The open family-reunification stock on the reference date: 18,000 (31 Dec 2022, IND
    annual figures) received over 2021-2023 at 1,500 a month (assumption), decided in a FIFO
    order with a 365-day spread (so old cases remain, as 13,000 past their term later showed)."""
    months = pd.period_range("2021-01", "2023-02", freq="M", name="month")
    return synthetic_open_cases(
        pd.Series(1_500.0 * scale, index=months), stock=round(18_000 * scale),
        as_of=reference()["as_of"], application_type="family-reunification", id_prefix="N",
        spread_days=365, seed=1,
    )  # fmt: skip


def drivers(scale: float = 1.0, *, until: str | None = None) -> pd.DataFrame:
    """How much each driver moves the as-applied letter setting (FIFO, most likely inflow) from
    its zero, one at a time: cash to the end of 2024 and penalty days, euros scaled back up,
    with the source of every value set."""
    from dwangsom.behaviour import Behaviour

    r = reference()
    end = until or r["until"]
    stock = open_cases(scale)
    judged = open_cases(scale, appeals_judged=True)
    months = pd.period_range("2023-02", end[:7], freq="M", name="month")
    base_inflow = inflow("most_likely", scale, end)
    spread = policies.fifo(spread_days=365, seed=1)
    readings = {"as-applied": 0.75, "extensions-void": 0.25}
    b = Behaviour()
    aged = _aged_stock(scale)
    runs: dict[str, dict[str, Any]] = {
        "letter setting": {},
        "pipeline at its dates": {"cases": judged},
        "court backlog": {"behaviour": b.replace(
            judgment_lag={56: 0.25, 120: 0.25, 180: 0.25, 270: 0.25})},
        "spread in the order": {"cases": aged, "policy": spread},
        "courts voiding the extension": {"scenario": readings},
        "premature notices": {"scenario": readings,
                              "behaviour": b.replace(premature_notice_share=0.3)},
        "repeat appeals": {"cases": judged, "behaviour": b.replace(repeat_appeal_share=0.2)},
        "court compliance 50%": {"cases": judged, "behaviour": b.replace(court_compliance=0.5)},
        "payment lag": {"behaviour": b.replace(payment_lag={0: 0.5, 90: 0.5})},
        "family reunification stream": {
            "cases": pd.concat([stock, nareis_cases(scale)], ignore_index=True),
            "inflow": pd.DataFrame({"asylum": base_inflow,
                                    "family-reunification": 1_500.0 * scale}, index=months),
            "capacity": pd.DataFrame({
                "asylum": sum(c.reindex(months).fillna(0.0) for c in capacity(scale, end)),
                "family-reunification": 1_500.0 * scale}, index=months),
        },
    }  # fmt: skip
    rows = []
    for name, setting, source in DRIVERS:
        kw: dict[str, Any] = {"scenario": "as-applied", "policy": policies.fifo(),
                              "cases": stock, "inflow": base_inflow,
                              "capacity": capacity(scale, end)}  # fmt: skip
        kw.update(runs[name])
        p = _project(kw.pop("cases"), as_of=r["as_of"], until=end, **kw)
        rows.append({
            "driver": name, "setting": setting,
            "cash_to_2024": p.total(basis="cash") / scale,
            "accrued_to_2024": p.total() / scale,
            "court_cash": (p.total(basis="cash", part="court")
                           + p.total(basis="cash", part="repeat")) / scale,
            "source": source,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _aged_stock(scale: float) -> pd.DataFrame:
    """The letter's stock rebuilt with the same 365-day spread as the order (so it holds old
    cases), the 4,000 open appeals placed as in :func:`open_cases`."""
    r = reference()
    as_of = r["as_of"]
    history = figures.first_applications([2021, 2022, 2023]).loc[: as_of[:7]] * scale
    everyone = synthetic_open_cases(
        history, stock=round(asylum_stock(as_of) * scale), as_of=as_of, spread_days=365, seed=1
    )
    table = everyone.iloc[: round(track4_stock(as_of) * scale)].copy().reset_index(drop=True)
    base = open_cases(scale)
    for column in ("notice_received", "appeal_filed", "judgment_sent"):
        table[column] = pd.NaT
    deadline = decision_deadline(table["received"])
    unextended = np.flatnonzero(deadline < np.datetime64("2022-09-27"))
    appealed = unextended[: int(base["appeal_filed"].notna().sum())]
    notice = deadline[appealed] + np.timedelta64(14, "D")
    table.loc[appealed, "notice_received"] = notice
    table.loc[appealed, "appeal_filed"] = notice + np.timedelta64(30, "D")
    return table


def main(argv: Sequence[str] | None = None) -> None:
    """Print the result table, the Monte Carlo bands (with ``--draws``), one year further and the
    sensitivities; ``--scale`` shrinks every count (amounts are scaled back up)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the cases (default 1)")
    parser.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (bands)")
    args = parser.parse_args(argv)
    r = reference()
    print(
        f"reference date {r['as_of']}: {asylum_stock(r['as_of']):,} open asylum applications, "
        f"track 4 {track4_stock(r['as_of']):,}, of which {r['open_appeals_2022']:,} with an "
        "open BNTB appeal from 2022"
    )
    print(
        f"letter: EUR {r['letter_total'] / 1e6:.0f} million to the end of 2024 (15 months "
        f"hold), {r['letter_new_appeals']:,} new BNTB appeals expected\n"
    )
    pd.set_option("display.width", 250)
    table = results(args.scale)
    money = ["cash_to_2024", "accrued_to_2024", "admin_cash"]
    shown = table.drop(columns=["inflow"])
    shown[money] = (shown[money] / 1e6).round(1)
    counts = ["appeals", "judgments", "open_end_2024", "overdue_end_2024"]
    shown[counts] = shown[counts].round(-1).astype(int)
    print("EUR million; cash = falling due 17 Feb 2023 - 31 Dec 2024, accrued = penalty days in")
    print("that period; counts are projected events in that period and stocks at its end")
    print(shown.to_string(index=False))
    print(
        "\ndrivers of issue 8, one at a time from the as-applied FIFO letter setting "
        "(EUR million, 17 Feb 2023 - 31 Dec 2024; not fitted to what was paid):"
    )
    table = drivers(args.scale)
    for _, row in table.iterrows():
        cash, accrued = row["cash_to_2024"] / 1e6, row["accrued_to_2024"] / 1e6
        print(f"  {row['driver']:>28}: cash {cash:6.1f}, accrued {accrued:6.1f}  "
              f"[{row['setting']}; {row['source']}]")  # fmt: skip
    if args.draws:
        mc = results(args.scale, rows=ROWS[:2], draws=args.draws)
        print(f"\nMonte Carlo, {args.draws} draws: cash EUR million, mean [P10, P90]")
        for _, row in mc.iterrows():
            print(
                f"  {row['scenario']:>16} {row['policy']:>12}: {row['cash_to_2024'] / 1e6:.1f} "
                f"[{row['cash_p10'] / 1e6:.1f}, {row['cash_p90'] / 1e6:.1f}]"
            )
    print("\none year further (to the end of 2025, 2025 like 2024), cash, EUR million:")
    for scenario in SCENARIOS:
        for policy in ("FIFO", "70/30 split"):
            p = project(scenario, policy, scale=args.scale, until="2025-12-31")
            print(
                f"  {scenario:>16} {policy:>12}: 2025 "
                f"{p.total('2025-01', '2025-12', basis='cash') / args.scale / 1e6:.1f}, "
                f"17 Feb 2023 - 2025 {p.total(basis='cash') / args.scale / 1e6:.1f}"
            )
    for scenario in SCENARIOS:
        for until in (r["until"], "2025-12-31"):
            sens = sensitivity(
                open_cases(args.scale), as_of=r["as_of"], until=until,
                inflow=inflow("most_likely", args.scale, until),
                capacity=capacity(args.scale, until), scenario=scenario, basis="cash",
                capacity_step=1000 * args.scale,
            )  # fmt: skip
            print(
                f"\nsensitivity ({scenario}, FIFO, most likely inflow, cash 17 Feb 2023 to "
                f"{until}, EUR million):"
            )
            print((sens[["base", "changed", "change"]] / args.scale / 1e6).round(2).to_string())


if __name__ == "__main__":
    main()
