"""Projection: future penalty liability by month under inflow, capacity, policy and scenario.

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

import dataclasses
import html
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import engine
from ._dates import as_date
from .behaviour import Behaviour, Lag
from .errors import DwangsomError, OrderError
from .policies import MonthState, Policy
from .policies import get as _get_policy
from .scenario import Scenario
from .scenario import scenario as _scenario
from .synthetic import _monthly, spread_over_days

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BASES",
    "MEASURES",
    "PARTS",
    "Projection",
    "compare_projections",
    "project",
    "sensitivity",
]

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

Basis = Literal["accrued", "cash"]
Part = Literal["admin", "court", "total"]
BASES: tuple[Basis, ...] = ("accrued", "cash")
PARTS: tuple[Part, ...] = ("admin", "court", "total")
#: Monthly measures of a projection (``by_month`` columns besides ``inflow`` and ``capacity``).
MEASURES = (
    "decisions",
    "open",
    "overdue",
    "notices",
    "appeals",
    "judgments",
    "admin_accrued",
    "court_accrued",
    "total_accrued",
    "admin_cash",
    "court_cash",
    "total_cash",
)
_PER_DRAW = (
    "decisions",
    "open",
    "overdue",
    "notices",
    "appeals",
    "judgments",
    "admin_accrued",
    "court_accrued",
    "admin_cash",
    "court_cash",
)
QUANTILES = (0.1, 0.5, 0.9)

_ONE = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "D")
_BIG = np.datetime64("9999-12-31", "D")
#: Merge cases the engine cannot tell apart into one weighted unit (see ``_group``); the
#: benchmark switches it off to measure the worst case, where no two cases are alike.
_MERGE_IDENTICAL = True
#: Lag code: the event does not happen.
_NONE = -1
#: Lag code: expand over the behaviour's distribution (expected-value mode).
_EXPAND = -2
#: Chain stages of a case on the reference date.
_STAGE_NONE, _STAGE_NOTICE, _STAGE_APPEAL, _STAGE_JUDGMENT, _STAGE_CLOSED = 0, 1, 2, 3, 4


# --- inputs --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Horizon:
    as_of: np.datetime64
    until: np.datetime64
    months: pd.PeriodIndex
    #: First and last day of each month inside (as_of, until]; ``days`` may be 0.
    start: Days
    end: Days
    days: Ints
    full: Ints
    #: Day the month's stocks are counted (its last projected day, at least as_of).
    stock_day: Days

    @property
    def m(self) -> int:
        return len(self.months)

    def month_of(self, days: Days) -> Ints:
        """Projection month index of each day (-1 before the first month, m after the last)."""
        first = int(self.months[0].ordinal) - _ordinal0()
        idx = _month_number(days) - first
        return np.asarray(np.clip(idx, -1, self.m), dtype=np.int64)


def _ordinal0() -> int:
    return int(pd.Period("1970-01", freq="M").ordinal)


def _horizon(as_of: Any, until: Any) -> _Horizon:
    a = np.datetime64(as_date(as_of, "as_of"), "D")
    u = np.datetime64(as_date(until, "until"), "D")
    if u < a:
        raise OrderError(f"until: {u} is before as_of {a}; a projection runs forward")
    months = pd.period_range(
        pd.Period(str(a), freq="M"), pd.Period(str(u), freq="M"), freq="M", name="month"
    )
    first = months.to_timestamp(how="start").to_numpy().astype("datetime64[D]")
    last = (months + 1).to_timestamp(how="start").to_numpy().astype("datetime64[D]") - _ONE
    start = np.maximum(first, a + _ONE)
    end = np.minimum(last, u)
    days = np.maximum((end - start).astype(np.int64) + 1, 0)
    stock_day = np.maximum(end, a)
    return _Horizon(a, u, months, start, end, days, (last - first).astype(np.int64) + 1, stock_day)


def _monthly_input(value: Any, name: str, h: _Horizon) -> Floats:
    """Per projection month, from a Series, a number or (capacity) a sequence of those."""
    if isinstance(value, bool):
        raise DwangsomError(f"{name}: a number or a monthly Series expected, got {value!r}")
    if isinstance(value, int | float | np.integer | np.floating):
        if not math.isfinite(float(value)) or value < 0:
            raise DwangsomError(f"{name}: must be a number >= 0, got {value!r}")
        return np.full(h.m, float(value) / (12 if name == "inflow" else 1))
    if isinstance(value, pd.Series):
        series = _monthly(value, name)
        needed = h.months[h.days > 0]
        missing = needed.difference(pd.PeriodIndex(series.index))
        if len(missing):
            raise DwangsomError(
                f"{name}: no figure for {len(missing)} projection month(s), first {missing[0]} "
                f"(the series covers {series.index[0]} to {series.index[-1]})"
            )
        return series.reindex(h.months).fillna(0.0).to_numpy(dtype=float)
    if name == "capacity" and isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            raise DwangsomError("capacity: an empty sequence")
        total = np.zeros(h.m)
        covered = np.zeros(h.m, dtype=bool)
        for i, part in enumerate(value):
            if isinstance(part, pd.Series):
                series = _monthly(part, f"capacity[{i}]")
                total += series.reindex(h.months).fillna(0.0).to_numpy(dtype=float)
                covered |= h.months.isin(series.index)
            else:
                total += _monthly_input(part, f"capacity[{i}]", h)
                covered[:] = True
        gap = h.months[(h.days > 0) & ~covered]
        if len(gap):
            raise DwangsomError(
                f"capacity: no part of the capacity covers {len(gap)} month(s), first {gap[0]}"
            )
        return total
    raise DwangsomError(
        f"{name}: a number, a monthly pandas Series"
        f"{' or a sequence of those' if name == 'capacity' else ''} expected, "
        f"got {type(value).__name__}"
    )


def _per_month(values: Floats, h: _Horizon) -> Ints:
    """Whole numbers per month: the month's figure times the share of its days inside the
    projection, rounded half up (rounding is monotone: more in never gives less out)."""
    return np.floor(values * h.days / h.full + 0.5).astype(np.int64)


@dataclasses.dataclass(frozen=True)
class _Book:
    """Every case of the projection as arrays: the table's rows, then the new inflow."""

    n_table: int
    ids: npt.NDArray[Any]
    source: npt.NDArray[Any]
    received: Days
    type_names: tuple[str, ...]
    type_code: Ints
    applicants: Ints
    excluded: Bools
    extension: Ints
    deadline: Days
    notice: Days
    appeal: Days
    judgment: Days
    term: Floats
    per_day: Floats
    cap: Floats
    repeat: Bools
    decided: Days
    entry: Ints
    stage: Ints
    #: Court due date of a judgment recorded in the table (NaT: none).
    due: Days

    @property
    def n(self) -> int:
        return int(self.received.size)

    def kinds(self, rows: Ints) -> Any:
        codes = self.type_code[rows]
        if codes.size == 0 or (codes == codes[0]).all():
            return self.type_names[int(codes[0]) if codes.size else 0]
        return np.asarray(self.type_names, dtype=object)[codes]


def _parse_table(cases: pd.DataFrame, s: Scenario, as_of: np.datetime64) -> Any:
    from .cases import parse_cases

    parsed = parse_cases(cases, scenario=s)
    late = parsed.dates["received"] > as_of
    if late.any():
        first = parsed.ids.iloc[np.flatnonzero(late)[:3]]
        raise OrderError(
            f"received: case(s) {', '.join(map(str, first))} received after as_of {as_of}; the "
            "case table must be the one as of the reference date (new cases come from inflow)"
        )
    return parsed


def _book(
    cases: pd.DataFrame, h: _Horizon, s: Scenario, behaviour: Behaviour, inflow_counts: Ints
) -> _Book:
    parsed = _parse_table(cases, s, h.as_of)
    n0 = parsed.n
    d = {k: np.where(v > h.as_of, _NAT, v) for k, v in parsed.dates.items()}
    d["received"] = parsed.dates["received"]
    names = [r.application_type for r in s.application_types]
    # application types as codes into the scenario's table (per category, not per case)
    remap = np.array([names.index(str(c)) for c in parsed.types.categories], dtype=np.int64)
    table_code = remap[parsed.types.codes] if n0 else np.zeros(0, dtype=np.int64)
    asylum = names.index("asylum")

    # new cases: receipt days spread over the projected days of their month
    new_received = spread_over_days(h.start, np.maximum(h.days, 1), inflow_counts)
    new_entry = np.repeat(np.arange(h.m, dtype=np.int64), inflow_counts)
    k = new_received.size
    received = np.concatenate([d["received"], new_received])
    code = np.concatenate([table_code, np.full(k, asylum, dtype=np.int64)])
    ints = parsed.ints
    applicants = np.concatenate(
        [np.nan_to_num(ints["applicants"], nan=1).astype(np.int64), np.ones(k, dtype=np.int64)]
    )
    extension = np.concatenate(
        [
            np.nan_to_num(ints["extension_months"], nan=0).astype(np.int64),
            np.zeros(k, dtype=np.int64),
        ]
    )
    excluded = np.concatenate([parsed.bools["excluded"], np.zeros(k, dtype=bool)])

    def pad(values: Days) -> Days:
        return np.concatenate([values, np.full(k, _NAT)])

    def padf(values: Floats) -> Floats:
        return np.concatenate([values, np.full(k, np.nan)])

    kinds_all = np.asarray(names, dtype=object)[code]
    uniform = bool(code.size == 0 or (code == code[0]).all())
    kind_arg: Any = names[int(code[0])] if uniform and code.size else kinds_all
    if received.size == 0:
        deadline = np.array([], dtype="datetime64[D]")
    else:
        deadline = engine.decision_deadline(
            received, scenario=s, application_type=kind_arg, extension_months=extension
        )
    notice, appeal, judgment = (
        pad(d["notice_received"]),
        pad(d["appeal_filed"]),
        pad(d["judgment_sent"]),
    )
    decided = pad(d["decided"])
    valid = ~np.isnat(notice) & (notice > deadline)
    stage = np.where(
        ~np.isnat(decided),
        _STAGE_CLOSED,
        np.where(
            ~np.isnat(judgment),
            _STAGE_JUDGMENT,
            np.where(
                valid & ~np.isnat(appeal),
                _STAGE_APPEAL,
                np.where(valid, _STAGE_NOTICE, _STAGE_NONE),
            ),
        ),
    ).astype(np.int64)
    entry = np.concatenate([np.where(np.isnat(d["decided"]), 0, -1), new_entry]).astype(np.int64)
    term, per_day, cap = (padf(ints[c]) for c in ("court_term_days", "court_per_day", "court_cap"))
    repeat = np.concatenate([parsed.bools["repeat_appeal"], np.zeros(k, dtype=bool)])
    has_j = np.flatnonzero(~np.isnat(judgment))
    due = np.full(received.size, _NAT)
    if has_j.size:
        due[has_j] = engine.court_arrays(
            judgment[has_j], None, as_of=h.as_of, term_days=term[has_j], per_day=per_day[has_j],
            cap=cap[has_j], repeat=repeat[has_j],
            application_type=kind_arg if uniform else kinds_all[has_j], scenario=s,
        ).due  # fmt: skip
    ids = np.concatenate([parsed.ids, np.full(k, None, dtype=object)])
    source = np.concatenate(
        [
            np.where(np.isnat(d["decided"]), "open", "decided").astype(object),
            np.full(k, "new", dtype=object),
        ]
    )
    return _Book(
        n_table=n0, ids=ids, source=source, received=received, type_names=tuple(names),
        type_code=code, applicants=applicants, excluded=excluded, extension=extension,
        deadline=deadline, notice=notice, appeal=appeal, judgment=judgment, term=term,
        per_day=per_day, cap=cap, repeat=repeat, decided=decided, entry=entry, stage=stage,
        due=due,
    )  # fmt: skip


