"""The applicants' and the courts' side of a projection: who sends a notice of default, who then
appeals, how long the court takes, and what it orders.

A :class:`Behaviour` is a frozen set of shares and discrete lag distributions (:class:`Lag`). A
projection (:func:`dwangsom.project`) uses it to fill in the events a case table does not record
yet; the penalty arithmetic itself stays in :mod:`dwangsom.engine`. Every default names where its
number comes from: a section of RULES.md, a published figure in ``data/figures`` (with the
derivation), or "assumption" with the reasoning. ``docs/projection.md`` repeats them in one table.

The event chain of one open case (RULES §3, §6):

1. the decision term ends (``deadline``, from the scenario);
2. with probability ``notice_share`` the applicant's notice of default is received
   ``notice_lag`` days after the deadline (a notice counts only after the term, Awb 4:17(3));
3. with probability ``appeal_share`` the applicant then appeals (BNTB) ``appeal_lag`` days after
   the appeal became admissible, two weeks after the notice (Awb 6:12(2));
4. the court sends its judgment ``judgment_lag`` days after the appeal (Awb 8:55b: 8 weeks);
5. the court orders a decision within a term and attaches a penalty per day (Awb 8:55d), by
   default from the scenario's court-practice table (112 days, EUR 100 a day, RULES §6).

Every step happens only while the case is still open: a decision stops the chain.

>>> b = Behaviour()
>>> b.judgment_lag
Lag({56: 1.0})
>>> b.replace(notice_share=0.0).notice_share
0.0
>>> Lag({7: 0.5, 30: 0.5}).mean
18.5
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import DwangsomError

__all__ = ["DEFAULT_SOURCES", "Behaviour", "BehaviourError", "Beta", "Lag", "LagRange"]

Ints = npt.NDArray[np.int64]


class BehaviourError(DwangsomError):
    """An invalid behaviour parameter (a share outside 0..1, a lag that is not a distribution)."""


@dataclasses.dataclass(frozen=True)
class Lag:
    """A discrete distribution of whole days: ``days[i]`` with probability ``probs[i]``.

    Build it from a mapping ``{days: probability}``; the probabilities must sum to 1.

    >>> lag = Lag({14: 0.25, 30: 0.75})
    >>> lag.days, lag.probs
    ((14, 30), (0.25, 0.75))
    >>> lag.shifted(30)
    Lag({44: 0.25, 60: 0.75})
    >>> Lag({0: 1.0})
    Traceback (most recent call last):
    ...
    dwangsom.behaviour.BehaviourError: lag: days must be whole numbers >= 1, got 0
    """

    days: tuple[int, ...]
    probs: tuple[float, ...]

    def __init__(
        self, pmf: Mapping[int, float] | Lag, name: str = "lag", *, minimum: int = 1
    ) -> None:
        if isinstance(pmf, Lag):
            items = list(zip(pmf.days, pmf.probs, strict=True))
        elif isinstance(pmf, Mapping):
            items = sorted(pmf.items())
        else:
            raise BehaviourError(
                f"{name}: give a mapping {{days: probability}}, got {type(pmf).__name__}"
            )
        if not items:
            raise BehaviourError(f"{name}: an empty distribution")
        days: list[int] = []
        probs: list[float] = []
        for d, p in items:
            if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < minimum:
                raise BehaviourError(f"{name}: days must be whole numbers >= {minimum}, got {d!r}")
            if not isinstance(p, int | float | np.floating) or not 0 <= float(p) <= 1:
                raise BehaviourError(f"{name}: probability of {d} days must be in 0..1, got {p!r}")
            if float(p) > 0:
                days.append(int(d))
                probs.append(float(p))
        total = sum(probs)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise BehaviourError(f"{name}: probabilities sum to {total!r}, not 1")
        object.__setattr__(self, "days", tuple(days))
        if total != 1.0:
            probs = [p / total for p in probs]
        object.__setattr__(self, "probs", tuple(probs))

    @classmethod
    def point(cls, days: int) -> Lag:
        """All mass on one number of days.

        >>> Lag.point(56)
        Lag({56: 1.0})
        """
        return cls({days: 1.0})

    @property
    def mean(self) -> float:
        """Expected number of days."""
        return float(sum(d * p for d, p in zip(self.days, self.probs, strict=True)))

    def shifted(self, days: int) -> Lag:
        """The same distribution ``days`` later (``days`` may be negative while every lag stays
        >= 1)."""
        return Lag({d + days: p for d, p in zip(self.days, self.probs, strict=True)})

    def prob(self, day: int) -> float:
        """Probability of ``day`` days (0 outside the distribution)."""
        for d, p in zip(self.days, self.probs, strict=True):
            if d == day:
                return p
        return 0.0

    def after(self, waited: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Probabilities of each lag value given that more than ``waited`` days have passed
        (one row per entry of ``waited``, one column per value of :attr:`days`). Where no
        value is longer than ``waited`` the unconditional probabilities are kept (the event
        happens as soon as possible).

        >>> Lag({56: 0.5, 120: 0.25, 240: 0.25}).after(np.array([0, 60, 300])).round(2)
        array([[0.5 , 0.25, 0.25],
               [0.  , 0.5 , 0.5 ],
               [0.5 , 0.25, 0.25]])
        """
        days = np.asarray(self.days, dtype=np.int64)
        probs = np.asarray(self.probs, dtype=float)
        live = days[None, :] > np.asarray(waited, dtype=np.int64)[:, None]
        cond = np.where(live, probs[None, :], 0.0)
        mass = cond.sum(axis=1, keepdims=True)
        return np.asarray(np.where(mass > 0, cond / np.where(mass > 0, mass, 1.0), probs), float)

    def sample(self, rng: np.random.Generator, n: int) -> Ints:
        """``n`` independent draws (int64 days)."""
        if len(self.days) == 1:
            return np.full(n, self.days[0], dtype=np.int64)
        cum = np.cumsum(self.probs)
        pos = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
        days = np.asarray(self.days, dtype=np.int64)
        return np.asarray(days[np.minimum(pos, len(self.days) - 1)], dtype=np.int64)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{d}: {round(p, 12)!r}" for d, p in zip(self.days, self.probs, strict=True)
        )
        return f"Lag({{{inner}}})"


