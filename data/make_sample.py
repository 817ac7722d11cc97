"""Make the synthetic sample extract ``data/sample_cases.csv`` (and its packaged gzip copy).

**Everything in the output is synthetic.** No row describes a real person or a real case: case ids,
dates, tracks and nationality groups are drawn from a seeded random generator. Only the *shape*
follows published figures, copied with their sources into ``data/sample_inflow.csv`` (made by this
script from ``shared/figures``). Run from the repository root::

    python data/make_sample.py            # rewrites data/sample_cases.csv, data/sample_inflow.csv
                                          # and dwangsom/sample/sample_cases.csv.gz
    python data/make_sample.py --check    # exit 1 if the committed files differ from a fresh run

The model, step by step (every number is a named constant below):

1. **Receipts.** First asylum applications per month 2021-2024 (``asylum_inflow.csv``): a month
   with a published first-application count keeps it; a month with only a total-inflow figure gets
   that figure times the year's first/total ratio; the rest of the year total is spread evenly over
   the remaining months (assumption: no seasonal pattern). The sample holds ``FRACTION`` (1 in 4)
   of that inflow, plus a small illustrative group of family-reunification applications. Receipt
   days are drawn within the month, weekdays three times as likely as weekend days.
2. **Tracks.** Dublin (track 1), safe country of origin (track 2) and the general/extended
   procedure (track 4) in fixed shares. Tracks 1 and 2 are decided within a few months; track 4
   waits in a first-in-first-out queue (the processing order named in Kamerstuk 19 637 nr. 3156)
   with a random jitter and a monthly decision capacity, calibrated so that the national open
   stock roughly follows ``asylum_backlog.csv`` (about 18,000 track-4 cases at the start of 2022,
   33,000 at its end, 45,000 at the end of 2023 and 46,000 at the end of 2024). A virtual stock of
   applications from before 2021 is served first and is not in the output.
3. **Notices of default.** Lawyers count six months from receipt: after the categorical
   extensions (WBV 2022/22, 2023/3) half of them still do, so many notices are *premature* under
   the "as-applied" scenario and valid under "extensions-void"; the other half wait for the
   extended term. A small share is sent a few days too early even on the six-month count. The
   notice probability is set so that the notices received in 2022 by the whole sample are of the
   order of ``FRACTION`` times the 19,830 notices reported for 2022 (answer 2023Z02664), less
   the share that belongs to pre-2021 applications, which are not in the sample.
4. **Appeals and judgments** (BNTB). Two weeks after a notice, an undecided case is appealed with
   ``P_APPEAL``; the court rules after a few months unless the decision comes first. Court terms
   and amounts are left empty (the library's schedule applies) except where a court is known to
   have ordered otherwise: penalties set between March and November 2022 in spite of the
   Temporary Act, EUR 7,500 maxima in 2024 (some courts), short terms once the 21 months have
   passed, and repeat appeals after a missed court term.
5. **Decisions.** After a judgment the IND mostly decides within the court term, sometimes late.
   Cases undecided on the extract date ``EXTRACT_DATE`` have no ``decided`` date; many are past 21
   months by then.
6. **Awkward cases** on purpose: premature notices, cases past 21 months, repeat appeals, judgments
   with the court's own penalty, excluded cases (Awb 4:17(6)), applications with two applicants.

The output is deterministic for a given seed and numpy version (``numpy.random.default_rng``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT_CSV = ROOT / "data" / "sample_cases.csv"
OUT_INFLOW = ROOT / "data" / "sample_inflow.csv"
OUT_GZ = ROOT / "dwangsom" / "sample" / "sample_cases.csv.gz"

SEED = 20210101
FRACTION = 0.25  # the sample is 1 in 4 of the national first asylum applications
EXTRACT_DATE = np.datetime64("2025-12-31", "D")  # the day the extract was "taken"
YEARS = (2021, 2022, 2023, 2024)

# Published figures (shared/figures/asylum_inflow.csv), copied so the script runs without them.
INFLOW_YEARS = {  # year: (first applications, total asylum inflow or None, source)
    2021: (24800, 36620, "CBS via nu.nl (Jan 2023); IND asylum influx news (Oct 2022)"),
    2022: (35535, 48600, "CBS via nu.nl (Jan 2023); weekly JenV count"),
    2023: (38000, 49600, "CBS via nhnieuws (Feb 2024); weekly JenV count (51 weeks)"),
    2024: (32180, None, "IND annual figures 2024 via press"),
}
INFLOW_MONTHS = {  # month: (first applications or None, total inflow or None, source)
    "2022-09": (4319, 5373, "IND asylum influx October 2022"),
    "2022-10": (3912, 4697, "IND asylum influx October 2022"),
    "2022-12": (2595, 3243, "IND asylum influx January 2023"),
    "2023-01": (2499, 3006, "IND asylum influx February 2023 (revised)"),
    "2023-02": (2194, 2823, "IND asylum influx February 2023"),
    "2023-05": (None, 3597, "IND news 13 July 2023"),
    "2023-06": (None, 4020, "IND news 13 July 2023"),
}

# Tracks (shares of first applications; illustrative, in line with the backlog split in
# Kamerstuk 19 637 nr. 3156: track 4 dominates, Dublin second, safe country small).
TRACKS = {"1-dublin": 0.18, "2-safe-country": 0.04, "4-general": 0.78}
# Nationality groups: illustrative pass-through data, not calibrated to any statistic.
NATIONALITY_GROUPS = {
    "Syria": 0.34,
    "Turkey": 0.12,
    "Eritrea": 0.08,
    "Afghanistan": 0.08,
    "Yemen": 0.05,
    "Somalia": 0.04,
    "other": 0.29,
}
FAMILY_REUNIFICATION_PER_YEAR = 400  # illustrative group in the sample (90-day term, keeps 4:17)

# Track-4 queue, national decisions per month (scaled by FRACTION), and the pre-2021 stock.
LEGACY_STOCK = 14000
CAPACITY = {2021: 1080, 2022: 780, 2023: 1180, 2024: 1760, 2025: 1500}
QUEUE_JITTER_DAYS = 45.0  # sd of the noise on the FIFO order
FAST_LANE = 0.12  # share of track-4 cases decided outside the queue (clear-cut grants)
MIN_PROCESSING_DAYS = 28

P_NOTICE = 0.7  # an overdue case gets a notice of default
P_WAIT_FOR_EXTENSION = 0.5  # lawyer waits for the extended term instead of the six months
P_EARLY = 0.03  # notice sent a few days before even the six-month term ends
NOTICE_DELAY_MEAN = 75.0  # days after the term the lawyer counts
P_APPEAL = 0.6  # two weeks after a valid-looking notice, the case is appealed
P_JUDGMENT_ON_PREMATURE = 0.3  # court holds the extension unlawful and rules anyway
COURT_DELAY_MEAN = 180.0
P_ON_TIME_AFTER_JUDGMENT = 0.45
LATE_AFTER_JUDGMENT_MEAN = 75.0
P_REPEAT = 0.25
P_COURT_SET_ASIDE_2022 = 0.6  # judgments Mar-Nov 2022 with a penalty despite the Temporary Act
P_CAP_7500_2024 = 0.25
P_SHORT_TERM_PAST_21 = 0.5
P_EXCLUDED = {"1-dublin": 0.01, "2-safe-country": 0.3, "4-general": 0.01, "nareis": 0.02}
P_TWO_APPLICANTS = 0.03

DAY = np.timedelta64(1, "D")


def monthly_inflow() -> pd.DataFrame:
    """First asylum applications per month 2021-2024, with how each figure was obtained."""
    rows = []
    for year, (first, total, source) in INFLOW_YEARS.items():
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        ratio = first / total if total else None
        fixed: dict[str, tuple[float, str, str]] = {}
        for month in months:
            if month not in INFLOW_MONTHS:
                continue
            m_first, m_total, m_source = INFLOW_MONTHS[month]
            if m_first is not None:
                fixed[month] = (m_first, "published month", m_source)
            elif m_total is not None and ratio is not None:
                fixed[month] = (
                    m_total * ratio,
                    f"total inflow x {year} first/total ratio {ratio:.3f}",
                    m_source,
                )
        rest = (first - sum(v[0] for v in fixed.values())) / (12 - len(fixed))
        for month in months:
            value, basis, src = fixed.get(
                month,
                (rest, f"{year} total minus published months, spread evenly", source),
            )
            rows.append(
                {
                    "month": month,
                    "first_applications": round(value),
                    "sample_cases": round(value * FRACTION),
                    "basis": basis,
                    "source": src,
                }
            )
    return pd.DataFrame(rows)


def _days_in_months(rng: np.random.Generator, months: np.ndarray) -> np.ndarray:
    """One receipt day per entry of ``months`` (datetime64[M]); weekdays 3x as likely."""
    out = np.empty(months.size, dtype="datetime64[D]")
    for month in np.unique(months):
        idx = np.flatnonzero(months == month)
        days = np.arange(month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]"))
        weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday
        weight = np.where(weekday < 5, 3.0, 1.0)
        out[idx] = rng.choice(days, size=idx.size, p=weight / weight.sum())
    return out


def _days(x: np.ndarray) -> np.ndarray:
    return np.round(x).astype(np.int64).astype("timedelta64[D]")


def _deadline(received: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """The statutory deadline under the "as-applied" scenario (the library's own rule)."""
    from dwangsom import engine

    out = np.empty(received.size, dtype="datetime64[D]")
    for name in np.unique(kind):
        m = kind == name
        out[m] = engine.decision_deadline(
            received[m], scenario="as-applied", application_type=str(name)
        )
    return out


def _six_months(received: np.ndarray) -> np.ndarray:
    from dwangsom.months import add_months_array

    return add_months_array(received, 6)


def _queue(rng: np.random.Generator, received: np.ndarray, key_jitter: np.ndarray) -> np.ndarray:
    """Decision days of track-4 cases from a FIFO queue with a monthly capacity."""
    n = received.size
    legacy = round(LEGACY_STOCK * FRACTION)
    key = (received - np.datetime64("2021-01-01", "D")).astype(np.float64) + key_jitter
    # the virtual pre-2021 stock sorts first and only consumes capacity
    order = np.argsort(key, kind="stable")
    decided = np.full(n, np.datetime64("NaT", "D"))
    open_ = np.ones(n, dtype=bool)
    eligible_from = received + MIN_PROCESSING_DAYS * DAY
    month = np.datetime64("2021-01", "M")
    while month <= EXTRACT_DATE.astype("datetime64[M]"):
        year = int(str(month)[:4])
        capacity = rng.poisson(CAPACITY[year] * FRACTION)
        used = min(capacity, legacy)
        legacy -= used
        capacity -= used
        first = month.astype("datetime64[D]")
        last = (month + 1).astype("datetime64[D]") - DAY
        if capacity > 0:
            candidates = order[open_[order] & (eligible_from[order] <= last)][:capacity]
            lo = np.maximum(eligible_from[candidates], first)
            span = (last - lo).astype(np.int64) + 1
            decided[candidates] = lo + (rng.random(candidates.size) * span).astype(np.int64).astype(
                "timedelta64[D]"
            )
            open_[candidates] = False
        month += 1
    return decided


def make_sample(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic case table and the monthly inflow it follows."""
    rng = np.random.default_rng(seed)
    inflow = monthly_inflow()

    # 1. receipts
    months = np.repeat(
        inflow["month"].to_numpy().astype("datetime64[M]"), inflow["sample_cases"].to_numpy()
    )
    n_asylum = months.size
    fr_months = np.array(
        [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)], dtype="datetime64[M]"
    )
    n_fr = FAMILY_REUNIFICATION_PER_YEAR * len(YEARS)
    months = np.concatenate([months, rng.choice(fr_months, size=n_fr)])
    received = _days_in_months(rng, months)
    n = received.size
    kind = np.array(["asylum"] * n_asylum + ["family-reunification"] * n_fr, dtype=object)

    # 2. tracks and decisions without court pressure
    track = np.empty(n, dtype=object)
    track[:n_asylum] = rng.choice(list(TRACKS), size=n_asylum, p=list(TRACKS.values()))
    track[n_asylum:] = "nareis"
    nationality = rng.choice(list(NATIONALITY_GROUPS), size=n, p=list(NATIONALITY_GROUPS.values()))
    decided = np.full(n, np.datetime64("NaT", "D"))
    quick = {"1-dublin": (3.0, 30.0), "2-safe-country": (2.0, 25.0), "nareis": (2.0, 110.0)}
    for name, (shape, scale) in quick.items():
        m = track == name
        decided[m] = received[m] + _days(10 + rng.gamma(shape, scale, m.sum()))
    general = np.flatnonzero(track == "4-general")
    fast = rng.random(general.size) < FAST_LANE
    decided[general[fast]] = received[general[fast]] + _days(20 + rng.gamma(2.0, 35.0, fast.sum()))
    slow = general[~fast]
    decided[slow] = _queue(rng, received[slow], rng.normal(0.0, QUEUE_JITTER_DAYS, slow.size))
    decided[decided > EXTRACT_DATE] = np.datetime64("NaT", "D")
    queue_decided = decided.copy()  # NaT = not decided by the extract date

    def open_on(day: np.ndarray) -> np.ndarray:
        return ~np.isnat(day) & (day <= EXTRACT_DATE) & (np.isnat(decided) | (decided > day))

    # 3. notices of default
    deadline = _deadline(received, kind)
    six = np.where(kind == "asylum", _six_months(received), received + 90 * DAY)
    extended = deadline > six
    counted = np.where(extended & (rng.random(n) < P_WAIT_FOR_EXTENSION), deadline, six)
    delay = 1 + rng.exponential(NOTICE_DELAY_MEAN, n)
    early = rng.random(n) < P_EARLY
    delay[early] = -rng.integers(0, 10, early.sum())
    notice = counted + _days(delay)
    notice[(rng.random(n) >= P_NOTICE) | ~open_on(notice)] = np.datetime64("NaT", "D")
    valid = ~np.isnat(notice) & (notice > deadline)

    # 4. appeals and judgments
    appeal = notice + 15 * DAY + _days(rng.exponential(20.0, n))
    appeal[(rng.random(n) >= P_APPEAL) | ~open_on(appeal)] = np.datetime64("NaT", "D")
    judgment = appeal + _days(42 + rng.gamma(2.0, (COURT_DELAY_MEAN - 42) / 2, n))
    rules_anyway = rng.random(n) < P_JUDGMENT_ON_PREMATURE
    judgment[~open_on(judgment) | (~valid & ~rules_anyway)] = np.datetime64("NaT", "D")
    has_j = ~np.isnat(judgment)

    term = np.full(n, -1, dtype=np.int64)  # -1: not recorded (the schedule applies)
    per_day = np.full(n, -1, dtype=np.int64)
    cap = np.full(n, -1, dtype=np.int64)
    past_21 = has_j & (judgment > _months(received, 21))
    short = past_21 & (rng.random(n) < P_SHORT_TERM_PAST_21)
    term[short] = rng.choice([14, 28, 56], size=short.sum())
    set_aside = (
        has_j
        & (kind == "asylum")
        & (judgment >= np.datetime64("2022-03-01"))
        & (judgment <= np.datetime64("2022-11-29"))
        & (rng.random(n) < P_COURT_SET_ASIDE_2022)
    )
    per_day[set_aside] = 100
    cap[set_aside] = 7500
    low_cap = has_j & (judgment >= np.datetime64("2024-01-01")) & (rng.random(n) < P_CAP_7500_2024)
    cap[low_cap] = 7500

    due = judgment + np.where(term >= 0, term, 112) * DAY
    # repeat appeal after a missed court term: the recorded judgment is the repeat one
    missed = has_j & open_on(due + 30 * DAY)
    repeat = missed & (rng.random(n) < P_REPEAT)
    repeat_judgment = due + _days(60 + rng.gamma(2.0, 30.0, n))
    repeat &= open_on(repeat_judgment)
    judgment[repeat] = repeat_judgment[repeat]
    term[repeat] = 56
    per_day[repeat] = np.where(rng.random(repeat.sum()) < 0.8, 200, 250)
    cap[repeat] = 15000
    due[repeat] = judgment[repeat] + 56 * DAY

    # 5. decisions under court pressure
    on_time = rng.random(n) < P_ON_TIME_AFTER_JUDGMENT
    pressed = np.where(
        on_time,
        judgment + DAY + _days(rng.random(n) * ((due - judgment).astype(np.float64) - 1)),
        due + _days(1 + rng.exponential(LATE_AFTER_JUDGMENT_MEAN, n)),
    )
    pressure = has_j & (np.isnat(queue_decided) | (pressed < queue_decided))
    decided[pressure] = pressed[pressure]
    decided[decided > EXTRACT_DATE] = np.datetime64("NaT", "D")

    # 6. flags
    excluded = rng.random(n) < np.vectorize(P_EXCLUDED.__getitem__)(track)
    applicants = np.where(rng.random(n) < P_TWO_APPLICANTS, 2, 1)

    order = np.lexsort((rng.random(n), received))
    table = pd.DataFrame(
        {
            "case_id": [f"SYN-{i:06d}" for i in range(1, n + 1)],
            "received": _iso(received[order]),
            "application_type": kind[order],
            "track": track[order],
            "nationality_group": nationality[order],
            "applicants": applicants[order],
            "notice_received": _iso(notice[order]),
            "appeal_filed": _iso(appeal[order]),
            "judgment_sent": _iso(judgment[order]),
            "repeat_appeal": np.where(repeat[order], "true", "false"),
            "court_term_days": _optional_int(term[order]),
            "court_per_day": _optional_int(per_day[order]),
            "court_cap": _optional_int(cap[order]),
            "decided": _iso(decided[order]),
            "excluded": np.where(excluded[order], "true", "false"),
        }
    )
    return table, inflow


def _months(days: np.ndarray, n: int) -> np.ndarray:
    from dwangsom.months import add_months_array

    return add_months_array(days, n)


def _iso(days: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(days, unit="D")
    return np.where(np.isnat(days), "", text)


def _optional_int(values: np.ndarray) -> np.ndarray:
    return np.where(values >= 0, values.astype(str), "")


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip without a timestamp or file name, so the bytes depend on the content only."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args(argv)
    table, inflow = make_sample(args.seed)
    data = to_csv_bytes(table)
    outputs = {OUT_CSV: data, OUT_GZ: gzip_bytes(data), OUT_INFLOW: to_csv_bytes(inflow)}
    if args.check:
        stale = [str(p) for p, b in outputs.items() if not p.exists() or p.read_bytes() != b]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"up to date: {len(table)} cases")
        return 0
    for path, content in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    print(f"wrote {len(table)} cases to {OUT_CSV.relative_to(ROOT)} and {OUT_GZ.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