# --- the behaviour chain -------------------------------------------------------------------


def _bntb_allowed(day: Days, kinds_ta: Bools, s: Scenario) -> Days:
    """Move an appeal that falls in a period without BNTB appeal (Temporary Act, RULES §5) to
    the first day it is possible again."""
    if not s.temporary_act:
        return day
    out = day.copy()
    for p in s.temporary_act_periods:
        if p.bntb_appeal:
            continue
        lo = np.datetime64(p.valid_from, "D") if p.valid_from else np.datetime64("0001-01-01")
        hi = np.datetime64(p.valid_to, "D") if p.valid_to else _BIG
        if s.temporary_act_until is not None:
            hi = min(hi, np.datetime64(s.temporary_act_until, "D"))
        inside = kinds_ta & (out >= lo) & (out <= hi)
        out = np.where(inside, hi + _ONE, out)
    return out


@dataclasses.dataclass(frozen=True)
class _Model:
    """What every draw and the expected-value run share."""

    book: _Book
    h: _Horizon
    s: Scenario
    b: Behaviour
    policy: Policy
    caps: Ints
    temporary_act: Bools  # per case: the type falls under the Temporary Act
    span: tuple[int, int]  # numpy month numbers of the liability table's range


def _latent(model: _Model, case: Ints, ln: Ints, la: Ints, lj: Ints) -> tuple[Days, Days, Days]:
    """Event dates of units with explicit lags (``_NONE``: no event), not yet cut off by the
    decision. An event the model would place on or before as_of but that the table does not
    record happens on the first projected day (as_of + 1)."""
    bk, h = model.book, model.h
    first = h.as_of + _ONE
    stage = bk.stage[case]
    notice = np.where(
        stage >= _STAGE_NOTICE,
        bk.notice[case],
        np.where(ln >= 0, np.maximum(bk.deadline[case] + np.maximum(ln, 0), first), _NAT),
    )
    appeal_new = np.maximum(notice + 14 + np.maximum(la, 0), first)
    appeal_new = _bntb_allowed(appeal_new, model.temporary_act[case], model.s)
    appeal = np.where(
        stage >= _STAGE_APPEAL,
        bk.appeal[case],
        np.where((la >= 0) & ~np.isnat(notice), appeal_new, _NAT),
    )
    judgment = np.where(
        stage >= _STAGE_JUDGMENT,
        bk.judgment[case],
        np.where(
            (lj >= 0) & ~np.isnat(appeal), np.maximum(appeal + np.maximum(lj, 0), first), _NAT
        ),
    )
    return notice, appeal, judgment


def _template(stage: int, b: Behaviour) -> tuple[Ints, Ints, Ints, Floats]:
    """All branches of the event chain of a case at ``stage``: lags and probabilities."""
    p, q = b.notice_share, b.appeal_share
    rows: list[tuple[int, int, int, float]] = []
    judged = list(zip(b.judgment_lag.days, b.judgment_lag.probs, strict=True))
    appealed = [
        (la, lj, pa * pj)
        for la, pa in zip(b.appeal_lag.days, b.appeal_lag.probs, strict=True)
        for lj, pj in judged
    ]
    if stage == _STAGE_NONE:
        rows.append((_NONE, _NONE, _NONE, 1 - p))
        for ln, pn in zip(b.notice_lag.days, b.notice_lag.probs, strict=True):
            rows.append((ln, _NONE, _NONE, p * pn * (1 - q)))
            rows.extend((ln, la, lj, p * pn * q * w) for la, lj, w in appealed)
    elif stage == _STAGE_NOTICE:
        rows.append((0, _NONE, _NONE, 1 - q))
        rows.extend((0, la, lj, q * w) for la, lj, w in appealed)
    elif stage == _STAGE_APPEAL:
        rows.extend((0, 0, lj, pj) for lj, pj in judged)
    else:
        rows.append((0, 0, 0, 1.0))
    kept = [r for r in rows if r[3] > 0] or [rows[0]]
    arr = np.array([r[:3] for r in kept], dtype=np.int64)
    return arr[:, 0], arr[:, 1], arr[:, 2], np.array([r[3] for r in kept], dtype=float)


@dataclasses.dataclass(frozen=True)
class _Units:
    """What the policy allocates: cases, or weighted branches of cases; in FIFO order."""

    case: Ints
    weight: Floats
    ln: Ints
    la: Ints
    lj: Ints

    def take(self, rows: Ints) -> _Units:
        return _Units(
            self.case[rows], self.weight[rows], self.ln[rows], self.la[rows], self.lj[rows]
        )


def _fifo(bk: _Book, case: Ints, branch: Ints) -> Ints:
    return np.lexsort((branch, case, bk.received[case])).astype(np.int64)


def _case_units(bk: _Book, lag: int) -> _Units:
    case = np.arange(bk.n, dtype=np.int64)
    order = _fifo(bk, case, np.zeros(bk.n, dtype=np.int64))
    case = case[order]
    codes = np.where(bk.stage[case] == _STAGE_CLOSED, _NONE, lag)
    return _Units(case, np.ones(bk.n), codes, codes.copy(), codes.copy())


def _branch_units(model: _Model) -> _Units:
    bk = model.book
    parts: list[tuple[Ints, Ints, Ints, Ints, Ints, Floats]] = []
    for stage in range(_STAGE_CLOSED + 1):
        cases = np.flatnonzero(bk.stage == stage)
        if stage == _STAGE_CLOSED:
            t = (np.array([_NONE]), np.array([_NONE]), np.array([_NONE]), np.array([1.0]))
        else:
            t = _template(stage, model.b)
        k = t[0].size
        parts.append((
            np.repeat(cases, k), np.tile(np.arange(k, dtype=np.int64), cases.size),
            np.tile(t[0], cases.size), np.tile(t[1], cases.size), np.tile(t[2], cases.size),
            np.tile(t[3], cases.size),
        ))  # fmt: skip
    case, branch, ln, la, lj, w = (np.concatenate([p[i] for p in parts]) for i in range(6))
    order = _fifo(bk, case, branch)
    return _Units(case[order], w[order], ln[order], la[order], lj[order])


def _eligible(model: _Model, units: _Units, decided: Days | None) -> Ints:
    """Positions of the case units that can have a projected event before their decision
    (or before ``until`` if it is not known): only these need sampled lags."""
    bk, h = model.book, model.h
    stage = bk.stage[units.case]
    stop = (
        np.full(units.case.size, h.until)
        if decided is None
        else np.where(np.isnat(decided), h.until, np.minimum(decided, h.until))
    )
    late = bk.deadline[units.case] < stop
    return np.flatnonzero(
        ((stage == _STAGE_NONE) & late) | ((stage > _STAGE_NONE) & (stage < _STAGE_CLOSED))
    )


def _sample_units(model: _Model, rng: np.random.Generator, units: _Units, eligible: Ints) -> _Units:
    """Sampled lags for the case ``units`` (one per case, FIFO order) at positions
    ``eligible``; the others have no events."""
    b = model.b
    k = eligible.size
    ln = np.full(units.case.size, _NONE, dtype=np.int64)
    la, lj = ln.copy(), ln.copy()
    notice = rng.random(k) < b.notice_share
    ln[eligible] = np.where(notice, b.notice_lag.sample(rng, k), _NONE)
    appeal = rng.random(k) < b.appeal_share
    la[eligible] = np.where(appeal, b.appeal_lag.sample(rng, k), _NONE)
    lj[eligible] = b.judgment_lag.sample(rng, k)
    return _Units(units.case, units.weight, ln, la, lj)


# --- allocation ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Allocation:
    decided: Days  # per unit; NaT: open at the end of the projection
    month: Ints  # per unit: projection month of the decision; -1 before; m: still open


