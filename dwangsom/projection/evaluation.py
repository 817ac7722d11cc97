"""Evaluation through the engine: every event row's Awb 4:17 and 8:55d amounts from
:mod:`dwangsom.engine`, spread over the months of their penalty days and due dates, and the
expected penalty each case avoids by an earlier decision (the least-liability score)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import engine
from ..behaviour import Behaviour, Beta
from ..months import add_months_array
from ..scenario import Scenario
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
from .chains import _case_units, _expand, _levels, _Rows, _Units
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
    "repeat_accrued",
    "repeat_cash",
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
    #: Per triplet: factor code (``_FAC_*``), reading, and the month that weighs the reading.
    fac: Ints
    reading: Ints
    wmonth: Ints

    @staticmethod
    def size(h: _Horizon, span: tuple[int, int]) -> int:
        return len(_MONTH_SLOTS) * h.m + len(_SPAN_SLOTS) * (span[1] - span[0] + 1)

    @staticmethod
    def split(totals: Floats, h: _Horizon, span: tuple[int, int]) -> tuple[Floats, Floats]:
        """(monthly slots x m, span slots x width) tables from slot totals."""
        cut = len(_MONTH_SLOTS) * h.m
        return totals[:cut].reshape(len(_MONTH_SLOTS), h.m), totals[cut:].reshape(
            len(_SPAN_SLOTS), span[1] - span[0] + 1
        )


def _nationality(bk: Any, case: Ints) -> Any:
    """The nationality of the cases (moratoria, RULES §2), or None when the table has none."""
    return None if bk.nationality is None else bk.nationality[case]


def _court_arrays(model: _Model, rows: _Rows, s: Scenario, *, repeat_rows: bool = False) -> Any:
    """The engine's 8:55d arrays for judgment rows: recorded terms from the table, projected
    ones from the behaviour or (None) the scenario's court-practice table; repeat-appeal rows
    take the table's repeat terms (RULES §6)."""
    bk, b = model.book, model.b
    if rows.case.size == 0:
        return None
    recorded = ~rows.projected

    def pick(own: Floats, default: int | None) -> Floats:
        if repeat_rows:
            return np.full(rows.case.size, np.nan)
        return np.where(recorded, own[rows.case], np.nan if default is None else float(default))

    repeat = np.ones(rows.case.size, dtype=bool) if repeat_rows else bk.repeat[rows.case] & recorded
    return engine.court_arrays(
        rows.day, np.where(rows.decided == _BIG, _NAT, rows.decided), as_of=model.h.until,
        term_days=pick(bk.term, b.court_term_days), per_day=pick(bk.per_day, b.court_per_day),
        cap=pick(bk.cap, b.court_cap), repeat=repeat, application_type=bk.kinds(rows.case),
        scenario=s, received=bk.received[rows.case], heard=bk.heard[rows.case],
        appeal_filed=np.where(recorded, bk.appeal[rows.case], _NAT),
    )  # fmt: skip


def _admin_arrays(model: _Model, rows: _Rows, s: Scenario) -> Any:
    """The engine's Awb 4:17 arrays for notice rows under the reading ``s``."""
    bk, h = model.book, model.h
    if rows.case.size == 0:
        return None
    return engine.admin_arrays(
        bk.received[rows.case], rows.day, np.where(rows.decided == _BIG, _NAT, rows.decided),
        as_of=h.until, application_type=bk.kinds(rows.case), applicants=bk.applicants[rows.case],
        excluded=bk.excluded[rows.case], scenario=s, extension_months=bk.extension[rows.case],
        nationality=_nationality(bk, rows.case),
    )  # fmt: skip


def _engine(model: _Model, notices: _Rows, judgments: _Rows) -> tuple[Any, Any]:
    """The engine's arrays for the notice rows (Awb 4:17) and the judgment rows (8:55d) under
    the authority's reading."""
    return _admin_arrays(model, notices, model.s), _court_arrays(model, judgments, model.s)