@dataclasses.dataclass(frozen=True)
class Beta:
    """An uncertain share: Beta(``a``, ``b``) distributed. In Monte Carlo mode each draw takes
    its own value (so the bands show what we do not know); expected-value mode uses the mean
    ``a / (a + b)`` (every share enters a projection linearly, so the expected value of the
    draws is the projection at the mean).

    >>> Beta(6, 4).mean
    0.6
    >>> Beta(0, 1)
    Traceback (most recent call last):
    ...
    dwangsom.behaviour.BehaviourError: Beta: a and b must be numbers > 0, got 0 and 1
    """

    a: float
    b: float

    def __post_init__(self) -> None:
        ok = all(
            not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v) and v > 0
            for v in (self.a, self.b)
        )
        if not ok:
            raise BehaviourError(
                f"Beta: a and b must be numbers > 0, got {self.a!r} and {self.b!r}"
            )

    @classmethod
    def from_mean(cls, mean: float, strength: float) -> Beta:
        """A Beta with the given ``mean`` and ``strength = a + b`` (a pseudo-count: the larger,
        the tighter).

        >>> Beta.from_mean(0.2, 50)
        Beta(a=10.0, b=40.0)
        """
        if not 0 < mean < 1 or strength <= 0:
            raise BehaviourError(f"Beta.from_mean: 0 < mean < 1 and strength > 0, got {mean!r}")
        return cls(mean * strength, (1 - mean) * strength)

    @property
    def mean(self) -> float:
        return float(self.a / (self.a + self.b))

    def draw(self, rng: np.random.Generator) -> float:
        """One value (one Monte Carlo draw)."""
        return float(rng.beta(self.a, self.b))

    def __float__(self) -> float:
        return self.mean


