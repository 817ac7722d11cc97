"""The hostile and Dutch files of tests/data/: each read to the right numbers or a named error.

Case ``A`` of most files is the docs' reference case (received 1 June 2019, notice 2 January
2020, decided 31 March 2020): EUR 1,442 of administrative penalty (Awb 4:17).
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom.cases import parse_cases
from dwangsom.headers import ColumnWarning

DATA = Path(__file__).parent / "data"
AS_OF = "2025-06-30"


def _read(name: str, **kw: object) -> pd.DataFrame:
    return dwangsom.read_cases(DATA / name, **kw)  # type: ignore[arg-type]


def _amounts(table: pd.DataFrame) -> list[int]:
    return [int(x) for x in dwangsom.assess(table, as_of=AS_OF)["admin_amount"]]


# --- headers ----------------------------------------------------------------------------------


def test_dutch_aliases_are_read() -> None:
    table = _read("nl_aliases.csv")
    assert table.columns[0] == "Zaaknummer"  # the user's headers stay
    assert _amounts(table) == [1442, 0]
    assert dwangsom.validate(table).empty
    out = dwangsom.assess(table, as_of=AS_OF)
    assert out["status"].tolist() == ["decided", "overdue-no-notice"]


def test_padded_and_capitalised_headers_are_read() -> None:
    table = _read("padded_mixed_case.csv")
    assert _amounts(table) == [1442, 0]  # "decided " was silently ignored: EUR 0 (issue 11)
    assert dwangsom.validate(table).empty


def test_mistyped_required_header_is_named() -> None:
    with (
        pytest.warns(ColumnWarning, match="recieved"),
        pytest.raises(dwangsom.CaseTableError, match="'recieved' resembles 'received'"),
    ):
        dwangsom.assess(_read("mistyped_header.csv"), as_of=AS_OF)


def test_unknown_and_resembling_columns_are_warnings_or_errors_when_strict() -> None:
    table = _read("resembling_header.csv")
    with pytest.warns(ColumnWarning, match="desided"):
        problems = dwangsom.validate(table)
    assert problems[["column", "check", "level"]].to_dict("records") == [
        {"column": "desided", "check": "resembles-column", "level": "warning"},
        {"column": "team", "check": "unknown-column", "level": "warning"},
    ]
    assert "'decided'" in problems["rule"].iloc[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColumnWarning)
        results, _ = dwangsom.assess(table, as_of=AS_OF, errors="report")
        assert results["status"].tolist() == ["overdue-no-notice"]  # warnings invalidate nothing
        with pytest.raises(dwangsom.CaseTableError, match=r"strict=True.*'desided'.*'team'"):
            dwangsom.validate(table, strict=True)
    mapped = dwangsom.assess(table, as_of=AS_OF, columns={"desided": "decided"})
    assert mapped["status"].tolist() == ["decided"]


def test_explicit_mapping_must_name_real_headers_and_columns() -> None:
    table = _read("nl_aliases.csv")
    with pytest.raises(dwangsom.CaseTableError, match="no header 'Zaak'"):
        dwangsom.validate(table, columns={"Zaak": "case_id"})
    with pytest.raises(dwangsom.DwangsomError, match=r"'zaak' .* is not a column"):
        dwangsom.validate(table, columns={"Zaaknummer": "zaak"})


def test_two_headers_for_one_column_are_an_error() -> None:
    table = pd.DataFrame({"case_id": ["A"], "Zaaknummer": ["B"], "received": ["2023-01-02"]})
    with pytest.raises(dwangsom.CaseTableError, match="2 columns meaning 'case_id'"):
        dwangsom.validate(table)


# --- layouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["trailing_semicolon.csv", "trailing_semicolon_header.csv"])
def test_trailing_delimiters_never_shift_columns(name: str) -> None:
    table = _read(name)
    assert list(table.columns) == ["case_id", "received", "notice_received", "decided"]
    assert table["case_id"].tolist() == ["A", "B"]  # ids stay ids (they became dates)
    assert _amounts(table) == [1442, 0]


def test_a_row_with_extra_fields_is_named() -> None:
    with pytest.raises(dwangsom.CaseFileError, match=r"line\(s\) 3 have more fields.*'oeps'"):
        _read("extra_field.csv")


def test_sep_line() -> None:
    table = _read("sep_line.csv")
    assert list(table.columns) == ["case_id", "received", "notice_received", "decided"]
    assert _amounts(table) == [1442]


def test_title_rows_found_or_skipped() -> None:
    found = _read("title_rows.csv")
    assert found.attrs["dwangsom.skipped_rows"] == 2
    assert _amounts(found) == [1442]
    pd.testing.assert_frame_equal(_read("title_rows.csv", skip_rows=2), found)
    with pytest.raises(dwangsom.CaseTableError, match="missing-column"):
        dwangsom.validate(_read("title_rows.csv", skip_rows=0))


def test_long_header_line_is_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ";".join(f"extra_{i}" for i in range(8000))  # a ~90 KB header line
    path.write_text(f"case_id;received;{names}\nA;01-06-2019{';' * 8000}\n", encoding="utf-8")
    start = time.perf_counter()
    table = dwangsom.read_cases(path)
    problems = dwangsom.validate(table)
    assert time.perf_counter() - start < 10  # csv.Sniffer took 29 s on 64 KB
    assert table.shape == (1, 8002)
    assert (problems["check"] == "unknown-column").sum() == 8000


# --- encodings and hostile files --------------------------------------------------------------


def test_windows_1252() -> None:
    assert _read("cp1252.csv")["team"].tolist() == ["Bénédicte"]


def test_utf16_with_bom_tab_separated() -> None:
    table = _read("utf16_tab.csv")
    assert list(table.columns) == ["case_id", "received"]
    assert dwangsom.validate(table).empty


def test_binary_file_is_refused() -> None:
    with pytest.raises(dwangsom.CaseFileError, match="NUL"):
        _read("binary.csv")


def test_decompression_is_bounded() -> None:
    with pytest.raises(dwangsom.CaseFileError, match="decompresses to more than"):
        _read("bomb.csv.gz", max_bytes=1 << 20)
    assert len(_read("bomb.csv.gz")) == 400_000  # within the default bound it reads


def test_undecodable_with_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("case_id;received\nÄ;2023-01-02\n".encode("cp1252"))
    with pytest.raises(dwangsom.CaseFileError, match="offset"):
        dwangsom.read_cases(path, encoding="utf-8")


# --- numbers ----------------------------------------------------------------------------------


def test_dutch_thousands_and_decimal_commas_in_a_semicolon_file() -> None:
    table = _read("thousands_nl.csv")
    assert table.attrs["dwangsom.decimal"] == ","
    parsed = parse_cases(table)
    assert parsed.ints["court_cap"].tolist() == [15000.0, 1250000.0, 7500.0]  # not EUR 15
    assert parsed.ints["court_per_day"].tolist() == [100.0, 1000.0, 100.0]


def test_a_number_whose_reading_depends_on_the_convention_is_flagged() -> None:
    problems = dwangsom.validate(_read("ambiguous_comma_file.csv"))
    assert problems[["case_id", "column", "check", "value"]].to_dict("records") == [
        {"case_id": "A", "column": "court_cap", "check": "ambiguous-number", "value": "15.000"}
    ]
    explicit = dwangsom.read_cases(DATA / "ambiguous_comma_file.csv", decimal=",")
    assert parse_cases(explicit).ints["court_cap"].tolist() == [15000.0, 15000.0]


def test_full_width_digits_spaces_formulas_and_negatives() -> None:
    table = _read("full_width_and_spaces.csv")
    problems = dwangsom.validate(table)
    assert problems[["case_id", "column", "check"]].to_dict("records") == [
        {"case_id": "B", "column": "court_cap", "check": "negative"},  # a negative stays a number
        {"case_id": "C", "column": "court_per_day", "check": "not-a-number"},  # '＝1+1'
    ]
    results, _ = dwangsom.assess(table, as_of=AS_OF, errors="report")
    assert results["status"].tolist()[0] != "invalid"  # '２' applicants and '  15000' read


def test_typed_numbers_stay_numbers() -> None:
    table = pd.DataFrame({"case_id": ["A", "B"], "received": ["2019-06-01"] * 2,
                          "court_cap": [15000, -5], "applicants": [2.0, 1.0]})  # fmt: skip
    problems = dwangsom.validate(table)
    assert problems[["case_id", "check", "value"]].to_dict("records") == [
        {"case_id": "B", "check": "negative", "value": "-5"}
    ]


# --- dates ------------------------------------------------------------------------------------


def test_incomplete_dates_are_rejected_everywhere() -> None:
    table = _read("incomplete_dates.csv")
    problems = dwangsom.validate(table)
    assert problems[["case_id", "check"]].to_dict("records") == [
        {"case_id": "A", "check": "incomplete-date"},
        {"case_id": "B", "check": "incomplete-date"},
    ]
    for value in ("2023", "2023-05"):
        with pytest.raises(dwangsom.CaseTableError, match="incomplete-date"):
            dwangsom.explain({"case_id": "A", "received": value}, as_of=AS_OF)
        with pytest.raises(dwangsom.InvalidDateError, match="incomplete"):
            dwangsom.rules.decision_deadline(value)
    with pytest.raises(dwangsom.InvalidDateError, match="incomplete"):
        dwangsom.rules.decision_deadline(np.datetime64("2023-05"))


def test_a_time_zone_is_a_problem_of_that_cell_only() -> None:
    problems = dwangsom.validate(_read("tz_cell.csv"))
    assert problems[["case_id", "check"]].to_dict("records") == [
        {"case_id": "A", "check": "time-zone"}
    ]


def test_scalar_and_table_accept_the_same_dates() -> None:
    values = ["2023-01-02", "2-1-2023", "2023-01-02 00:00:00", "02-01-2023 0:00",
              dt.datetime(2023, 1, 2, 15, 30), np.datetime64("2023-01-02T10", "h")]  # fmt: skip
    table = pd.DataFrame(
        {"case_id": range(len(values)), "received": pd.Series(values, dtype=object)}
    )
    assert dwangsom.validate(table).empty
    assert set(parse_cases(table).dates["received"].tolist()) == {dt.date(2023, 1, 2)}
    deadlines = {dwangsom.rules.decision_deadline(v) for v in values}
    assert len(deadlines) == 1


def test_explain_reads_dutch_headers_and_cells_as_assess() -> None:
    table = _read("nl_aliases.csv")
    assert dwangsom.explain("A", cases=table, as_of=AS_OF).total == 1442
    with pytest.raises(dwangsom.CaseTableError, match="before-receipt"):
        dwangsom.explain({"case_id": "X", "received": "2023-05-01", "decided": "2023-04-01"},
                         as_of=AS_OF)  # fmt: skip


# --- report mode and by= ----------------------------------------------------------------------


def test_report_mode_never_overwrites_a_user_problems_column() -> None:
    table = pd.DataFrame({"case_id": ["A", "B"], "received": ["2023-05-01"] * 2})
    table["decided"], table["problems"] = ["2023-04-01", None], ["mine", "also mine"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColumnWarning)
        results, _ = dwangsom.assess(table, as_of=AS_OF, errors="report")
    assert results["problems"].tolist() == ["mine", "also mine"]
    assert results.attrs["dwangsom.problems_column"] == "problems_2"
    assert results["problems_2"].tolist() == ["before-receipt", ""]


def test_by_keeps_the_empty_group_apart_from_a_value_spelled_none() -> None:
    table = pd.DataFrame({
        "case_id": [1, 2, 3], "received": ["2019-06-01"] * 3,
        "notice_received": ["2020-01-02"] * 3, "decided": ["2020-03-31"] * 3,
        "team": ["(none)", None, "a"],
    })  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColumnWarning)
        months = dwangsom.liability_by_month(table, as_of="2020-03-31", by="team")
        empty = dwangsom.liability_by_month(table.iloc[:0], as_of="2020-03-31", by="team")
    totals = months["total"].sum()
    assert totals.to_dict() == {"(none)": 1442, "a": 1442, "(none)_2": 1442}  # none merged
    assert empty.shape[1] == 0


def test_xlsx_sheets_by_name_or_number(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "cases.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["cover"]}).to_excel(writer, sheet_name="lees mij", index=False)
        pd.DataFrame(
            {"Titel": ["Overzicht", "Zaaknummer"], "b": [None, "Datum ontvangst"]}
        ).to_excel(writer, sheet_name="zaken", index=False, header=False)
    with pytest.raises(
        dwangsom.CaseFileError, match=r"no sheet 'nope'; sheets: 'lees mij', 'zaken'"
    ):
        dwangsom.read_cases(path, sheet_name="nope")
    with pytest.raises(dwangsom.CaseFileError, match="no sheet number 5"):
        dwangsom.read_cases(path, sheet_name=5)
    table = dwangsom.read_cases(path, sheet_name=1)
    assert list(table.columns) == ["Zaaknummer", "Datum ontvangst"] and len(table) == 0
