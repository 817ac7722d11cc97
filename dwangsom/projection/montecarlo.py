"""Monte Carlo: draws of the event chains, each with its own random stream, in batches an
executor can run anywhere."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    pass

from ._common import _EXPAND, _NONE, _PER_DRAW, _STAGE_CLOSED, Floats, Ints
from .allocation import _allocate, _Allocation, _court_due, _group
from .chains import _case_units, _eligible, _latent, _sample_units, _template, _Units
from .evaluation import _MONTH_SLOTS, _Contributions, _contributions, _evaluate, _stocks
from .inputs import _Model


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