def _valid_bits(model: _Model, rows: _Rows) -> Ints:
    """Per judgment row, bit ``r`` set when its chain's notice counts under reading ``r``
    (RULES §3: received after the term's last day); a recorded judgment counts always."""
    bits = np.zeros(rows.case.size, dtype=np.int64)
    for r in range(len(model.readings)):
        ok = ~rows.projected | np.isnat(rows.notice)
        ok |= rows.notice > model.book.deadlines[r][rows.case]
        bits |= ok.astype(np.int64) << r
    return bits


def _same_judgments(model: _Model, rows: _Rows) -> tuple[_Rows, Ints]:
    """Projected judgment rows merged by (judgment day, decision day, application type and
    whether the notice counts under each reading), with their weights summed; recorded
    judgments stay apart (their terms are their own). Returns the merged rows and, per
    original row, its merged row."""
    day = rows.day.astype(np.int64)
    dec = np.where(rows.decided == _BIG, 0, rows.decided.astype(np.int64) + 1)
    bk = model.book
    code = bk.type_code[rows.case]
    bits = _valid_bits(model, rows)
    # the court's default term depends on whether the applicant was heard or 21 months had
    # passed at the judgment (RULES §6): rows differing there are not merged
    limit = add_months_array(
        bk.received[rows.case], np.full(rows.case.size, model.s.max_term_months, np.int64)
    )
    short = (bk.heard[rows.case] | (rows.day > limit)).astype(np.int64)
    fits = rows.projected & (day >= 0) & (day < 1 << 20) & (dec >= 0) & (dec < 1 << 20)
    fits &= (code < 1 << 7) & (bits < 1 << 8)
    key = (day << 36) | (bits << 28) | (dec << 8) | (short << 7) | code
    key = np.where(fits, key, -1 - np.arange(day.size, dtype=np.int64))
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    merged = rows.take(first)
    merged.weight = np.asarray(
        np.bincount(inverse, weights=rows.weight, minlength=first.size), float
    )
    return merged, inverse.astype(np.int64)


#: Factor codes of a contribution: 1 (admin and events), the authority missing the court's
#: term (1 - court_compliance), a repeat appeal after it (that times repeat_appeal_share).
_FAC_ONE, _FAC_MISSED, _FAC_REPEAT = 0, 1, 2


def _factors(b: Behaviour) -> Floats:
    c = b.share("court_compliance")
    return np.array([1.0, 1.0 - c, (1.0 - c) * b.share("repeat_appeal_share")])


def _reading_weights(model: _Model, months: Ints, reading: int | None = None) -> Floats:
    """Weight of each reading (or of ``reading``) at the numpy month numbers ``months``:
    (readings x rows), or one row."""
    w = model.weights
    if w.shape[1] == 1:
        col = w[:, :1] if reading is None else w[reading, :1]
        shape = (w.shape[0], months.size) if reading is None else (months.size,)
        return np.asarray(np.broadcast_to(col, shape), dtype=float)
    idx = np.clip(months - model.weight_month0, 0, w.shape[1] - 1)
    return np.asarray(w[:, idx] if reading is None else w[reading, idx], dtype=float)


def _repeat_rows(model: _Model, court_rows: _Rows, arrays: Any) -> _Rows:
    """Repeat appeals after a missed court term (RULES §6): from the day after the court's
    due date, ``repeat_appeal_lag`` to the appeal, ``judgment_lag`` to the repeat judgment,
    while the case is still open. Weights exclude the repeat share (a factor code)."""
    h, b = model.h, model.b
    missed = np.flatnonzero(~np.isnat(arrays.due) & (arrays.due < court_rows.decided))
    par = court_rows.take(missed)
    par.day = np.asarray(arrays.due[missed], dtype="datetime64[D]")
    first = h.as_of + _ONE
    lags = np.full(par.case.size, _EXPAND, dtype=np.int64)
    appeal = _expand(
        par, lags, b.repeat_appeal_lag, 1.0,
        lambda c, day, lag: np.maximum(day + lag + 1, first), h.until,
    )  # fmt: skip
    return _expand(
        appeal, np.full(appeal.case.size, _EXPAND, dtype=np.int64), b.judgment_lag, 1.0,
        lambda c, day, lag: np.maximum(day + lag, first), h.until,
    )  # fmt: skip


