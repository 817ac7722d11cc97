"""The law of 2025-26 (issue 10): moratoria, the 21-month limit, the court term by hearing,
joint court penalties, nareis terms, WBV 2023/26, pending bills, the EU Pact date and the end of
the bridge-day table. Worked examples of RULES §8, properties (engine == scalar; the term never
passes 21 months), scenario fields and bad input in the new columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import engine, rules
from dwangsom.cases import OUTPUT_COLUMNS, assess_case
from dwangsom.testing import NATIONALITIES, cases, scenarios
from tests.test_cases import _plain

D = dt.date
APPLIED = dwangsom.scenario("as-applied")
SUSPENSION = APPLIED.replace(name="suspension", moratorium_reading="suspension")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both(received: str, **kw: Any) -> D:
    """The scalar deadline, checked against the engine's."""
    scalar = rules.decision_deadline(received, **kw)
    vector_kw = {k: ([v] if k in ("nationality", "decided") else v) for k, v in kw.items()}
    vector = engine.decision_deadline([received], **vector_kw)[0]
    assert vector == np.datetime64(scalar, "D"), (received, kw)
    return scalar


# --- RULES §8 worked examples -----------------------------------------------------------------


def test_syrian_moratorium_adds_12_months() -> None:
    # ECLI:NL:RBDHA:2025:4844: received 30 Jan 2024 (WBV 2023/26 withdrawn), 6 months to
    # 30 Jul 2024, the moratorium adds 12 months
    assert _both("2024-01-30", nationality="SYR") == D(2025, 7, 30)
    assert _both("2024-01-30", nationality="Syrië") == D(2025, 7, 30)
    assert _both("2024-01-30") == D(2024, 7, 30)  # no nationality: no moratorium


def test_sudanese_moratorium_capped_at_21_months() -> None:
    # ECLI:NL:RBDHA:2025:15586: received 11 Jul 2023, WBV 2023/3 to 11 Oct 2024, capped 21 m
    term = rules.decision_term("2023-07-11", nationality="SDN")
    assert (term.base_deadline, term.deadline, term.capped) == (
        D(2024, 10, 11),
        D(2025, 4, 11),
        True,
    )
    assert _both("2023-07-11", nationality="Sudan") == D(2025, 4, 11)
    # ECLI:NL:RBDHA:2025:788: received 9 Jan 2024 (during the moratorium), 6 months + 12
    assert _both("2024-01-09", nationality="SDN") == D(2025, 7, 9)


def test_moratorium_covers_expired_terms_but_not_cases_decided_before_it() -> None:
    # ECLI:NL:RVS:2025:3082: also a term that had expired before the first day
    assert _both("2023-01-05", nationality="SDN", scenario="extensions-void") == D(2024, 7, 5)
    assert _both("2023-01-05", nationality="SDN") == D(2024, 10, 5)  # 15 m + 12, cap 21 m
    # decided before the first day (8 Jul 2023): not pending, the moratorium does not apply
    assert _both("2022-09-01", nationality="SDN", decided="2023-07-07") == D(2023, 12, 1)
    assert _both("2022-09-01", nationality="SDN", decided="2023-07-08") == D(2024, 6, 1)
    assert _both("2024-07-07", nationality="SDN") == D(2025, 1, 7)  # after the last day


def test_suspension_reading() -> None:
    # ECLI:NL:RBDHA:2026:1940 states 5 Sep 2025 (six calendar months); the day count of the
    # suspension reading: 6 months to 5 Mar 2025 + 182 days (14 Dec 2024 - 13 Jun 2025)
    assert _both("2024-09-05", nationality="SYR", scenario=SUSPENSION) == D(2025, 9, 3)
    # a term that expired before the first day is not suspended
    assert _both("2024-01-30", nationality="SYR", scenario=SUSPENSION) == D(2024, 7, 30)
    # received during the moratorium: the term starts running after its last day
    assert _both("2025-01-10", nationality="SYR", scenario=SUSPENSION) == D(
        2025, 7, 10
    ) + dt.timedelta(days=(D(2025, 6, 13) - D(2025, 1, 10)).days)
    none = APPLIED.replace(moratorium_reading="none")
    assert _both("2024-01-30", nationality="SYR", scenario=none) == D(2024, 7, 30)


