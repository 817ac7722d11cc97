"""The command line on the bundled sample, a Dutch-spreadsheet copy and a damaged copy."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import dwangsom
from dwangsom import cli
from dwangsom.cli import chunks as cli_chunks

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_cases.csv"
AS_OF = "2025-12-31"
DATES = ["received", "notice_received", "appeal_filed", "judgment_sent", "decided"]


@pytest.fixture(scope="module")
def sample_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 10th case of the sample: fast, and still has every kind of case."""
    table = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).iloc[::10]
    path = tmp_path_factory.mktemp("cli") / "slice.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def dutch_copy(sample_slice: Path) -> Path:
    """The slice as a Dutch spreadsheet saves it: semicolons, dd-mm-jjjj dates."""
    table = pd.read_csv(sample_slice, dtype=str, keep_default_na=False)
    for column in DATES:
        days = pd.to_datetime(table[column].replace("", None), format="ISO8601")
        table[column] = days.dt.strftime("%d-%m-%Y").fillna("")
    path = sample_slice.with_name("dutch.csv")
    table.to_csv(path, sep=";", index=False)
    return path


@pytest.fixture(scope="module")
def damaged_copy(dutch_copy: Path) -> Path:
    table = pd.read_csv(dutch_copy, sep=";", dtype=str, keep_default_na=False)
    table.loc[5, "received"] = "31-02-2023"  # no such day
    table.loc[7, "case_id"] = table.loc[8, "case_id"]  # duplicate id
    table.loc[9, "decided"] = "gisteren"  # not a date
    path = dutch_copy.with_name("damaged.csv")
    table.to_csv(path, sep=";", index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, match: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(("dwangsom: error:", "dwangsom ")), err
    assert "Traceback" not in err
    assert re.search(match, lines[0]), lines[0]


def _readme_command(name: str) -> str:
    """The README's shell command that ends in ``name`` (the two-command promise)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.rstrip().endswith(name)]
    assert commands, f"README has no command ending in {name!r}"
    return commands[0]


def test_readme_demo_command(tmp_path: Path) -> None:
    """The README's demo command (its last step; the install steps ran to make this venv)."""
    command = _readme_command("dwangsom demo")
    assert "pip install" in command and "python -m venv" in command
    exe = shutil.which("dwangsom", path=str(Path(sys.executable).parent))
    argv = [exe, "demo"] if exe else [sys.executable, "-m", "dwangsom", "demo"]
    result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "as-applied" in result.stdout and "no-temporary-act" in result.stdout
    assert re.search(r"^2023-07(\s+[\d,]+){5}$", result.stdout, re.MULTILINE)  # 3 + 2 diffs
    assert "extensions-void is identical to as-applied in every month" in result.stdout
    chart = tmp_path / "dwangsom-demo.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stderr == ""


def test_readme_test_command() -> None:
    command = _readme_command("python -m pytest -q")
    assert '".[test]"' in command and "python -m venv" in command


def test_demo_totals_match_the_library(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", "--plot", "none")
    assert code == 0
    cases = dwangsom.read_cases(cli.sample_path())
    expected = dwangsom.liability_by_month(cases, as_of=AS_OF)["total"].sum()
    assert f"as-applied EUR {expected:,}" in out
    assert not list(tmp_path.iterdir())


def test_months_compare_plot_and_outputs(
    capsys: pytest.CaptureFixture[str], sample_slice: Path, tmp_path: Path
) -> None:
    chart, out_csv = tmp_path / "m.png", tmp_path / "m.csv"
    code, out, err = run(
        capsys,
        "months",
        str(sample_slice),
        "--as-of",
        AS_OF,
        "--compare",
        "as-applied,extensions-void,no-temporary-act",
        "--plot",
        str(chart),
        "-o",
        str(out_csv),
    )
    assert code == 0, err
    assert "diff no-temporary-act" in out
    written = pd.read_csv(out_csv)
    assert list(written.columns) == [
        "month",
        "as-applied",
        "extensions-void",
        "no-temporary-act",
        "diff extensions-void",
        "diff no-temporary-act",
    ]
    expected = dwangsom.compare(
        dwangsom.read_cases(sample_slice),
        ["as-applied", "extensions-void", "no-temporary-act"],
        as_of=AS_OF,
    )
    assert written["no-temporary-act"].sum() == expected["no-temporary-act"].sum()
    assert chart.stat().st_size > 10_000


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_months_other_formats(
    capsys: pytest.CaptureFixture[str], sample_slice: Path, tmp_path: Path, suffix: str
) -> None:
    pytest.importorskip("openpyxl" if suffix == ".xlsx" else "pyarrow")
    target = tmp_path / f"months{suffix}"
    code, _, err = run(
        capsys, "months", str(sample_slice), "--as-of", AS_OF, "--basis", "cash", "-o", str(target)
    )
    assert code == 0, err
    back = pd.read_excel(target) if suffix == ".xlsx" else pd.read_parquet(target)
    assert list(back.columns[:4]) == ["month", "admin", "court", "total"]
    expected = dwangsom.liability_by_month(
        dwangsom.read_cases(sample_slice), as_of=AS_OF, basis="cash"
    )
    assert back["total"].sum() == expected["total"].sum()
    first = back["month"].iloc[0]  # the workbook has a real date (the month's first day)
    month = pd.Timestamp(first).to_period("M") if suffix == ".xlsx" else pd.Period(first, "M")
    assert month == expected.index[0]


def test_dutch_spreadsheet_csv_just_works(
    capsys: pytest.CaptureFixture[str], sample_slice: Path, dutch_copy: Path
) -> None:
    _, iso, _ = run(capsys, "months", str(sample_slice), "--as-of", AS_OF)
    code, dutch, err = run(capsys, "months", str(dutch_copy), "--as-of", "31-12-2025")
    assert code == 0, err
    assert dutch == iso


def test_assess_summary_and_excel(
    capsys: pytest.CaptureFixture[str], dutch_copy: Path, tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    small = tmp_path / "small.csv"  # openpyxl writes slowly: a few hundred rows suffice
    small.write_text("\n".join(dutch_copy.read_text().splitlines()[:400]) + "\n")
    dutch_copy = small
    target = tmp_path / "results.xlsx"
    code, out, err = run(
        capsys, "assess", str(dutch_copy), "--as-of", AS_OF, "--scenario", "extensions-void",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert "scenario extensions-void" in out and "court penalty (Awb 8:55d)" in out
    back = pd.read_excel(target)
    assert len(back) == len(pd.read_csv(dutch_copy, sep=";"))
    assert {"deadline", "total_amount", "status", "track", "nationality_group"} <= set(back)
    assert f"{int(back['total_amount'].sum()):,}" in out


def test_damaged_copy_one_line_errors(
    capsys: pytest.CaptureFixture[str], damaged_copy: Path, tmp_path: Path
) -> None:
    for command in ("assess", "months"):
        code, out, err = run(capsys, command, str(damaged_copy), "--as-of", AS_OF)
        assert_one_line_error(code, err, r"not-a-date in column 'received'.*SYN-")
        assert "dwangsom check" in err and out == ""
    bad_id = pd.read_csv(damaged_copy, sep=";", dtype=str)["case_id"].iloc[5]  # 31-02-2023
    code, _, err = run(capsys, "explain", str(damaged_copy), bad_id, "--as-of", AS_OF)
    assert_one_line_error(code, err, "31-02-2023")
    code, out, _ = run(capsys, "explain", str(damaged_copy), "SYN-000001", "--as-of", AS_OF)
    assert code == 0 and "SYN-000001" in out  # the other cases can still be explained


def test_damaged_copy_check_and_report(
    capsys: pytest.CaptureFixture[str], damaged_copy: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "check", str(damaged_copy))
    assert code == 1
    assert "duplicate-id" in out and "gisteren" in out and "31-02-2023" in out
    problems, results = tmp_path / "problems.csv", tmp_path / "results.csv"
    code, out, err = run(
        capsys, "assess", str(damaged_copy), "--as-of", AS_OF,
        "--problems", str(problems), "-o", str(results),
    )  # fmt: skip
    assert code == 1, err  # problems found: the outputs are written, the status says so
    written = pd.read_csv(problems)
    errors = written[written["level"] == "error"]
    assert set(errors["check"]) == {"not-a-date", "duplicate-id"}
    assert sorted(errors["row"].astype(int)) == [7, 9, 10, 11]  # as the spreadsheet counts
    # the sample's descriptive columns pass through, named as warnings (issue 11)
    assert set(written.loc[written["level"] == "warning", "column"]) == {
        "track", "nationality_group"}  # fmt: skip
    assert (pd.read_csv(results)["status"] == "invalid").sum() == 4  # both duplicates


def test_damaged_copy_as_a_subprocess(damaged_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dwangsom", "months", str(damaged_copy), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=False,
    )
    assert_one_line_error(result.returncode, result.stderr, "not-a-date")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["months", "missing.csv", "--as-of", AS_OF], "no such file"),
        (["months", "sample", "--as-of", "2025-13-01"], "not a valid calendar date"),
        (["months", "sample", "--as-of", "tomorrow"], "is not a date"),
        (["months", "sample"], "required: --as-of"),
        (["months", "sample", "--as-of", AS_OF, "--scenario", "bogus"], "'bogus' is not known"),
        (["months", "sample", "--as-of", AS_OF, "--compare", "as-applied"], "two or more"),
        (["months", "sample", "--as-of", AS_OF, "--basis", "paid"], "invalid choice"),
        (["months", "sample", "--as-of", AS_OF, "-o", "out.txt"], "use .csv, .xlsx or .parquet"),
        (["months", "sample", "--as-of", AS_OF, "--plot", "chart.jpg"], "png"),
        (["months", "sample", "--as-of", AS_OF, "--by", "colour"], "no column 'colour'"),
        (["explain", "sample", "NOPE", "--as-of", AS_OF], "NOPE"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], match: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert_one_line_error(code, err, match)


def test_unreadable_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake_excel = tmp_path / "cases.xlsx"
    fake_excel.write_text("not a workbook")
    binary = tmp_path / "cases.csv"
    binary.write_bytes(b"case_id,received\n\x81\x8d\x00bad,2023-01-01\n")  # neither UTF-8 nor 1252
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for path in (fake_excel, binary, empty, tmp_path):
        code, _, err = run(capsys, "months", str(path), "--as-of", AS_OF)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


def test_exports_neutralise_formulas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cases = pd.DataFrame(
        {
            "case_id": ["A1", "A2", "A3", "A4", "A5"],
            "received": ["2023-01-02"] * 5,
            "note": ['=HYPERLINK("http://x")', "+31 6", "-2+3", "@SUM(A1)", "plain"],
        }
    )
    source = tmp_path / "cases.csv"
    cases.to_csv(source, index=False)
    out_csv = tmp_path / "out.csv"
    assert run(capsys, "assess", str(source), "--as-of", AS_OF, "-o", str(out_csv))[0] == 0
    notes = pd.read_csv(out_csv)["note"].tolist()
    assert notes == ['\'=HYPERLINK("http://x")', "'+31 6", "'-2+3", "'@SUM(A1)", "plain"]
    frame = pd.DataFrame({"=bad": ["=1"], "amount": [-5]})
    safe = cli.neutralise_formulas(frame)
    assert list(safe.columns) == ["'=bad", "amount"]
    assert safe.iloc[0].tolist() == ["'=1", -5]
    pytest.importorskip("openpyxl")
    out_xlsx = tmp_path / "out.xlsx"
    assert run(capsys, "assess", str(source), "--as-of", AS_OF, "-o", str(out_xlsx))[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(out_xlsx).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    column = header.index("note") + 1
    cells = [c.value for c in next(sheet.iter_cols(min_col=column, max_col=column, min_row=2))]
    assert cells == notes
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_large_tables_in_chunks_give_the_same_answer(
    capsys: pytest.CaptureFixture[str], sample_slice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv_months = ["months", str(sample_slice), "--as-of", AS_OF]
    argv_compare = [*argv_months, "--compare", "as-applied,no-temporary-act"]
    whole = [run(capsys, *argv)[1] for argv in (argv_months, argv_compare)]
    cases = dwangsom.read_cases(sample_slice)
    one_go = dwangsom.assess(cases, as_of=AS_OF)
    monkeypatch.setattr("dwangsom.cli.chunks.CHUNK_ROWS", 700)  # read where it is defined
    assert len(cli_chunks._chunks(len(cases))) > 1  # the patch reaches the code: chunks are used
    chunked = [run(capsys, *argv)[1] for argv in (argv_months, argv_compare)]
    assert chunked == whole
    pieces = cli._assess(cases, as_of=AS_OF, scenario="as-applied", progress=False)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(pieces, one_go)


def test_scenarios_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and out.split()[0] == "as-applied"
    assert cli.main(["--version"]) == 0
    assert dwangsom.__version__ in capsys.readouterr().out


def test_explain_one_case(capsys: pytest.CaptureFixture[str], sample_slice: Path) -> None:
    cases = dwangsom.read_cases(sample_slice)
    results = dwangsom.assess(cases, as_of=AS_OF)
    case_id = results.nlargest(1, "court_amount")["case_id"].iloc[0]
    code, out, err = run(capsys, "explain", str(sample_slice), case_id, "--as-of", AS_OF)
    assert code == 0, err
    assert out.startswith(f"Case {case_id} as of {AS_OF}")
    assert "judgment sent" in out and "Awb 8:55d" in out
    total = int(results.set_index("case_id").loc[case_id, "total_amount"])
    assert f"total EUR {total:,}" in out


def test_project_expected_and_monte_carlo(
    capsys: pytest.CaptureFixture[str], sample_slice: Path, tmp_path: Path
) -> None:
    base = [
        "project", str(sample_slice), "--as-of", AS_OF, "--until", "2026-06-30",
        "--inflow", "800", "--capacity", "60",
    ]  # fmt: skip
    code, out, err = run(capsys, *base, "-o", str(tmp_path / "p.csv"))
    assert code == 0, err
    assert out.startswith("Projection 2025-12-31 -> 2026-06-30 (expected value)")
    expected = dwangsom.project(
        dwangsom.read_cases(sample_slice), as_of=AS_OF, until="2026-06-30", inflow=800.0,
        capacity=60.0,
    )  # fmt: skip
    written = pd.read_csv(tmp_path / "p.csv")
    assert written["total_accrued"].sum() == pytest.approx(expected.total())
    chart = tmp_path / "bands.png"
    code, out, err = run(capsys, *base, "--draws", "4", "--seed", "7", "--plot", str(chart))
    assert code == 0, err
    assert "Monte Carlo, 4 draws" in out and "total_accrued_p90" in out
    assert chart.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["project", "sample", "--as-of", AS_OF], "needs --until, --inflow, --capacity"),
        (["project", "--example", "1999"], "not a named example"),
        (["project", "sample", "--as-of", AS_OF, "--until", "2026-01-31", "--inflow", "1",
          "--capacity", "1", "--draws", "0"], "--draws must be 1 or more"),
    ],
)  # fmt: skip
def test_project_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], match: str) -> None:
    code, _, err = run(capsys, *argv)
    assert_one_line_error(code, err, match)