def _contributions(
    model: _Model, units: _Units, decided: Days, *, triplets: bool = True
) -> _Contributions:
    """Run the event chain and the engine for the units and record what every row adds: as
    triplets, or (``triplets=False``) only as weighted slot totals (``value``, one per slot).

    Every reading (``scenario=`` a mapping) evaluates the same rows on the same decision days:
    the amounts are the weighted sums over the readings, exactly (issue 8, item 2). A triplet
    carries its reading, the month that weighs it (the notice's month for Awb 4:17, the
    judgment's for 8:55d) and a factor code (compliance, repeat share), so a Monte Carlo draw
    can weigh the same triplets with its own parameters."""
    h, span, b = model.h, model.span, model.b
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
        # from here on a merged row's "unit" is its own index (per-unit totals are shared out
        # over the rows it stands for at the end)
        court_rows.unit = np.arange(court_rows.case.size, dtype=np.int64)
    merged_value = np.zeros(court_rows.case.size)
    parts: list[tuple[Ints, Ints, Floats, Floats, Ints, Ints, Ints]] = []
    totals = np.zeros((5, units.case.size))
    size = _Contributions.size(h, span)
    # one slot table per application type (stream), folded for the totals
    sums = np.zeros(size * len(model.book.type_names))
    type_code = model.book.type_code
    fvec = _factors(b)
    n_units = units.case.size

    def add(rows: _Rows, pos: Ints, slot: Ints, value: Floats, fac: int, r: int,
            wm: Ints, rw: Floats | None) -> None:  # fmt: skip
        slot = slot + size * type_code[rows.case[pos]]
        if triplets:
            parts.append((
                rows.unit[pos], slot, value, rows.weight[pos],
                np.full(pos.size, fac, dtype=np.int64), np.full(pos.size, r, dtype=np.int64),
                wm[pos],
            ))  # fmt: skip
        else:
            weight = rows.weight[pos] * fvec[fac]
            if rw is not None:
                weight = weight * rw[pos]
            sums[:] += np.bincount(slot, weights=value * weight, minlength=sums.size)

    for k, (name, rows) in enumerate(
        (("notices", notices), ("appeals", appeals), ("judgments", judgments))
    ):
        new = np.flatnonzero(rows.projected & (rows.day > h.as_of) & (rows.day <= h.until))
        zero = np.zeros(rows.case.size, dtype=np.int64)
        add(rows, new, base[name] + h.month_of(rows.day[new]), np.ones(new.size), 0, 0, zero,
            None)  # fmt: skip
        totals[2 + k] = np.bincount(
            rows.unit, weights=rows.weight / units.weight[rows.unit], minlength=n_units
        )
    # the reading weights a triplet gets by month: with one reading they are all 1
    single = len(model.readings) == 1

    def month_key(days: Days) -> Ints:
        if single:
            return np.zeros(days.size, dtype=np.int64)
        return _month_number(np.where(np.isnat(days), model.h.as_of, days))

    repeat_on = isinstance((model.declared or b).repeat_appeal_share, Beta) or (
        b.share("repeat_appeal_share") > 0
    )
    for r, s in enumerate(model.readings):
        jobs: list[tuple[str, Any, _Rows, int]] = []
        jobs.append(("admin", _admin_arrays(model, notices, s), notices, _FAC_ONE))
        court = _court_arrays(model, court_rows, s)
        if court is not None:
            ok = (_valid_bits(model, court_rows) >> r) & 1 == 1
            # what the authority can still decide within the court's term: compliance
            can = ok & (court.due > h.as_of)
            for mask, fac in ((ok & ~can, _FAC_ONE), (can, _FAC_MISSED)):
                pos = np.flatnonzero(mask)
                if pos.size:
                    jobs.append(("court", _subset(court, pos), court_rows.take(pos), fac))
            if repeat_on:
                missed = court_rows.take(np.flatnonzero(can))
                rep = _repeat_rows(model, missed, _subset(court, np.flatnonzero(can)))
                rep_arrays = _court_arrays(model, rep, s, repeat_rows=True)
                if rep_arrays is not None:
                    jobs.append(("repeat", rep_arrays, rep, _FAC_REPEAT))
        for part, arrays, rows, fac in jobs:
            if arrays is None:
                continue
            wm = month_key(rows.notice if part == "admin" else rows.day)
            rw = _reading_weights(model, wm, r)
            rw_add = None if single and model.weights[0, 0] == 1.0 else rw
            amount = arrays.amount.astype(float)
            if part == "admin" or inverse is None:
                share = rows.weight / units.weight[rows.unit]
                totals[0 if part == "admin" else 1] += np.bincount(
                    rows.unit, weights=amount * share * rw * fvec[fac], minlength=n_units
                )
            else:
                sums_m = np.bincount(
                    rows.unit,
                    weights=amount * rows.weight * rw * fvec[fac],
                    minlength=merged_value.size,
                )
                merged_value[:] += np.divide(
                    sums_m, court_rows.weight, out=np.zeros_like(sums_m),
                    where=court_rows.weight > 0,
                )  # fmt: skip
            acc_slot = "admin_accrued" if part == "admin" else f"{part}_accrued"
            span_part = "admin" if part == "admin" else "court"
            for row, month, euros, after in _spread_rows(arrays, h):
                proj = month - (int(h.months[0].ordinal) - _ordinal0())
                inside = (proj >= 0) & (proj < m) & (after != 0)
                add(rows, row[inside], base[acc_slot] + proj[inside], after[inside], fac, r, wm,
                    rw_add)  # fmt: skip
                keep = (month >= lo) & (month <= span[1])
                add(rows, row[keep], span_base[f"{span_part}_accrued"] + month[keep] - lo,
                    euros[keep], fac, r, wm, rw_add)  # fmt: skip
            pay = np.flatnonzero(~np.isnat(arrays.payable_by) & (arrays.amount > 0))
            for lag, p in zip(b.payment_lag.days, b.payment_lag.probs, strict=True):
                paid = arrays.payable_by[pay] + np.timedelta64(lag, "D")
                pay_month = _month_number(paid)
                keep = (pay_month >= lo) & (pay_month <= span[1])
                add(rows, pay[keep], span_base[f"{span_part}_cash"] + pay_month[keep] - lo,
                    amount[pay][keep] * p, fac, r, wm, rw_add)  # fmt: skip
                now = (paid > h.as_of) & (paid <= h.until)
                cash_slot = "admin_cash" if part == "admin" else f"{part}_cash"
                add(rows, pay[now], base[cash_slot] + h.month_of(paid[now]),
                    amount[pay][now] * p, fac, r, wm, rw_add)  # fmt: skip
    if inverse is not None:
        # a merged judgment row's euros per unit of weight, shared out over its rows
        share = judgments.weight / units.weight[judgments.unit]
        totals[1] += np.bincount(
            judgments.unit, weights=merged_value[inverse] * share, minlength=n_units
        )
    if not triplets:
        empty = np.array([], dtype=np.int64)
        ones = np.ones(sums.size)
        return _Contributions(empty, np.arange(sums.size), sums, ones, totals, empty, empty, empty)
    if not parts:
        e = np.array([], dtype=np.int64)
        return _Contributions(e, e, np.zeros(0), np.zeros(0), totals, e, e, e)
    unit, slot, value, weight, fac_a, reading, wmonth = (
        np.concatenate([p[i] for p in parts]) for i in range(7)
    )
    return _Contributions(unit, slot, value, weight, totals, fac_a, reading, wmonth)


