"""Case tables: assess equals the scalar reference row by row, invariants, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom.cases import OUTPUT_COLUMNS, STATUSES, assess_case
from dwangsom.testing import bad_cases, cases, scenarios

AS_OF = st.dates(dt.date(2016, 1, 1), dt.date(2028, 12, 31))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


@SETTINGS
@given(cases(max_size=25), scenarios(), AS_OF)
def test_assess_equals_scalar_reference(table: pd.DataFrame, s: Any, as_of: dt.date) -> None:
    out = dwangsom.assess(table, as_of=as_of, scenario=s)
    assert list(out.index) == list(table.index)
    for (_, row), (_, got) in zip(table.iterrows(), out.iterrows(), strict=True):
        want = assess_case(row.to_dict(), as_of=as_of, scenario=s)
        assert {k: _plain(got[k]) for k in OUTPUT_COLUMNS} == want, row.to_dict()


@SETTINGS
@given(cases(min_size=1, max_size=25), AS_OF, st.randoms(use_true_random=False))
def test_rows_keep_order_and_shuffle_together(
    table: pd.DataFrame, as_of: dt.date, rnd: Any
) -> None:
    out = dwangsom.assess(table, as_of=as_of)
    pd.testing.assert_frame_equal(out[table.columns], table)  # input untouched
    order = list(range(len(table)))
    rnd.shuffle(order)
    shuffled = dwangsom.assess(table.iloc[order], as_of=as_of)
    pd.testing.assert_frame_equal(shuffled, out.iloc[order])


@SETTINGS
@given(cases(max_size=25), scenarios(), AS_OF, st.sampled_from(["accrued", "cash"]))
def test_months_sum_to_cases(table: pd.DataFrame, s: Any, as_of: dt.date, basis: Any) -> None:
    out = dwangsom.assess(table, as_of=as_of, scenario=s)
    months = dwangsom.liability_by_month(table, as_of=as_of, scenario=s, basis=basis)
    assert isinstance(months.index, pd.PeriodIndex) and months.index.freqstr == "M"
    assert months["admin"].sum() == out["admin_amount"].sum()
    assert months["court"].sum() == out["court_amount"].sum()
    assert months["total_cumulative"].iloc[-1] == out["total_amount"].sum()
    if basis == "accrued":
        assert months.index[-1] == pd.Period(as_of, "M")
    assert (months[["admin", "court"]] >= 0).all().all()


@SETTINGS
@given(cases(max_size=20), scenarios(), AS_OF, st.integers(1, 400))
def test_later_as_of_never_lowers_accrued(table: pd.DataFrame, s: Any, as_of: dt.date,
                                          later: int) -> None:  # fmt: skip
    one = dwangsom.assess(table, as_of=as_of, scenario=s)["total_amount"]
    two = dwangsom.assess(table, as_of=as_of + dt.timedelta(days=later), scenario=s)
    assert (two["total_amount"] >= one).all()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad_cases(), AS_OF)
def test_bad_tables_never_crash(table: pd.DataFrame, as_of: dt.date) -> None:
    results, problems = dwangsom.assess(table, as_of=as_of, errors="report")
    assert len(results) == len(table) and list(results.index) == list(table.index)
    assert len(problems) > 0
    assert list(problems.columns) == ["case_id", "column", "check", "value", "rule", "level"]
    assert (results.loc[results["problems"] != "", "status"] == "invalid").all()
    assert results.loc[results["status"] == "invalid", "total_amount"].isna().all()
    with pytest.raises(dwangsom.CaseTableError):
        dwangsom.assess(table, as_of=as_of)
    with pytest.raises(dwangsom.CaseTableError):
        dwangsom.liability_by_month(table, as_of=as_of)


# --- bad input: one example per check, message pinned -----------------------------------------


def _table(**columns: list[Any]) -> pd.DataFrame:
    base: dict[str, list[Any]] = {
        "case_id": ["A1", "A2", "A3"],
        "received": ["2023-01-10", "2023-02-10", "2023-03-10"],
    }
    return pd.DataFrame(base | columns)


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (
            _table(case_id=["A1", "A1", "A3"]),
            r"duplicate-id in column 'case_id': case id\(s\) A1, A1",
        ),
        (_table(case_id=["A1", None, "A3"]), r"missing-id in column 'case_id': case id\(s\) row 1"),
        (
            _table(received=["2023-01-10", "2023-02-30", "2023-03-10"]),
            r"not-a-date in column 'received': case id\(s\) A2 .*first value: '2023-02-30'",
        ),
        (
            _table(received=["2023-01-10", None, "2023-03-10"]),
            r"missing-date in column 'received': case id\(s\) A2",
        ),
        (
            _table(decided=["2022-12-31", None, "2023-01-01"]),
            r"before-receipt in column 'decided': case id\(s\) A1, A3 - an event cannot precede",
        ),
        (
            _table(
                appeal_filed=[None, "2024-05-01", None], judgment_sent=[None, "2024-04-01", None]
            ),
            r"judgment-before-appeal in column 'judgment_sent': case id\(s\) A2",
        ),
        (_table(court_per_day=[100, -5, None]), r"negative in column 'court_per_day': .*A2"),
        (_table(court_cap=[7500.5, None, None]), r"not-whole in column 'court_cap': .*A1"),
        (_table(court_cap=["veel", None, None]), r"not-a-number in column 'court_cap': .*A1"),
        (
            _table(application_type=["asylum", "visa", ""]),
            r"unknown-type in column 'application_type': case id\(s\) A2",
        ),
        (_table(excluded=["ja", "misschien", None]), r"not-boolean in column 'excluded'.*A2"),
        (
            _table(received=["2023-01-10", "1999-02-10", "2023-03-10"]),
            r"out-of-table in column 'received': case id\(s\) A2",
        ),
        (_table(applicants=[1, 0, 2]), r"too-few-applicants in column 'applicants'.*A2"),
        (
            _table(
                received=["2008-01-10", "2023-02-10", "2023-03-10"],
                judgment_sent=["2009-01-05", None, None],
            ),
            r"court-out-of-table in column 'judgment_sent'.*A1",
        ),
        (
            _table(application_type=["regular", None, None], extension_months=[4, 0, 0]),
            r"extension-not-allowed in column 'extension_months'.*A1",
        ),
    ],
)
def test_each_check_names_check_column_and_ids(table: pd.DataFrame, match: str) -> None:
    with pytest.raises(dwangsom.CaseTableError, match=match) as info:
        dwangsom.assess(table, as_of="2025-01-01")
    assert isinstance(info.value, ValueError)
    assert len(info.value.problems) >= 1  # type: ignore[arg-type]


def test_many_ids_are_counted() -> None:
    table = pd.DataFrame({"case_id": range(9), "received": ["2023-02-30"] * 9})
    with pytest.raises(dwangsom.CaseTableError, match=r"0, 1, 2, 3, 4 \(and 4 more\)"):
        dwangsom.assess(table, as_of="2025-01-01")


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (pd.DataFrame({"id": [1], "received": ["2023-01-01"]}), "no column 'case_id'"),
        (pd.DataFrame({"case_id": [1]}), "no column 'received'"),
        (
            pd.DataFrame({"case_id": [1], "received": ["2023-01-01"], "deadline": [1]}),
            "already has result column",
        ),
        ([{"case_id": 1}], "expected a pandas DataFrame"),
    ],
)
def test_table_level_errors(table: Any, match: str) -> None:
    with pytest.raises(dwangsom.CaseTableError, match=match):
        dwangsom.assess(table, as_of="2025-01-01")


def test_report_mode_marks_rows_and_keeps_them() -> None:
    table = _table(decided=["2022-12-31", "2024-05-01", None], extra=["x", "y", "z"])
    results, problems = dwangsom.assess(table, as_of="2025-01-01", errors="report")
    assert results["status"].tolist()[0] == "invalid"
    assert results["problems"].tolist() == ["before-receipt", "", ""]
    assert results["extra"].tolist() == ["x", "y", "z"]
    assert problems.to_dict("records") == [{
        "case_id": None, "column": "extra", "check": "unknown-column", "value": "extra",
        "rule": "not a column the library reads; it passes through unchanged",
        "level": "warning"}, {
        "case_id": "A1", "column": "decided", "check": "before-receipt", "value": "2022-12-31",
        "rule": "an event cannot precede the application", "level": "error"}]  # fmt: skip
    assert results.loc[1, "deadline"] == pd.Timestamp("2024-05-10")


def test_as_of_is_required_and_explicit() -> None:
    with pytest.raises(dwangsom.DwangsomError, match="as_of"):
        dwangsom.assess(_table(), as_of=None)
    with pytest.raises(dwangsom.DwangsomError, match="errors"):
        dwangsom.assess(_table(), as_of="2025-01-01", errors="ignore")  # type: ignore[call-overload]


# --- examples -------------------------------------------------------------------------------


def test_statuses() -> None:
    table = pd.DataFrame({
        "case_id": list("abcdefgh"),
        "received": ["2024-09-01", "2022-01-05", "2022-01-05", "2022-01-05", "2023-01-05",
                     "2022-01-05", "2019-01-05", "2023-01-05"],
        "application_type": ["asylum", "regular", "regular", "asylum", "asylum", "regular",
                             "asylum", "asylum"],
        "notice_received": [None, None, "2024-12-20", "2024-01-02", "2023-05-01", "2024-12-01",
                            "2019-09-01", None],
        "decided": [None, None, None, None, None, None, "2021-01-01", "2023-06-01"],
        # d: 21 months after receipt have passed at the judgment, so the court term is 56 days
        "judgment_sent": [None, None, None, "2024-11-20", None, None, None, None],
    })  # fmt: skip
    out = dwangsom.assess(table, as_of="2025-01-01")
    assert out["status"].tolist() == [
        "within-term", "overdue-no-notice", "notice-pending", "court-term-running",
        "notice-premature", "accruing", "decided", "decided-in-term"]  # fmt: skip
    assert set(out["status"]) <= set(STATUSES)


def test_read_cases_dutch_csv(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text(
        "case_id;received;notice_received;decided;court_per_day;nationaliteit\n"
        "1;25-10-2023;;;;Syrië\n2;02-01-2023;06-01-2025;03-03-2025;;ERI\n",
        encoding="utf-8",
    )
    cases = dwangsom.read_cases(path)
    out = dwangsom.assess(cases, as_of="2025-06-30", scenario="no-temporary-act")
    # nationaliteit is the nationality column: the Syrian case's 15 months (25 Jan 2025) meet
    # the moratorium of 14 Dec 2024, which runs the term to 21 months (RULES §2)
    assert out["deadline"].dt.date.tolist() == [dt.date(2025, 7, 25), dt.date(2024, 4, 2)]
    assert out["admin_amount"].tolist() == [0, 1442]
    assert out["nationaliteit"].tolist() == ["Syrië", "ERI"]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".csv"])
def test_read_cases_formats(tmp_path: Path, suffix: str) -> None:
    table = _table(notice_received=[None, "2024-07-01", None])
    table["received"] = pd.to_datetime(table["received"])
    path = tmp_path / f"cases{suffix}"
    {".xlsx": table.to_excel, ".parquet": table.to_parquet, ".csv": table.to_csv}[suffix](
        path, index=False
    )
    back = dwangsom.read_cases(path)
    pd.testing.assert_series_equal(
        dwangsom.assess(back, as_of="2025-01-01")["deadline"],
        dwangsom.assess(table, as_of="2025-01-01")["deadline"],
    )


def test_read_cases_errors(tmp_path: Path) -> None:
    with pytest.raises(dwangsom.DwangsomError, match="no such file"):
        dwangsom.read_cases(tmp_path / "nope.csv")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(dwangsom.DwangsomError, match=r"use \.csv, \.xlsx or \.parquet"):
        dwangsom.read_cases(tmp_path / "x.json")


def test_liability_by_group_and_compare() -> None:
    table = pd.DataFrame({
        "case_id": [1, 2, 3],
        "received": ["2019-06-01", "2019-07-01", "2023-01-02"],
        "notice_received": ["2020-01-02", "2020-02-03", "2024-08-01"],
        "decided": ["2020-03-31", None, "2024-09-30"],
        "year": [2019, 2019, 2023],
    })  # fmt: skip
    by = dwangsom.liability_by_month(table, as_of="2024-12-31", by="year")
    assert by[("total", 2019)].sum() == 2 * 1442 and by[("total", 2023)].sum() == 0
    plain = dwangsom.liability_by_month(table, as_of="2024-12-31")
    assert (by["total"].sum(axis=1) == plain["total"]).all()
    both = dwangsom.compare(table, ["as-applied", "no-temporary-act"], as_of="2024-12-31")
    assert both["as-applied"].sum() == 2 * 1442
    assert both["diff no-temporary-act"].sum() == 1442
    cash = dwangsom.liability_by_month(table, as_of="2024-12-31", basis="cash")
    assert cash.loc["2020-05", "admin"] == 1442  # fixed by 14 Mar + 14 d, paid by 25 Apr + 42 d


def test_read_cases_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("case_id;received;opmerking\n1;01-02-2023;café\n".encode("cp1252"))
    cases = dwangsom.read_cases(path)
    assert cases["opmerking"].tolist() == ["café"]
    assert dwangsom.assess(cases, as_of="2024-01-01")["deadline"].iloc[0] == pd.Timestamp(
        "2024-05-01"
    )


def test_result_dtypes_money_is_whole_euros() -> None:
    clean = dwangsom.assess(_table(), as_of="2025-01-01")
    for column in ("admin_days", "admin_amount", "court_days", "court_amount", "total_amount"):
        assert clean[column].dtype == np.int64
    assert clean["deadline"].dtype == np.dtype("datetime64[s]")
    assert clean["notice_valid"].dtype == bool
    assert isinstance(clean["status"].dtype, pd.CategoricalDtype)
    results, _ = dwangsom.assess(_table(decided=["2022-01-01", None, None]), as_of="2025-01-01",
                                 errors="report")  # fmt: skip
    assert results["total_amount"].dtype == "Int64" and results["notice_valid"].dtype == "boolean"
    assert results["total_amount"].isna().tolist() == [True, False, False]
