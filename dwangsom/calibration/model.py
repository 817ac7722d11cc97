"""The model side of a calibration: parameters in, predicted aggregates out.

A :class:`Hindcast` is a projection (:func:`dwangsom.project`) that starts *before* the reference
date, from a stock rebuilt at an earlier day (for the 2023 setting, 1 Jan 2022), with the inflow
and decisions known at the reference date. For a set of parameter values it runs the projection
and reads off, for every observation, the model's value of the same aggregate over the same
period: the notices of 2022, the cash of 2019, the open stock of 31 Dec 2022, the share decided
within the term. :func:`dwangsom.calibrate` moves the parameters until those values meet the
published ones.

Parameters (:class:`Parameter`) name what they change:

- a share field of :class:`dwangsom.Behaviour` (``notice_share``, ``appeal_share``, ...): its
  value;
- a lag field (``notice_lag``, ``judgment_lag``, ...): its **mean in days**; the lag's
  distribution is shifted to that mean, the fractional day as a mixture of the two neighbouring
  whole-day shifts (so the projection moves smoothly with the value and a finite-difference
  Jacobian exists);
- any other name registered in :data:`APPLIERS` (a function of the inputs and the value).

>>> import pandas as pd
>>> from dwangsom import Behaviour
>>> lag_mean(Behaviour().judgment_lag)
56.0
>>> with_mean(Behaviour().judgment_lag, 70.25)
Lag({70: 0.75, 71: 0.25})
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._dates import as_date
from ..behaviour import Behaviour, Lag
from ..errors import DwangsomError
from ..projection import Projection, project
from .observations import (
    FLOW_MEASURES,
    STOCK_MEASURES,
    OutsideWindowError,
    UnknownMeasureError,
)

__all__ = [
    "APPLIERS",
    "Hindcast",
    "Inputs",
    "Parameter",
    "lag_mean",
    "with_mean",
]

Floats = npt.NDArray[np.float64]

_FLOW_COLUMNS = {
    "notices": "notices",
    "appeals": "appeals",
    "judgments": "judgments",
    "decisions": "decisions",
    "cash": "total_cash",
    "admin_cash": "admin_cash",
    "court_cash": "court_cash",
    "accrued": "total_accrued",
    "admin_accrued": "admin_accrued",
    "court_accrued": "court_accrued",
    "repeat_cash": "repeat_cash",
    "repeat_accrued": "repeat_accrued",
}


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One parameter to fit: its ``name``, starting value and bounds, and where the start and the
    bounds come from (shown in the calibration's summary)."""

    name: str
    initial: float
    lower: float
    upper: float
    source: str = ""
    #: Finite-difference step for the Jacobian (absolute); None: 1e-4 of the bounds' range.
    #: A parameter the projection rounds (a capacity becomes whole decisions a month) needs a
    #: step that moves the rounded value.
    step: float | None = None

    def __post_init__(self) -> None:
        if not self.lower <= self.initial <= self.upper or not self.lower < self.upper:
            raise DwangsomError(
                f"Parameter {self.name!r}: lower <= initial <= upper and lower < upper expected, "
                f"got {self.lower!r}, {self.initial!r}, {self.upper!r}"
            )


@dataclasses.dataclass(frozen=True)
class Inputs:
    """What a parameter may change: the behaviour, the policy, the scenario and any further
    keyword arguments of :func:`dwangsom.project`."""

    behaviour: Behaviour
    policy: Any
    scenario: Any
    extra: Mapping[str, Any]
    #: Weights of the hindcast's legal readings (label -> probability); empty: one scenario.
    weights: Mapping[str, float] = dataclasses.field(default_factory=dict)
    #: Factor on the model's capacity (every month, every part of a capacity sequence).
    capacity_factor: float = 1.0


def lag_mean(lag: Lag) -> float:
    """Expected days of ``lag``."""
    return lag.mean