@dataclasses.dataclass(frozen=True)
class _Result:
    """One evaluation (an expected-value run or one draw)."""

    #: (application types, len(_PER_DRAW), m): the monthly table of each stream.
    by_type: Floats

    monthly: Floats  # (len(_PER_DRAW), m)
    per_case: Floats  # (5, n): admin, court, p_notice, p_appeal, p_judgment
    decision_hist: Floats  # (n, m + 2): decided before, in month 0..m-1, open at the end
    accrued: Floats  # (2, span): admin/court euros per month of their penalty days
    cash: Floats  # (2, span): admin/court euros per month they fall due


def _stocks(model: _Model, units: _Units, alloc: _Allocation) -> Floats:
    """Decisions per month, the open and overdue stocks at each month's end and the decisions
    made within the decision term (the authority's reading) per month (4 x m)."""
    bk, h = model.book, model.h
    m = h.m
    out = np.zeros((4, m))
    w = units.weight
    done = (alloc.month >= 0) & (alloc.month < m)
    out[0] = np.bincount(alloc.month[done], weights=w[done], minlength=m)[:m]
    timely = done & (alloc.decided <= bk.deadline[units.case])
    out[3] = np.bincount(alloc.month[timely], weights=w[timely], minlength=m)[:m]
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
    c = _contributions_per_behaviour(model, units, alloc.decided)
    by_type = _monthly_by_type(model, c.value, _stocks_by_type(model, units, alloc))
    monthly = by_type.sum(axis=0)
    if stocks is not None:
        col = {name: i for i, name in enumerate(_PER_DRAW)}
        monthly[[col["decisions"], col["open"], col["overdue"], col["decided_in_term"]]] = stocks
    span_slots = _Contributions.split(_fold(c.value, model), h, model.span)[1]
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
    return _Result(
        by_type, monthly, per_case, hist.reshape(-1, m + 2), span_slots[:2], span_slots[2:]
    )


