"""Monte Carlo: draws of the event chains, each with its own random stream, in batches an
executor can run anywhere."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..behaviour import Behaviour
from ._common import _EXPAND, _NONE, _PER_DRAW, _STAGE_APPEAL, _STAGE_CLOSED, Bools, Floats, Ints
from .allocation import _allocate, _Allocation, _court_due, _group
from .chains import _case_units, _eligible, _latent, _row_probs, _sample_units, _template, _Units
from .evaluation import (
    _Contributions,
    _contributions,
    _evaluate,
    _factors,
    _fold,
    _monthly_by_type,
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


#: Cases per block of a Monte Carlo run whose decision schedule does not depend on the draws:
#: each block's branches are built and drawn on their own (one task of an executor). A fixed
#: size, so the blocks and the result do not depend on the executor or its number of workers.
_BLOCK_CASES = 20_000


@dataclasses.dataclass(frozen=True)
class _Branches:
    """Monte Carlo with a decision schedule that does not depend on the draws, for the cases
    ``lo..hi-1`` of the book: every branch of every case's event chain run through the engine
    once; a draw then picks one branch per case (with the branch's probability under the
    draw's own parameters) and adds up what that branch contributes, each contribution
    weighed by the draw's court compliance, repeat share and reading.

    The contributions are a sparse matrix (branch x (weight code, slot)): a draw's slot totals
    are the hit vector of its chosen branches times that matrix, then each weight code times
    the draw's weight for it (a factor of compliance and repeat share, times the reading's
    weight in the contribution's month)."""

    lo: int
    hi: int
    start: Ints  # per case of the block: position of its first branch
    rows: tuple[Ints, ...]  # per stage: the block's cases at that stage (local positions)
    live: Bools  # cases at the appeal stage x judgment lags: the lag is longer than the wait
    order: Ints  # the block's cases by the position of their branches (memory order)
    matrix: Any  # scipy CSR: branch x (code, used slot)
    codes: Ints  # the weight codes present: (fac * readings + reading) * months + month
    used: Ints  # slots (of the slot table, per type) a branch of the block contributes to
    totals: Floats  # (5, branches): admin, court, notice, appeal, judgment
    width: int  # branches of the widest chain table


def _weight_columns(model: _Model) -> int:
    return int(model.weights.shape[1])


def _branches(model: _Model, static: _Allocation, lo: int = 0, hi: int | None = None) -> _Branches:
    """The branches of the cases ``lo..hi-1`` (all by default)."""
    from scipy import sparse  # type: ignore[import-untyped]

    bk, b = model.book, model.b
    hi = bk.n if hi is None else hi
    units = _case_units(bk, _EXPAND)
    mine = np.flatnonzero((units.case >= lo) & (units.case < hi))
    # ``static`` is aligned with _case_units(bk, 0): the same cases in the same (FIFO) order
    part = _Allocation(static.decided[mine], static.month[mine])
    merged, alloc, groups = _group(model, units.take(mine), part)
    tables = _tables(b)
    stage = bk.stage[merged.case]
    count = np.array([t[0].size for t in tables], dtype=np.int64)[stage]
    first = np.cumsum(count) - count
    rep = np.repeat(np.arange(merged.case.size), count)
    k = np.arange(rep.size) - first[rep]
    lags = [np.concatenate([t[i] for t in tables]) for i in range(4)]
    offset = (np.cumsum([0, *(t[0].size for t in tables)])[:-1]).astype(np.int64)[stage[rep]] + k
    branch_units = _Units(
        merged.case[rep], lags[3][offset], lags[0][offset], lags[1][offset], lags[2][offset],
        np.full(rep.size, _EXPAND, dtype=np.int64),
    )  # fmt: skip
    c = _contributions(model, branch_units, alloc.decided[rep])
    order = np.argsort(c.unit, kind="stable")
    ptr = np.searchsorted(c.unit[order], np.arange(rep.size + 1)).astype(np.int64)
    where = np.full(bk.n, -1, dtype=np.int64)
    where[merged.case] = first
    within = c.value * c.weight / branch_units.weight[c.unit]
    months = _weight_columns(model)
    wcol = (
        np.zeros(order.size, dtype=np.int64)
        if months == 1
        else np.clip(c.wmonth[order] - model.weight_month0, 0, months - 1)
    )
    code = (c.fac[order] * len(model.readings) + c.reading[order]) * months + wcol
    codes, code_pos = _present(code)
    used, slot_pos = _present(c.slot[order])
    matrix = sparse.csr_matrix(
        (within[order], code_pos * used.size + slot_pos, ptr),
        shape=(rep.size, codes.size * used.size),
    )
    block_stage = bk.stage[lo:hi]
    start = where[groups.rep[lo:hi]]
    waiting = np.flatnonzero(block_stage == _STAGE_APPEAL)
    waited = (model.h.as_of - bk.appeal[lo + waiting]).astype(np.int64)
    live = tables[_STAGE_APPEAL][2][None, :] > waited[:, None]
    return _Branches(
        lo=lo, hi=hi, start=start,
        rows=tuple(np.flatnonzero(block_stage == st) for st in range(len(tables))),
        live=live, order=np.argsort(start, kind="stable"), matrix=matrix, codes=codes,
        used=used, totals=c.unit_totals, width=max(t[0].size for t in tables),
    )  # fmt: skip


def _present(values: Ints) -> tuple[Ints, Ints]:
    """The distinct values (small non-negative integers) in order, and each value's position
    among them (``np.unique`` with ``return_inverse``, by counting rather than sorting)."""
    seen = np.zeros(int(values.max()) + 1 if values.size else 0, dtype=bool)
    seen[values] = True
    distinct = np.flatnonzero(seen)
    rank = np.cumsum(seen) - 1
    return distinct.astype(np.int64), rank[values].astype(np.int64)


def _tables(b: Behaviour) -> list[tuple[Ints, Ints, Ints, Floats]]:
    """The branch table of each chain stage (the closed stage: one branch without events)."""
    tables = [_template(stage, b) for stage in range(_STAGE_CLOSED)]
    tables.append((np.array([_NONE]), np.array([_NONE]), np.array([_NONE]), np.array([1.0])))
    return tables


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


@dataclasses.dataclass(frozen=True)
class _DrawSpecs:
    """What the draws take from their random streams before the cases' uniforms, drawn once
    in the parent: per draw the branch probabilities of each chain stage, the weight of each
    weight code (``_Branches.codes`` numbering) and the state of its stream after the
    parameters (the cases' uniforms follow: case ``i`` takes the stream's ``i``-th double)."""

    probs: tuple[Floats, ...]  # per stage: (draws, branches of the stage's table)
    weights: Floats  # (draws, 3 * readings * months)
    states: tuple[dict[str, Any], ...]

    @property
    def draws(self) -> int:
        return len(self.states)


def _draw_specs(model: _Model, seeds: Sequence[np.random.SeedSequence]) -> _DrawSpecs:
    tables = _tables(model.b)
    probs: list[list[Floats]] = [[] for _ in tables]
    weights = []
    states: list[dict[str, Any]] = []
    for seq in seeds:
        rng = np.random.default_rng(seq)
        drawn = _draw_model(model, rng)
        for st, t in enumerate(tables):
            probs[st].append(
                t[3] if st == _STAGE_CLOSED else _row_probs(st, t[0], t[1], t[2], drawn.b)
            )
        # with one reading its weight is 1 (the weights of the model: ones)
        weights.append((_factors(drawn.b)[:, None, None] * drawn.weights[None]).reshape(-1))
        if not isinstance(rng.bit_generator, np.random.PCG64):  # pragma: no cover
            raise TypeError("numpy's default_rng is expected to use PCG64")
        states.append(dict(rng.bit_generator.state))
    return _DrawSpecs(tuple(np.vstack(p) for p in probs), np.vstack(weights), tuple(states))


def _uniforms(state: dict[str, Any], lo: int, hi: int) -> Floats:
    """Doubles ``lo..hi-1`` of the stream in ``state`` (what ``random(hi)[lo:]`` gives: one
    64-bit step of PCG64 per double)."""
    bits = np.random.PCG64()
    bits.state = state  # type: ignore[assignment]
    if lo:
        bits.advance(lo)
    return np.random.Generator(bits).random(hi - lo)


def _pick_branches(branches: _Branches, specs: _DrawSpecs, d: int, u: Floats) -> Ints:
    """The branch (within its case's chain table) each case of the block takes in draw ``d``
    with the block's uniforms ``u``."""
    pick = np.zeros(u.size, dtype=np.int64)
    for st, rows in enumerate(branches.rows):
        if rows.size == 0:
            continue
        probs = specs.probs[st][d]
        if st == _STAGE_APPEAL:
            cond = np.where(branches.live, probs[None, :], 0.0)
            mass = cond.sum(axis=1, keepdims=True)
            mat = np.where(mass > 0, cond / np.where(mass > 0, mass, 1.0), probs[None, :])
            cum = np.cumsum(mat, axis=1)
            found = (u[rows][:, None] * cum[:, -1:] >= cum).sum(axis=1)
        else:
            cum = np.cumsum(probs)
            found = np.searchsorted(cum, u[rows] * cum[-1], side="right")
        pick[rows] = np.minimum(found, probs.size - 1)
    return pick


@dataclasses.dataclass(frozen=True)
class _BlockDraws:
    """The draws on one block of cases: per draw its slot totals (on the block's used slots),
    and per case the sums over the draws of its branch's totals."""

    lo: int
    hi: int
    used: Ints
    values: Floats  # (draws, used slots)
    per_case: Floats  # (5, hi - lo)


#: Draws multiplied with a block's matrix at a time (bounds the hit matrix and its product).
_DRAW_CHUNK = 64


def _block_draws(
    model: _Model, static: _Allocation, specs: _DrawSpecs, lo: int, hi: int
) -> _BlockDraws:
    """Every draw on the cases ``lo..hi-1`` (top-level so process pools can pickle it)."""
    from scipy import sparse

    br = _branches(model, static, lo, hi)
    n = hi - lo
    ncodes, nused = br.codes.size, br.used.size
    values = np.zeros((specs.draws, nused))
    hits = np.zeros(n * br.width, dtype=np.int64)
    base = np.arange(n, dtype=np.int64) * br.width
    for first in range(0, specs.draws, _DRAW_CHUNK):
        last = min(first + _DRAW_CHUNK, specs.draws)
        chosen = np.empty((last - first, n), dtype=np.int64)
        for d in range(first, last):
            pick = _pick_branches(br, specs, d, _uniforms(specs.states[d], lo, hi))
            hits[base + pick] += 1
            chosen[d - first] = (br.start + pick)[br.order]
        k = last - first
        hit = sparse.csr_matrix(
            (np.ones(k * n), chosen.reshape(-1), np.arange(0, k * n + 1, n, dtype=np.int64)),
            shape=(k, br.matrix.shape[0]),
        )
        by_code = (hit @ br.matrix).toarray().reshape(k, ncodes, nused)
        weights = specs.weights[first:last][:, br.codes]
        for j in range(ncodes):
            values[first:last] += by_code[:, j, :] * weights[:, j, None]
    # per case: the totals of each branch times the draws that took it
    nz = np.flatnonzero(hits)
    case, local = np.divmod(nz, br.width)
    picked = br.start[case] + local
    per_case = np.vstack([
        np.bincount(case, weights=hits[nz] * t[picked], minlength=n) for t in br.totals
    ]).astype(float)  # fmt: skip
    return _BlockDraws(lo, hi, br.used, values, per_case)


def _combine(
    model: _Model, blocks: Sequence[_BlockDraws], draws: int, stocks: Floats
) -> _DrawBatch:
    """One batch of every draw from the blocks (added in block order, so the result does not
    depend on how the blocks were run)."""
    bk, h, span = model.book, model.h, model.span
    size = _Contributions.size(h, span) * len(bk.type_names)
    values = np.zeros((draws, size))
    per_case = np.zeros((5, bk.n))
    for blk in blocks:
        values[:, blk.used] += blk.values
        per_case[:, blk.lo : blk.hi] = blk.per_case
    monthly = np.zeros((draws, len(_PER_DRAW), h.m))
    by_type = np.zeros((len(bk.type_names), len(_PER_DRAW), h.m))
    width = span[1] - span[0] + 1
    accrued = np.zeros((2, width))
    cash = np.zeros((2, width))
    for d in range(draws):
        typed = _monthly_by_type(model, values[d], stocks)
        by_type += typed
        monthly[d] = typed.sum(axis=0)
        spans = _Contributions.split(_fold(values[d], model), h, span)[1]
        accrued += spans[:2]
        cash += spans[2:]
    return _DrawBatch(by_type, monthly, per_case, np.zeros((0, h.m + 2)), accrued, cash)


def _draw_batch(
    model: _Model,
    seeds: Sequence[np.random.SeedSequence],
    avoided: Floats | None,
) -> _DrawBatch:
    """Run draws whose decision schedule depends on the draw (``court_orders_first``): each
    draw samples its chains, allocates and evaluates them (top-level so process pools can
    pickle it)."""
    bk, h = model.book, model.h
    span = model.span
    monthly = np.zeros((len(seeds), len(_PER_DRAW), h.m))
    by_type = np.zeros((len(bk.type_names), len(_PER_DRAW), h.m))
    per_case = np.zeros((5, bk.n))
    hist = np.zeros((bk.n, h.m + 2))
    width = span[1] - span[0] + 1
    accrued = np.zeros((2, width))
    cash = np.zeros((2, width))
    base = _case_units(bk, 0)
    eligible = _eligible(model, base, None)
    for i, seq in enumerate(seeds):
        rng = np.random.default_rng(seq)
        drawn = _draw_model(model, rng)
        units = _sample_units(drawn, rng, base, eligible)
        notice, appeal, judgment = _latent(drawn, units.case, units.ln, units.la, units.lj)
        due = _court_due(drawn, units.case, judgment)
        alloc = _allocate(drawn, units, events=(notice, appeal, judgment, due), avoided=avoided)
        res = _evaluate(drawn, units, alloc, with_hist=True)
        monthly[i] = res.monthly
        by_type += res.by_type
        per_case += res.per_case
        hist += res.decision_hist
        accrued += res.accrued
        cash += res.cash
    return _DrawBatch(by_type, monthly, per_case, hist, accrued, cash)


#: The last arguments a worker unpickled: (digest, arguments). A worker that runs several
#: tasks of one projection reads the model once.
_WORKER_CACHE: dict[str, Any] = {}


def _shipped(payload: bytes | str, digest: str) -> Any:
    """The arguments of :func:`_ship` in a worker, unpickled once per worker and projection
    (``payload``: the pickle, or the path of the file that holds it)."""
    if _WORKER_CACHE.get("digest") != digest:
        _WORKER_CACHE.clear()
        if isinstance(payload, str):
            with open(payload, "rb") as f:
                payload = f.read()
        _WORKER_CACHE["args"] = pickle.loads(payload)
        _WORKER_CACHE["digest"] = digest
    return _WORKER_CACHE["args"]


def _draw_shipped(
    payload: bytes | str, digest: str, seeds: Sequence[np.random.SeedSequence]
) -> _DrawBatch:
    """:func:`_draw_batch` from a model pickled once in the parent (process pools, Dask)."""
    model, avoided = _shipped(payload, digest)
    return _draw_batch(model, seeds, avoided)


def _block_shipped(payload: bytes | str, digest: str, lo: int, hi: int) -> _BlockDraws:
    """:func:`_block_draws` from a model pickled once in the parent (process pools, Dask)."""
    model, static, specs = _shipped(payload, digest)
    return _block_draws(model, static, specs, lo, hi)


def _workers(executor: Executor) -> int:
    """How many workers an executor runs (``max_workers`` of the standard pools; the number
    of CPUs otherwise)."""
    n = getattr(executor, "_max_workers", None)
    return int(n) if isinstance(n, int) and n > 0 else max(1, os.cpu_count() or 1)


@contextmanager
def _ship(executor: Executor, args: tuple[Any, ...]) -> Iterator[tuple[Any, str]]:
    """The arguments pickled once in the parent, with their digest, as the tasks get them: on
    a process pool the path of a temporary file that holds the pickle (each worker reads it
    once; a task carries only the path), on a Dask executor the pickle scattered to every
    worker once (a task carries a reference), on any other executor the pickle itself."""
    payload: Any = pickle.dumps(args, protocol=5)
    digest = hashlib.blake2b(payload, digest_size=16).hexdigest()
    client = getattr(executor, "_client", None)
    if client is not None and type(executor).__module__.startswith("distributed"):
        yield client.scatter(payload, broadcast=True), digest
    elif isinstance(executor, ProcessPoolExecutor):
        fd, path = tempfile.mkstemp(prefix="dwangsom-draws-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            yield path, digest
        finally:
            os.unlink(path)
    else:
        yield payload, digest


def _run_draws(
    executor: Executor | None,
    model: _Model,
    seeds: Sequence[np.random.SeedSequence],
    static: _Allocation | None,
    avoided: Floats | None,
    stocks: Floats | None,
) -> list[_DrawBatch]:
    """All draws, serially or on ``executor``. Each draw has its own seed, so the chunking
    never changes a draw.

    With a decision schedule that does not depend on the draws (``static``), the draws'
    parameters are drawn here, and the cases are cut into blocks of :data:`_BLOCK_CASES`:
    a block's branches go through the engine once and every draw is taken on them, a task
    per block, so the engine work is spread as well as the draws; the blocks are added in
    order, so the result is the same on any executor. Otherwise the draws are cut into one
    chunk per worker. The model is pickled once in the parent and unpickled once per worker
    process (a thread pool shares it without pickling)."""
    draws = len(seeds)
    if static is not None:
        assert stocks is not None
        specs = _draw_specs(model, seeds)
        n = model.book.n
        edges = [(lo, min(lo + _BLOCK_CASES, n)) for lo in range(0, max(n, 1), _BLOCK_CASES)]
        if executor is None:
            blocks = [_block_draws(model, static, specs, lo, hi) for lo, hi in edges]
        elif isinstance(executor, ThreadPoolExecutor):
            futures = [executor.submit(_block_draws, model, static, specs, lo, hi)
                       for lo, hi in edges]  # fmt: skip
            blocks = [f.result() for f in futures]
        else:
            with _ship(executor, (model, static, specs)) as (payload, digest):
                futures = [executor.submit(_block_shipped, payload, digest, lo, hi)
                           for lo, hi in edges]  # fmt: skip
                blocks = [f.result() for f in futures]
        return [_combine(model, blocks, draws, stocks)]
    if executor is None:
        size = max(1, math.ceil(draws / 8))
        return [_draw_batch(model, seeds[i : i + size], avoided) for i in range(0, draws, size)]
    size = max(1, math.ceil(draws / _workers(executor)))
    chunks = [seeds[i : i + size] for i in range(0, draws, size)]
    if isinstance(executor, ThreadPoolExecutor):
        futures_d = [executor.submit(_draw_batch, model, c, avoided) for c in chunks]
    else:
        with _ship(executor, (model, avoided)) as (payload, digest):
            futures_d = [executor.submit(_draw_shipped, payload, digest, c) for c in chunks]
            return [f.result() for f in futures_d]
    return [f.result() for f in futures_d]