@dataclasses.dataclass(frozen=True)
class _Groups:
    """Identical cases merged into one unit: each case's representative and group size."""

    rep: Ints
    size: Floats

    def spread(self, per_case: Floats) -> Floats:
        """Per-case values from values summed on the representatives (last axis: cases)."""
        return np.asarray(per_case[..., self.rep] / self.size, dtype=float)


def _group(model: _Model, units: _Units, alloc: _Allocation) -> tuple[_Units, _Allocation, _Groups]:
    """Merge case units that the engine cannot tell apart: no recorded events, the same
    receipt day, decision day, type, applicants, exclusion, extension and entry month. Their
    event chains and amounts are identical, so one weighted unit stands for all of them."""
    bk = model.book
    c = units.case
    n = c.size
    rec = bk.received[c].astype(np.int64)
    dec = np.where(np.isnat(alloc.decided), 0, alloc.decided.astype(np.int64) + 1)
    entry = bk.entry[c] + 1
    fits = (
        (bk.stage[c] == _STAGE_NONE) & (units.ln == _EXPAND)
        & (rec >= 0) & (rec < 1 << 17) & (dec >= 0) & (dec < 1 << 18)
        & (bk.type_code[c] < 16) & (bk.applicants[c] < 256) & (bk.extension[c] < 32)
        & (entry >= 0) & (entry < 1024)
    )  # fmt: skip
    key = (
        (rec << 46) | (dec << 28) | (bk.type_code[c] << 24) | (bk.applicants[c] << 16)
        | (bk.excluded[c].astype(np.int64) << 15) | (bk.extension[c] << 10) | entry
    )  # fmt: skip
    key = np.where(fits & _MERGE_IDENTICAL, key, -1 - np.arange(n, dtype=np.int64))
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    merged = _Units(
        c[first], units.weight[first] * counts, units.ln[first], units.la[first], units.lj[first]
    )
    rep = np.arange(bk.n, dtype=np.int64)
    size = np.ones(bk.n)
    rep[c] = c[first][inverse]
    size[c] = counts[inverse]
    return merged, _Allocation(alloc.decided[first], alloc.month[first]), _Groups(rep, size)


def _allocate(
    model: _Model,
    units: _Units,
    *,
    events: tuple[Days, Days, Days, Days] | None,
    avoided: Floats | None,
) -> _Allocation:
    bk, h, policy = model.book, model.h, model.policy
    case = units.case
    entry = bk.entry[case]
    decided = bk.decided[case].copy()
    month = np.where(entry < 0, -1, h.m).astype(np.int64)
    is_open = entry == 0
    if events is None:
        stage = bk.stage[case]
        notice = np.where(stage >= _STAGE_NOTICE, bk.notice[case], _NAT)
        appeal = np.where(stage >= _STAGE_APPEAL, bk.appeal[case], _NAT)
        judgment = np.where(stage >= _STAGE_JUDGMENT, bk.judgment[case], _NAT)
        due = np.where(stage >= _STAGE_JUDGMENT, bk.due[case], _NAT)
    else:
        notice, appeal, judgment, due = events
    for m in range(h.m):
        is_open |= entry == m
        if h.days[m] <= 0 or model.caps[m] <= 0:
            continue
        idx = np.flatnonzero(is_open)
        if idx.size == 0:
            continue
        start = h.start[m]

        def seen(day: Days, rows: Ints = idx, start: np.datetime64 = start) -> Days:
            values = day[rows]
            if events is None:
                return values
            return np.where(values < start, values, _NAT)

        jseen = seen(judgment)
        state = MonthState(
            month=h.months[m], start=start, end=h.end[m], case=case[idx],
            received=bk.received[case[idx]], deadline=bk.deadline[case[idx]],
            notice=seen(notice), appeal=seen(appeal), judgment=jseen,
            court_due=np.where(np.isnat(jseen), _NAT, due[idx]), weight=units.weight[idx],
            avoided=None if avoided is None else avoided[case[idx], m],
        )  # fmt: skip
        chosen = np.asarray(policy.select(state, float(model.caps[m])), dtype=np.int64)
        if chosen.size:
            bad = chosen.min() < 0 or chosen.max() >= idx.size
            if bad or np.unique(chosen).size != chosen.size:
                raise DwangsomError(
                    f"policy {policy!r}: selected positions outside the open units or twice"
                )
            w = units.weight[idx[chosen]]
            if w.sum() > model.caps[m] + 1e-6:
                raise DwangsomError(
                    f"policy {policy!r}: decided {w.sum():g} cases in {h.months[m]}, more than "
                    f"the capacity {model.caps[m]}"
                )
        rows = idx[chosen]
        w = units.weight[rows]
        mid = np.cumsum(w) - w / 2
        offset = np.floor(mid / model.caps[m] * h.days[m]).astype(np.int64)
        day = start + np.clip(offset, 0, h.days[m] - 1).astype("timedelta64[D]")
        if policy.court_orders_first:  # a court-ordered decision goes out by its due date
            by = state.court_due[chosen]
            day = np.where(np.isnat(by), day, np.maximum(np.minimum(day, by), start))
        decided[rows] = np.maximum(day, bk.received[case[rows]])
        month[rows] = m
        is_open[rows] = False
    return _Allocation(decided, month)


def _court_due(model: _Model, case: Ints, judgment: Days) -> Days:
    has = np.flatnonzero(~np.isnat(judgment))
    due = np.full(case.size, _NAT)
    if has.size == 0:
        return due
    bk, b = model.book, model.b
    c = case[has]
    recorded = bk.stage[c] >= _STAGE_JUDGMENT

    def pick(own: Floats, default: int | None) -> Floats:
        return np.where(recorded, own[c], np.nan if default is None else float(default))

    due[has] = engine.court_arrays(
        judgment[has], None, as_of=model.h.until, term_days=pick(bk.term, b.court_term_days),
        per_day=pick(bk.per_day, b.court_per_day), cap=pick(bk.cap, b.court_cap),
        repeat=bk.repeat[c] & recorded, application_type=bk.kinds(c), scenario=model.s,
    ).due  # fmt: skip
    return due


# --- evaluation ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Rows:
    """One level of the event chain: a row per (unit, branch) where the event happens."""

    case: Ints
    weight: Floats
    day: Days
    decided: Days
    projected: Bools
    unit: Ints


def _expand(
    parent: _Rows,
    lags: Ints,
    lag: Lag,
    share: float,
    make: Callable[[Ints, Days, Ints], Days],
    cutoff: np.datetime64,
) -> _Rows:
    """Children of ``parent`` rows: fixed lags give one child, ``_EXPAND`` one per lag value
    (with its probability times ``share``). ``make(case, parent_day, lag)`` gives the child's
    day and is monotone in the lag; children on or after the decision, or after ``cutoff``,
    do not happen."""
    k = len(lag.days)
    if share <= 0:
        lags = np.where(lags == _EXPAND, _NONE, lags)
    # parents whose earliest child is already too late have none
    least = np.where(lags == _EXPAND, min(lag.days), lags)
    could = lags != _NONE
    could &= make(parent.case, parent.day, np.maximum(least, 0)) < np.minimum(
        parent.decided, cutoff + _ONE
    )
    rows_f = np.flatnonzero(could & (lags >= 0))
    rows_e = np.flatnonzero(could & (lags == _EXPAND))
    idx = np.concatenate([rows_f, np.repeat(rows_e, k)])
    lag_v = np.concatenate(
        [lags[rows_f], np.tile(np.asarray(lag.days, dtype=np.int64), rows_e.size)]
    )
    factor = np.concatenate(
        [np.ones(rows_f.size), np.tile(np.asarray(lag.probs) * share, rows_e.size)]
    )
    case = parent.case[idx]
    decided = parent.decided[idx]
    day = make(case, parent.day[idx], lag_v)
    keep = np.flatnonzero(~np.isnat(day) & (day < decided) & (day <= cutoff))
    take = idx[keep]
    return _Rows(
        case[keep],
        parent.weight[take] * factor[keep],
        day[keep],
        decided[keep],
        np.ones(keep.size, dtype=bool),
        parent.unit[take],
    )


def _concat(*parts: _Rows) -> _Rows:
    return _Rows(
        *(np.concatenate([getattr(p, f.name) for p in parts]) for f in dataclasses.fields(_Rows))
    )


def _levels(model: _Model, units: _Units, decided: Days) -> tuple[_Rows, _Rows, _Rows]:
    """Notice, appeal and judgment rows of the units, cut off at each unit's decision."""
    bk, b, h = model.book, model.b, model.h
    s = model.s
    stage = bk.stage[units.case]
    d = np.where(np.isnat(decided), _BIG, decided)
    unit = np.arange(units.case.size, dtype=np.int64)
    first = h.as_of + _ONE

    def recorded(mask: Bools, day: Days) -> _Rows:
        r = np.flatnonzero(mask)
        return _Rows(
            units.case[r],
            units.weight[r],
            day[units.case[r]],
            d[r],
            np.zeros(r.size, dtype=bool),
            unit[r],
        )

    # notices: recorded (valid on an open case; any on a decided one), or projected
    rec_n = recorded(
        ((stage >= _STAGE_NOTICE) | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.notice[units.case]))),
        bk.notice,
    )
    root = np.flatnonzero(stage == _STAGE_NONE)
    roots = _Rows(
        units.case[root],
        units.weight[root],
        bk.deadline[units.case[root]],
        d[root],
        np.ones(root.size, dtype=bool),
        unit[root],
    )
    new_n = _expand(
        roots,
        units.ln[root],
        b.notice_lag,
        b.notice_share,
        lambda c, day, lag: np.maximum(day + lag, first),
        h.until,
    )
    notices = _concat(rec_n, new_n)

    rec_a = recorded(
        (stage == _STAGE_APPEAL)
        | (stage == _STAGE_JUDGMENT)
        | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.appeal[units.case])),
        bk.appeal,
    )
    parents = np.flatnonzero(bk.stage[notices.case] <= _STAGE_NOTICE)
    par = _Rows(*(getattr(notices, f.name)[parents] for f in dataclasses.fields(_Rows)))

    def appeal_day(case: Ints, notice: Days, lag: Ints) -> Days:
        day = np.maximum(notice + 14 + lag, first)
        return _bntb_allowed(day, model.temporary_act[case], s)

    new_a = _expand(par, units.la[par.unit], b.appeal_lag, b.appeal_share, appeal_day, h.until)
    appeals = _concat(rec_a, new_a)

    rec_j = recorded(
        (stage == _STAGE_JUDGMENT)
        | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.judgment[units.case])),
        bk.judgment,
    )
    parents = np.flatnonzero(bk.stage[appeals.case] <= _STAGE_APPEAL)
    par = _Rows(*(getattr(appeals, f.name)[parents] for f in dataclasses.fields(_Rows)))
    new_j = _expand(
        par,
        units.lj[par.unit],
        b.judgment_lag,
        1.0,
        lambda c, day, lag: np.maximum(day + lag, first),
        h.until,
    )
    return notices, appeals, _concat(rec_j, new_j)


