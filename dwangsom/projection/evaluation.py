"""Evaluation through the engine: every event row's Awb 4:17 and 8:55d amounts from
:mod:`dwangsom.engine`, spread over the months of their penalty days and due dates, and the
expected penalty each case avoids by an earlier decision (the least-liability score)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import engine

if TYPE_CHECKING:
    pass

from ._common import (
    _BIG,
    _EXPAND,
    _NAT,
    _ONE,
    _PER_DRAW,
    _STAGE_CLOSED,
    Days,
    Floats,
    Ints,
    _month_end,
    _month_number,
    _ordinal0,
)
from .allocation import _Allocation, _group
from .chains import _case_units, _levels, _Rows, _Units
from .inputs import _Horizon, _Model


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
