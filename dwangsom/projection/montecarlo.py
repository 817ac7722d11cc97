"""Monte Carlo: draws of the event chains, each with its own random stream, in batches an
executor can run anywhere."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

import numpy as np

from ..behaviour import Behaviour
from ._common import _EXPAND, _NONE, _PER_DRAW, _STAGE_APPEAL, _STAGE_CLOSED, Floats, Ints
from .allocation import _allocate, _Allocation, _court_due, _group
from .chains import _case_units, _eligible, _latent, _row_probs, _sample_units, _template, _Units
from .evaluation import (
    _Contributions,
    _contributions,
    _evaluate,
    _factors,
    _fold,
    _monthly_by_type,
    _reading_weights,
    _stocks,
    _stocks_by_type,
)
from .inputs import _Model


@dataclasses.dataclass(frozen=True)
class _DrawBatch:
    by_type: Floats  # (types, len(_PER_DRAW), m) sums over the draws
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
    case (with the branch's probability under the draw's own parameters) and adds up what
    that branch contributes, each contribution weighed by the draw's court compliance, repeat
    share and reading."""

    start: Ints  # per case: position of its first branch
    stage: Ints  # per case: its chain stage (which branch table applies)
    tables: tuple[tuple[Ints, Ints, Ints, Floats], ...]  # per stage: the branch table
    waited: Ints  # per case: days its recorded appeal has waited (-1: none)
    ptr: Ints  # per branch: where its contributions start in the triplets (CSR)
    slot: Ints
    value: Floats  # euros or counts times the probability within the branch
    fac: Ints
    reading: Ints
    wmonth: Ints
    totals: Floats  # (5, branches): admin, court, notice, appeal, judgment
    stocks: Floats  # (types, 4, m): decisions, open, overdue, decided in term (every draw)


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
        merged.case[rep], lags[3][offset], lags[0][offset], lags[1][offset], lags[2][offset],
        np.full(rep.size, _EXPAND, dtype=np.int64),
    )  # fmt: skip
    c = _contributions(model, units, alloc.decided[rep])
    order = np.argsort(c.unit, kind="stable")
    ptr = np.searchsorted(c.unit[order], np.arange(rep.size + 1)).astype(np.int64)
    where = np.full(bk.n, -1, dtype=np.int64)
    where[merged.case] = first
    case_units = _case_units(bk, 0)
    within = c.value * c.weight / units.weight[c.unit]
    waited = np.where(
        bk.stage == _STAGE_APPEAL, (model.h.as_of - bk.appeal).astype(np.int64), -1
    ).astype(np.int64)
    return _Branches(
        start=where[groups.rep], stage=bk.stage.copy(), tables=tuple(tables), waited=waited,
        ptr=ptr, slot=c.slot[order], value=within[order], fac=c.fac[order],
        reading=c.reading[order], wmonth=c.wmonth[order], totals=c.unit_totals,
        stocks=_stocks_by_type(model, case_units, static),
    )  # fmt: skip


def _drawn_reading_weights(model: _Model, u: float) -> Floats:
    """One draw of the courts' reading: reading ``r`` in the months where the cumulative
    weights put ``u`` in its band (a constant weight: one reading for the whole draw)."""
    cum = np.cumsum(model.weights, axis=0)
    low = np.vstack([np.zeros((1, cum.shape[1])), cum[:-1]])
    picked = (u >= low) & (u < cum)
    picked[-1] |= u >= cum[-1]
    return np.asarray(picked, dtype=float)


def _draw_model(model: _Model, rng: np.random.Generator) -> _Model:
    """The model of one draw: uncertain parameters drawn (issue 8, item 8), one reading."""
    declared = model.declared or model.b
    b = declared.draw(rng).expected() if declared.uncertain else model.b
    weights = model.weights
    if len(model.readings) > 1:
        weights = _drawn_reading_weights(model, float(rng.random()))
    return dataclasses.replace(model, b=b, weights=weights)


