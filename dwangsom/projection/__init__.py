"""Projection: future penalty liability by month under inflow, capacity, policy and scenario.

The package's modules name the model's parts, in the order a projection runs them:

- ``inputs``: the horizon, inflow and capacity, the book of cases;
- ``chains``: the behaviour chains (notice, appeal, judgment);
- ``allocation``: capacity allocation by the policy;
- ``evaluation``: the amounts, through :mod:`dwangsom.engine`;
- ``montecarlo``: the draws;
- ``result``: the :class:`Projection` result;
- ``api``: :func:`project`, :func:`compare_projections`,
  :func:`sensitivity`.

:func:`project` starts from the case table on a reference date (``as_of``), adds the expected
inflow, lets a processing policy (:mod:`dwangsom.policies`) decide cases month by month within
the capacity, lets the behaviour model (:mod:`dwangsom.behaviour`) fill in the notices, appeals
and judgments that have not happened yet, and totals the penalties per month up to ``until``.
All penalty arithmetic is :mod:`dwangsom.engine`'s: the decision date the policy assigns is fed
in as ``decided``, the behaviour's dates as the notice and judgment dates.

Two modes:

- expected value (``draws=None``): no sampling. Every open case is expanded into the branches
  of its event chain (no notice; notice after each lag; appeal after each lag; judgment after
  each lag), each with its probability as a weight; amounts are probability-weighted sums, in
  float euros.
- Monte Carlo (``draws=N``): ``N`` sampled event chains; the monthly table gives the mean and
  the P10/P50/P90 of every column. Each draw has its own random stream spawned from ``seed``,
  so the same seed gives the same result whatever ``executor`` spreads the draws over.

Case ``a`` has a court judgment of 15 Dec 2022 (term 112 days, EUR 100 a day, maximum 7,500);
case ``b`` is overdue without a notice. With no capacity, the court penalty runs to its maximum;
with one decision a month, FIFO decides ``a`` on 16 April and the penalty stops at EUR 1,000:

>>> import pandas as pd, dwangsom
>>> cases = pd.DataFrame({"case_id": ["a", "b"], "received": ["2021-11-01", "2022-01-10"],
...                       "notice_received": ["2022-06-01", None],
...                       "appeal_filed": ["2022-06-20", None],
...                       "judgment_sent": ["2022-12-15", None]})
>>> none = dwangsom.project(cases, as_of="2023-03-31", until="2023-06-30", inflow=0.0,
...                         capacity=0)
>>> none.by_month["court_accrued"].tolist()
[0.0, 2400.0, 3100.0, 2000.0]
>>> none.by_month[["notices", "appeals", "judgments"]].round(3).loc["2023-04":]
         notices  appeals  judgments
month
2023-04     0.98    0.098      0.000
2023-05     0.00    0.059      0.000
2023-06     0.00    0.000      0.098
>>> one = dwangsom.project(cases, as_of="2023-03-31", until="2023-06-30", inflow=0.0,
...                        capacity=1)
>>> one.cases[["case_id", "decided", "court_amount"]]
  case_id    decided  court_amount
0       a 2023-04-16        1000.0
1       b 2023-05-16           0.0
>>> one.total(basis="cash")
1000.0
"""

from __future__ import annotations

from ._common import _PER_DRAW, BASES, MEASURES, PARTS, QUANTILES
from .api import compare_projections, project, sensitivity
from .result import Projection

__all__ = [
    "BASES",
    "MEASURES",
    "PARTS",
    "QUANTILES",
    "Projection",
    "compare_projections",
    "project",
    "sensitivity",
]
_ = _PER_DRAW  # re-exported for tests and benchmarks

# The public names are documented (and pickled) as dwangsom.projection's own.
for _obj in (Projection, compare_projections, project, sensitivity):
    _obj.__module__ = __name__
del _obj