def with_mean(lag: Lag, mean: float, *, minimum: int = 1) -> Lag:
    """``lag`` shifted so that its mean is ``mean`` (a fractional shift is a mixture of the two
    neighbouring whole-day shifts). Refuses a mean that would put a lag below ``minimum`` days
    (1; 0 for the payment lag)."""
    lag = getattr(lag, "mixture", lag)  # an uncertain LagRange shifts as its mixture
    delta = float(mean) - lag.mean
    k = math.floor(delta)
    f = delta - k
    if min(lag.days) + k < minimum:
        raise DwangsomError(
            f"lag mean {mean!r}: the shortest lag would fall below {minimum} day(s) "
            f"(distribution {lag!r}); raise the lower bound to at least "
            f"{lag.mean - min(lag.days) + minimum:g}"
        )
    pmf: dict[int, float] = {}
    for d, p in zip(lag.days, lag.probs, strict=True):
        pmf[d + k] = pmf.get(d + k, 0.0) + p * (1 - f)
        if f > 0:
            pmf[d + k + 1] = pmf.get(d + k + 1, 0.0) + p * f
    return Lag({d: p for d, p in pmf.items() if p > 0}, "lag", minimum=minimum)


def _behaviour_applier(name: str) -> Callable[[Inputs, float], Inputs] | None:
    fields = {f.name: f for f in dataclasses.fields(Behaviour)}
    if name not in fields:
        return None
    default = getattr(Behaviour(), name)
    if hasattr(default, "mean") and hasattr(default, "days"):  # a Lag (or LagRange)
        minimum = 0 if name == "payment_lag" else 1

        def lag(inputs: Inputs, value: float) -> Inputs:
            b = inputs.behaviour
            changed = b.replace(**{name: with_mean(getattr(b, name), value, minimum=minimum)})
            return dataclasses.replace(inputs, behaviour=changed)

        return lag
    if isinstance(default, float) or hasattr(default, "a"):  # a share (or a Beta share)

        def share(inputs: Inputs, value: float) -> Inputs:
            changed = inputs.behaviour.replace(**{name: float(value)})
            return dataclasses.replace(inputs, behaviour=changed)

        return share
    return None


def _void_weight(inputs: Inputs, value: float) -> Inputs:
    """The weight of the reading labelled ``extensions-void``; the other readings share the rest
    in their current proportions."""
    w = dict(inputs.weights)
    if "extensions-void" not in w:
        raise DwangsomError(
            "void_weight: the model needs readings with one labelled 'extensions-void' "
            f"(has {', '.join(w) or 'a single scenario'})"
        )
    if not 0.0 <= value <= 1.0:
        raise DwangsomError(f"void_weight: a weight in 0..1 expected, got {value!r}")
    rest = {k: v for k, v in w.items() if k != "extensions-void"}
    total = sum(rest.values())
    out = {k: (v / total if total > 0 else 1 / len(rest)) * (1 - value) for k, v in rest.items()}
    out["extensions-void"] = value
    return dataclasses.replace(inputs, weights=out)


def _capacity_factor(inputs: Inputs, value: float) -> Inputs:
    if not value > 0:
        raise DwangsomError(f"capacity_factor: a factor > 0 expected, got {value!r}")
    return dataclasses.replace(inputs, capacity_factor=float(value))


def _spread_days(inputs: Inputs, value: float) -> Inputs:
    """FIFO with a seeded spread of ``value`` days in the decision order
    (``policies.fifo(spread_days=...)``, whole days; give the parameter a step of a day or
    more). Refused, by name, where the installed policies have no spread."""
    import inspect

    from .. import policies

    if "spread_days" not in inspect.signature(policies.fifo).parameters:
        raise DwangsomError(
            "spread_days: this version of dwangsom.policies.fifo has no spread_days (the "
            "aged-order driver of the forecast-model issue); it cannot be fitted yet"
        )
    if value < 0:
        raise DwangsomError(f"spread_days: a number of days >= 0 expected, got {value!r}")
    policy = policies.fifo(spread_days=round(value))  # type: ignore[call-arg,unused-ignore]
    return dataclasses.replace(inputs, policy=policy)


def scaled_capacity(capacity: Any, factor: float) -> Any:
    """``capacity`` (a number, a monthly Series or a sequence of those) times ``factor``."""
    if factor == 1.0:
        return capacity
    if isinstance(capacity, list | tuple):
        return [scaled_capacity(c, factor) for c in capacity]
    return capacity * factor


#: Parameters that are not a plain Behaviour field: name -> function(inputs, value) -> inputs.
#: ``void_weight``: the probability of the "extensions-void" reading among the model's readings;
#: ``capacity_factor``: a factor on the model's decisions per month (e.g. fitted to a published
#: stock where the decisions themselves are not published); ``spread_days``: FIFO with that
#: spread in the decision order (fits the published share decided within the term).
APPLIERS: dict[str, Callable[[Inputs, float], Inputs]] = {
    "void_weight": _void_weight,
    "capacity_factor": _capacity_factor,
    "spread_days": _spread_days,
}