def _subset(arrays: Any, rows: Ints) -> Any:
    n = arrays.days.size

    def pick(value: Any) -> Any:
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == n:
            return value[rows]
        if isinstance(value, tuple):
            return tuple(pick(v) for v in value)
        return value

    return dataclasses.replace(
        arrays, **{f.name: pick(getattr(arrays, f.name)) for f in dataclasses.fields(arrays)}
    )


#: Month starts from January 2000 to January 2101: month numbers by ``searchsorted``, which is
#: much faster than numpy's calendar conversion ``astype("datetime64[M]")``.
_MONTH0 = int(np.datetime64("2000-01", "M").astype(np.int64))
_STARTS = np.arange(
    np.datetime64("2000-01", "M"), np.datetime64("2101-02", "M"), dtype="datetime64[M]"
).astype("datetime64[D]")
_DAY0 = int(_STARTS[0].astype(np.int64))
#: Month number of every day from 2000-01-01 to 2101-01-31 (a look-up table).
_DAY_MONTH = np.repeat(
    np.arange(_MONTH0, _MONTH0 + _STARTS.size - 1, dtype=np.int64),
    np.diff(_STARTS.astype(np.int64)).astype(np.int64),
)


def _month_number(days: Days) -> Ints:
    """numpy month numbers (months since 1970-01) of ``datetime64[D]`` days (not NaT)."""
    offset = days.astype(np.int64) - _DAY0
    if offset.size and (offset.min() < 0 or offset.max() >= _DAY_MONTH.size):
        pos = np.searchsorted(_STARTS, days, side="right") - 1
        return np.asarray(pos + _MONTH0, dtype=np.int64)
    return np.asarray(_DAY_MONTH[offset], dtype=np.int64)


def _month_end(month_number: Ints) -> Days:
    return np.asarray(_STARTS[month_number - _MONTH0 + 1] - _ONE, dtype="datetime64[D]")


def _spread_rows(arrays: Any, h: _Horizon) -> Iterator[tuple[Ints, Ints, Floats, Floats]]:
    """Accrued euros of each row per month of its penalty days, one month offset at a time:
    (row, month number, euros, euros for days after as_of). Each month's euros are the
    difference of the engine's ``accrued_through`` at successive month ends."""
    rows = np.flatnonzero((arrays.days > 0) & (arrays.amount > 0))
    if rows.size == 0:
        return
    sub = _subset(arrays, rows)
    m0 = _month_number(sub.first_day)
    m1 = _month_number(sub.last_day)
    at_cut = sub.accrued_through(h.as_of).astype(float)
    before = np.zeros(rows.size)
    for k in range(int((m1 - m0).max()) + 1):
        live = np.flatnonzero(m0 + k <= m1)
        rows, m0, m1, at_cut, before = rows[live], m0[live], m1[live], at_cut[live], before[live]
        sub = _subset(sub, live) if live.size < sub.days.size else sub
        month = m0 + k
        now = sub.accrued_through(_month_end(month)).astype(float)
        after = (now - np.maximum(before, at_cut)).clip(0)
        yield rows, month, now - before, after
        before = now


#: Slots of the contribution table: per projection month (count m each) ...
_MONTH_SLOTS = (
    "notices",
    "appeals",
    "judgments",
    "admin_accrued",
    "court_accrued",
    "admin_cash",
    "court_cash",
)
#: ... then per month of the liability span (count: span width each).
_SPAN_SLOTS = ("admin_accrued", "court_accrued", "admin_cash", "court_cash")


@dataclasses.dataclass(frozen=True)
class _Contributions:
    """What each event row adds where: ``(unit, slot, value)`` triplets, unweighted, plus
    per-row totals. A slot is a (measure, month) cell of the monthly or the span table."""

    unit: Ints
    slot: Ints
    value: Floats
    weight: Floats  # the row's weight, per triplet
    #: Per unit: expected admin amount, court amount, notice, appeal, judgment (by until)
    #: given the unit (for a unit of fixed lags, its own values).
    unit_totals: Floats

    @staticmethod
    def size(h: _Horizon, span: tuple[int, int]) -> int:
        return len(_MONTH_SLOTS) * h.m + len(_SPAN_SLOTS) * (span[1] - span[0] + 1)

    @staticmethod
    def split(totals: Floats, h: _Horizon, span: tuple[int, int]) -> tuple[Floats, Floats]:
        """(7 x m monthly, 4 x width span) tables from slot totals."""
        cut = len(_MONTH_SLOTS) * h.m
        return totals[:cut].reshape(len(_MONTH_SLOTS), h.m), totals[cut:].reshape(
            len(_SPAN_SLOTS), span[1] - span[0] + 1
        )


def _engine(model: _Model, notices: _Rows, judgments: _Rows) -> tuple[Any, Any]:
    """The engine's arrays for the notice rows (Awb 4:17) and the judgment rows (8:55d)."""
    bk, h, s, b = model.book, model.h, model.s, model.b
    r = notices
    admin = engine.admin_arrays(
        bk.received[r.case], r.day, np.where(r.decided == _BIG, _NAT, r.decided),
        as_of=h.until, application_type=bk.kinds(r.case), applicants=bk.applicants[r.case],
        excluded=bk.excluded[r.case], scenario=s, extension_months=bk.extension[r.case],
    ) if r.case.size else None  # fmt: skip
    j = judgments
    recorded = ~j.projected

    def pick(own: Floats, default: int | None) -> Floats:
        return np.where(recorded, own[j.case], np.nan if default is None else float(default))

    court = engine.court_arrays(
        j.day, np.where(j.decided == _BIG, _NAT, j.decided), as_of=h.until,
        term_days=pick(bk.term, b.court_term_days), per_day=pick(bk.per_day, b.court_per_day),
        cap=pick(bk.cap, b.court_cap), repeat=bk.repeat[j.case] & recorded,
        application_type=bk.kinds(j.case), scenario=s,
    ) if j.case.size else None  # fmt: skip
    return admin, court


def _same_judgments(model: _Model, rows: _Rows) -> tuple[_Rows, Ints]:
    """Projected judgment rows merged by (judgment day, decision day, application type), with
    their weights summed; recorded judgments stay apart (their terms are their own). Returns
    the merged rows and, per original row, its merged row."""
    day = rows.day.astype(np.int64)
    dec = np.where(rows.decided == _BIG, 0, rows.decided.astype(np.int64) + 1)
    code = model.book.type_code[rows.case]
    fits = rows.projected & (day >= 0) & (day < 1 << 20) & (dec >= 0) & (dec < 1 << 20)
    fits &= code < 1 << 8
    key = (day << 36) | (dec << 8) | code
    key = np.where(fits, key, -1 - np.arange(day.size, dtype=np.int64))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    weight = np.asarray(np.bincount(inverse, weights=rows.weight, minlength=first.size), float)
    merged = _Rows(
        rows.case[first],
        weight,
        rows.day[first],
        rows.decided[first],
        rows.projected[first],
        rows.unit[first],
    )
    return merged, inverse.astype(np.int64)


