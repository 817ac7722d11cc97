"""Where the default notice propensity comes from: the notices of 2022 against the overdue stock.

    python docs/examples/notice_propensity_2022.py

The IND received 19,830 notices of default in 2022 (``data/figures/notices_2022_monthly.csv``,
answer to parliamentary questions 2023Z02664). How many could it have received? Rebuild 2022 with
the projection itself, with every overdue applicant sending a notice (``notice_share=1``):

- open stock on 1 Jan 2022: 20,400 asylum applications (``asylum_backlog.csv``), rebuilt from the
  2021 first applications (``asylum_inflow.csv``) on the assumption that the oldest were decided
  first (:func:`dwangsom.synthetic_open_cases`);
- inflow in 2022: first applications per month (the published months, the rest of the 35,535
  spread evenly);
- capacity: the decisions that close the books, 20,400 + 35,535 - 35,790 (the stock on 31 Dec
  2022) = 20,145, evenly over the year, FIFO;
- scenario "as-applied" (WBV 2022/22 extends terms ending from 27 Sept 2022) and the default
  notice lags.

The synthetic stock records no notices, and the projection cannot know who among the applicants
already overdue on 1 Jan 2022 had sent one in 2021: it lets each of them send one on 2 Jan (the
first projected day). Three ways to count the notices the model expects for 2022:

- all of them (the whole catch-up counted in 2022): too many, the propensity comes out too low;
- February to December only, on both sides: the catch-up drops out, but so do the real 2022
  notices of cases that were already overdue: too few, the propensity comes out too high;
- the principled count: an applicant overdue on 1 Jan 2022 (``d`` days after the deadline) would
  have sent the notice in 2021 if the lag was ``d`` days or less, so only the share
  ``P(lag > d)`` of the catch-up belongs to 2022.

The third gives the default ``notice_share`` (rounded to two decimals); the first two bracket it.
The projection is linear in the propensity (decisions do not depend on it under FIFO), so
``observed / expected at propensity 1`` is the propensity that reproduces the count. Known biases
(docs/projection.md): first applications stand in for the inflow of the asylum stock, and strict
FIFO leaves too few old overdue cases open (the 4,000 appeals of 2022 still open in 2023 show that
the IND did not decide strictly oldest first), which understates the denominator and so
overstates the propensity.
"""

from __future__ import annotations

import pandas as pd

import dwangsom
from dwangsom.examples import figures


def estimate(scale: float = 1.0) -> dict[str, float]:
    """The propensity estimates and their parts; ``scale`` shrinks every count (for tests)."""
    as_of = "2021-12-31"
    stock = round(figures.backlog("2022-01-01") * scale)
    history = figures.first_applications([2020, 2021]) * scale
    cases = dwangsom.synthetic_open_cases(history, stock=stock, as_of=as_of)
    inflow = figures.first_applications([2022]) * scale
    decisions = (
        figures.backlog("2022-01-01") + inflow.sum() / scale - figures.backlog("2022-12-31")
    ) * scale
    every = dwangsom.Behaviour(notice_share=1.0)
    p = dwangsom.project(cases, as_of=as_of, until="2022-12-31", inflow=inflow,
                         capacity=decisions / 12, behaviour=every)  # fmt: skip
    notices = p.by_month["notices"]
    observed = figures.notices_2022() * scale
    # the catch-up: applicants overdue on as_of, d days after their deadline
    open_ = p.cases[p.cases["source"] == "open"]
    late = (pd.Timestamp(as_of) - open_["deadline"]).dt.days.to_numpy()
    late = late[late > 0]
    lag = every.notice_lag
    still_2022 = sum(pr * (late < d).sum() for d, pr in zip(lag.days, lag.probs, strict=True))
    principled = float(notices.sum()) - late.size + float(still_2022)
    feb_dec = float(notices.loc["2022-02":].sum())
    return {
        "stock on 1 Jan 2022": stock,
        "decisions in 2022": decisions,
        "overdue on 1 Jan 2022": float(late.size),
        "of which notice still due in 2022": float(still_2022),
        "overdue on 31 Dec 2022": float(p.by_month["overdue"].iloc[-1]),
        "notices observed in 2022": float(observed.sum()),
        "notices expected at propensity 1": principled,
        "notice_share (default)": float(observed.sum()) / principled,
        "bracket: whole catch-up in 2022": float(observed.sum()) / float(notices.sum()),
        "bracket: February-December only": float(observed.loc["2022-02":].sum()) / feb_dec,
    }


def main() -> None:
    for key, value in estimate().items():
        print(f"{key:>36}: {value:,.3f}" if value < 100 else f"{key:>36}: {value:,.0f}")


if __name__ == "__main__":
    main()