def test_notice_before_the_moratorium_keeps_its_effect() -> None:
    # ECLI:NL:RBDHA:2025:14982: a notice received on the expired term before the first day
    kw = dict(nationality="SYR", application_type="asylum")
    assert rules.notice_valid("2024-01-30", "2024-09-01", **kw)
    assert not rules.notice_valid("2024-01-30", "2024-07-30", **kw)  # the old last day
    assert not rules.notice_valid("2024-01-30", "2025-01-10", **kw)  # during: premature
    assert rules.notice_valid("2024-01-30", "2025-07-31", **kw)
    got = engine.notice_valid(
        ["2024-01-30"] * 4,
        ["2024-09-01", "2024-07-30", "2025-01-10", "2025-07-31"],
        nationality=["SYR"] * 4,
    )
    assert got.tolist() == [True, False, False, True]
    out = dwangsom.assess(
        pd.DataFrame(
            {
                "case_id": ["S"],
                "received": ["2024-01-30"],
                "nationality": ["Syrië"],
                "notice_received": ["2024-09-01"],
            }
        ),
        as_of="2025-03-01",
    )
    assert out.loc[0, "deadline"] == pd.Timestamp("2025-07-30") and out.loc[0, "notice_valid"]
    assert out.loc[0, "flags"] == "notice-kept"


def test_nareis_90_days_plus_3_months_and_bill_36_349() -> None:
    # ECLI:NL:RBDHA:2025:2576: received 23 Jan 2024, extended by 3 months: 22 Jul 2024
    kind = "family-reunification"
    assert _both("2024-01-23", application_type=kind, extension_months=3) == D(2024, 7, 22)
    assert _both("2024-01-23", application_type=kind) == D(2024, 4, 22)
    with pytest.raises(dwangsom.DwangsomError, match=r"at most|more than"):
        rules.decision_deadline("2024-01-23", application_type=kind, extension_months=4)
    nine = APPLIED.replace(nareis_nine_months_from=D(2025, 1, 1))
    assert _both("2025-01-10", application_type=kind, scenario=nine) == D(2025, 10, 10)
    assert _both("2024-12-31", application_type=kind, scenario=nine) == D(2025, 3, 31)
    assert _both("2025-01-10", application_type="regular", scenario=nine) == D(2025, 4, 10)


def test_wbv_2023_26_scope_and_per_decree_fields() -> None:
    holds = APPLIED.replace(wbv_2023_26=True)
    assert _both("2024-03-01", scenario=holds) == D(2025, 6, 1)
    assert _both("2025-01-01", scenario=holds) == D(2025, 7, 1)  # scope ends 1 Jan 2025
    assert _both("2024-03-01") == D(2024, 9, 1)  # withdrawn, pending cases included
    mixed = APPLIED.replace(wbv_2023_3=False)
    assert mixed.extensions == frozenset({"WBV 2022/22"}) and mixed.wbv_2022_22
    assert _both("2023-10-25", scenario=mixed) == D(2024, 4, 25)
    assert _both("2022-03-27", scenario=mixed) == D(2023, 6, 27)
    void = dwangsom.scenario("extensions-void")
    assert (void.wbv_2022_22, void.wbv_2023_3, void.wbv_2023_26) == (False, False, False)
    back = void.replace(extensions=frozenset({"WBV 2023/3"}))
    assert (back.wbv_2022_22, back.wbv_2023_3) == (False, True)
    with pytest.raises(dwangsom.DwangsomError, match="moratorium_reading"):
        APPLIED.replace(moratorium_reading="maybe")


def test_court_term_by_hearing_and_21_months() -> None:
    assert rules.court_terms("2025-06-02")[:3] == (112, 100, 15000)
    assert rules.court_terms("2025-06-02", heard=True)[:3] == (56, 100, 15000)
    # 21 months after 10 Jan 2023 end on 10 Oct 2024
    assert rules.court_terms("2024-10-10", received="2023-01-10")[0] == 112
    assert rules.court_terms("2024-10-11", received="2023-01-10")[0] == 56
    low = APPLIED.replace(court_maximum_variant="low")
    assert rules.court_terms("2025-06-02", scenario=low)[:3] == (112, 100, 7500)
    assert rules.court_terms("2023-06-02", scenario=low)[:3] == (112, 100, 7500)
    for variant, want in (
        ("table", (56, 200, 15000)),
        ("short", (14, 200, 15000)),
        ("long", (56, 250, 37500)),
    ):
        s = APPLIED.replace(repeat_appeal_variant=variant)
        assert rules.court_terms("2025-06-02", repeat=True, scenario=s)[:3] == want
    c = engine.court_arrays(
        ["2025-06-02", "2025-06-02", "2024-10-11"],
        as_of="2026-01-01",
        heard=np.array([True, False, False]),
        received=["2025-01-01", "2025-01-01", "2023-01-10"],
    )
    assert c.term_days.tolist() == [56, 112, 56]