def _contributions(
    model: _Model, units: _Units, decided: Days, *, triplets: bool = True
) -> _Contributions:
    """Run the event chain and the engine for the units and record what every row adds: as
    triplets, or (``triplets=False``) only as weighted slot totals (``value``, one per slot)."""
    h, span = model.h, model.span
    m, lo = h.m, span[0]
    width = span[1] - span[0] + 1
    base = {name: i * m for i, name in enumerate(_MONTH_SLOTS)}
    span_base = {name: len(_MONTH_SLOTS) * m + i * width for i, name in enumerate(_SPAN_SLOTS)}
    notices, appeals, judgments = _levels(model, units, decided)
    # projected judgments on the same day, decided on the same day, of the same type cost the
    # same (the court terms come from the behaviour or the table): the engine sees each once
    court_rows, inverse = judgments, None
    if not triplets:
        court_rows, inverse = _same_judgments(model, judgments)
    admin, court = _engine(model, notices, court_rows)
    parts: list[tuple[Ints, Ints, Floats, Floats]] = []
    totals = np.zeros((5, units.case.size))
    sums = np.zeros(_Contributions.size(h, span))

    def add(rows: _Rows, pos: Ints, slot: Ints, value: Floats) -> None:
        if triplets:
            parts.append((rows.unit[pos], slot, value, rows.weight[pos]))
        else:
            sums[:] += np.bincount(slot, weights=value * rows.weight[pos], minlength=sums.size)

    for k, (name, rows) in enumerate(
        (("notices", notices), ("appeals", appeals), ("judgments", judgments))
    ):
        new = np.flatnonzero(rows.projected & (rows.day > h.as_of) & (rows.day <= h.until))
        add(rows, new, base[name] + h.month_of(rows.day[new]), np.ones(new.size))
        totals[2 + k] = np.bincount(
            rows.unit, weights=rows.weight / units.weight[rows.unit], minlength=units.case.size
        )
    for k, (part, arrays, rows) in enumerate(
        (("admin", admin, notices), ("court", court, court_rows))
    ):
        if arrays is None:
            continue
        amount = arrays.amount.astype(float)
        own = judgments if part == "court" else rows
        each = amount if part == "admin" or inverse is None else amount[inverse]
        share = own.weight / units.weight[own.unit]  # the row's probability within its unit
        totals[k] = np.bincount(own.unit, weights=each * share, minlength=units.case.size)
        for row, month, euros, after in _spread_rows(arrays, h):
            proj = month - (int(h.months[0].ordinal) - _ordinal0())
            inside = (proj >= 0) & (proj < m) & (after != 0)
            add(rows, row[inside], base[f"{part}_accrued"] + proj[inside], after[inside])
            keep = (month >= lo) & (month <= span[1])
            add(rows, row[keep], span_base[f"{part}_accrued"] + month[keep] - lo, euros[keep])
        pay = np.flatnonzero(~np.isnat(arrays.payable_by) & (arrays.amount > 0))
        pay_month = _month_number(arrays.payable_by[pay])
        keep = (pay_month >= lo) & (pay_month <= span[1])
        add(rows, pay[keep], span_base[f"{part}_cash"] + pay_month[keep] - lo, amount[pay][keep])
        due = arrays.payable_by[pay]
        now = (due > h.as_of) & (due <= h.until)
        add(rows, pay[now], base[f"{part}_cash"] + h.month_of(due[now]), amount[pay][now])
    if not triplets:
        empty = np.array([], dtype=np.int64)
        return _Contributions(empty, np.arange(sums.size), sums, np.ones(sums.size), totals)
    unit, slot, value, weight = (np.concatenate([p[i] for p in parts]) for i in range(4))
    return _Contributions(unit, slot, value, weight, totals)


@dataclasses.dataclass(frozen=True)
class _Result:
    """One evaluation (an expected-value run or one draw)."""

    monthly: Floats  # (len(_PER_DRAW), m)
    per_case: Floats  # (5, n): admin, court, p_notice, p_appeal, p_judgment
    decision_hist: Floats  # (n, m + 2): decided before, in month 0..m-1, open at the end
    accrued: Floats  # (2, span): admin/court euros per month of their penalty days
    cash: Floats  # (2, span): admin/court euros per month they fall due


def _stocks(model: _Model, units: _Units, alloc: _Allocation) -> Floats:
    """Decisions per month and the open and overdue stocks at each month's end (3 x m)."""
    bk, h = model.book, model.h
    m = h.m
    out = np.zeros((3, m))
    w = units.weight
    done = (alloc.month >= 0) & (alloc.month < m)
    out[0] = np.bincount(alloc.month[done], weights=w[done], minlength=m)[:m]
    entry = bk.entry[units.case]
    live = entry >= 0
    stop = alloc.month
    stock = np.bincount(entry[live], weights=w[live], minlength=m + 1)
    stock -= np.bincount(stop[live], weights=w[live], minlength=m + 1)
    out[1] = np.cumsum(stock)[:m]
    late_from = np.searchsorted(h.stock_day, bk.deadline[units.case], side="right")
    od_start = np.maximum(entry, late_from)
    od = live & (od_start < stop)
    stock = np.bincount(od_start[od], weights=w[od], minlength=m + 1)
    stock -= np.bincount(stop[od], weights=w[od], minlength=m + 1)
    out[2] = np.cumsum(stock)[:m]
    return out


def _evaluate(
    model: _Model,
    units: _Units,
    alloc: _Allocation,
    *,
    with_hist: bool = True,
    stocks: Floats | None = None,
) -> _Result:
    """Expected (weighted) results of the units decided as ``alloc`` says."""
    bk, h = model.book, model.h
    n, m = bk.n, h.m
    c = _contributions(model, units, alloc.decided, triplets=False)
    totals = c.value
    monthly_slots, span_slots = _Contributions.split(totals, h, model.span)
    monthly = np.zeros((len(_PER_DRAW), m))
    col = {name: i for i, name in enumerate(_PER_DRAW)}
    monthly[[col["decisions"], col["open"], col["overdue"]]] = (
        _stocks(model, units, alloc) if stocks is None else stocks
    )
    for i, name in enumerate(_MONTH_SLOTS):
        monthly[col[name]] = monthly_slots[i]
    w = units.weight
    per_case = np.vstack([np.bincount(units.case, weights=t * w, minlength=n).astype(float)
                          for t in c.unit_totals])  # fmt: skip
    if with_hist:
        hist = np.asarray(
            np.bincount(units.case * (m + 2) + (alloc.month + 1), weights=w, minlength=n * (m + 2)),
            dtype=float,
        )
    else:
        hist = np.zeros(0)
    return _Result(monthly, per_case, hist.reshape(-1, m + 2), span_slots[:2], span_slots[2:])


def _avoided(model: _Model) -> Floats:
    """Expected penalty (euros) each case would avoid by being decided at the start of each
    month rather than not before the end of the projection (least-liability ranking).

    The expected penalty of a case left open is the behaviour model's expectation as of the
    reference date; deciding it at day ``t`` stops it at what had accrued by ``t``."""
    bk, h = model.book, model.h
    units = _case_units(bk, _EXPAND)
    never = np.where(bk.stage[units.case] == _STAGE_CLOSED, bk.decided[units.case], _NAT)
    units, alloc, groups = _group(model, units, _Allocation(never, np.zeros_like(units.case)))
    notices, _, judgments = _levels(model, units, alloc.decided)
    days = np.concatenate([h.start - _ONE, [h.until]])
    out = np.zeros((bk.n, days.size))
    for rows, kind in ((notices, "admin"), (judgments, "court")):
        if rows.case.size == 0:
            continue
        d = np.where(rows.decided == _BIG, _NAT, rows.decided)
        if kind == "admin":
            arrays: Any = engine.admin_arrays(
                bk.received[rows.case], rows.day, d, as_of=h.until,
                application_type=bk.kinds(rows.case), applicants=bk.applicants[rows.case],
                excluded=bk.excluded[rows.case], scenario=model.s,
                extension_months=bk.extension[rows.case],
            )  # fmt: skip
        else:
            rec = ~rows.projected
            b = model.b
            arrays = engine.court_arrays(
                rows.day, d, as_of=h.until,
                term_days=np.where(rec, bk.term[rows.case], np.nan if b.court_term_days is None
                                   else float(b.court_term_days)),
                per_day=np.where(rec, bk.per_day[rows.case], np.nan if b.court_per_day is None
                                 else float(b.court_per_day)),
                cap=np.where(rec, bk.cap[rows.case], np.nan if b.court_cap is None
                             else float(b.court_cap)),
                repeat=bk.repeat[rows.case] & rec, application_type=bk.kinds(rows.case),
                scenario=model.s,
            )  # fmt: skip
        live = np.flatnonzero(arrays.amount > 0)
        if live.size == 0:
            continue
        sub = _subset(arrays, live)
        for t, day in enumerate(days):
            acc = sub.accrued_through(day).astype(float) * rows.weight[live]
            out[:, t] += np.bincount(rows.case[live], weights=acc, minlength=bk.n)
    out = groups.spread(out.T).T
    return np.asarray(out[:, -1:] - out[:, :-1], dtype=float)


# --- Monte Carlo ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _DrawBatch:
    monthly: Floats  # (draws, len(_PER_DRAW), m)
    per_case: Floats  # (5, n) sums
    decision_hist: Floats  # (n, m + 2) sums
    accrued: Floats  # (2, len(span)) sums, admin/court over the liability span
    cash: Floats  # (2, len(span)) sums


def _span_bins(month: Ints, euros: Floats, span: tuple[int, int]) -> Floats:
    lo, hi = span
    inside = (month >= lo) & (month <= hi)
    return np.asarray(
        np.bincount(month[inside] - lo, weights=euros[inside], minlength=hi - lo + 1), dtype=float
    )


@dataclasses.dataclass(frozen=True)
class _Branches:
    """Monte Carlo with a decision schedule that does not depend on the draws: every branch of
    every case's event chain run through the engine once; a draw then picks one branch per
    case (with the branch's probability) and adds up what that branch contributes."""

    start: Ints  # per case: position of its first branch
    stage: Ints  # per case: its chain stage (which branch table applies)
    cum: tuple[Floats, ...]  # per stage: cumulative branch probabilities
    ptr: Ints  # per branch: where its contributions start in slot/value (CSR)
    slot: Ints
    value: Floats
    totals: Floats  # (5, branches): admin, court, notice, appeal, judgment
    stocks: Floats  # (3, m): decisions, open, overdue (the same in every draw)