def test_windows_1252_csv_from_dutch_excel(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes(
        b"case_id;received;notice_received;decided;nationality_group\r\n"
        b"A1;01-02-2021;05-09-2021;;T\xfcrkiye\r\nA2;03-02-2021;;01-03-2021;Cura\xe7ao\r\n"
    )
    out_csv = tmp_path / "out.csv"
    code, _, err = run(capsys, "assess", str(source), "--as-of", AS_OF, "-o", str(out_csv))
    assert code == 0, err
    assert pd.read_csv(out_csv)["nationality_group"].tolist() == ["Türkiye", "Curaçao"]


def test_excel_sheet_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    source = tmp_path / "cases.xlsx"
    with pd.ExcelWriter(source) as writer:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(writer, sheet_name="read me")
        pd.DataFrame({"case_id": ["X1"], "received": ["2023-01-02"]}).to_excel(
            writer, sheet_name="cases", index=False
        )
    code, out, err = run(capsys, "check", str(source), "--sheet", "cases")
    assert code == 0 and "1 cases, no problems" in out, err
    code, out, err = run(capsys, "check", str(source), "--sheet", "2")  # counted from 1
    assert code == 0 and "1 cases, no problems" in out, err
    code, _, err = run(capsys, "check", str(source), "--sheet", "nope")
    assert_one_line_error(code, err, "nope")


def test_project_example_2023(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "project", "--example", "2023")
    assert code == 0, err
    assert out.startswith("Projection 2023-02-16 -> 2024-12-31 (expected value)")
    code, _, err = run(capsys, "project", "--example", "1999")
    assert_one_line_error(code, err, "known: 2023")
