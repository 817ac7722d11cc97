"""Processing policies on hand-made month states."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dwangsom import policies
from dwangsom.policies import MonthState, PolicyError, take

NAT = np.datetime64("NaT", "D")


def _days(*values: str | None) -> Any:
    return np.array([v or "NaT" for v in values], dtype="datetime64[D]")


def _state(
    n: int = 6,
    *,
    deadline: Any = None,
    due: Any = None,
    weight: Any = None,
    avoided: Any = None,
) -> MonthState:
    received = np.datetime64("2023-01-01") + np.arange(n).astype("timedelta64[D]") * 10
    deadline = received + np.timedelta64(180, "D") if deadline is None else deadline
    return MonthState(
        month=pd.Period("2023-09", freq="M"),
        start=np.datetime64("2023-09-01"),
        end=np.datetime64("2023-09-30"),
        case=np.arange(n, dtype=np.int64),
        received=received,
        deadline=deadline,
        notice=np.full(n, NAT),
        appeal=np.full(n, NAT),
        judgment=np.full(n, NAT),
        court_due=np.full(n, NAT) if due is None else due,
        weight=np.ones(n) if weight is None else np.asarray(weight, dtype=float),
        avoided=avoided,
    )


def test_take_respects_capacity_with_weights() -> None:
    order = np.array([3, 1, 0, 2])
    w = np.array([0.25, 0.5, 1.0, 0.75])
    assert take(order, w, 1.25).tolist() == [3, 1]  # 0.75 + 0.5
    assert take(order, w, 0.7).tolist() == []
    assert take(order, np.full(4, 1 / 3), 1.0).tolist() == [3, 1, 0]  # float sums tolerated
    assert take(order, w, 0).tolist() == []


def test_fifo_and_deadline_first() -> None:
    state = _state(deadline=_days("2023-12-01", "2023-07-01", "2023-08-01", "2023-06-01",
                                  "2024-01-01", "2023-10-01"))  # fmt: skip
    assert policies.fifo().select(state, 3).tolist() == [0, 1, 2]
    assert policies.deadline_first().select(state, 3).tolist() == [3, 1, 2]
    assert state.overdue.tolist() == [False, True, True, True, False, False]


def test_split_gives_each_group_its_share_and_passes_on_the_rest() -> None:
    deadline = _days(
        "2023-06-01", "2023-06-02", "2023-06-03", "2023-06-04", "2023-12-01", "2023-12-02"
    )  # four overdue, two within their term
    state = _state(deadline=deadline)
    chosen = policies.split(0.7).select(state, 3)  # 2.1 overdue, 0.9 within (none fits)
    assert chosen.tolist() == [0, 1, 2]  # the unused 0.9 flows to the overdue group
    chosen = policies.split(0.5).select(state, 4)
    assert sorted(chosen.tolist()) == [0, 1, 4, 5]
    chosen = policies.split(0.5).select(state, 6)  # everything fits
    assert sorted(chosen.tolist()) == list(range(6))
    chosen = policies.split(0.25).select(state, 5)  # 1.25 overdue, 3.75 within (2 there)
    assert sorted(chosen.tolist()) == [0, 1, 2, 4, 5]
    assert policies.split(1.0).select(_state(), 2).tolist() == [0, 1]  # nobody overdue


def test_court_orders_first_by_due_date() -> None:
    due = _days(None, "2023-09-20", None, None, "2023-09-05", None)
    state = _state(due=due)
    assert policies.fifo(court_orders_first=True).select(state, 3).tolist() == [4, 1, 0]
    assert policies.deadline_first(court_orders_first=True).select(state, 1).tolist() == [4]
    both = policies.split(0.0, court_orders_first=True).select(state, 2)
    assert both.tolist() == [4, 1]


def test_least_liability_and_ranked() -> None:
    state = _state(avoided=np.array([0.0, 500.0, 7500.0, 0.0, 200.0, 0.0]))
    assert policies.least_liability().select(state, 3).tolist() == [2, 1, 4]
    assert policies.least_liability().needs_score
    with pytest.raises(PolicyError, match="no expected penalties"):
        policies.least_liability().select(_state(), 2)
    youngest = policies.ranked(lambda s: -s.received.astype(np.int64), name="youngest")
    assert youngest.select(_state(), 2).tolist() == [5, 4]
    bad = policies.ranked(lambda s: np.zeros(2))
    with pytest.raises(PolicyError, match=r"shape \(2,\), expected \(6,\)"):
        bad.select(_state(), 2)
    words = policies.ranked(lambda s: np.array(["x"] * len(s)))
    with pytest.raises(PolicyError, match="keys must be numbers or dates"):
        words.select(_state(), 2)


def test_weighted_units() -> None:
    state = _state(weight=[0.5, 0.5, 0.3, 0.7, 1.0, 1.0])
    assert policies.fifo().select(state, 2.0).tolist() == [0, 1, 2, 3]


def test_get_names_and_flags() -> None:
    assert repr(policies.get("fifo")) == "fifo()"
    assert repr(policies.get("deadline_first")) == "deadline_first()"
    assert repr(policies.get("Least-Liability")) == "least_liability()"
    assert repr(policies.get("split")) == "split(overdue_share=0.7)"
    assert policies.get("fifo", court_orders_first=True).needs_events
    assert not policies.get(
        policies.fifo(court_orders_first=True), court_orders_first=False
    ).court_orders_first
    assert repr(policies.court_orders_first("split")) == (
        "split(overdue_share=0.7, court_orders_first=True)"
    )
    key = policies.get(lambda s: s.deadline)
    assert isinstance(key, policies.Policy) and key.name == "<lambda>"
    with pytest.raises(PolicyError, match="expected a name, a Policy or a key function"):
        policies.get(3)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="overdue_share: a share between 0 and 1"):
        policies.split(-0.1)


def test_builtin_policies_pickle() -> None:
    """Process pools (and Dask) ship the policy to the workers."""
    for p in (
        policies.fifo(),
        policies.split(0.6, court_orders_first=True),
        policies.least_liability(),
        policies.deadline_first(),
    ):
        assert pickle.loads(pickle.dumps(p)) == p


def test_subset_keeps_order() -> None:
    state = _state(avoided=np.arange(6.0))
    sub = state.subset(np.array([4, 1]))
    assert sub.case.tolist() == [4, 1] and sub.avoided is not None
    assert sub.avoided.tolist() == [4.0, 1.0] and len(sub) == 2