def _branches(model: _Model, static: _Allocation) -> _Branches:
    bk, b = model.book, model.b
    merged, alloc, groups = _group(model, _case_units(bk, _EXPAND), static)
    tables = [_template(stage, b) for stage in range(_STAGE_CLOSED)]
    tables.append((np.array([_NONE]), np.array([_NONE]), np.array([_NONE]), np.array([1.0])))
    stage = bk.stage[merged.case]
    count = np.array([t[0].size for t in tables], dtype=np.int64)[stage]
    first = np.cumsum(count) - count
    rep = np.repeat(np.arange(merged.case.size), count)
    k = np.arange(rep.size) - first[rep]
    lags = [np.concatenate([t[i] for t in tables]) for i in range(4)]
    offset = (np.cumsum([0, *(t[0].size for t in tables)])[:-1]).astype(np.int64)[stage[rep]] + k
    units = _Units(
        merged.case[rep], lags[3][offset], lags[0][offset], lags[1][offset], lags[2][offset]
    )
    c = _contributions(model, units, alloc.decided[rep])
    order = np.argsort(c.unit, kind="stable")
    ptr = np.searchsorted(c.unit[order], np.arange(rep.size + 1)).astype(np.int64)
    where = np.full(bk.n, -1, dtype=np.int64)
    where[merged.case] = first
    case_units = _case_units(bk, 0)
    return _Branches(
        start=where[groups.rep], stage=bk.stage.copy(),
        cum=tuple(np.cumsum(t[3]) for t in tables), ptr=ptr, slot=c.slot[order],
        value=c.value[order], totals=c.unit_totals,
        stocks=_stocks(model, case_units, static),
    )  # fmt: skip


def _draw_batch(
    model: _Model,
    seeds: Sequence[np.random.SeedSequence],
    static: _Allocation | None,
    avoided: Floats | None,
    span: tuple[int, int],
    branches: _Branches | None = None,
) -> _DrawBatch:
    """Run draws (top-level so process pools can pickle it)."""
    bk, h = model.book, model.h
    monthly = np.zeros((len(seeds), len(_PER_DRAW), h.m))
    per_case = np.zeros((5, bk.n))
    hist = np.zeros((bk.n if static is None else 0, h.m + 2))
    width = span[1] - span[0] + 1
    accrued = np.zeros((2, width))
    cash = np.zeros((2, width))
    col = {name: i for i, name in enumerate(_PER_DRAW)}
    if branches is not None:
        size = _Contributions.size(h, span)
        by_stage = [np.flatnonzero(branches.stage == st) for st in range(_STAGE_CLOSED + 1)]
        for i, seq in enumerate(seeds):
            u = np.random.default_rng(seq).random(bk.n)
            pick = np.zeros(bk.n, dtype=np.int64)
            for st, rows in enumerate(by_stage):
                cum = branches.cum[st]
                found = np.searchsorted(cum, u[rows] * cum[-1], side="right")
                pick[rows] = np.minimum(found, cum.size - 1)
            chosen = branches.start + pick
            lo, hi = branches.ptr[chosen], branches.ptr[chosen + 1]
            lens = hi - lo
            pos = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
            totals = np.bincount(branches.slot[pos], weights=branches.value[pos],
                                 minlength=size)  # fmt: skip
            months, spans = _Contributions.split(np.asarray(totals, dtype=float), h, span)
            monthly[i, [col["decisions"], col["open"], col["overdue"]]] = branches.stocks
            for k, name in enumerate(_MONTH_SLOTS):
                monthly[i, col[name]] = months[k]
            per_case += branches.totals[:, chosen]
            accrued += spans[:2]
            cash += spans[2:]
        return _DrawBatch(monthly, per_case, hist, accrued, cash)
    base = _case_units(bk, 0)
    eligible = _eligible(model, base, None if static is None else static.decided)
    stocks = None if static is None else _stocks(model, base, static)
    for i, seq in enumerate(seeds):
        rng = np.random.default_rng(seq)
        units = _sample_units(model, rng, base, eligible)
        alloc = static
        if alloc is None:
            notice, appeal, judgment = _latent(model, units.case, units.ln, units.la, units.lj)
            due = _court_due(model, units.case, judgment)
            alloc = _allocate(model, units, events=(notice, appeal, judgment, due), avoided=avoided)
        res = _evaluate(model, units, alloc, with_hist=static is None, stocks=stocks)
        monthly[i] = res.monthly
        per_case += res.per_case
        if static is None:
            hist += res.decision_hist
        accrued += res.accrued
        cash += res.cash
    return _DrawBatch(monthly, per_case, hist, accrued, cash)


# --- the result ----------------------------------------------------------------------------


def _period(value: Any, name: str) -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    try:
        return pd.Period(str(as_date(value, name))[:7], freq="M")
    except DwangsomError:
        try:
            return pd.Period(str(value), freq="M")
        except (ValueError, TypeError):
            raise DwangsomError(f"{name}: {value!r} is not a month ('2024-12') or a date") from None


def _count(value: float) -> str:
    if abs(value) < 100 and abs(value - round(value)) > 1e-9:
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _eur(value: float) -> str:
    if abs(value) >= 1e6:
        return f"EUR {value / 1e6:,.1f}m"
    return f"EUR {value:,.0f}"


@dataclasses.dataclass(frozen=True, eq=False)
class Projection:
    """The result of :func:`project`.

    ``by_month`` has one row per calendar month from the month of ``as_of`` to the month of
    ``until``; flows count only what happens after ``as_of`` (the first month is partial):
    ``inflow`` (new applications), ``capacity`` (decisions possible), ``decisions``, ``open``
    and ``overdue`` (stocks at the month's last projected day), ``notices``, ``appeals``,
    ``judgments``, ``admin_accrued``/``court_accrued``/``total_accrued`` (euros of penalty days
    in the month) and ``admin_cash``/``court_cash``/``total_cash`` (euros falling due in the
    month, Awb 4:18 and the court's payment term). Expected values are float euros and float
    counts; round only for display. In Monte Carlo mode every measure has ``_p10``, ``_p50``
    and ``_p90`` columns besides the mean.

    ``cases`` has one row per case (the table's, then the new inflow ``new-YYYY-MM-NNNNN``):
    ``source`` (decided / open / new), ``received``, ``deadline``, ``decided`` (a date when the
    decision day is certain), ``decision_month`` (the month by which the case is decided with
    probability at least one half; NaT if it is more likely open at the end), ``p_decided``,
    ``p_notice``, ``p_appeal``, ``p_judgment`` (the probability that the event happens by
    ``until``, recorded events count as 1) and the expected ``admin_amount``, ``court_amount``
    and ``total_amount`` accrued through ``until`` (the whole case, before and after as_of).
    """

    as_of: pd.Timestamp
    until: pd.Timestamp
    scenario: Scenario
    behaviour: Behaviour
    policy: Policy
    draws: int | None
    seed: int | None
    by_month: pd.DataFrame
    cases: pd.DataFrame
    _draw_monthly: Floats | None = dataclasses.field(repr=False)
    _liability: dict[str, pd.DataFrame] = dataclasses.field(repr=False)

    @property
    def mode(self) -> str:
        return "expected value" if self.draws is None else f"Monte Carlo, {self.draws} draws"

    def _range(self, start: Any, end: Any) -> Bools:
        months = self.by_month.index
        lo = months[0] if start is None else _period(start, "start")
        hi = months[-1] if end is None else _period(end, "end")
        if hi < lo:
            raise OrderError(f"end: {hi} is before start {lo}")
        return np.asarray((months >= lo) & (months <= hi), dtype=bool)

    @staticmethod
    def _column(basis: str, part: str) -> str:
        if basis not in BASES:
            raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
        if part not in ("admin", "court", "total"):
            raise DwangsomError(f"part: {part!r} is not 'admin', 'court' or 'total'")
        return f"{part}_{basis}"

    def total(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "total"] = "total",
    ) -> float:
        """Projected euros after ``as_of`` in the months ``start`` to ``end`` (inclusive; default
        the whole projection): penalty days (``basis="accrued"``) or amounts falling due
        (``"cash"``); the mean over the draws in Monte Carlo mode."""
        mask = self._range(start, end)
        return float(self.by_month[self._column(basis, part)].to_numpy()[mask].sum())

    def quantiles(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "total"] = "total",
        q: Sequence[float] = QUANTILES,
    ) -> pd.Series:
        """Quantiles over the draws of :meth:`total` (Monte Carlo mode only)."""
        if self._draw_monthly is None:
            raise DwangsomError("quantiles: an expected-value projection has no draws; use draws=N")
        mask = self._range(start, end)
        column = self._column(basis, part)
        idx = {name: i for i, name in enumerate(_PER_DRAW)}
        if part == "total":
            values = (
                self._draw_monthly[:, idx[f"admin_{basis}"]]
                + self._draw_monthly[:, idx[f"court_{basis}"]]
            )
        else:
            values = self._draw_monthly[:, idx[column]]
        totals = values[:, mask].sum(axis=1)
        return pd.Series(
            np.quantile(totals, list(q)), index=[f"p{round(x * 100)}" for x in q], name=column
        )

    def liability_by_month(self, *, basis: Literal["accrued", "cash"] = "accrued") -> pd.DataFrame:
        """The layout of :func:`dwangsom.liability_by_month` (``admin``, ``court``, ``total``
        and their ``_cumulative``) over the whole life of the cases: the table's history and the
        projection together, from the first month with an amount through the month of
        ``until`` (cash may fall due later). Float euros (expected values)."""
        if basis not in BASES:
            raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
        return self._liability[basis].copy()

    def plot(
        self,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        ax: Axes | None = None,
        title: str | None = None,
    ) -> Figure:
        """Monthly projected penalties with the P10-P90 band in Monte Carlo mode (needs
        matplotlib: ``pip install "dwangsom[plot]"``)."""
        from .plotting import plot_projection

        column = self._column(basis, "total")
        frame = pd.DataFrame({"expected" if self.draws is None else "mean": self.by_month[column]})
        if self.draws is not None:
            for q in (10, 90):
                frame[f"p{q}"] = self.by_month[f"{column}_p{q}"]
        label = "penalty days" if basis == "accrued" else "amounts falling due"
        return plot_projection(
            frame, ax=ax,
            title=title or f"Projected penalties per month ({label}), "
            f"{self.scenario.name}, {self.policy!r}",
        )  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """The headline figures (what ``str()`` and :func:`compare_projections` show)."""
        bm = self.by_month
        out: dict[str, Any] = {
            "scenario": self.scenario.name,
            "policy": repr(self.policy),
            "open_at_start": float((self.cases["source"] == "open").sum()),
            "inflow": float(bm["inflow"].sum()),
            "decisions": float(bm["decisions"].sum()),
            "open_at_end": float(bm["open"].iloc[-1]),
            "overdue_at_end": float(bm["overdue"].iloc[-1]),
            "notices": float(bm["notices"].sum()),
            "appeals": float(bm["appeals"].sum()),
            "judgments": float(bm["judgments"].sum()),
        }
        for basis in BASES:
            for part in PARTS:
                out[f"{part}_{basis}"] = self.total(basis=basis, part=part)
        if self.draws is not None:
            for basis in BASES:
                qs = self.quantiles(basis=basis)
                for k, v in qs.items():
                    out[f"total_{basis}_{k}"] = float(v)
        return out

    def __str__(self) -> str:
        s = self.summary()
        head = (
            f"Projection {self.as_of.date()} -> {self.until.date()} ({self.mode}), scenario "
            f"{self.scenario.name!r}, policy {self.policy!r}"
        )
        lines = [
            head,
            f"  cases: {s['open_at_start']:,.0f} open on {self.as_of.date()}, "
            f"{s['inflow']:,.0f} new, {s['decisions']:,.0f} decided; "
            f"{s['open_at_end']:,.0f} open at the end ({s['overdue_at_end']:,.0f} overdue)",
            f"  events: {_count(s['notices'])} notices, {_count(s['appeals'])} appeals, "
            f"{_count(s['judgments'])} judgments",
        ]
        for basis, label in (("accrued", "penalty days"), ("cash", "falling due")):
            band = ""
            if self.draws is not None:
                band = (
                    f" (P10 {_eur(s[f'total_{basis}_p10'])}, P90 {_eur(s[f'total_{basis}_p90'])})"
                )
            lines.append(
                f"  {label}: {_eur(s[f'total_{basis}'])}{band} = admin "
                f"{_eur(s[f'admin_{basis}'])} + court {_eur(s[f'court_{basis}'])}"
            )
        by_year = self.by_month[["decisions", "open", "total_accrued", "total_cash"]].copy()
        years = by_year.groupby(pd.PeriodIndex(by_year.index).year).agg(
            {"decisions": "sum", "open": "last", "total_accrued": "sum", "total_cash": "sum"}
        )
        lines.append("  per year (after as_of):")
        for year, row in years.iterrows():
            lines.append(
                f"    {year}: {row['decisions']:>10,.0f} decisions, {row['open']:>10,.0f} open "
                f"at year end, accrued {_eur(row['total_accrued'])}, due "
                f"{_eur(row['total_cash'])}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<Projection {self.as_of.date()}->{self.until.date()} {self.mode}, "
            f"{self.scenario.name}, {self.policy!r}: EUR {self.total():,.0f} accrued>"
        )

    def _repr_html_(self) -> str:
        text = html.escape(str(self).split("\n  per year")[0]).replace("\n", "<br>")
        columns = [
            "decisions",
            "open",
            "overdue",
            "notices",
            "appeals",
            "judgments",
            "total_accrued",
            "total_cash",
        ]
        table = (
            self.by_month[columns].round(0).to_html(float_format=lambda v: f"{v:,.0f}", border=0)
        )
        return f"<div><p>{text}</p>{table}</div>"