def applier(name: str) -> Callable[[Inputs, float], Inputs]:
    """How parameter ``name`` changes the inputs (a :data:`APPLIERS` entry or a Behaviour
    field); an unknown name raises."""
    if name in APPLIERS:
        return APPLIERS[name]
    found = _behaviour_applier(name)
    if found is None:
        fields = [f.name for f in dataclasses.fields(Behaviour)]
        raise DwangsomError(
            f"parameter {name!r}: not a Behaviour share or lag field ({', '.join(fields)}) and "
            f"not a registered parameter ({', '.join(APPLIERS) or 'none'})"
        )
    return found


@dataclasses.dataclass(frozen=True)
class Hindcast:
    """A projection from ``start`` (the rebuilt stock ``cases`` on that day) to ``until``, with
    ``inflow``, ``capacity``, ``policy``, ``behaviour`` and ``scenario`` as for
    :func:`dwangsom.project`; ``extra`` holds further keyword arguments of ``project``.

    Counts in ``cases``, ``inflow`` and ``capacity`` may be scaled down by ``scale`` (a share of
    the cases, for speed); model values are divided by it before they meet an observation.
    ``streams`` are the application types the projection covers; ``stands_for`` maps an
    observation's stream to one the model covers when a setting assumes so (e.g. the IND's
    notices of all application types taken as asylum notices), stated where the setting is
    defined. An observation of any other stream is refused.
    """

    cases: pd.DataFrame
    start: Any
    until: Any
    inflow: Any
    capacity: Any
    policy: Any = "fifo"
    behaviour: Behaviour = dataclasses.field(default_factory=Behaviour)
    scenario: Any = None
    scale: float = 1.0
    streams: tuple[str, ...] = ("asylum",)
    stands_for: Mapping[str, str] = dataclasses.field(default_factory=dict)
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: How notices of applicants already overdue at ``start`` count: ``"count"`` as the
    #: projection places them (a notice whose lag ended before ``start`` arrives on the first
    #: projected day, the catch-up), ``"exclude"``: the catch-up is taken out of the notice
    #: counts - an applicant ``d`` days overdue at ``start`` would have sent it before the window
    #: with probability ``P(lag <= d)`` (the principled count of
    #: docs/examples/notice_propensity_2022.py). Use ``"exclude"`` for a rebuilt stock that
    #: records no notices.
    catch_up: str = "count"
    #: Legal readings (label -> scenario) combined with ``weights`` (label -> probability)
    #: instead of the single ``scenario``: every model value is the weighted sum of the
    #: readings' values. Exact when the decisions do not depend on the reading (an order that
    #: ignores deadlines, such as FIFO by receipt, with the same capacity).
    readings: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    weights: Mapping[str, float] = dataclasses.field(default_factory=dict)
    #: The authority's reading (``authority_scenario`` of :func:`dwangsom.project`): it decides
    #: and orders its work under it whatever reading sets the penalty, so every reading shares
    #: the same decision dates. None: the projection's default ("as-applied").
    authority: Any = None

    def __post_init__(self) -> None:
        if self.catch_up not in ("count", "exclude"):
            raise DwangsomError(f"catch_up: 'count' or 'exclude' expected, got {self.catch_up!r}")
        if set(self.readings) != set(self.weights):
            raise DwangsomError("readings and weights: the same labels expected")
        if self.weights and not math.isclose(sum(self.weights.values()), 1.0, abs_tol=1e-9):
            raise DwangsomError(f"weights: must sum to 1, got {sum(self.weights.values())!r}")

    def inputs(self, params: Mapping[str, float]) -> Inputs:
        """The inputs with ``params`` applied (in the order given)."""
        out = Inputs(self.behaviour, self.policy, self.scenario, dict(self.extra),
                     dict(self.weights))  # fmt: skip
        for name, value in params.items():
            out = applier(name)(out, float(value))
        return out

    def run(
        self,
        params: Mapping[str, float],
        *,
        until: Any = None,
        draws: int | None = None,
        seed: int | None = None,
        reading: str | None = None,
    ) -> Projection:
        """The projection with ``params`` applied, to ``until`` (default the window's end),
        under the model's scenario or, with ``reading``, under that one of its readings."""
        x = self.inputs(params)
        if reading is not None and reading not in self.readings:
            raise DwangsomError(f"reading: {reading!r} is not one of {', '.join(self.readings)}")
        if reading is None and self.readings:
            raise DwangsomError("reading: this model combines readings; name one to run")
        return self._project(x, self.readings[reading] if reading else x.scenario, until,
                             draws, seed)  # fmt: skip

    def _project(
        self, x: Inputs, scenario: Any, until: Any, draws: int | None, seed: int | None
    ) -> Projection:
        extra = dict(x.extra)
        if self.authority is not None:
            extra.setdefault("authority_scenario", self.authority)
        return project(
            self.cases, as_of=self.start, until=self.until if until is None else until,
            inflow=self.inflow, capacity=scaled_capacity(self.capacity, x.capacity_factor),
            policy=x.policy, behaviour=x.behaviour, scenario=scenario, draws=draws, seed=seed,
            **extra,
        )  # fmt: skip

    def predict(self, params: Mapping[str, float], table: pd.DataFrame) -> Floats:
        """The model's value of every observation in ``table`` at ``params``: from one run, or
        the weighted sum over the readings, each run on its own with the same authority's
        reading (a reading of weight 0 is not run). The weighted sum is linear in the weights
        by construction; it equals the projection's own weighted mode (``scenario=`` a
        mapping) for an order that ignores deadlines (FIFO by receipt) with no court
        compliance; it was kept when that mode's monthly event counts were found not linear in
        the weights (fixed on the issue-8 branch in 9f902df; docs/forecasts.md)."""
        if not self.readings:
            return self.values(self.run(params), table)
        weights = self.inputs(params).weights
        total = np.zeros(len(table))
        for label, w in weights.items():
            if w > 0:
                total += w * self.values(self.run(params, reading=label), table)
        return total

    def catch_up_notices(self, p: Projection) -> float:
        """The expected notices the projection ``p`` places on its first day only because their
        lag ended before ``start`` (scaled counts, as in ``p``): for each case open at ``start``
        without a recorded notice and ``d >= 1`` days past its deadline,
        ``notice_share * P(lag <= d)``."""
        return _catch_up(self, p)

    # --- observations ----------------------------------------------------------------------

    def check(self, table: pd.DataFrame) -> None:
        """Refuse every row of a validated observation table the model cannot compute: an
        unknown measure (:class:`UnknownMeasureError`), a stream it does not cover, or a period
        outside ``(start, until]`` (:class:`OutsideWindowError`)."""
        first = np.datetime64(as_date(self.start, "start"), "D") + np.timedelta64(1, "D")
        last = np.datetime64(as_date(self.until, "until"), "D")
        for i, row in table.iterrows():
            name = f"row {i} ({row['measure']}, {row['stream']}, {row['period_start']:%Y-%m-%d}.."
            name += f"{row['period_end']:%Y-%m-%d}, published {row['published']:%Y-%m-%d})"
            measure = str(row["measure"])
            if measure not in _FLOW_COLUMNS and measure not in STOCK_MEASURES and measure not in (
                "decided_within_term_share",
                "claiming_share",
                "accrual_per_week",
            ):
                raise UnknownMeasureError(
                    f"{name}: the model cannot compute measure {measure!r}; it computes "
                    f"{', '.join([*FLOW_MEASURES, *STOCK_MEASURES])}, decided_within_term_share, "
                    "claiming_share, accrual_per_week"
                )
            stream = self.stands_for.get(str(row["stream"]), str(row["stream"]))
            if stream not in self.streams:
                raise UnknownMeasureError(
                    f"{name}: the model covers the stream(s) {', '.join(self.streams)}, not "
                    f"{row['stream']!r} (map it with stands_for only if the setting assumes so)"
                )
            start = np.datetime64(row["period_start"], "D")
            end = np.datetime64(row["period_end"], "D")
            at_day = measure in STOCK_MEASURES or measure == "claiming_share"
            lo = end if at_day else start
            if lo < first or end > last:
                raise OutsideWindowError(
                    f"{name}: the period lies outside the model's window {first}..{last}"
                )
            if measure in STOCK_MEASURES:
                month_end = (pd.Period(str(end), freq="M") + 1).start_time - pd.Timedelta(days=1)
                if pd.Timestamp(str(end)) != month_end and end != last:
                    raise OutsideWindowError(
                        f"{name}: a stock is counted at a month's end (or the window's end); "
                        f"{end} is neither"
                    )

    def values(self, p: Projection, table: pd.DataFrame) -> Floats:
        """The model's value of every observation in ``table`` (in the observation's units,
        scaled back up), from the projection ``p``. Flows over a period are summed over its
        months, a partial month pro rata to its days (an approximation: the projection is
        monthly)."""
        bm = p.by_month
        out = np.empty(len(table))
        for k, (_, row) in enumerate(table.iterrows()):
            measure = str(row["measure"])
            start = pd.Timestamp(row["period_start"])
            end = pd.Timestamp(row["period_end"])
            if measure in _FLOW_COLUMNS or measure == "accrual_per_week":
                column = _FLOW_COLUMNS.get(measure, "total_accrued")
                overlap = month_overlap(pd.PeriodIndex(bm.index), start, end)
                value = float((bm[column].to_numpy() * overlap).sum()) / self.scale
                first = pd.Timestamp(str(as_date(self.start, "start"))) + pd.Timedelta(days=1)
                if measure == "notices" and self.catch_up == "exclude" and start <= first <= end:
                    value -= self.catch_up_notices(p) / self.scale
                if measure == "accrual_per_week":
                    value /= ((end - start).days + 1) / 7
                out[k] = value
            elif measure in STOCK_MEASURES:
                row_at = bm.index.get_loc(pd.Period(end, freq="M"))
                out[k] = float(bm[measure].to_numpy()[row_at]) / self.scale
            elif measure == "decided_within_term_share":
                if "decided_in_term" in bm.columns:  # the projection's own count per month
                    overlap = month_overlap(pd.PeriodIndex(bm.index), start, end)
                    made = float((bm["decisions"].to_numpy() * overlap).sum())
                    in_term = float((bm["decided_in_term"].to_numpy() * overlap).sum())
                    out[k] = in_term / made if made > 0 else float("nan")
                else:
                    out[k] = _within_term(p.cases, start, end)
            else:  # claiming_share: overdue open cases at period_end with a notice by then
                out[k] = _claiming(p.cases, end)
        return out