def test_bills_in_force_preset() -> None:
    s = dwangsom.scenario("bills-in-force")
    assert "PLACEHOLDER" in s.description
    assert s.admin_penalty_abolished_from == s.court_penalty_abolished_from == D(2027, 1, 1)
    kw = dict(application_type="regular", scenario=s)
    assert dwangsom.administrative_penalty("2026-03-02", "2026-12-20", "2027-03-31", **kw) == 1442
    assert dwangsom.administrative_penalty("2026-03-02", "2027-01-05", "2027-03-31", **kw) == 0
    # amendment Van Dijk: keyed on the appeal; an empty appeal date reads as the judgment date
    assert rules.court_terms("2027-02-01", scenario=s)[1] == 0
    assert rules.court_terms("2027-02-01", scenario=s, appeal_filed="2026-12-01")[1] == 100
    assert rules.court_terms("2027-02-01", scenario=s, per_day=100)[1] == 100  # ordered wins
    c = engine.court_arrays(
        ["2027-02-01", "2027-02-01"],
        as_of="2027-12-31",
        appeal_filed=[None, "2026-12-01"],
        scenario=s,
    )
    assert c.per_day.tolist() == [0, 100]


def test_eu_pact_flag() -> None:
    table = pd.DataFrame(
        {
            "case_id": ["a", "b", "c"],
            "received": ["2026-06-11", "2026-06-12", "2026-06-12"],
            "application_type": ["asylum", "asylum", "regular"],
        }
    )
    out = dwangsom.assess(table, as_of="2026-12-01")
    assert out["flags"].tolist() == ["", "regime-unconfirmed", ""]
    assert out.loc[1, "deadline"] == pd.Timestamp("2026-12-12")  # Vw art. 42 terms
    quiet = APPLIED.replace(eu_pact_unconfirmed=False)
    assert dwangsom.assess(table, as_of="2026-12-01", scenario=quiet)["flags"].tolist() == [""] * 3
    e = dwangsom.explain(table.iloc[1], as_of="2026-12-01")
    assert any(s.step == "regime unconfirmed" and "2024/1348" in s.source for s in e.steps)


def test_term_past_the_bridge_day_table_is_flagged() -> None:
    s = APPLIED.replace(atw_on_notice_term=True)
    row = {
        "case_id": "x",
        "received": "2028-01-03",
        "application_type": "regular",
        "notice_received": "2028-12-20",
    }
    got = assess_case(row, as_of="2029-03-01", scenario=s)
    assert got["flags"] == "past-calendar"
    assert dwangsom.assess(pd.DataFrame([row]), as_of="2029-03-01", scenario=s)["flags"][0] == (
        "past-calendar"
    )
    assert (
        assess_case(row | {"notice_received": "2028-06-01"}, as_of="2029-03-01", scenario=s)[
            "flags"
        ]
        == ""
    )


def test_explain_shows_the_new_steps() -> None:
    e = dwangsom.explain(
        {
            "case_id": "F1",
            "received": "2023-07-11",
            "nationality": "SDN",
            "judgment_sent": "2025-06-02",
            "heard": "ja",
            "court_group": "fam",
        },
        as_of="2025-12-31",
    )
    steps = {s.step: s for s in e.steps}
    assert "Vw art. 43" in steps["decision moratorium"].source
    assert steps["21-month limit"].date == D(2025, 4, 11)
    assert "2020:1560" in steps["court term by hearing"].source
    assert "2026:2612" in steps["joint court penalty"].source
    b = dwangsom.explain(
        {
            "case_id": "B",
            "received": "2026-03-02",
            "application_type": "regular",
            "notice_received": "2027-01-05",
        },
        as_of="2027-06-01",
        scenario="bills-in-force",
    )
    assert any("35 749" in s.detail for s in b.steps)


# --- court groups ------------------------------------------------------------------------------


def test_court_group_shares_one_penalty() -> None:
    table = pd.DataFrame(
        {
            "case_id": ["m", "f", "k", "x"],
            "received": ["2024-06-01"] * 4,
            "judgment_sent": ["2025-01-10"] * 4,
            "decided": ["2025-06-01", "2025-07-01", None, "2025-07-01"],
            "court_group": ["fam", "fam", "other", None],
        }
    )
    out = dwangsom.assess(table, as_of="2025-12-31")
    # family: one penalty from 3 May through the last decision (1 Jul): 60 days, on the first
    assert out["court_amount"].tolist() == [6000, 0, 15000, 6000]
    assert out["court_due"].nunique() == 1
    for _, row in table.iterrows():
        want = assess_case(row.to_dict(), as_of="2025-12-31", linked=table.to_dict("records"))
        got = out.loc[out["case_id"] == row["case_id"]].iloc[0]
        assert int(got["court_amount"]) == want["court_amount"]


