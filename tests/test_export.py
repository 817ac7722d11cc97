"""What goes out: CSV that every reader splits the same way and no spreadsheet runs, a Dutch
workbook with real dates, numbers and its metadata, atomic writes, honest exit statuses and a
command line that refuses what it cannot do."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom import cli, export

AS_OF = "2025-12-31"
FORMULA = tuple("=+-@\uff1d\uff0b\uff0d\uff20")
HOSTILE = [
    "x\r=1+1",
    "a\nb",
    "line\r\nbreak",
    " =1+1",
    "\u3000@SUM(A1)",
    "\uff1dHYPERLINK(1)",
    "\t=2",
    "-2+3",
    "+31 6",
    "plain",
    "-5",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def hostile_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small extract with a note column full of formulas and line breaks (Parquet, so the
    cells reach the command line exactly as written)."""
    pytest.importorskip("pyarrow")
    n = len(HOSTILE)
    table = pd.DataFrame(
        {
            "case_id": [f"H{i}" for i in range(n)],
            "received": ["2022-10-03"] * n,
            "notice_received": ["2023-02-01", "2024-03-01"] * (n // 2) + ["2024-03-01"],
            "decided": ["2024-05-31"] * n,
            "note": HOSTILE,
        }
    )
    path = tmp_path_factory.mktemp("export") / "hostile.parquet"
    table.to_parquet(path, index=False)
    return path


def starts_formula(cell: str) -> bool:
    body = cell.lstrip(" \t\r\n\u00a0\u3000")
    if not body or body[0] not in FORMULA:
        return False
    try:
        float(body.replace(",", "."))
    except ValueError:
        return True
    return False  # a plain (negative) number


@pytest.mark.parametrize("dialect", ["iso", "nl"])
def test_csv_round_trip_same_cells_no_formula(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path, dialect: str
) -> None:
    out = tmp_path / "results.csv"
    code, _, err = run(
        capsys, "assess", str(hostile_extract), "--as-of", AS_OF, "-o", str(out),
        "--dialect", dialect,
    )  # fmt: skip
    assert code == 0, err
    raw = out.read_bytes()
    sep = ";" if dialect == "nl" else ","
    encoding = "utf-8-sig" if dialect == "nl" else "utf-8"
    assert raw.startswith(b"\xef\xbb\xbf") == (dialect == "nl")
    text = raw.decode(encoding)
    with out.open(newline="", encoding=encoding) as handle:
        rows = list(csv.reader(handle, delimiter=sep))
    frame = pd.read_csv(out, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
    # one physical line per row: no reader, however naive, starts a new row inside a cell
    assert len(text.splitlines()) == len(rows) == len(HOSTILE) + 1
    assert rows[0] == list(frame.columns)
    assert rows[1:] == frame.to_numpy().tolist()
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if starts_formula(c)]
    notes = frame["note"].tolist()
    assert notes[0] == "x =1+1" and notes[3] == "' =1+1" and notes[5] == "'\uff1dHYPERLINK(1)"
    assert notes[-1] == "-5" and notes[-2] == "plain"  # a plain negative number stays one
    if dialect == "nl":
        assert frame["received"].iloc[0] == "03-10-2022" and frame["deadline"].iloc[0][2] == "-"
        assert frame["total_amount"].str.fullmatch(r"-?\d+").all()  # whole euros, no dots
    else:
        assert frame["received"].iloc[0] == "2022-10-03"
    expected = dwangsom.assess(dwangsom.read_cases(hostile_extract), as_of=AS_OF)
    assert frame["total_amount"].astype(int).tolist() == expected["total_amount"].tolist()


def test_nl_csv_decimal_comma_and_typed_negatives(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "amount": [-1250, 3],
            "rate": [0.5, -2.25],
            "day": pd.to_datetime(["2025-01-31", None]),
            "text": ["=cmd|' /C calc'!A0", "-"],
        }
    )
    out = export.write_table(table, tmp_path / "nl.csv", dialect="nl")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "amount;rate;day;text",
        "-1250;0,5;31-01-2025;'=cmd|' /C calc'!A0",
        "3;-2,25;;'-",
    ]


