"""The bundled synthetic sample extract: reproducible, packaged, and shaped like the figures."""

from __future__ import annotations

import gzip
import importlib.resources
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dwangsom import engine

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "data" / "sample_cases.csv"
PACKAGED = importlib.resources.files("dwangsom") / "sample" / "sample_cases.csv.gz"

COLUMNS = [
    "case_id",
    "received",
    "application_type",
    "track",
    "nationality_group",
    "applicants",
    "notice_received",
    "appeal_filed",
    "judgment_sent",
    "repeat_appeal",
    "court_term_days",
    "court_per_day",
    "court_cap",
    "decided",
    "excluded",
]
DATES = ["received", "notice_received", "appeal_filed", "judgment_sent", "decided"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    table = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    for column in DATES:
        table[column] = pd.to_datetime(table[column].replace("", None), format="ISO8601")
    return table


def test_packaged_copy_is_the_documented_csv() -> None:
    packaged = gzip.decompress(PACKAGED.read_bytes())
    assert packaged == CSV.read_bytes()
    assert len(PACKAGED.read_bytes()) < 2_000_000


def test_script_reproduces_the_committed_files() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "data" / "make_sample.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_columns_and_ids(sample: pd.DataFrame) -> None:
    assert list(sample.columns) == COLUMNS
    assert sample["case_id"].is_unique
    assert sample["case_id"].str.fullmatch(r"SYN-\d{6}").all()  # visibly synthetic
    assert 20_000 <= len(sample) <= 60_000
    assert set(sample["application_type"]) == {"asylum", "family-reunification"}
    assert set(sample["repeat_appeal"]) == set(sample["excluded"]) == {"true", "false"}


def test_receipts_follow_the_monthly_inflow(sample: pd.DataFrame) -> None:
    inflow = pd.read_csv(ROOT / "data" / "sample_inflow.csv")
    asylum = sample[sample["application_type"] == "asylum"]
    counts = asylum["received"].dt.strftime("%Y-%m").value_counts().sort_index()
    assert list(counts.index) == list(inflow["month"])
    assert (counts.to_numpy() == inflow["sample_cases"].to_numpy()).all()
    # published months are kept exactly (scaled by the sample fraction)
    september_2022 = inflow.set_index("month").loc["2022-09"]
    assert september_2022["first_applications"] == 4319
    assert september_2022["basis"] == "published month"
    assert inflow["source"].notna().all()


def test_events_are_in_order(sample: pd.DataFrame) -> None:
    received, notice = sample["received"], sample["notice_received"]
    appeal, judgment, decided = sample["appeal_filed"], sample["judgment_sent"], sample["decided"]
    assert not (notice < received).any()
    assert not (appeal <= notice).any()
    assert not (judgment <= appeal).any()
    assert appeal[judgment.notna()].notna().all()
    assert notice[appeal.notna()].notna().all()
    assert not (decided < received).any()
    # no event after the decision or after the extract date
    for column in ["notice_received", "appeal_filed", "judgment_sent"]:
        assert not (sample[column] >= decided).any(), column
    assert (sample[DATES].max() <= pd.Timestamp("2025-12-31")).all()


def test_the_extension_cohort_matters_where_4_17_applies() -> None:
    """The cohort of notices between 6 and 15 months after receipt: the euros of the two readings
    agree under the Temporary Act (no Awb 4:17 for asylum, court penalties as recorded) and part
    where Awb 4:17 applies; ``dwangsom demo`` names both facts."""
    import dwangsom

    cases = dwangsom.read_cases(CSV)
    applied = dwangsom.liability_by_month(cases, as_of="2025-12-31")["total"].sum()
    void = dwangsom.liability_by_month(cases, as_of="2025-12-31", scenario="extensions-void")
    assert void["total"].sum() == applied
    no_act = dwangsom.scenario("no-temporary-act")
    both = no_act.replace(name="both", extensions=frozenset())
    extra = (
        dwangsom.liability_by_month(cases, as_of="2025-12-31", scenario=both)["total"].sum()
        - dwangsom.liability_by_month(cases, as_of="2025-12-31", scenario=no_act)["total"].sum()
    )
    assert extra > 1_000_000


def test_awkward_cases_are_present(sample: pd.DataFrame) -> None:
    asylum = sample["application_type"] == "asylum"
    deadline = engine.decision_deadline(
        sample.loc[asylum, "received"].to_numpy(), scenario="as-applied"
    )
    void = engine.decision_deadline(
        sample.loc[asylum, "received"].to_numpy(), scenario="extensions-void"
    )
    notice = sample.loc[asylum, "notice_received"].to_numpy().astype("datetime64[D]")
    has = ~np.isnat(notice)
    premature = has & (notice <= deadline)
    assert premature.sum() > 1000  # many: lawyers counting six months after WBV 2022/22
    assert (premature & (notice > void)).sum() > 500  # valid only if the extensions fail
    appealed = ~np.isnat(sample.loc[asylum, "appeal_filed"].to_numpy().astype("datetime64[D]"))
    assert (premature & (notice > void) & appealed).sum() > 500  # the cohort, often appealed
    assert (has & (notice <= void)).sum() > 50  # premature on any reading
    past_21 = sample["received"] + pd.DateOffset(months=21)
    assert (sample["decided"].isna() & (past_21 < pd.Timestamp("2025-12-31"))).sum() > 500
    assert (sample["decided"] > past_21).sum() > 1000
    assert (sample["repeat_appeal"] == "true").sum() > 100
    assert (sample["excluded"] == "true").sum() > 100
    assert (sample["court_per_day"] != "").sum() > 100  # penalties set despite the Temporary Act
    assert (sample["applicants"] == "2").sum() > 100
