"""Inputs and streams: the horizon, monthly inflow and capacity, and the book of cases (the
table's rows, then the projected inflow) with their deadlines and recorded events."""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import engine
from .._dates import as_date
from ..behaviour import Behaviour
from ..errors import DwangsomError, OrderError, ProjectionWarning
from ..policies import Policy
from ..scenario import Scenario
from ..synthetic import _monthly, spread_over_days
from ._common import (
    _NAT,
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
    _month_number,
    _ordinal0,
)


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


def _stream_input(value: Any, name: str, h: _Horizon, types: Sequence[str]) -> Floats:
    """A monthly DataFrame with one column per application type (issue 8, item 1): one row of
    figures per type of ``types`` (a type without a column gets zeros)."""
    assert isinstance(value, pd.DataFrame)
    unknown = [str(c) for c in value.columns if str(c) not in types]
    if unknown:
        raise DwangsomError(
            f"{name}: column(s) {', '.join(unknown)} are not application types of the scenario "
            f"({', '.join(types)})"
        )
    out = np.zeros((len(types), h.m))
    for column in value.columns:
        out[list(types).index(str(column))] = _monthly_input(
            value[column], f"{name}[{column!r}]", h
        )
    return out


def _per_month(values: Floats, h: _Horizon) -> Ints:
    """Whole numbers per month: the month's figure times the share of its days inside the
    projection, rounded half up (rounding is monotone: more in never gives less out)."""
    return np.floor(values * h.days / h.full + 0.5).astype(np.int64)


def _inflow_by_type(inflow: Any, h: _Horizon, types: Sequence[str]) -> Ints:
    """New applications per (application type, month): a Series or number is asylum."""
    if isinstance(inflow, pd.DataFrame):
        return _per_month(_stream_input(inflow, "inflow", h, types), h)
    out = np.zeros((len(types), h.m), dtype=np.int64)
    out[list(types).index("asylum")] = _per_month(_monthly_input(inflow, "inflow", h), h)
    return out


def _capacity(capacity: Any, h: _Horizon, types: Sequence[str]) -> Ints:
    """Decisions per month: one shared pool (a number, Series or sequence, as before), or a
    DataFrame with a pool per application type (m, or types x m)."""
    if isinstance(capacity, pd.DataFrame):
        return _per_month(_stream_input(capacity, "capacity", h, types), h)
    return _per_month(_monthly_input(capacity, "capacity", h), h)


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
    #: Decision deadline under each reading (``scenario=`` a mapping; one entry otherwise).
    deadlines: tuple[Days, ...]
    #: The earliest of the authority's, the readings' and the unextended deadline: the term a
    #: premature notice counts from.
    early: Days
    #: ISO alpha-3 nationality per case (None: not known; moratoria, RULES §2), or None when the
    #: table has no nationality column; new inflow has none.
    nationality: npt.NDArray[np.object_] | None = None
    #: Heard on the asylum motives before the judgment (the court's term, RULES §6).
    heard: Bools = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def n(self) -> int:
        return int(self.received.size)

    def kinds(self, rows: Ints) -> Any:
        codes = self.type_code[rows]
        if codes.size == 0 or (codes == codes[0]).all():
            return self.type_names[int(codes[0]) if codes.size else 0]
        return np.asarray(self.type_names, dtype=object)[codes]


def _parse_table(cases: Any, s: Scenario, as_of: np.datetime64) -> Any:
    from ..cases import ParsedCases, parse_cases

    # a table parsed once (dwangsom.cases.parse_cases) is used as it is (issue 12, item 1)
    parsed = cases if isinstance(cases, ParsedCases) else parse_cases(cases, scenario=s)
    late = parsed.dates["received"] > as_of
    if late.any():
        first = parsed.ids.iloc[np.flatnonzero(late)[:3]]
        raise OrderError(
            f"received: case(s) {', '.join(map(str, first))} received after as_of {as_of}; the "
            "case table must be the one as of the reference date (new cases come from inflow)"
        )
    group = parsed.court_group
    if group is not None and bool((group >= 0).any()):
        linked = np.flatnonzero(group >= 0)
        named = ", ".join(map(str, parsed.ids.iloc[linked[:3]]))
        warnings.warn(
            f"court_group: {linked.size} linked case(s) ({named}, ...) share one court penalty "
            "(RULES §6, ECLI:NL:RBDHA:2026:2612), which projections do not model: each is "
            "projected with a court penalty of its own, so the group's penalty is counted once "
            "per member, not once; dwangsom.assess gives the joint penalty to date",
            ProjectionWarning,
            stacklevel=4,
        )
    return parsed


