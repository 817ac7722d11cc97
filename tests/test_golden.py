"""The golden file: independently derived expected answers, checked against both the scalar
reference path and the vectorized engine (tests/golden/README.md says how it was built)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom import engine, rules
from dwangsom._dates import as_day_array

GOLDEN = pd.read_csv(
    Path(__file__).parent / "golden" / "cases.csv", dtype=str, keep_default_na=False
)


def _d(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _i(text: str) -> int | None:
    return int(text) if text else None


def test_golden_file_is_large_enough() -> None:
    assert GOLDEN["case_id"].nunique() >= 60
    assert set(GOLDEN["scenario"]) == set(dwangsom.scenarios())


@pytest.mark.parametrize(
    "row", [r for _, r in GOLDEN.iterrows()], ids=lambda r: f"{r.case_id}/{r.scenario}"
)
def test_scalar(row: Any) -> None:
    s = dwangsom.scenario(row.scenario)
    kind = row.application_type
    assert dwangsom.decision_deadline(row.received, scenario=s, application_type=kind) == _d(
        row.deadline
    )
    notice = _d(row.notice_received)
    valid = notice is not None and dwangsom.notice_valid(
        row.received, notice, scenario=s, application_type=kind
    )
    assert valid == (row.notice_valid == "true")
    first = None
    if notice is not None:
        first = dwangsom.first_penalty_day(row.received, notice, scenario=s, application_type=kind)
    assert first == _d(row.first_penalty_day)
    admin = dwangsom.administrative_penalty(
        row.received,
        notice,
        _d(row.decided),
        as_of=_d(row.as_of),
        application_type=kind,
        excluded=row.excluded == "true",
        scenario=s,
    )
    assert admin == int(row.admin_amount)
    if row.judgment_sent:
        court = rules.court_detail(
            row.judgment_sent,
            _d(row.decided),
            as_of=_d(row.as_of),
            term_days=_i(row.court_term_days),
            per_day=_i(row.court_per_day),
            cap=_i(row.court_cap),
            repeat=row.repeat_appeal == "true",
            application_type=kind,
            scenario=s,
        )
        assert court.due == _d(row.court_due)
        assert court.amount == int(row.court_amount)
    else:
        assert int(row.court_amount or 0) == 0


def _col(name: str, frame: pd.DataFrame) -> np.ndarray:
    return frame[name].replace("", None).to_numpy(dtype=object)


def _num(name: str, frame: pd.DataFrame) -> np.ndarray:
    return pd.to_numeric(frame[name].replace("", np.nan)).to_numpy(dtype=float)


@pytest.mark.parametrize("name", list(dwangsom.scenarios()))
def test_vectorized(name: str) -> None:
    g = GOLDEN[GOLDEN["scenario"] == name]
    s = dwangsom.scenario(name)
    kind = g["application_type"].to_numpy()
    decided = _col("decided", g)
    as_of = _col("as_of", g)
    a = engine.admin_arrays(
        _col("received", g),
        _col("notice_received", g),
        decided,
        as_of=as_of,
        application_type=kind,
        excluded=(g["excluded"] == "true").to_numpy(),
        scenario=s,
    )
    expect = lambda c: as_day_array(_col(c, g), c)  # noqa: E731
    np.testing.assert_array_equal(a.deadline, expect("deadline"))
    np.testing.assert_array_equal(a.notice_valid, (g["notice_valid"] == "true").to_numpy())
    np.testing.assert_array_equal(a.first_day, expect("first_penalty_day"))
    np.testing.assert_array_equal(a.amount, g["admin_amount"].astype(int).to_numpy())
    c = engine.court_arrays(
        _col("judgment_sent", g),
        decided,
        as_of=as_of,
        term_days=_num("court_term_days", g),
        per_day=_num("court_per_day", g),
        cap=_num("court_cap", g),
        repeat=(g["repeat_appeal"] == "true").to_numpy(),
        application_type=kind,
        scenario=s,
    )
    np.testing.assert_array_equal(c.due, expect("court_due"))
    np.testing.assert_array_equal(c.amount, g["court_amount"].replace("", "0").astype(int))