def _contributions_per_behaviour(model: _Model, units: _Units, decided: Days) -> _Contributions:
    """:func:`_contributions` (slot totals), run once per behaviour when the behaviour is given
    per application type: cases are independent given the decision days, so the totals add."""
    if not model.by_type:
        return _contributions(model, units, decided, triplets=False)
    code = model.book.type_code[units.case]
    groups: dict[int, list[int]] = {}
    seen: list[Behaviour] = []
    for t, bh in model.by_type.items():
        k = next((i for i, x in enumerate(seen) if x == bh), None)
        if k is None:
            seen.append(bh)
            k = len(seen) - 1
        groups.setdefault(k, []).append(t)
    sums: Floats | None = None
    totals = np.zeros((5, units.case.size))
    for k, types in groups.items():
        rows = np.flatnonzero(np.isin(code, types))
        if rows.size == 0:
            continue
        sub = dataclasses.replace(model, b=seen[k], declared=seen[k])
        c = _contributions(sub, units.take(rows), decided[rows], triplets=False)
        sums = c.value if sums is None else sums + c.value
        totals[:, rows] = c.unit_totals
    if sums is None:
        return _contributions(model, units, decided, triplets=False)
    empty = np.array([], dtype=np.int64)
    return _Contributions(
        empty, np.arange(sums.size), sums, np.ones(sums.size), totals, empty, empty, empty
    )


def _fold(values: Floats, model: _Model) -> Floats:
    """Slot totals summed over the application types."""
    t = len(model.book.type_names)
    return np.asarray(values.reshape(t, -1).sum(axis=0), dtype=float)


def _stocks_by_type(model: _Model, units: _Units, alloc: _Allocation) -> Floats:
    """:func:`_stocks` per application type: (types, 4, m)."""
    code = model.book.type_code[units.case]
    out = np.zeros((len(model.book.type_names), 4, model.h.m))
    for t in np.unique(code):
        rows = np.flatnonzero(code == t)
        sub = _Allocation(alloc.decided[rows], alloc.month[rows])
        out[int(t)] = _stocks(model, units.take(rows), sub)
    return out


def _monthly_by_type(model: _Model, values: Floats, stocks: Floats) -> Floats:
    """The monthly tables (types, len(_PER_DRAW), m) from per-type slot totals and stocks."""
    h, t = model.h, len(model.book.type_names)
    col = {name: i for i, name in enumerate(_PER_DRAW)}
    out = np.zeros((t, len(_PER_DRAW), h.m))
    for k, part in enumerate(values.reshape(t, -1)):
        months = _Contributions.split(part, h, model.span)[0]
        out[k, [col["decisions"], col["open"], col["overdue"], col["decided_in_term"]]] = stocks[k]
        for i, name in enumerate(_MONTH_SLOTS):
            out[k, col[name]] = months[i]
    return out


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
                nationality=_nationality(bk, rows.case),
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
                scenario=model.s, received=bk.received[rows.case], heard=bk.heard[rows.case],
                appeal_filed=np.where(rec, bk.appeal[rows.case], _NAT),
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
