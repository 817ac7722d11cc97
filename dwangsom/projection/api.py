"""The public entry points: :func:`project`, :func:`compare_projections`, :func:`sensitivity`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..behaviour import Behaviour
from ..errors import DwangsomError
from ..policies import MonthState, Policy
from ..policies import get as _get_policy
from ..scenario import Scenario
from ._common import _EXPAND, _NAT, _PER_DRAW, BASES, MEASURES, PARTS, QUANTILES
from .allocation import _allocate, _court_due, _group
from .chains import _branch_units, _case_units, _latent
from .evaluation import _avoided, _evaluate, _stocks_by_type
from .inputs import _book, _capacity, _horizon, _inflow_by_type, _Model, _readings
from .montecarlo import _run_draws
from .result import Projection, _cases_frame, _frame, _liability_tables, _period, _span


def project(
    cases: pd.DataFrame,
    *,
    as_of: Any,
    until: Any,
    inflow: Any,
    capacity: Any,
    policy: Policy | str | Callable[[MonthState], Any] = "fifo",
    behaviour: Behaviour | Mapping[str, Behaviour] | None = None,
    scenario: Scenario | str | Mapping[Scenario | str, Any] | None = None,
    authority_scenario: Scenario | str | None = None,
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
    - ``behaviour``: :class:`~dwangsom.behaviour.Behaviour` (default: its documented defaults),
      or a mapping application type -> Behaviour (types not named get the defaults; expected
      value with fifo / deadline-first / split only).
    - ``scenario``: a :class:`~dwangsom.scenario.Scenario` or preset name ("as-applied").
    - ``draws``/``seed``: Monte Carlo with ``draws`` sampled event chains; ``None``: expected
      values. ``executor``: any :class:`concurrent.futures.Executor` to spread the draws
      (its workers must be able to unpickle the policy: no lambdas in process pools).
    """
    rd = _readings(scenario, authority_scenario)
    s = rd.authority
    per_type: dict[str, Behaviour] = {}
    if isinstance(behaviour, Mapping):
        # one Behaviour per application type (issue 8, item 1); types not named: the defaults
        known = [r.application_type for r in s.application_types]
        if not any(key in known for key in behaviour):
            raise DwangsomError(
                "behaviour: a dwangsom.Behaviour expected (or a mapping application type -> "
                f"Behaviour, types {', '.join(known)}), got keys {', '.join(map(str, behaviour))}"
            )
        for key, value in behaviour.items():
            if key not in known:
                raise DwangsomError(
                    f"behaviour: {key!r} is not an application type of the scenario "
                    f"({', '.join(known)})"
                )
            if not isinstance(value, Behaviour):
                raise DwangsomError(
                    f"behaviour[{key!r}]: a dwangsom.Behaviour expected, got {type(value).__name__}"
                )
            per_type[str(key)] = value
        b = per_type.get("asylum", Behaviour())
    else:
        b = Behaviour() if behaviour is None else behaviour
    if not isinstance(b, Behaviour):
        raise DwangsomError(f"behaviour: a dwangsom.Behaviour expected, got {type(b).__name__}")
    pol = _get_policy(policy)
    if per_type and (draws is not None or pol.needs_events or pol.needs_score):
        raise DwangsomError(
            "behaviour: a mapping per application type works in expected-value mode with a "
            "policy that does not look at events (fifo, deadline-first, split); give one "
            "Behaviour for Monte Carlo, court_orders_first and least-liability"
        )
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws < 1):
        raise DwangsomError(f"draws: a whole number >= 1 or None expected, got {draws!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise DwangsomError(f"seed: a whole number >= 0 or None expected, got {seed!r}")
    if executor is not None and not isinstance(executor, Executor):
        raise DwangsomError(
            f"executor: a concurrent.futures.Executor expected, got {type(executor).__name__}"
        )
    h = _horizon(as_of, until)
    types = [r.application_type for r in s.application_types]
    inflow_t = _inflow_by_type(inflow, h, types)
    inflow_n = inflow_t.sum(axis=0)
    caps = _capacity(capacity, h, types)
    declared = b
    b = b.expected()
    bk = _book(cases, h, s, b, inflow_t, rd.scenarios)
    ta_names = {r.application_type for r in s.application_types if r.temporary_act}
    ta = np.isin(np.asarray(bk.type_names, dtype=object)[bk.type_code], list(ta_names))
    span = _span(bk, h, s, max(declared.payment_lag.days))
    model = _Model(
        bk, h, s, b, pol, caps, ta, span, readings=rd.scenarios, weights=rd.weights,
        weight_month0=rd.month0, declared=declared,
        by_type={
            i: per_type.get(name, Behaviour()).expected() for i, name in enumerate(bk.type_names)
        } if per_type else {},
    )  # fmt: skip
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
        by_type = res.by_type
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
        # the monthly stocks of a schedule that does not depend on the draws: every draw's
        stocks = None if static is None else _stocks_by_type(model, static_units, static)
        seeds = np.random.SeedSequence(seed).spawn(draws)
        batches = _run_draws(executor, model, seeds, static, avoided, stocks)
        monthly_all = np.concatenate([x.monthly for x in batches])
        monthly = monthly_all.mean(axis=0)
        by_type = sum((x.by_type for x in batches), np.zeros_like(batches[0].by_type)) / draws
        per_case = sum((x.per_case for x in batches), np.zeros((5, bk.n))) / draws
        if static is None:
            hist = sum((x.decision_hist for x in batches), np.zeros((bk.n, h.m + 2))) / draws
        else:
            hist = np.zeros((bk.n, h.m + 2))
            hist[static_units.case, static.month + 1] = 1.0
        accrued = sum((x.accrued for x in batches), np.zeros((2, span[1] - span[0] + 1))) / draws
        cash = sum((x.cash for x in batches), np.zeros((2, span[1] - span[0] + 1))) / draws

    total_caps = caps if caps.ndim == 1 else caps.sum(axis=0)
    frame = _frame(h, inflow_n, total_caps, monthly)
    present = np.unique(bk.type_code)
    new_types = bk.type_code[bk.source == "new"]
    streams = {}
    for t in present:
        name = bk.type_names[int(t)]
        counts = np.bincount(bk.entry[bk.source == "new"][new_types == t], minlength=h.m)[: h.m]
        own = total_caps if caps.ndim == 1 else caps[int(t)]
        streams[name] = _frame(h, counts, own, by_type[int(t)])
    if monthly_all is not None:
        per_draw = {name: monthly_all[:, i] for i, name in enumerate(_PER_DRAW)}
        for basis in BASES:
            per_draw[f"total_{basis}"] = (
                per_draw[f"admin_{basis}"]
                + per_draw[f"court_{basis}"]
                + per_draw[f"repeat_{basis}"]
            )
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
        _streams=streams, readings=tuple(zip(rd.scenarios, rd.weights.mean(axis=1), strict=True)),
        reading_label=rd.label,
    )  # fmt: skip


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
        row = p._headline()
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
    share = b.share("notice_share")
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
    up = share + notice_step <= 1 + 1e-12
    notice = b.replace(notice_share=min(1.0, share + notice_step) if up else share - notice_step)
    slower = b.replace(judgment_lag=b.judgment_lag.shifted(court_delay_days))
    shift = (
        f"+{notice_step * 100:.0f} points notice propensity"
        if up
        else f"{notice_step * 100:.0f} points less notice propensity ({share:g} -> "
        f"{notice.share('notice_share'):g}; change per {notice_step * 100:.0f} points more)"
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
