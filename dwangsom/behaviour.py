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

__all__ = ["DEFAULT_SOURCES", "Behaviour", "BehaviourError", "Lag"]

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

    def __init__(self, pmf: Mapping[int, float] | Lag, name: str = "lag") -> None:
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
            if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 1:
                raise BehaviourError(f"{name}: days must be whole numbers >= 1, got {d!r}")
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
}


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "notice_share", _share(self.notice_share, "notice_share"))
        object.__setattr__(self, "appeal_share", _share(self.appeal_share, "appeal_share"))
        for name in ("notice_lag", "appeal_lag", "judgment_lag"):
            value = getattr(self, name)
            if not isinstance(value, Lag):
                object.__setattr__(self, name, Lag(value, name))
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

    @staticmethod
    def sources() -> Mapping[str, str]:
        """Where each default comes from (:data:`DEFAULT_SOURCES`)."""
        return DEFAULT_SOURCES