def test_court_group_conflict_is_a_named_problem() -> None:
    table = pd.DataFrame(
        {
            "case_id": ["m", "f"],
            "received": ["2024-06-01"] * 2,
            "judgment_sent": ["2025-01-10", "2025-01-10"],
            "court_per_day": [100, 250],
            "court_group": ["fam", "fam"],
        }
    )
    problems = dwangsom.validate(table)
    assert problems[["case_id", "column", "check"]].to_dict("records") == [
        {"case_id": "m", "column": "court_group", "check": "court-group-conflict"},
        {"case_id": "f", "column": "court_group", "check": "court-group-conflict"},
    ]
    with pytest.raises(dwangsom.CaseTableError, match=r"court-group-conflict.*m, f"):
        dwangsom.assess(table, as_of="2025-12-31")
    with pytest.raises(dwangsom.DwangsomError, match="court_group"):
        engine.court_arrays(["2025-01-10", "2025-01-11"], as_of="2025-12-31", group=[0, 0])


def test_unknown_nationality_and_bad_heard_are_named_problems() -> None:
    table = pd.DataFrame(
        {
            "case_id": ["a", "b", "c", "d"],
            "received": ["2024-01-30"] * 4,
            "nationality": ["Syrië", "Atlantis", None, "syrian arab republic"],
            "heard": ["ja", "nee", "misschien", None],
        }
    )
    problems = dwangsom.validate(table)
    assert problems[["case_id", "column", "check"]].to_dict("records") == [
        {"case_id": "b", "column": "nationality", "check": "unknown-nationality"},
        {"case_id": "c", "column": "heard", "check": "not-boolean"},
    ]
    with pytest.raises(dwangsom.CaseTableError, match=r"unknown-nationality.*'nationality'.*b"):
        dwangsom.assess(table.iloc[:2], as_of="2025-01-01")
    results, _ = dwangsom.assess(table, as_of="2025-01-01", errors="report")
    assert results["status"].tolist()[1:3] == ["invalid", "invalid"]
    assert results.loc[3, "deadline"] == pd.Timestamp("2025-07-30")
    with pytest.raises(dwangsom.DwangsomError, match="Atlantis"):
        rules.nationality_code("Atlantis")
    with pytest.raises(dwangsom.DwangsomError, match="Atlantis"):
        engine.decision_deadline(["2024-01-30"], nationality=["Atlantis"])


# --- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(cases(max_size=12, groups=True), scenarios(), st.dates(D(2016, 1, 1), D(2028, 12, 31)))
def test_assess_equals_scalar_with_groups_nationality_heard(
    table: pd.DataFrame, s: Any, as_of: D
) -> None:
    out = dwangsom.assess(table, as_of=as_of, scenario=s)
    linked = [r.to_dict() for _, r in table.iterrows()]
    for (_, row), (_, got) in zip(table.iterrows(), out.iterrows(), strict=True):
        want = assess_case(row.to_dict(), as_of=as_of, scenario=s, linked=linked)
        plain = {k: _plain(got[k]) for k in OUTPUT_COLUMNS}
        assert plain == want, row.to_dict()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(D(2021, 1, 1), D(2027, 12, 31)),
            st.sampled_from(NATIONALITIES),
            st.sampled_from([0, 0, 3, 9, 15]),
            st.none() | st.integers(0, 900),
        ),
        min_size=1,
        max_size=20,
    ),
    scenarios(),
)
def test_term_never_passes_21_months_and_engine_equals_scalar(
    rows: list[tuple[D, Any, int, int | None]], s: Any
) -> None:
    received = [r[0] for r in rows]
    nationality = [r[1] for r in rows]
    ext = [r[2] for r in rows]
    decided = [None if r[3] is None else r[0] + dt.timedelta(days=r[3]) for r in rows]
    got = engine.decision_term(
        np.array(received, dtype="datetime64[D]"),
        scenario=s,
        extension_months=np.array(ext),
        nationality=nationality,
        decided=np.array([np.datetime64(d, "D") if d else np.datetime64("NaT") for d in decided]),
    )
    for i, (day, nat, months, _) in enumerate(rows):
        want = rules.decision_term(
            day, scenario=s, extension_months=months, nationality=nat, decided=decided[i]
        )
        assert want.deadline <= day + relativedelta(months=21)
        assert want.deadline >= day + relativedelta(months=6)
        assert got.deadline[i] == np.datetime64(want.deadline, "D"), (day, nat, months)
        assert bool(got.capped[i]) == want.capped
        assert bool(got.regime_unconfirmed[i]) == want.regime_unconfirmed
        assert (
            (got.moratorium_first[i] == np.datetime64(want.moratorium.first_day, "D"))
            if (want.moratorium)
            else np.isnat(got.moratorium_first[i])
        )