def test_workbook_types_formats_and_metadata(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "results.xlsx"
    code, _, err = run(capsys, "assess", str(hostile_extract), "--as-of", AS_OF, "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["dwangsom", "metadata"]
    sheet = book["dwangsom"]
    header = [c.value for c in sheet[1]]
    col = {name: i for i, name in enumerate(header)}
    row = [c for c in sheet[2]]
    assert isinstance(row[col["received"]].value, dt.datetime)  # the input's dates too
    assert isinstance(row[col["deadline"]].value, dt.datetime)
    assert row[col["deadline"]].number_format == "dd-mm-yyyy"
    assert (
        row[col["total_amount"]].data_type == "n" and "€" in row[col["total_amount"]].number_format
    )
    assert isinstance(row[col["notice_valid"]].value, bool)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width > 8
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    meta = {r[0].value: r[1].value for r in book["metadata"].iter_rows(min_row=2)}
    assert meta["peildatum (as of)"] == dt.datetime(2025, 12, 31)
    assert meta["scenario"] == "as-applied"
    assert meta["bronbestand (source file)"] == "hostile.parquet"
    assert meta["dwangsom version"] == dwangsom.__version__
    assert isinstance(meta["nieuwste rechtsbron (newest legal source)"], dt.datetime)
    assert meta["rows (rijen)"] == len(HOSTILE)


def test_months_workbook_months_are_dates_and_euros(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "months.xlsx"
    argv = ["months", str(hostile_extract), "--as-of", AS_OF, "--compare"]
    code, _, err = run(capsys, *argv, "as-applied,no-temporary-act", "-o", str(target))
    assert code == 0, err
    sheet = openpyxl.load_workbook(target)["dwangsom"]
    first = [c for c in sheet[2]]
    assert isinstance(first[0].value, dt.datetime) and first[0].value.day == 1
    assert all("€" in c.number_format for c in first[1:])
    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(target)["metadata"].iter_rows()}
    assert meta["scenario"] == "as-applied, no-temporary-act" and meta["basis"] == "accrued"


def test_too_many_rows_for_a_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 3)
    target = tmp_path / "big.xlsx"
    with pytest.raises(export.ExportError, match=r"3 rows .* do not fit one Excel sheet.*csv"):
        export.write_table(pd.DataFrame({"a": [1, 2, 3]}), target)
    assert not list(tmp_path.iterdir())  # nothing left behind


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the previous results\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_write_csv", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        export.write_table(pd.DataFrame({"a": [1]}), target)
    assert target.read_text() == "the previous results\n"  # untouched, no partial file
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_never_onto_the_input(capsys: pytest.CaptureFixture[str], hostile_extract: Path) -> None:
    before = hostile_extract.read_bytes()
    code, _, err = run(capsys, "assess", str(hostile_extract), "--as-of", AS_OF, "-o",
                         str(hostile_extract))  # fmt: skip
    assert code == 2 and "is the input file" in err and len(err.strip().splitlines()) == 1
    assert hostile_extract.read_bytes() == before


def test_exit_status_internal_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    # where the parser reads it: main() builds the parser anew, binding the command then
    monkeypatch.setattr("dwangsom.cli.parser._cmd_scenarios", bug)
    code, _, err = run(capsys, "scenarios")
    assert code == cli.EXIT_INTERNAL == 3
    assert "internal error: ZeroDivisionError" in err and "--traceback" in err


def test_check_writes_an_empty_problems_file_and_spreadsheet_rows(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path
) -> None:
    clean = tmp_path / "problems.csv"
    plain = tmp_path / "plain.parquet"
    pd.read_parquet(hostile_extract).drop(columns="note").to_parquet(plain, index=False)
    code, out, _ = run(capsys, "check", str(plain), "-o", str(clean))
    assert code == 0 and "empty problems table" in out
    assert list(pd.read_csv(clean).columns)[:3] == ["row", "case_id", "column"]
    assert pd.read_csv(clean).empty
    # a column the library does not read is named as a warning; the cases have no problem
    code, out, _ = run(capsys, "check", str(hostile_extract), "-o", str(clean))
    written = pd.read_csv(clean)
    assert code == 0 and "0 problem(s)" in out and "1 warning(s)" in out
    assert written[["column", "check", "level"]].values.tolist() == [
        ["note", "unknown-column", "warning"]
    ]
    damaged = tmp_path / "damaged.csv"
    table = pd.read_parquet(hostile_extract)
    table.loc[3, "received"] = "31-02-2023"  # the 4th case: spreadsheet row 5
    table["note"] = "n"  # pandas writes a bare CR unquoted: every reader would start a row
    table.to_csv(damaged, index=False)
    code, out, _ = run(capsys, "check", str(damaged), "-o", str(clean))
    assert code == 1
    written = pd.read_csv(clean)
    assert written.loc[written["level"] == "error", "row"].tolist() == [5]


def test_months_window_and_grain(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path
) -> None:
    cases = dwangsom.read_cases(hostile_extract)
    full = dwangsom.liability_by_month(cases, as_of=AS_OF, scenario="no-temporary-act")
    assert full.index.min() < pd.Period("2024-04", "M")  # the window cuts months off
    out = tmp_path / "q.csv"
    argv = ["months", str(hostile_extract), "--as-of", AS_OF, "--scenario", "no-temporary-act"]
    code, text, err = run(capsys, *argv, "--grain", "quarter", "--start", "2024-04",
                          "--end", "2024-12", "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert "Penalties per quarter" in text
    written = pd.read_csv(out)
    assert written["quarter"].tolist() == ["2024Q2", "2024Q3", "2024Q4"]
    year = full.loc["2024-04":"2024-12"]
    assert written["total"].sum() == year["total"].sum() > 0
    assert written["total_cumulative"].iloc[-1] == full.loc["2024-12", "total_cumulative"]
    code, text, _ = run(capsys, *argv, "--grain", "year")
    assert code == 0 and "Penalties per year" in text
    by_year = tmp_path / "by.csv"
    code, _, err = run(capsys, *argv, "--grain", "year", "--by", "note", "-o", str(by_year))
    assert code == 0, err
    grouped = pd.read_csv(by_year)
    assert grouped["year"].tolist() == [2024, 2025]
    totals = grouped[[c for c in grouped.columns if c.startswith("total:")]].sum(axis=1)
    assert totals.tolist() == full["total"].groupby(full.index.year).sum().tolist()
    code, _, err = run(capsys, *argv, "--start", "2025-01", "--end", "2024-01")
    assert code == 2 and "before --start" in err


def test_project_example_refuses_options_it_cannot_honour(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for extra in (["--policy", "split"], ["--until", "2026-01-31"], ["--capacity", "10"]):
        code, _, err = run(capsys, "project", "--example", "2023", *extra)
        assert code == 2 and extra[0] in err and "fixed setting" in err, err


def test_help_lists_choices_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["project", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for word in ("fifo", "split", "deadline-first", "as-applied", "extensions-void", "per year",
                 "per month", "2023"):  # fmt: skip
        assert word in text, word
    cli.main(["months", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "quarter" in text and "no-temporary-act" in text and "dd-mm-jjjj" in text


def test_reading_flags_pass_through_or_are_refused(
    capsys: pytest.CaptureFixture[str], hostile_extract: Path, tmp_path: Path
) -> None:
    import inspect

    accepted = inspect.signature(dwangsom.read_cases).parameters
    mapping = tmp_path / "columns.json"
    mapping.write_text(json.dumps({"zaaknummer": "case_id"}))
    for flags, keyword in (
        (["--columns", str(mapping)], "columns"),
        (["--strict"], "strict"),
        (["--skip-rows", "0"], "skip_rows"),
    ):
        code, _, err = run(capsys, "check", str(hostile_extract), *flags)
        if keyword in accepted:
            assert code in (0, 1), err
        else:
            assert code == 2 and flags[0] in err and "does not support" in err


def test_results_carry_their_metadata(hostile_extract: Path) -> None:
    cases = dwangsom.read_cases(hostile_extract)
    cases.attrs["source"] = "extract.csv"
    expected = {"as_of": dt.date(2025, 12, 31), "source": "extract.csv"}
    results = dwangsom.assess(cases, as_of=AS_OF, scenario="extensions-void")
    months = dwangsom.liability_by_month(cases, as_of=AS_OF, basis="cash")
    both = dwangsom.compare(cases, ["as-applied", "no-temporary-act"], as_of=AS_OF)
    for frame in (results, months, both):
        assert expected.items() <= frame.attrs.items()
        assert frame.attrs["dwangsom_version"] == dwangsom.__version__
        assert isinstance(frame.attrs["legal_sources_date"], dt.date)
    assert results.attrs["scenario"] == "extensions-void" and results.attrs["basis"] is None
    assert months.attrs["basis"] == "cash"
    assert both.attrs["scenario"] == "as-applied, no-temporary-act"


def test_neutralise_keeps_typed_numbers() -> None:
    frame = pd.DataFrame(
        {"n": [-5, 3], "f": [-0.5, np.nan], "obj": [-7, "=1"], "cat": pd.Categorical(["-x", "a"])}
    )
    safe = export.neutralise_formulas(frame)
    assert safe["n"].tolist() == [-5, 3] and safe["n"].dtype == np.int64
    assert safe["f"].iloc[0] == -0.5
    assert safe["obj"].tolist() == [-7, "'=1"]
    assert safe["cat"].tolist() == ["'-x", "a"]


def test_workbook_cells_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows the writer streams into the sheet (in chunks) read back cell for cell."""
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(export, "_CHUNK", 3)
    texts = ["a & b <c>", "  padded ", "bell\x07", "", None, "caf\u00e9 \u20ac", "x\ny", "1e5"]
    table = pd.DataFrame(
        {
            "text": texts,
            "amount": pd.array([1, -2, None, 4, 5, 6, 7, 8], dtype="Int64"),
            "rate": [0.1, np.nan, -2.5, np.inf, 1e20, 3.0, 0.0, -0.0],
            "flag": [True, False] * 4,
            "day": pd.to_datetime(["2024-02-29", None, "1899-01-01", "2025-12-31"] * 2),
        }
    )
    target = export.write_table(table, tmp_path / "cells.xlsx")
    sheet = openpyxl.load_workbook(target)["dwangsom"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 8
    assert [v[0] for v in values] == ["a & b <c>", "  padded ", "bell_x0007_", None, None,
                                      "caf\u00e9 \u20ac", "x\ny", "1e5"]  # fmt: skip
    assert [v[1] for v in values] == [1, -2, None, 4, 5, 6, 7, 8]
    assert values[0][2] == 0.1 and values[1][2] is None and values[3][2] == "inf"
    assert values[4][2] == 1e20
    assert [v[3] for v in values] == [True, False] * 4
    assert values[0][4] == dt.datetime(2024, 2, 29) and values[1][4] is None
    assert values[2][4] == "1899-01-01"  # before Excel's calendar: kept as text
    assert sheet["C2"].number_format == "#,##0.00" and sheet["E2"].number_format == "dd-mm-yyyy"


def test_liability_window_never_moves_euros_to_other_months() -> None:
    """start= after the first month with an amount: that month is left out, not wrapped round
    to the end of the table (it was: January's euros appeared in December)."""
    cases = pd.DataFrame(
        {"case_id": [1], "received": ["2019-06-01"], "notice_received": ["2020-01-02"],
         "decided": ["2020-03-31"]}
    )  # fmt: skip
    full = dwangsom.liability_by_month(cases, as_of="2020-12-31")
    window = dwangsom.liability_by_month(cases, as_of="2020-12-31", start="2020-02-01")
    assert window.index[0] == pd.Period("2020-02", "M")
    assert window["admin"].tolist() == full["admin"].iloc[1:].tolist()
    narrow = dwangsom.liability_by_month(
        cases, as_of="2020-12-31", start="2020-06-01", end="2020-08-31"
    )
    assert narrow["admin"].tolist() == [0, 0, 0]