# --- project -------------------------------------------------------------------------------


def _liability_tables(
    accrued: Floats, cash: Floats, span: tuple[int, int], until: pd.Period
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for basis, values in (("accrued", accrued), ("cash", cash)):
        total = values.sum(axis=0)
        nz = np.flatnonzero(np.abs(total) > 1e-9) if values.size else np.array([], int)
        cut = int(until.ordinal) - _ordinal0() - span[0]
        lo = int(nz.min()) if nz.size else cut
        hi = max(int(nz.max()) if nz.size else cut, cut)
        first = pd.Period(ordinal=span[0] + lo + _ordinal0(), freq="M")
        index = pd.period_range(first, periods=hi - lo + 1, freq="M", name="month")
        frame = pd.DataFrame(
            {"admin": values[0, lo : hi + 1], "court": values[1, lo : hi + 1]}, index=index
        )
        frame["total"] = frame["admin"] + frame["court"]
        for name in ("admin", "court", "total"):
            frame[f"{name}_cumulative"] = frame[name].cumsum()
        out[basis] = frame
    return out


def _cases_frame(
    model: _Model, per_case: Floats, hist: Floats, decided: Days | None
) -> pd.DataFrame:
    bk, h = model.book, model.h
    n, m = bk.n, h.m
    ids = bk.ids.copy()
    new = np.flatnonzero(bk.source == "new")
    if new.size:
        labels = pd.Series(h.months.astype(str)[bk.entry[new]])
        k = pd.Series(np.arange(new.size) + 1).astype(str).str.zfill(5)
        ids[new] = ("new-" + labels + "-" + k).to_numpy(dtype=object)
    p_decided = hist[:, : m + 1].sum(axis=1)
    cum = np.cumsum(hist[:, 1 : m + 1], axis=1)
    first = np.argmax(cum >= 0.5 - 1e-9, axis=1)
    reached = cum[:, -1] >= 0.5 - 1e-9 if m else np.zeros(n, dtype=bool)
    closed = bk.source == "decided"
    nat = np.iinfo(np.int64).min
    ordinals = np.where(reached, int(h.months[0].ordinal) + first, nat)
    past = _month_number(np.where(closed, bk.decided, h.as_of)) + _ordinal0()
    ordinals = np.where(closed, past, ordinals)
    month = pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]  # not in pandas-stubs
        ordinals, freq="M"
    )
    if decided is None:
        decided = np.where(closed, bk.decided, _NAT)
    frame = pd.DataFrame({
        "case_id": ids,
        "source": bk.source,
        "received": bk.received.astype("datetime64[s]"),
        "deadline": bk.deadline.astype("datetime64[s]"),
        "decided": decided.astype("datetime64[s]"),
        "decision_month": month,
        "p_decided": p_decided,
        "p_notice": per_case[2],
        "p_appeal": per_case[3],
        "p_judgment": per_case[4],
        "admin_amount": per_case[0],
        "court_amount": per_case[1],
        "total_amount": per_case[0] + per_case[1],
    })  # fmt: skip
    return frame


def _span(bk: _Book, h: _Horizon, s: Scenario) -> tuple[int, int]:
    lo = int(_month_number(bk.received.min(keepdims=True))[0]) if bk.n else _MONTH0
    lag = max(s.fixing_days + s.payment_days, s.court_payment_days) + 31
    hi_day = h.until + np.timedelta64(lag, "D")
    hi = int(hi_day.astype("datetime64[M]").astype(np.int64))
    return lo, hi


def _frame(h: _Horizon, inflow: Ints, caps: Ints, monthly: Floats) -> pd.DataFrame:
    data: dict[str, Any] = {"inflow": inflow.astype(float), "capacity": caps.astype(float)}
    for i, name in enumerate(_PER_DRAW):
        data[name] = monthly[i]
    frame = pd.DataFrame(data, index=h.months)
    for basis in BASES:
        frame[f"total_{basis}"] = frame[f"admin_{basis}"] + frame[f"court_{basis}"]
    return frame[["inflow", "capacity", *MEASURES]]


