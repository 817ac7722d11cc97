"""Processing policies: the order in which the IND decides its open cases each month.

A policy sees the open cases of one month as a :class:`MonthState` (plain arrays, one entry per
open unit: a case, or in expected-value mode with ``court_orders_first`` a probability-weighted
branch of a case) and the month's capacity, and returns the units it decides, in the order they
are decided. Built in:

- :func:`fifo`: oldest receipt first (the IND's stated order, Kamerstuk 19 637 nr. 3156);
- :func:`deadline_first`: earliest decision deadline first;
- :func:`split`: a share of the capacity for cases past their deadline, oldest first, the rest
  for cases within their term, oldest first; capacity one group cannot use flows to the other
  (the 70/30 plan of the July 2023 letter);
- :func:`least_liability`: the cases whose decision this month avoids the most expected penalty
  up to the end of the projection first;
- :func:`ranked`: any function of the state that returns a sort key per unit (lowest first).

Every policy can put court-ordered cases first (``court_orders_first=True``): units whose court
judgment has been sent are decided before all others, earliest court due date first, as the IND
does in practice to stay within the court's term (Awb 8:55d).

>>> import dwangsom
>>> dwangsom.policies.split(overdue_share=0.7)
split(overdue_share=0.7)
>>> dwangsom.policies.get("fifo", court_orders_first=True)
fifo(court_orders_first=True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import DwangsomError
from .synthetic import spread_noise

__all__ = [
    "POLICIES",
    "MonthState",
    "Policy",
    "PolicyError",
    "court_orders_first",
    "deadline_first",
    "fifo",
    "get",
    "least_liability",
    "ranked",
    "split",
    "take",
]

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: Slack for comparing sums of probability weights with a whole-number capacity.
_EPS = 1e-9


class PolicyError(DwangsomError):
    """An unknown policy name, a bad policy parameter, or a policy that returned bad output."""


@dataclasses.dataclass(frozen=True)
class MonthState:
    """The open units at the start of one projection month, in first-in-first-out order
    (receipt date, then the case's position in the table).

    Event fields hold what is known at the start of the month: the case table's events plus,
    when the policy asks for them (``needs_events``), the projected events that happened
    before the month began; ``NaT`` otherwise.
    """

    #: The calendar month.
    month: pd.Period
    #: First and last day decisions can be sent in this month (inside the projection).
    start: np.datetime64
    end: np.datetime64
    #: Position of the unit's case in :attr:`dwangsom.Projection.cases`.
    case: Ints
    received: Days
    deadline: Days
    notice: Days
    appeal: Days
    judgment: Days
    #: Last day of the court's term (judgment + ordered term); NaT without a judgment.
    court_due: Days
    #: Share of a case the unit stands for: 1.0, or a branch probability in expected-value mode.
    weight: Floats
    #: Expected penalty (euros) avoided by deciding the unit at the start of this month rather
    #: than not before the end of the projection; only for policies with ``needs_score``.
    avoided: Floats | None = None

    def __len__(self) -> int:
        return int(self.case.size)

    @property
    def overdue(self) -> Bools:
        """Units past their decision deadline at the start of the month."""
        return np.asarray(self.deadline < self.start, dtype=bool)

    def subset(self, rows: Ints) -> MonthState:
        """The units at positions ``rows`` (order kept as given)."""
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                changes[f.name] = value[rows]
        return dataclasses.replace(self, **changes)


def take(order: Ints, weight: Floats, capacity: float) -> Ints:
    """The longest prefix of ``order`` whose weights fit in ``capacity``.

    >>> take(np.array([2, 0, 1]), np.array([1.0, 1.0, 1.0]), 2)
    array([2, 0])
    >>> take(np.array([0, 1]), np.array([0.5, 0.75]), 1.0)
    array([0])
    """
    if order.size == 0 or capacity <= _EPS:
        return order[:0]
    cum = np.cumsum(weight[order])
    n = int(np.searchsorted(cum, capacity + _EPS, side="right"))
    return order[:n]


@dataclasses.dataclass(frozen=True)
class Policy:
    """Base class: subclasses give :meth:`order` (or override :meth:`choose`)."""

    #: Decide units with a court judgment first, by court due date (Awb 8:55d).
    court_orders_first: bool = dataclasses.field(default=False, kw_only=True)
    #: A seeded spread in the order (issue 8, item 3): each case's receipt date (the deadline
    #: for ``deadline_first``) counts 0..``spread_days`` days later, the same days for the same
    #: case and ``seed`` (:func:`dwangsom.synthetic.spread_noise`). 0: the strict order.
    spread_days: int = dataclasses.field(default=0, kw_only=True)
    seed: int = dataclasses.field(default=0, kw_only=True)

    def __post_init__(self) -> None:
        for name in ("spread_days", "seed"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
                raise PolicyError(f"{name}: a whole number >= 0 expected, got {v!r}")

    #: The policy ranks by :attr:`MonthState.avoided` (the projection computes it).
    needs_score = False

    @property
    def name(self) -> str:
        return type(self).__name__.lower()

    @property
    def needs_events(self) -> bool:
        """Whether the policy looks at projected events (then, in expected-value mode, cases
        are split into weighted branches before allocation)."""
        return self.court_orders_first

    def order(self, state: MonthState) -> Ints:
        """Positions of the units in the order they should be decided."""
        raise NotImplementedError

    def choose(self, state: MonthState, capacity: float) -> Ints:
        """The units decided this month (positions, in decision order) within ``capacity``."""
        return take(self.order(state), state.weight, capacity)

    def _noise(self, state: MonthState) -> npt.NDArray[np.timedelta64]:
        days = spread_noise(state.case, self.spread_days, self.seed)
        return np.asarray(days.astype("timedelta64[D]"))

    def select(self, state: MonthState, capacity: float) -> Ints:
        """:meth:`choose`, after court-ordered units when ``court_orders_first``; with a
        spread, on the units reordered by their noisy receipt date."""
        if self.spread_days and len(state):
            perm = np.argsort(state.received + self._noise(state), kind="stable")
            perm = perm.astype(np.int64)
            return perm[self._select(state.subset(perm), capacity)]
        return self._select(state, capacity)

    def _select(self, state: MonthState, capacity: float) -> Ints:
        if not self.court_orders_first:
            return self.choose(state, capacity)
        judged = np.flatnonzero(~np.isnat(state.court_due))
        judged = judged[np.argsort(state.court_due[judged], kind="stable")]
        first = take(judged, state.weight, capacity)
        left = capacity - float(state.weight[first].sum())
        rest = np.ones(len(state), dtype=bool)
        rest[first] = False
        others = np.flatnonzero(rest)
        second = others[self.choose(state.subset(others), left)]
        return np.concatenate([first, second])

    def _flags(self) -> str:
        out = ", court_orders_first=True" if self.court_orders_first else ""
        if self.spread_days:
            out += f", spread_days={self.spread_days}"
            out += f", seed={self.seed}" if self.seed else ""
        return out

    def __repr__(self) -> str:
        return f"{self.name}({self._flags().removeprefix(', ')})"


@dataclasses.dataclass(frozen=True, repr=False)
class Fifo(Policy):
    """Oldest receipt first (the state's own order)."""

    def order(self, state: MonthState) -> Ints:
        return np.arange(len(state), dtype=np.int64)


@dataclasses.dataclass(frozen=True, repr=False)
class DeadlineFirst(Policy):
    """Earliest decision deadline first; receipt order breaks ties."""

    @property
    def name(self) -> str:
        return "deadline_first"

    def order(self, state: MonthState) -> Ints:
        key = state.deadline + self._noise(state) if self.spread_days else state.deadline
        return np.argsort(key, kind="stable").astype(np.int64)


@dataclasses.dataclass(frozen=True, repr=False)
class Split(Policy):
    """``overdue_share`` of the capacity for units past their deadline, the rest for units
    within their term, each group oldest first; unused capacity flows to the other group."""

    overdue_share: float = 0.7

    def __post_init__(self) -> None:
        super().__post_init__()
        share = self.overdue_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise PolicyError(f"overdue_share: a share between 0 and 1 expected, got {share!r}")

    def choose(self, state: MonthState, capacity: float) -> Ints:
        late = state.overdue
        groups = (np.flatnonzero(late), np.flatnonzero(~late))
        caps = (capacity * self.overdue_share, capacity * (1 - self.overdue_share))
        firsts = [take(g, state.weight, c) for g, c in zip(groups, caps, strict=True)]
        # what one group cannot use (and the fractions left by whole cases) goes to the other:
        # to the overdue cases first, then to the cases within their term
        spare = capacity - float(sum(state.weight[f].sum() for f in firsts))
        late_more = take(groups[0][firsts[0].size :], state.weight, spare)
        spare -= float(state.weight[late_more].sum())
        new_more = take(groups[1][firsts[1].size :], state.weight, spare)
        return np.concatenate([firsts[0], late_more, firsts[1], new_more])

    def __repr__(self) -> str:
        return f"split(overdue_share={self.overdue_share:g}{self._flags()})"


@dataclasses.dataclass(frozen=True, repr=False)
class LeastLiability(Policy):
    """The units whose decision now avoids the most expected penalty first (receipt order
    breaks ties). The expected penalty comes from the behaviour model as of the projection's
    reference date (see :attr:`MonthState.avoided`)."""

    needs_score = True

    @property
    def name(self) -> str:
        return "least_liability"

    def order(self, state: MonthState) -> Ints:
        if state.avoided is None:
            raise PolicyError("least_liability: the month state carries no expected penalties")
        return np.argsort(-state.avoided, kind="stable").astype(np.int64)


@dataclasses.dataclass(frozen=True, repr=False)
class Ranked(Policy):
    """A user function ``key(state) -> one number per unit``; lowest first, receipt order
    breaks ties. Set ``needs_events`` / ``needs_score`` when the key reads projected events or
    :attr:`MonthState.avoided`."""

    key: Callable[[MonthState], Any] = dataclasses.field(default=lambda s: s.received)
    label: str = "ranked"
    wants_events: bool = dataclasses.field(default=False, kw_only=True)
    wants_score: bool = dataclasses.field(default=False, kw_only=True)

    @property
    def name(self) -> str:
        return self.label

    @property
    def needs_events(self) -> bool:
        return self.court_orders_first or self.wants_events

    @property
    def needs_score(self) -> bool:  # type: ignore[override]
        return self.wants_score

    def order(self, state: MonthState) -> Ints:
        keys = np.asarray(self.key(state))
        if keys.shape != (len(state),):
            raise PolicyError(
                f"policy {self.label!r}: the key function returned shape {keys.shape}, "
                f"expected ({len(state)},): one key per open unit"
            )
        if keys.dtype.kind not in "iufMmb":
            raise PolicyError(
                f"policy {self.label!r}: keys must be numbers or dates, got dtype {keys.dtype}"
            )
        return np.argsort(keys, kind="stable").astype(np.int64)

    def __repr__(self) -> str:
        return f"ranked({self.label!r}{self._flags()})"


def fifo(*, court_orders_first: bool = False, spread_days: int = 0, seed: int = 0) -> Policy:
    """Oldest receipt first; with ``spread_days``, receipt plus a seeded 0..``spread_days``
    days of noise first (a spread of 365 reproduces the published 65% / 57% decided within
    15 months in 2023 / 2024 in the 2023 setting, shared/FORECAST.md).

    >>> fifo()
    fifo()
    >>> fifo(spread_days=365, seed=2)
    fifo(spread_days=365, seed=2)
    """
    return Fifo(court_orders_first=court_orders_first, spread_days=spread_days, seed=seed)


def deadline_first(
    *, court_orders_first: bool = False, spread_days: int = 0, seed: int = 0
) -> Policy:
    """Earliest decision deadline first (with ``spread_days``: deadline plus seeded noise)."""
    return DeadlineFirst(court_orders_first=court_orders_first, spread_days=spread_days, seed=seed)


def split(
    overdue_share: float = 0.7,
    *,
    court_orders_first: bool = False,
    spread_days: int = 0,
    seed: int = 0,
) -> Policy:
    """``overdue_share`` of each month's capacity for cases past their deadline, the rest for
    cases within their term; oldest first in both groups; unused capacity flows to the other.

    >>> split(0.5, court_orders_first=True)
    split(overdue_share=0.5, court_orders_first=True)
    >>> split(1.2)
    Traceback (most recent call last):
    ...
    dwangsom.policies.PolicyError: overdue_share: a share between 0 and 1 expected, got 1.2
    """
    return Split(
        overdue_share=overdue_share,
        court_orders_first=court_orders_first,
        spread_days=spread_days,
        seed=seed,
    )


def least_liability(
    *, court_orders_first: bool = False, spread_days: int = 0, seed: int = 0
) -> Policy:
    """Decide first the cases whose decision avoids the most expected penalty (a spread
    reorders only cases with equal scores)."""
    return LeastLiability(
        court_orders_first=court_orders_first, spread_days=spread_days, seed=seed
    )


def ranked(
    key: Callable[[MonthState], Any],
    *,
    name: str | None = None,
    court_orders_first: bool = False,
    needs_events: bool = False,
    needs_score: bool = False,
) -> Policy:
    """A policy from a key function (lowest key decided first).

    >>> youngest = ranked(lambda s: -s.received.astype("int64"), name="youngest")
    >>> youngest
    ranked('youngest')
    """
    label = name or str(getattr(key, "__name__", "ranked"))
    return Ranked(
        key=key,
        label=label,
        court_orders_first=court_orders_first,
        wants_events=needs_events,
        wants_score=needs_score,
    )


def court_orders_first(policy: Policy | str | Callable[[MonthState], Any]) -> Policy:
    """``policy`` with court-ordered cases decided first.

    >>> court_orders_first("deadline-first")
    deadline_first(court_orders_first=True)
    """
    return dataclasses.replace(get(policy), court_orders_first=True)


#: Policy names accepted by :func:`get` and :func:`dwangsom.project`.
POLICIES: dict[str, Callable[..., Policy]] = {
    "fifo": fifo,
    "deadline-first": deadline_first,
    "split": split,
    "least-liability": least_liability,
}


def get(
    policy: Policy | str | Callable[[MonthState], Any],
    *,
    court_orders_first: bool | None = None,
) -> Policy:
    """A policy from a name (:data:`POLICIES`, ``_`` or ``-``), a :class:`Policy` or a key
    function; ``court_orders_first`` (when given) overrides the policy's own flag.

    >>> get("least_liability")
    least_liability()
    >>> get("random")
    Traceback (most recent call last):
    ...
    dwangsom.policies.PolicyError: policy: 'random' is not known; known policies: fifo, ...
    """
    if isinstance(policy, Policy):
        found = policy
    elif isinstance(policy, str):
        key = policy.strip().lower().replace("_", "-")
        if key not in POLICIES:
            raise PolicyError(
                f"policy: {policy!r} is not known; known policies: {', '.join(POLICIES)}, "
                "or a Policy or a key function"
            )
        found = POLICIES[key]()
    elif callable(policy):
        found = ranked(policy)
    else:
        raise PolicyError(
            f"policy: expected a name, a Policy or a key function, got {type(policy).__name__}"
        )
    if court_orders_first is not None and court_orders_first != found.court_orders_first:
        found = dataclasses.replace(found, court_orders_first=court_orders_first)
    return found
