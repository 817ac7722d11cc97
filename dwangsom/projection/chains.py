"""Behaviour chains: the notice, appeal and judgment events an open case may still see, as
weighted branches (expected value) or sampled lags (Monte Carlo), cut off at the decision."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from ..behaviour import Behaviour, Lag, LagRange
from ..scenario import Scenario
from ._common import (
    _BIG,
    _EXPAND,
    _NAT,
    _NONE,
    _ONE,
    _STAGE_APPEAL,
    _STAGE_CLOSED,
    _STAGE_JUDGMENT,
    _STAGE_NONE,
    _STAGE_NOTICE,
    Bools,
    Days,
    Floats,
    Ints,
)
from .inputs import _Book, _Model


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
    p, q = b.share("notice_share"), b.share("appeal_share")
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


def _row_probs(stage: int, ln: Ints, la: Ints, lj: Ints, b: Behaviour) -> Floats:
    """Probabilities under ``b`` of the branches ``(ln, la, lj)`` of :func:`_template` (built
    from another behaviour with the same lag values, e.g. the expected one): how a Monte Carlo
    draw with its own parameters weighs the same branches."""
    p, q = b.share("notice_share"), b.share("appeal_share")

    def lag_p(lag: Any, codes: Ints) -> Floats:
        return np.array([lag.prob(int(c)) if c >= 0 else 1.0 for c in codes], dtype=float)

    pn, pa, pj = lag_p(b.notice_lag, ln), lag_p(b.appeal_lag, la), lag_p(b.judgment_lag, lj)
    if stage == _STAGE_NONE:
        out = np.where(
            ln == _NONE, 1 - p, np.where(la == _NONE, p * pn * (1 - q), p * pn * q * pa * pj)
        )
    elif stage == _STAGE_NOTICE:
        out = np.where(la == _NONE, 1 - q, q * pa * pj)
    elif stage == _STAGE_APPEAL:
        out = pj
    else:
        out = np.ones(ln.size)
    return np.asarray(out, dtype=float)


@dataclasses.dataclass(frozen=True)
class _Units:
    """What the policy allocates: cases, or weighted branches of cases; in FIFO order."""

    case: Ints
    weight: Floats
    ln: Ints
    la: Ints
    lj: Ints
    #: Notice from the authority's term (0), from the shortest term (1, premature under the
    #: authority's reading), or both weighted by ``premature_notice_share`` (``_EXPAND``).
    pre: Ints

    def take(self, rows: Ints) -> _Units:
        return _Units(
            self.case[rows], self.weight[rows], self.ln[rows], self.la[rows], self.lj[rows],
            self.pre[rows],
        )  # fmt: skip


def _fifo(bk: _Book, case: Ints, branch: Ints) -> Ints:
    return np.lexsort((branch, case, bk.received[case])).astype(np.int64)


def _case_units(bk: _Book, lag: int) -> _Units:
    case = np.arange(bk.n, dtype=np.int64)
    order = _fifo(bk, case, np.zeros(bk.n, dtype=np.int64))
    case = case[order]
    codes = np.where(bk.stage[case] == _STAGE_CLOSED, _NONE, lag)
    return _Units(case, np.ones(bk.n), codes, codes.copy(), codes.copy(), np.full(bk.n, _EXPAND))


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
        w = np.tile(t[3], cases.size)
        if stage == _STAGE_APPEAL and cases.size:
            w = _appeal_stage_probs(model, cases).reshape(-1)
        parts.append((
            np.repeat(cases, k), np.tile(np.arange(k, dtype=np.int64), cases.size),
            np.tile(t[0], cases.size), np.tile(t[1], cases.size), np.tile(t[2], cases.size), w,
        ))  # fmt: skip
    case, branch, ln, la, lj, w = (np.concatenate([p[i] for p in parts]) for i in range(6))
    order = _fifo(bk, case, branch)
    pre = np.full(order.size, _EXPAND, dtype=np.int64)
    return _Units(case[order], w[order], ln[order], la[order], lj[order], pre)


def _appeal_stage_probs(model: _Model, cases: Ints) -> Floats:
    """Judgment-lag probabilities (cases x lag values) of cases whose appeal the table records
    without a judgment: given the days they have already waited on the reference date."""
    waited = (model.h.as_of - model.book.appeal[cases]).astype(np.int64)
    return model.b.judgment_lag.after(waited)


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
    notice = rng.random(k) < b.share("notice_share")
    ln[eligible] = np.where(notice, b.notice_lag.sample(rng, k), _NONE)
    appeal = rng.random(k) < b.share("appeal_share")
    la[eligible] = np.where(appeal, b.appeal_lag.sample(rng, k), _NONE)
    lj[eligible] = b.judgment_lag.sample(rng, k)
    # a recorded appeal without judgment: the lag given the days already waited
    waiting = eligible[model.book.stage[units.case[eligible]] == _STAGE_APPEAL]
    if waiting.size:
        probs = _appeal_stage_probs(model, units.case[waiting])
        cum = np.cumsum(probs, axis=1)
        pick = (rng.random(waiting.size)[:, None] * cum[:, -1:] >= cum).sum(axis=1)
        values = np.asarray(b.judgment_lag.days, dtype=np.int64)
        lj[waiting] = values[np.minimum(pick, values.size - 1)]
    pre = np.zeros(units.case.size, dtype=np.int64)
    pre[eligible] = rng.random(k) < b.share("premature_notice_share")
    return _Units(units.case, units.weight, ln, la, lj, pre)


@dataclasses.dataclass
class _Rows:
    """One level of the event chain: a row per (unit, branch) where the event happens."""

    case: Ints
    weight: Floats
    day: Days
    decided: Days
    projected: Bools
    unit: Ints
    #: The notice day of the row's chain (RULES §3: whether it counts depends on the reading).
    notice: Days

    def take(self, rows: Ints) -> _Rows:
        return _Rows(*(getattr(self, f.name)[rows] for f in dataclasses.fields(_Rows)))


def _expand(
    parent: _Rows,
    lags: Ints,
    lag: Lag | LagRange,
    share: float,
    make: Callable[[Ints, Days, Ints], Days],
    cutoff: np.datetime64,
    probs: Floats | None = None,
    *,
    notice_level: bool = False,
) -> _Rows:
    """Children of ``parent`` rows: fixed lags give one child, ``_EXPAND`` one per lag value
    (with its probability times ``share``; ``probs``, one row per parent, replaces the lag's
    probabilities where they depend on the parent). ``make(case, parent_day, lag)`` gives the
    child's day and is monotone in the lag; children on or after the decision, or after
    ``cutoff``, do not happen."""
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
    expanded = (
        np.tile(np.asarray(lag.probs) * share, rows_e.size)
        if probs is None
        else probs[rows_e].reshape(-1) * share
    )
    factor = np.concatenate([np.ones(rows_f.size), expanded])
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
        parent.notice[take] if notice_level is False else day[keep],
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
        c = units.case[r]
        return _Rows(
            c, units.weight[r], day[c], d[r], np.zeros(r.size, dtype=bool), unit[r], bk.notice[c]
        )

    # notices: recorded (valid on an open case; any on a decided one), or projected
    rec_n = recorded(
        ((stage >= _STAGE_NOTICE) | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.notice[units.case]))),
        bk.notice,
    )
    # projected notices count from the term the authority applies, or (a share of the
    # applicants, RULES §3) from the shortest term any reading gives
    root = np.flatnonzero(stage == _STAGE_NONE)
    c = units.case[root]
    pre = units.pre[root]
    early = bk.early[c] < bk.deadline[c]
    pp = b.share("premature_notice_share")
    regular = np.flatnonzero(~early | (pre == 0) | ((pre == _EXPAND) & (pp < 1)))
    weight_r = np.where((pre[regular] == _EXPAND) & early[regular], 1 - pp, 1.0)
    premature = np.flatnonzero(early & ((pre == 1) | ((pre == _EXPAND) & (pp > 0))))
    weight_p = np.where(pre[premature] == _EXPAND, pp, 1.0)
    roots = _concat(
        _Rows(
            c[regular], units.weight[root[regular]] * weight_r, bk.deadline[c[regular]],
            d[root[regular]], np.ones(regular.size, dtype=bool), unit[root[regular]],
            np.full(regular.size, _NAT),
        ),
        _Rows(
            c[premature], units.weight[root[premature]] * weight_p, bk.early[c[premature]],
            d[root[premature]], np.ones(premature.size, dtype=bool), unit[root[premature]],
            np.full(premature.size, _NAT),
        ),
    )  # fmt: skip
    new_n = _expand(
        roots,
        units.ln[roots.unit],
        b.notice_lag,
        b.share("notice_share"),
        lambda c, day, lag: np.maximum(day + lag, first),
        h.until,
        notice_level=True,
    )
    notices = _concat(rec_n, new_n)

    rec_a = recorded(
        (stage == _STAGE_APPEAL)
        | (stage == _STAGE_JUDGMENT)
        | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.appeal[units.case])),
        bk.appeal,
    )
    par = notices.take(np.flatnonzero(bk.stage[notices.case] <= _STAGE_NOTICE))

    def appeal_day(case: Ints, notice: Days, lag: Ints) -> Days:
        day = np.maximum(notice + 14 + lag, first)
        return _bntb_allowed(day, model.temporary_act[case], s)

    new_a = _expand(
        par, units.la[par.unit], b.appeal_lag, b.share("appeal_share"), appeal_day, h.until
    )
    appeals = _concat(rec_a, new_a)

    rec_j = recorded(
        (stage == _STAGE_JUDGMENT)
        | ((stage == _STAGE_CLOSED) & ~np.isnat(bk.judgment[units.case])),
        bk.judgment,
    )
    par = appeals.take(np.flatnonzero(bk.stage[appeals.case] <= _STAGE_APPEAL))
    new_j = _expand(
        par,
        units.lj[par.unit],
        b.judgment_lag,
        1.0,
        lambda c, day, lag: np.maximum(day + lag, first),
        h.until,
        probs=b.judgment_lag.after(_waited(par, h.as_of)),
    )
    return notices, appeals, _concat(rec_j, new_j)


def _waited(appeals: _Rows, as_of: np.datetime64) -> Ints:
    """Days a recorded appeal has waited for its judgment on the reference date (-1 for a
    projected appeal): the judgment lag is drawn given that it is longer (item 5 of issue 8,
    a court backlog)."""
    waited = (as_of - appeals.day).astype(np.int64)
    return np.where(appeals.projected, -1, waited).astype(np.int64)