def project(
    cases: pd.DataFrame,
    *,
    as_of: Any,
    until: Any,
    inflow: Any,
    capacity: Any,
    policy: Policy | str | Callable[[MonthState], Any] = "fifo",
    behaviour: Behaviour | None = None,
    scenario: Scenario | str | None = None,
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
) -> Projection:
    """Project penalties per month from ``as_of`` to ``until``.

    - ``cases``: the case table as of ``as_of`` (columns as for :func:`dwangsom.assess`);
      open cases have no ``decided``. Events in it (notices, appeals, judgments with their
      terms) are taken as given; events dated after ``as_of`` count as not yet happened; a case
      received after ``as_of`` is an error.
    - ``inflow``: new (asylum) applications per month: a monthly Series covering the projected
      months, or a number = a yearly total spread evenly (use
      :func:`dwangsom.synthetic.monthly_series` for a seasonal profile). The month of ``as_of``
      (and of ``until``) counts in proportion to its projected days; receipt days are spread
      evenly over the projected days of the month.
    - ``capacity``: decisions per month: a number, a monthly Series, or a sequence of those
      (summed, e.g. the planned capacity plus a temporary project); partial months pro rata.
    - ``policy``: a name from :data:`dwangsom.policies.POLICIES`, a
      :class:`~dwangsom.policies.Policy` or a key function (see :mod:`dwangsom.policies`).
    - ``behaviour``: :class:`~dwangsom.behaviour.Behaviour` (default: its documented defaults).
    - ``scenario``: a :class:`~dwangsom.scenario.Scenario` or preset name ("as-applied").
    - ``draws``/``seed``: Monte Carlo with ``draws`` sampled event chains; ``None``: expected
      values. ``executor``: any :class:`concurrent.futures.Executor` to spread the draws
      (its workers must be able to unpickle the policy: no lambdas in process pools).
    """
    s = _scenario(scenario)
    b = Behaviour() if behaviour is None else behaviour
    if not isinstance(b, Behaviour):
        raise DwangsomError(f"behaviour: a dwangsom.Behaviour expected, got {type(b).__name__}")
    pol = _get_policy(policy)
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws < 1):
        raise DwangsomError(f"draws: a whole number >= 1 or None expected, got {draws!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise DwangsomError(f"seed: a whole number >= 0 or None expected, got {seed!r}")
    if executor is not None and not isinstance(executor, Executor):
        raise DwangsomError(
            f"executor: a concurrent.futures.Executor expected, got {type(executor).__name__}"
        )
    h = _horizon(as_of, until)
    inflow_n = _per_month(_monthly_input(inflow, "inflow", h), h)
    caps = _per_month(_monthly_input(capacity, "capacity", h), h)
    bk = _book(cases, h, s, b, inflow_n)
    ta_names = {r.application_type for r in s.application_types if r.temporary_act}
    ta = np.isin(np.asarray(bk.type_names, dtype=object)[bk.type_code], list(ta_names))
    span = _span(bk, h, s)
    model = _Model(bk, h, s, b, pol, caps, ta, span)
    avoided = _avoided(model) if pol.needs_score else None

    if draws is None:
        if pol.needs_events:
            units = _branch_units(model)
            notice, appeal, judgment = _latent(model, units.case, units.ln, units.la, units.lj)
            due = _court_due(model, units.case, judgment)
            alloc = _allocate(model, units, events=(notice, appeal, judgment, due), avoided=avoided)
            decided = None
        else:
            units = _case_units(bk, _EXPAND)
            alloc = _allocate(model, units, events=None, avoided=avoided)
            decided = np.full(bk.n, _NAT)
            decided[units.case] = alloc.decided
            units, alloc, groups = _group(model, units, alloc)
        res = _evaluate(model, units, alloc)
        monthly_all = None
        monthly = res.monthly
        per_case, hist = res.per_case, res.decision_hist
        if not pol.needs_events:
            per_case = groups.spread(per_case)
            hist = groups.spread(hist.T).T
        accrued, cash = res.accrued, res.cash
    else:
        static = None
        decided = None
        static_units = _case_units(bk, 0)
        if not pol.needs_events:
            static = _allocate(model, static_units, events=None, avoided=avoided)
            decided = np.full(bk.n, _NAT)
            decided[static_units.case] = static.decided
        branches = None if static is None else _branches(model, static)
        seeds = np.random.SeedSequence(seed).spawn(draws)
        size = max(1, math.ceil(draws / (8 if branches is not None else 16)))
        chunks = [seeds[i : i + size] for i in range(0, draws, size)]
        if executor is None:
            batches = [_draw_batch(model, c, static, avoided, span, branches) for c in chunks]
        else:
            futures = [
                executor.submit(_draw_batch, model, c, static, avoided, span, branches)
                for c in chunks
            ]
            batches = [f.result() for f in futures]
        monthly_all = np.concatenate([x.monthly for x in batches])
        monthly = monthly_all.mean(axis=0)
        per_case = sum((x.per_case for x in batches), np.zeros((5, bk.n))) / draws
        if static is None:
            hist = sum((x.decision_hist for x in batches), np.zeros((bk.n, h.m + 2))) / draws
        else:
            hist = np.zeros((bk.n, h.m + 2))
            hist[static_units.case, static.month + 1] = 1.0
        accrued = sum((x.accrued for x in batches), np.zeros((2, span[1] - span[0] + 1))) / draws
        cash = sum((x.cash for x in batches), np.zeros((2, span[1] - span[0] + 1))) / draws

    frame = _frame(h, inflow_n, caps, monthly)
    if monthly_all is not None:
        per_draw = {name: monthly_all[:, i] for i, name in enumerate(_PER_DRAW)}
        for basis in BASES:
            per_draw[f"total_{basis}"] = per_draw[f"admin_{basis}"] + per_draw[f"court_{basis}"]
        for name in MEASURES:
            qs = np.quantile(per_draw[name], QUANTILES, axis=0)
            for q, values in zip(QUANTILES, qs, strict=True):
                frame[f"{name}_p{round(q * 100)}"] = values
    return Projection(
        as_of=pd.Timestamp(h.as_of), until=pd.Timestamp(h.until), scenario=s, behaviour=b,
        policy=pol, draws=draws, seed=seed, by_month=frame,
        cases=_cases_frame(model, per_case, hist, decided),
        _draw_monthly=monthly_all,
        _liability=_liability_tables(accrued, cash, span, h.months[-1]),
    )  # fmt: skip


# --- comparing and sensitivities -----------------------------------------------------------


def compare_projections(
    projections: Mapping[str, Projection],
    *,
    start: Any = None,
    end: Any = None,
    column: str | None = None,
) -> pd.DataFrame:
    """Several projections side by side.

    Without ``column``: one row per projection with its headline figures (see
    :meth:`Projection.summary`; totals over ``start``..``end``). With ``column`` (a ``by_month``
    column such as ``"total_cash"``): the months as rows and one column per projection.

    >>> import pandas as pd, dwangsom
    >>> cases = pd.DataFrame({"case_id": [1], "received": ["2022-06-10"]})
    >>> runs = {name: dwangsom.project(cases, as_of="2023-01-31", until="2023-03-31", inflow=0.0,
    ...                                capacity=0, scenario=name)
    ...         for name in ("as-applied", "extensions-void")}
    >>> compare_projections(runs)[["scenario", "open_at_end", "notices"]].round(2)
                            scenario  open_at_end  notices
    as-applied            as-applied          1.0     0.00
    extensions-void  extensions-void          1.0     0.88
    """
    if not projections:
        raise DwangsomError("projections: give at least one projection")
    for name, p in projections.items():
        if not isinstance(p, Projection):
            raise DwangsomError(
                f"projections[{name!r}]: a Projection expected, got {type(p).__name__}"
            )
    if column is not None:
        first = next(iter(projections.values()))
        if column not in first.by_month.columns:
            raise DwangsomError(
                f"column: {column!r} is not a by_month column; known: "
                f"{', '.join(first.by_month.columns[:16])}"
            )
        frame = pd.DataFrame({name: p.by_month[column] for name, p in projections.items()})
        if start is not None or end is not None:
            lo = _period(start, "start") if start is not None else frame.index.min()
            hi = _period(end, "end") if end is not None else frame.index.max()
            frame = frame[(frame.index >= lo) & (frame.index <= hi)]
        return frame
    rows = {}
    for name, p in projections.items():
        row = p.summary()
        if start is not None or end is not None:
            for basis in BASES:
                for part in PARTS:
                    row[f"{part}_{basis}"] = p.total(start, end, basis=basis, part=part)
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def sensitivity(
    cases: pd.DataFrame,
    *,
    as_of: Any,
    until: Any,
    inflow: Any,
    capacity: Any,
    policy: Policy | str | Callable[[MonthState], Any] = "fifo",
    behaviour: Behaviour | None = None,
    scenario: Scenario | str | None = None,
    basis: Literal["accrued", "cash"] = "accrued",
    start: Any = None,
    end: Any = None,
    capacity_step: float = 1000.0,
    notice_step: float = 0.10,
    court_delay_days: int = 30,
) -> pd.DataFrame:
    """How the projected total (expected value) moves with the levers of a budget discussion:
    ``capacity_step`` more decisions every month, ``notice_step`` more notice propensity (ten
    points), and courts ruling ``court_delay_days`` later (a month). One row per lever:
    ``step``, ``base`` and ``changed`` totals (euros over ``start``..``end``), ``change``.
    A notice share within ``notice_step`` of 1 is moved down instead and the change given per
    step up (the total is linear in the share).

    >>> import pandas as pd, dwangsom
    >>> cases = pd.DataFrame({"case_id": ["a", "b"], "received": ["2021-11-01", "2022-01-10"],
    ...                       "notice_received": ["2022-06-01", None],
    ...                       "appeal_filed": ["2022-06-20", None],
    ...                       "judgment_sent": ["2022-12-15", None]})
    >>> table = sensitivity(cases, as_of="2023-03-31", until="2023-06-30", inflow=0.0,
    ...                     capacity=0.0, capacity_step=1)
    >>> table[["base", "changed", "change"]]
                    base  changed  change
    lever
    capacity      7500.0   1000.0 -6500.0
    notice_share  7500.0   7500.0     0.0
    court_delay   7500.0   7500.0     0.0
    """
    b = Behaviour() if behaviour is None else behaviour
    if court_delay_days < 0 or capacity_step <= 0 or not 0 < notice_step <= 1:
        raise DwangsomError(
            "sensitivity: capacity_step > 0, 0 < notice_step <= 1 and court_delay_days >= 0 "
            f"expected, got {capacity_step!r}, {notice_step!r}, {court_delay_days!r}"
        )

    def run(cap: Any, beh: Behaviour) -> float:
        p = project(
            cases,
            as_of=as_of,
            until=until,
            inflow=inflow,
            capacity=cap,
            policy=policy,
            behaviour=beh,
            scenario=scenario,
        )
        return p.total(start, end, basis=basis)

    base = run(capacity, b)
    extra = (
        [*capacity, capacity_step]
        if isinstance(capacity, Sequence) and not isinstance(capacity, str)
        else [capacity, capacity_step]
    )
    up = b.notice_share + notice_step <= 1 + 1e-12
    notice = b.replace(
        notice_share=min(1.0, b.notice_share + notice_step) if up else b.notice_share - notice_step
    )
    slower = b.replace(judgment_lag=b.judgment_lag.shifted(court_delay_days))
    shift = (
        f"+{notice_step * 100:.0f} points notice propensity"
        if up
        else f"{notice_step * 100:.0f} points less notice propensity ({b.notice_share:g} -> "
        f"{notice.notice_share:g}; change per {notice_step * 100:.0f} points more)"
    )
    levers = [
        ("capacity", f"+{capacity_step:,.0f} decisions a month", run(extra, b), 1.0),
        ("notice_share", shift, run(capacity, notice), 1.0 if up else -1.0),
        ("court_delay", f"judgments {court_delay_days} days later", run(capacity, slower), 1.0),
    ]
    rows = [
        {
            "lever": lever,
            "step": step,
            "base": base,
            "changed": value,
            "change": sign * (value - base) + 0.0,
        }
        for lever, step, value, sign in levers
    ]
    return pd.DataFrame(rows).set_index("lever")
