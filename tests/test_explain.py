"""explain(): the rule steps of one case agree with assess()."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom.testing import cases, scenarios


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases(min_size=1, max_size=6), scenarios(), st.dates(dt.date(2016, 1, 1), dt.date(2028, 1, 1))
)
def test_explain_numbers_equal_assess(table: pd.DataFrame, s: Any, as_of: dt.date) -> None:
    out = dwangsom.assess(table, as_of=as_of, scenario=s)
    for (_, row), (_, got) in zip(table.iterrows(), out.iterrows(), strict=True):
        e = dwangsom.explain(row, as_of=as_of, scenario=s)
        assert e.total == got["total_amount"]
        steps = e.to_frame()
        bands = steps[steps["step"].str.startswith("penalty days")]["amount"].sum()
        assert bands == got["admin_amount"]
        court = steps[steps["step"].str.startswith("court days")]["amount"].sum()
        assert court == got["court_amount"]
        assert steps.loc[steps["step"] == "deadline", "date"].iloc[0] == got["deadline"].date()
        assert str(row["case_id"]) in e._repr_html_()
        assert f"total EUR {e.total:,}" in str(e)


def test_explain_by_id_and_errors() -> None:
    table = pd.DataFrame({"case_id": ["a", "b", "b"], "received": ["2023-10-25"] * 3})
    e = dwangsom.explain("a", cases=table, as_of="2025-06-01")
    text = str(e)
    assert "2025-01-25  deadline" in text and "WBV 2023/3" in text and "Saturday" in text
    assert "overdue-no-notice" in text
    with pytest.raises(dwangsom.DwangsomError, match="occurs 2 times"):
        dwangsom.explain("b", cases=table, as_of="2025-06-01")
    with pytest.raises(dwangsom.DwangsomError, match="no case with case_id 'z'"):
        dwangsom.explain("z", cases=table, as_of="2025-06-01")
    with pytest.raises(dwangsom.DwangsomError, match="case id together with cases="):
        dwangsom.explain("a", as_of="2025-06-01")


def test_explain_shows_every_rule_of_a_full_case() -> None:
    case = {
        "case_id": "full",
        "received": "2019-06-01",
        "notice_received": "2020-01-02",
        "judgment_sent": "2020-02-01",
        "decided": "2020-03-31",
        "applicants": 3,
    }
    e = dwangsom.explain(case, as_of="2020-06-30")
    steps = list(e.to_frame()["step"])
    for expected in ["application received", "decision term", "deadline", "in default",
                     "notice of default", "first penalty day", "penalty days 1-14",
                     "penalty days 15-28", "penalty days 29-42", "administrative penalty",
                     "amount to be fixed", "payable by", "judgment sent", "court term ends",
                     "decision sent", "shared by applicants", "total"]:  # fmt: skip
        assert expected in steps
    assert e.total == 1442 + 45 * 100
    void = dwangsom.explain({"case_id": 1, "received": "2023-01-02"}, as_of="2024-01-01",
                            scenario="extensions-void")  # fmt: skip
    assert "extension not applied" in list(void.to_frame()["step"])