@dataclasses.dataclass(frozen=True)
class LagRange:
    """An uncertain lag: each draw of a Monte Carlo run takes one of ``points`` whole numbers of
    days evenly spaced from ``low`` to ``high`` (equally likely) as a point lag. Expected-value
    mode uses the mean over that uncertainty, the equal mixture of the points (:attr:`mixture`),
    so its result is the mean of the draws.

    >>> LagRange(56, 240, points=3).mixture
    Lag({56: 0.333333333333, 148: 0.333333333333, 240: 0.333333333333})
    """

    low: int
    high: int
    points: int = 5

    def __post_init__(self) -> None:
        vals = (self.low, self.high, self.points)
        if any(isinstance(v, bool) or not isinstance(v, int | np.integer) for v in vals):
            raise BehaviourError(f"LagRange: whole numbers expected, got {vals!r}")
        if not 0 <= self.low <= self.high or self.points < 1:
            raise BehaviourError(
                f"LagRange: 0 <= low <= high and points >= 1 expected, got {vals!r}"
            )

    @property
    def values(self) -> tuple[int, ...]:
        if self.points == 1 or self.low == self.high:
            return ((self.low + self.high) // 2,)
        grid = np.linspace(self.low, self.high, self.points)
        return tuple(sorted({int(np.rint(v)) for v in grid}))

    @property
    def mixture(self) -> Lag:
        vals = self.values
        return Lag({v: 1 / len(vals) for v in vals}, "LagRange", minimum=0)

    def draw(self, rng: np.random.Generator) -> Lag:
        """One point lag (one Monte Carlo draw)."""
        vals = self.values
        return Lag({vals[int(rng.integers(len(vals)))]: 1.0}, "LagRange", minimum=0)

    # everywhere else a LagRange acts as its mixture (the mean over the uncertainty)
    @property
    def days(self) -> tuple[int, ...]:
        return self.mixture.days

    @property
    def probs(self) -> tuple[float, ...]:
        return self.mixture.probs

    @property
    def mean(self) -> float:
        return self.mixture.mean

    def prob(self, day: int) -> float:
        return self.mixture.prob(day)

    def after(self, waited: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        return self.mixture.after(waited)

    def sample(self, rng: np.random.Generator, n: int) -> Ints:
        return self.mixture.sample(rng, n)

    def shifted(self, days: int) -> LagRange:
        return LagRange(self.low + days, self.high + days, self.points)


#: Where each default comes from (shown by ``docs/projection.md`` and ``Behaviour.sources()``).
DEFAULT_SOURCES: Mapping[str, str] = {
    "notice_share": (
        "derived: 19,830 notices received in 2022 (data/figures/notices_2022_monthly.csv, "
        "2023Z02664) over the 20,284 notices a projection of 2022 expects when every overdue "
        "applicant sends one (open stock of 20,400 on 1 Jan 2022 rebuilt oldest-first from the "
        "2021 first applications, 2022 first applications as inflow, 20,145 decisions; "
        "data/figures/asylum_backlog.csv and asylum_inflow.csv): 0.978, bracketed by 0.78 and "
        "1.02 (docs/examples/notice_propensity_2022.py). Rounded to 0.98."
    ),
    "notice_lag": (
        "assumption: notices in asylum cases are mostly sent by lawyers soon after the term "
        "ends; 40% within a week, the rest spread over half a year. The monthly 2022 notice "
        "series follows the overdue stock without a visible delay, which a long lag would show."
    ),
    "appeal_share": (
        "derived (lower bound): about 4,000 BNTB appeals from 2022 still open in Q1 2023 "
        "(Kamerstuk 19 637 nr. 3156, data/figures/seed_letter_2023.csv) over the 19,830 notices "
        "of 2022; appeals of 2022 already judged or withdrawn are not in the 4,000."
    ),
    "appeal_lag": (
        "assumption: half of the appeals are lodged on the first day they are admissible (two "
        "weeks after the notice, Awb 6:12(2), RULES §3), the rest within three months."
    ),
    "judgment_lag": (
        "RULES §6, Awb 8:55b: the court decides within 8 weeks of the appeal (56 days); the "
        "statutory term, not measured court practice (see docs/projection.md)."
    ),
    "court_term_days": (
        "RULES §6: the scenario's court-practice table (8 + 8 weeks = 112 days from 10 July "
        "2020, ECLI:NL:RVS:2020:1560); None uses the table."
    ),
    "court_per_day": "RULES §6: the scenario's court-practice table (EUR 100 a day); None: table.",
    "court_cap": (
        "RULES §6: the scenario's court-practice table (EUR 7,500 for judgments to 2023, "
        "15,000 from 2024); None: table."
    ),
    "court_compliance": (
        "assumption: 0.0, the behaviour of earlier versions (a court-ordered case waits for the "
        "policy like any other; court_orders_first is the other extreme, 1.0). The share is not "
        "published; shared/FORECAST.md shows it is the strongest lever (100% -> 0%: EUR 0 -> "
        "7.1M as-applied for 2023-24), so calibrate it (issue 9) rather than trust this default."
    ),
    "premature_notice_share": (
        "assumption: 0.0, applicants give notice only after the term the authority applies "
        "(earlier versions). RULES §3: a notice received on or before the term's last day has "
        "no effect; under a reading that voids the extension such a notice is valid."
    ),
    "repeat_appeal_share": (
        "assumption: 0.0 (no repeat appeals, earlier versions). RULES §6: repeat appeals after a "
        "missed court term exist (RBDHA:2024:15671, 2025:15739, 2026:1136); their share is not "
        "published."
    ),
    "repeat_appeal_lag": (
        "assumption: a repeat appeal follows the missed court term after 14 days (half) or "
        "two months (half); the repeat judgment follows judgment_lag later; its term and amounts "
        "come from the scenario's court table for repeat appeals (RULES §6)."
    ),
    "payment_lag": (
        "RULES §4: 0 days, cash on the legal due date (Awb 4:18 two weeks + six weeks; the "
        "court's payment term). The state's real payment delay is not published; "
        "shared/FORECAST.md shows 2021 payments were pre-Act obligations paid late."
    ),
}


_SHARES = (
    "notice_share",
    "appeal_share",
    "court_compliance",
    "premature_notice_share",
    "repeat_appeal_share",
)
_LAGS = (
    "notice_lag",
    "appeal_lag",
    "judgment_lag",
    "repeat_appeal_lag",
    "payment_lag",
)


def _share(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise BehaviourError(f"{name}: a share between 0 and 1 expected, got {value!r}")
    if not 0.0 <= float(value) <= 1.0 or math.isnan(float(value)):
        raise BehaviourError(f"{name}: a share between 0 and 1 expected, got {value!r}")
    return float(value)


def _optional_amount(value: Any, name: str, minimum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise BehaviourError(f"{name}: a whole number >= {minimum} or None expected, got {value!r}")
    return int(value)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Behaviour:
    """How applicants and courts act on an overdue case. Every field's default and its source
    are listed in :data:`DEFAULT_SOURCES`; build variants with :meth:`replace`.

    >>> Behaviour(notice_share=1.5)
    Traceback (most recent call last):
    ...
    dwangsom.behaviour.BehaviourError: notice_share: a share between 0 and 1 expected, got 1.5
    """

    #: Share of applicants whose case is overdue that send a notice of default (if still open).
    notice_share: float = 0.98
    #: Days from the last day of the decision term to the receipt of the notice.
    notice_lag: Lag = Lag({7: 0.4, 30: 0.3, 91: 0.2, 182: 0.1})
    #: Share of applicants with a valid notice who appeal against the failure to decide (BNTB).
    appeal_share: float = 0.20
    #: Days from the day the appeal became admissible (notice + 14 days) to the appeal.
    appeal_lag: Lag = Lag({1: 0.5, 30: 0.3, 91: 0.2})
    #: Days from the appeal to the day the judgment is sent.
    judgment_lag: Lag = Lag({56: 1.0})
    #: Term (days) the court orders; None: the scenario's court-practice table.
    court_term_days: int | None = None
    #: Court penalty per day (euros); None: the scenario's court-practice table.
    court_per_day: int | None = None
    #: Court penalty maximum (euros); None: the scenario's court-practice table.
    court_cap: int | None = None
    #: Share of court-ordered cases the authority decides within the court's term (Awb 8:55d);
    #: the others wait for the policy. ``court_orders_first`` policies are the extreme 1.0.
    court_compliance: float | Beta = 0.0
    #: Share of applicants who give notice after the shortest term any reading gives (six
    #: months) even where the authority claims an extension: premature under a reading where
    #: the extension holds, valid where it is void (RULES §3).
    premature_notice_share: float | Beta = 0.0
    #: Share of applicants who appeal again after a missed court term (RULES §6).
    repeat_appeal_share: float | Beta = 0.0
    #: Days from the end of the missed court term to the repeat appeal.
    repeat_appeal_lag: Lag | LagRange = Lag({14: 0.5, 60: 0.5})
    #: Days from the legal due date of a penalty to the day the state pays it (0: on the day).
    payment_lag: Lag | LagRange = Lag({0: 1.0}, "payment_lag", minimum=0)

    def __post_init__(self) -> None:
        for name in _SHARES:
            value = getattr(self, name)
            if not isinstance(value, Beta):
                object.__setattr__(self, name, _share(value, name))
        for name in _LAGS:
            value = getattr(self, name)
            if not isinstance(value, Lag | LagRange):
                object.__setattr__(
                    self, name, Lag(value, name, minimum=0 if name == "payment_lag" else 1)
                )
        for name, low in (("court_term_days", 0), ("court_per_day", 0), ("court_cap", 0)):
            object.__setattr__(self, name, _optional_amount(getattr(self, name), name, low))

    def replace(self, **changes: Any) -> Behaviour:
        """A copy with ``changes`` applied; lags may be given as ``{days: probability}``.

        >>> Behaviour().replace(judgment_lag={84: 1.0}).judgment_lag
        Lag({84: 1.0})
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise BehaviourError(
                f"Behaviour: unknown field(s) {', '.join(sorted(unknown))}; known: "
                f"{', '.join(f.name for f in dataclasses.fields(self))}"
            )
        return dataclasses.replace(self, **changes)

    @property
    def uncertain(self) -> bool:
        """Whether a parameter is a distribution (a :class:`Beta` share or a :class:`LagRange`)."""
        return any(isinstance(getattr(self, n), Beta) for n in _SHARES) or any(
            isinstance(getattr(self, n), LagRange) for n in _LAGS
        )

    def expected(self) -> Behaviour:
        """Every uncertain parameter at its mean (a share) or mixture (a lag): what
        expected-value mode uses."""
        changes: dict[str, Any] = {}
        for name in _SHARES:
            if isinstance(getattr(self, name), Beta):
                changes[name] = float(getattr(self, name))
        for name in _LAGS:
            value = getattr(self, name)
            if isinstance(value, LagRange):
                changes[name] = value.mixture
        return dataclasses.replace(self, **changes) if changes else self

    def draw(self, rng: np.random.Generator) -> Behaviour:
        """One Monte Carlo draw of the uncertain parameters (the others as they are)."""
        changes: dict[str, Any] = {}
        for name in _SHARES:
            value = getattr(self, name)
            if isinstance(value, Beta):
                changes[name] = value.draw(rng)
        for name in _LAGS:
            value = getattr(self, name)
            if isinstance(value, LagRange):
                changes[name] = value.draw(rng)
        return dataclasses.replace(self, **changes) if changes else self

    def share(self, name: str) -> float:
        """A share as a number (the mean of a :class:`Beta`)."""
        return float(getattr(self, name))

    @staticmethod
    def sources() -> Mapping[str, str]:
        """Where each default comes from (:data:`DEFAULT_SOURCES`)."""
        return DEFAULT_SOURCES