def _pick_branches(branches: _Branches, b: Behaviour, u: Floats) -> Ints:
    """The branch each case takes in a draw with behaviour ``b`` and uniforms ``u``."""
    n = branches.stage.size
    pick = np.zeros(n, dtype=np.int64)
    for st, t in enumerate(branches.tables):
        rows = np.flatnonzero(branches.stage == st)
        if rows.size == 0:
            continue
        probs = t[3] if st == _STAGE_CLOSED else _row_probs(st, t[0], t[1], t[2], b)
        if st == _STAGE_APPEAL:
            days = t[2][None, :]
            live = days > branches.waited[rows][:, None]
            cond = np.where(live, probs[None, :], 0.0)
            mass = cond.sum(axis=1, keepdims=True)
            mat = np.where(mass > 0, cond / np.where(mass > 0, mass, 1.0), probs[None, :])
            cum = np.cumsum(mat, axis=1)
            found = (u[rows][:, None] * cum[:, -1:] >= cum).sum(axis=1)
        else:
            cum = np.cumsum(probs)
            found = np.searchsorted(cum, u[rows] * cum[-1], side="right")
        pick[rows] = np.minimum(found, t[0].size - 1)
    return pick


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
    by_type = np.zeros((len(bk.type_names), len(_PER_DRAW), h.m))
    per_case = np.zeros((5, bk.n))
    hist = np.zeros((bk.n if static is None else 0, h.m + 2))
    width = span[1] - span[0] + 1
    accrued = np.zeros((2, width))
    cash = np.zeros((2, width))
    if branches is not None:
        size = _Contributions.size(h, span) * len(bk.type_names)
        for i, seq in enumerate(seeds):
            rng = np.random.default_rng(seq)
            drawn = _draw_model(model, rng)
            u = rng.random(bk.n)
            chosen = branches.start + _pick_branches(branches, drawn.b, u)
            lo, hi = branches.ptr[chosen], branches.ptr[chosen + 1]
            lens = hi - lo
            pos = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
            factor = _factors(drawn.b)[branches.fac[pos]]
            if len(model.readings) > 1:
                factor = (
                    factor
                    * _reading_weights(drawn, branches.wmonth[pos])[
                        branches.reading[pos], np.arange(pos.size)
                    ]
                )
            totals = np.bincount(branches.slot[pos], weights=branches.value[pos] * factor,
                                 minlength=size)  # fmt: skip
            values = np.asarray(totals, dtype=float)
            typed = _monthly_by_type(model, values, branches.stocks)
            by_type += typed
            monthly[i] = typed.sum(axis=0)
            spans = _Contributions.split(_fold(values, model), h, span)[1]
            per_case += branches.totals[:, chosen]
            accrued += spans[:2]
            cash += spans[2:]
        return _DrawBatch(by_type, monthly, per_case, hist, accrued, cash)
    base = _case_units(bk, 0)
    eligible = _eligible(model, base, None if static is None else static.decided)
    stocks = None if static is None else _stocks(model, base, static)
    for i, seq in enumerate(seeds):
        rng = np.random.default_rng(seq)
        drawn = _draw_model(model, rng)
        units = _sample_units(drawn, rng, base, eligible)
        alloc = static
        if alloc is None:
            notice, appeal, judgment = _latent(drawn, units.case, units.ln, units.la, units.lj)
            due = _court_due(drawn, units.case, judgment)
            alloc = _allocate(drawn, units, events=(notice, appeal, judgment, due), avoided=avoided)
        res = _evaluate(drawn, units, alloc, with_hist=static is None, stocks=stocks)
        monthly[i] = res.monthly
        by_type += res.by_type
        per_case += res.per_case
        if static is None:
            hist += res.decision_hist
        accrued += res.accrued
        cash += res.cash
    return _DrawBatch(by_type, monthly, per_case, hist, accrued, cash)


#: The last model a worker unpickled: (digest, arguments). A worker that runs several chunks
#: of one projection reads the model once.
_WORKER_CACHE: dict[str, Any] = {}


def _draw_shipped(
    payload: bytes, digest: str, seeds: Sequence[np.random.SeedSequence]
) -> _DrawBatch:
    """:func:`_draw_batch` from a model pickled once in the parent (process pools, Dask)."""
    if _WORKER_CACHE.get("digest") != digest:
        _WORKER_CACHE.clear()
        _WORKER_CACHE["args"] = pickle.loads(payload)
        _WORKER_CACHE["digest"] = digest
    model, static, avoided, span, branches = _WORKER_CACHE["args"]
    return _draw_batch(model, seeds, static, avoided, span, branches)


def _workers(executor: Executor) -> int:
    """How many workers an executor runs (``max_workers`` of the standard pools; the number
    of CPUs otherwise)."""
    n = getattr(executor, "_max_workers", None)
    return int(n) if isinstance(n, int) and n > 0 else max(1, os.cpu_count() or 1)


def _run_draws(
    executor: Executor | None,
    model: _Model,
    seeds: Sequence[np.random.SeedSequence],
    static: _Allocation | None,
    avoided: Floats | None,
    span: tuple[int, int],
    branches: _Branches | None,
) -> list[_DrawBatch]:
    """All draws, serially or on ``executor``: one chunk per worker, the model pickled once
    (threads share it without pickling). Each draw has its own seed, so the chunking never
    changes the result."""
    draws = len(seeds)
    if executor is None:
        size = max(1, math.ceil(draws / 8))
        return [
            _draw_batch(model, seeds[i : i + size], static, avoided, span, branches)
            for i in range(0, draws, size)
        ]
    size = max(1, math.ceil(draws / _workers(executor)))
    chunks = [seeds[i : i + size] for i in range(0, draws, size)]
    if isinstance(executor, ThreadPoolExecutor):
        futures = [
            executor.submit(_draw_batch, model, c, static, avoided, span, branches) for c in chunks
        ]
    else:
        payload: Any = pickle.dumps((model, static, avoided, span, branches), protocol=5)
        digest = hashlib.blake2b(payload, digest_size=16).hexdigest()
        client = getattr(executor, "_client", None)
        if client is not None and type(executor).__module__.startswith("distributed"):
            # a Dask executor: the model goes to every worker once, not inside each task
            payload = client.scatter(payload, broadcast=True)
        futures = [executor.submit(_draw_shipped, payload, digest, c) for c in chunks]
    return [f.result() for f in futures]
