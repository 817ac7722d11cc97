"""Capacity allocation: the policy decides the open units month by month within capacity;
identical cases are merged into one weighted unit;"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .. import engine
from ..errors import DwangsomError
from ..policies import MonthState
from ._common import (
    _EXPAND,
    _NAT,
    _STAGE_APPEAL,
    _STAGE_JUDGMENT,
    _STAGE_NONE,
    _STAGE_NOTICE,
    Bools,
    Days,
    Floats,
    Ints,
)
from .chains import _Units
from .inputs import _Model

#: Merge cases the engine cannot tell apart into one weighted unit (see ``_group``); the
#: benchmark switches it off to measure the worst case, where no two cases are alike.
_MERGE_IDENTICAL = True


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
        & ~bk.heard[c]  # the court's term depends on it (RULES §6)
    )  # fmt: skip
    if bk.nationality is not None:  # a moratorium depends on it (RULES §2): merged only without
        fits &= pd.isna(bk.nationality[c])
    key = (
        (rec << 46) | (dec << 28) | (bk.type_code[c] << 24) | (bk.applicants[c] << 16)
        | (bk.excluded[c].astype(np.int64) << 15) | (bk.extension[c] << 10) | entry
    )  # fmt: skip
    key = np.where(fits & _MERGE_IDENTICAL, key, -1 - np.arange(n, dtype=np.int64))
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    merged = _Units(
        c[first], units.weight[first] * counts, units.ln[first], units.la[first], units.lj[first],
        units.pre[first],
    )  # fmt: skip
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
    bk, h = model.book, model.h
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
    caps = np.asarray(model.caps)
    pools: list[int | None] = [None] if caps.ndim == 1 else list(range(caps.shape[0]))
    code = bk.type_code[case]
    for m in range(h.m):
        is_open |= entry == m
        if h.days[m] <= 0:
            continue
        for pool in pools:
            # one capacity for every case, or (capacity per application type) one per stream
            cap = float(caps[m] if pool is None else caps[pool, m])
            if cap <= 0:
                continue
            open_ = is_open if pool is None else is_open & (code == pool)
            _decide_month(
                model, units, m, np.flatnonzero(open_), cap, decided, month, is_open,
                (notice, appeal, judgment, due), seen_all=events is None, avoided=avoided,
            )  # fmt: skip
    return _Allocation(decided, month)


def _decide_month(
    model: _Model,
    units: _Units,
    m: int,
    idx: Ints,
    cap: float,
    decided: Days,
    month: Ints,
    is_open: Bools,
    events: tuple[Days, Days, Days, Days],
    *,
    seen_all: bool,
    avoided: Floats | None,
) -> None:
    """Let the policy decide among the open units ``idx`` in month ``m`` within ``cap``;
    writes ``decided``, ``month`` and ``is_open`` in place."""
    bk, h, policy = model.book, model.h, model.policy
    case = units.case
    notice, appeal, judgment, due = events
    if idx.size == 0:
        return
    start = h.start[m]

    def seen(day: Days, rows: Ints = idx, start: np.datetime64 = start) -> Days:
        values = day[rows]
        if seen_all:
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
    chosen = np.asarray(policy.select(state, cap), dtype=np.int64)
    if chosen.size:
        bad = chosen.min() < 0 or chosen.max() >= idx.size
        if bad or np.unique(chosen).size != chosen.size:
            raise DwangsomError(
                f"policy {policy!r}: selected positions outside the open units or twice"
            )
        w = units.weight[idx[chosen]]
        if w.sum() > cap + 1e-6:
            raise DwangsomError(
                f"policy {policy!r}: decided {w.sum():g} cases in {h.months[m]}, more than "
                f"the capacity {cap}"
            )
    rows = idx[chosen]
    w = units.weight[rows]
    mid = np.cumsum(w) - w / 2
    offset = np.floor(mid / cap * h.days[m]).astype(np.int64)
    day = start + np.clip(offset, 0, h.days[m] - 1).astype("timedelta64[D]")
    if policy.court_orders_first:  # a court-ordered decision goes out by its due date
        by = state.court_due[chosen]
        day = np.where(np.isnat(by), day, np.maximum(np.minimum(day, by), start))
    decided[rows] = np.maximum(day, bk.received[case[rows]])
    month[rows] = m
    is_open[rows] = False


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
        received=bk.received[c], heard=bk.heard[c],
        appeal_filed=np.where(recorded, bk.appeal[c], _NAT),
    ).due  # fmt: skip
    return due