def _book(
    cases: Any,
    h: _Horizon,
    s: Scenario,
    behaviour: Behaviour,
    inflow_counts: Ints,
    readings: tuple[Scenario, ...] = (),
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
    counts = np.atleast_2d(inflow_counts)
    if counts.shape[0] == 1 and len(names) > 1:
        full = np.zeros((len(names), h.m), dtype=np.int64)
        full[asylum] = counts[0]
        counts = full
    # per month, then per type within the month (receipt days spread per stream)
    month_of = np.repeat(np.tile(np.arange(h.m, dtype=np.int64), len(names)), counts.reshape(-1))
    type_of = np.repeat(np.repeat(np.arange(len(names), dtype=np.int64), h.m), counts.reshape(-1))
    days_of = np.concatenate(
        [spread_over_days(h.start, np.maximum(h.days, 1), row) for row in counts]
    ) if counts.size else np.array([], dtype="datetime64[D]")  # fmt: skip
    order = np.lexsort((type_of, days_of, month_of)) if days_of.size else np.zeros(0, np.int64)
    new_received = days_of[order]
    new_entry = month_of[order]
    k = new_received.size
    received = np.concatenate([d["received"], new_received])
    code = np.concatenate([table_code, type_of[order]])
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
    heard = np.concatenate([parsed.bools["heard"], np.zeros(k, dtype=bool)])
    nationality = (
        None
        if parsed.nationality is None
        else np.concatenate([parsed.nationality, np.full(k, None, dtype=object)])
    )

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
        decision = engine.decision_term(
            received,
            scenario=s,
            application_type=kind_arg,
            extension_months=extension,
            nationality=nationality,
            decided=pad(d["decided"]),
        )
        deadline = decision.deadline
    notice, appeal, judgment = (
        pad(d["notice_received"]),
        pad(d["appeal_filed"]),
        pad(d["judgment_sent"]),
    )
    decided = pad(d["decided"])
    # a notice counts after the term, or before a moratorium that extended an expired term
    # (RULES §2, ECLI:NL:RBDHA:2025:14982)
    valid = engine._notice_counts(notice, decision) if received.size else np.zeros(0, dtype=bool)
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
            received=received[has_j], heard=heard[has_j], appeal_filed=appeal[has_j],
        ).due  # fmt: skip
    deadlines = []
    for r in readings or (s,):
        if r is s or received.size == 0:
            deadlines.append(deadline)
        else:
            deadlines.append(
                engine.decision_deadline(
                    received,
                    scenario=r,
                    application_type=kind_arg,
                    extension_months=extension,
                    nationality=nationality,
                    decided=pad(d["decided"]),
                )
            )
    # the shortest term: no categorical extension (RULES §2: six months from receipt), the
    # term a premature notice counts from whichever readings are weighted
    short = s if not s.extensions else s.replace(name=f"{s.name}, no extension",
                                                 extensions=frozenset())  # fmt: skip
    if received.size and short is not s:
        shortest = engine.decision_deadline(
            received,
            scenario=short,
            application_type=kind_arg,
            extension_months=extension,
            nationality=nationality,
            decided=pad(d["decided"]),
        )
    else:
        shortest = deadline
    early = np.minimum.reduce([deadline, shortest, *deadlines]) if received.size else deadline
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
        due=due, deadlines=tuple(deadlines), early=early, nationality=nationality, heard=heard,
    )  # fmt: skip


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
    #: The courts' readings (scenarios) and their weights (readings x months from
    #: ``weight_month0``, a numpy month number; one column when the weights are constant).
    readings: tuple[Scenario, ...] = ()
    weights: Floats = dataclasses.field(default_factory=lambda: np.ones((1, 1)))
    weight_month0: int = 0
    #: The behaviour as given (with its distributions); ``b`` is its expected version.
    declared: Behaviour | None = None
    #: One (expected) behaviour per application-type code, when given per type; empty: ``b``.
    by_type: dict[int, Behaviour] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class _Readings:
    authority: Scenario
    scenarios: tuple[Scenario, ...]
    weights: Floats  # (readings, months)
    month0: int  # numpy month number of the first column
    label: str


def _readings(scenario: Any, authority: Any) -> _Readings:
    """The courts' readings and their weights from ``scenario=`` (one scenario, or a mapping
    of scenarios to probabilities or monthly Series of probabilities) and the authority's
    own reading (``authority_scenario=``: by default the one scenario, or "as-applied" with a
    mapping)."""
    from ..scenario import scenario as _scenario

    if not isinstance(scenario, Mapping):
        s = _scenario(scenario)
        auth = s if authority is None else _scenario(authority)
        return _Readings(auth, (s,), np.ones((1, 1)), 0, s.name)
    if not scenario:
        raise DwangsomError("scenario: an empty mapping; give at least one reading")
    names: list[Scenario] = []
    values: list[Any] = []
    for key, weight in scenario.items():
        names.append(_scenario(key))
        values.append(weight)
    series = [v for v in values if isinstance(v, pd.Series)]
    if series:
        months = None
        for i, v in enumerate(series):
            idx = pd.PeriodIndex(_monthly(v, f"scenario weight {i}").index)
            months = idx if months is None else months.union(idx)
        assert months is not None
        full = pd.period_range(months.min(), months.max(), freq="M")
    else:
        full = pd.period_range("2000-01", periods=1, freq="M")
    rows = []
    for s, v in zip(names, values, strict=True):
        if isinstance(v, pd.Series):
            w = _monthly(v, f"scenario[{s.name!r}]").reindex(full).ffill().bfill()
            arr = w.to_numpy(dtype=float)
        elif isinstance(v, int | float | np.floating) and not isinstance(v, bool):
            arr = np.full(len(full), float(v))
        else:
            raise DwangsomError(
                f"scenario[{s.name!r}]: a probability or a monthly Series expected, got {v!r}"
            )
        if not np.isfinite(arr).all() or (arr < 0).any() or (arr > 1).any():
            raise DwangsomError(f"scenario[{s.name!r}]: probabilities must be in 0..1")
        rows.append(arr)
    weights = np.vstack(rows)
    total = weights.sum(axis=0)
    if not np.allclose(total, 1.0, atol=1e-9):
        bad = int(np.argmax(np.abs(total - 1)))
        where = f" in {full[bad]}" if series else ""
        raise DwangsomError(
            f"scenario: the readings' probabilities sum to {total[bad]:g}{where}, not 1"
        )
    auth = _scenario("as-applied" if authority is None else authority)
    month0 = int(full[0].ordinal) - int(pd.Period("1970-01", freq="M").ordinal)
    label = " + ".join(
        f"{s.name} {v:g}" if not isinstance(v, pd.Series) else f"{s.name} (monthly)"
        for s, v in zip(names, values, strict=True)
    )
    return _Readings(auth, tuple(names), weights, month0 if series else 0, label)