def _catch_up(model: Hindcast, p: Projection) -> float:
    cases = p.cases
    start = pd.Timestamp(str(as_date(model.start, "start")))
    is_open = (cases["source"] == "open").to_numpy()
    if "notice_received" in model.cases.columns:
        recorded = pd.to_datetime(model.cases["notice_received"]).notna().to_numpy()
        no_notice = np.ones(len(cases), dtype=bool)
        no_notice[: len(recorded)] = ~recorded
        is_open &= no_notice
    late = (start - pd.to_datetime(cases["deadline"])).dt.days.to_numpy()
    late = late[is_open & (late >= 1)]
    if not late.size:
        return 0.0
    lag = p.behaviour.notice_lag
    share = sum(pr * float((late >= d).sum()) for d, pr in zip(lag.days, lag.probs, strict=True))
    return float(p.behaviour.notice_share * share)


def month_overlap(months: pd.PeriodIndex, start: Any, end: Any) -> Floats:
    """Share of each month's days inside ``start``..``end`` (inclusive)."""
    first = months.to_timestamp(how="start").to_numpy().astype("datetime64[D]")
    days = np.asarray(months.days_in_month, dtype=np.int64)
    lo = np.maximum(first, np.datetime64(pd.Timestamp(start).date(), "D"))
    hi = np.minimum(first + days - 1, np.datetime64(pd.Timestamp(end).date(), "D"))
    return np.asarray(np.maximum((hi - lo).astype(np.int64) + 1, 0) / days, dtype=float)


def _within_term(cases: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float:
    decided = pd.Series(pd.to_datetime(cases["decided"]), index=cases.index)
    if decided.isna().all() and "decision_month" in cases:
        months = pd.PeriodIndex(cases["decision_month"], freq="M").to_timestamp(how="end")
        decided = pd.Series(months, index=cases.index)
    mask = (decided >= start) & (decided <= end + pd.Timedelta(hours=23))
    if not mask.any():
        return float("nan")
    in_term = decided[mask] <= pd.to_datetime(cases["deadline"])[mask]
    return float(in_term.mean())


def _claiming(cases: pd.DataFrame, day: pd.Timestamp) -> float:
    decided = pd.to_datetime(cases["decided"])
    overdue = (pd.to_datetime(cases["deadline"]) < day) & ~(decided <= day)
    if not overdue.any():
        return float("nan")
    return float(cases.loc[overdue, "p_notice"].mean())
