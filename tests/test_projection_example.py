"""The 2023 example (dwangsom.examples, shown in docs/examples) runs, scaled down to 1/20 of the
cases, and still says what docs/examples/index.md reports; the default notice propensity is
reproducible from 2022; the packaged figures are the documented ones."""

from __future__ import annotations

import importlib.resources
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import dwangsom
from dwangsom.examples import EXAMPLES, figures, letter_2023

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DOCS = ROOT / "docs" / "examples"
FIGURES = ROOT / "data" / "figures"
NAMES = ("asylum_backlog", "asylum_inflow", "notices_2022_monthly", "seed_letter_2023")
SCALE = 0.05


@pytest.fixture(scope="module")
def examples() -> dict[str, ModuleType]:
    script = EXAMPLES_DOCS / "notice_propensity_2022.py"
    spec = importlib.util.spec_from_file_location("notice_propensity_2022", script)
    assert spec is not None and spec.loader is not None
    notices = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(notices)
    return {"letter": letter_2023, "notices": notices}


def test_figures_are_copied_with_their_sources() -> None:
    for name in NAMES:
        table = pd.read_csv(FIGURES / f"{name}.csv")
        assert "source" in table.columns and table["source"].notna().all(), name
    assert (FIGURES / "README.md").exists()


def test_packaged_figures_are_the_documented_ones() -> None:
    """The package ships its own copy of data/figures (for a plain pip install): byte for byte
    the same, and no other CSVs."""
    packaged = importlib.resources.files("dwangsom.examples") / "data"
    assert figures.FIGURES == packaged
    shipped = sorted(f.name for f in packaged.iterdir() if f.name.endswith(".csv"))
    assert shipped == sorted(p.name for p in FIGURES.glob("*.csv")) == [f"{n}.csv" for n in NAMES]
    for name in shipped:
        assert (packaged / name).read_bytes() == (FIGURES / name).read_bytes(), name


def test_the_named_example_is_the_letter_setting() -> None:
    assert set(EXAMPLES) == {"2023"}
    assert inspect.signature(EXAMPLES["2023"]) == inspect.signature(letter_2023.example)


def test_the_setting_is_built_from_the_figures(examples: dict[str, ModuleType]) -> None:
    letter = examples["letter"]
    assert letter.track4_stock("2023-02-16") == 32_618
    assert letter.asylum_stock("2023-02-16") == 36_686
    cases = letter.open_cases(SCALE)
    assert len(cases) == round(32_618 * SCALE)
    assert cases["appeal_filed"].notna().sum() == round(4_000 * SCALE)
    assert (cases["received"] <= pd.Timestamp("2023-02-16")).all()
    assigned = dwangsom.assess(cases, as_of="2023-02-16")
    appealed = cases["appeal_filed"].notna()
    assert assigned.loc[appealed, "notice_valid"].all()
    assert (cases.loc[appealed, "appeal_filed"] < pd.Timestamp("2023-01-01")).all()
    capacity = letter.capacity(1.0)
    assert sum(c.loc["2023-05":"2024-04"].sum() for c in capacity) == pytest.approx(22_184 + 13_000)


def test_the_2023_example_small(examples: dict[str, ModuleType]) -> None:
    letter = examples["letter"]
    table = letter.results(SCALE, rows=letter.ROWS[:3]).set_index(["policy", "scenario"])
    cash = table["cash_to_2024"]
    # what docs/examples/index.md reports for the full setting (EUR million), within 15%
    assert cash[("FIFO", "as-applied")] < 0.5e6
    assert cash[("FIFO", "extensions-void")] == pytest.approx(11.7e6, rel=0.15)
    assert cash[("70/30 split", "extensions-void")] == pytest.approx(28.5e6, rel=0.15)
    assert cash[("FIFO, court orders first", "extensions-void")] < 0.5e6
    for policy in ("FIFO", "70/30 split"):
        assert cash[(policy, "extensions-void")] >= cash[(policy, "as-applied")]
    assert table.loc[("FIFO", "as-applied"), "appeals"] == pytest.approx(3_630, rel=0.1)


def test_the_example_with_draws(examples: dict[str, ModuleType]) -> None:
    letter = examples["letter"]
    table = letter.results(SCALE, rows=letter.ROWS[:1], draws=8, seed=1)
    void = table.set_index("scenario").loc["extensions-void"]
    assert void["cash_p10"] <= void["cash_to_2024"] <= void["cash_p90"]


def test_default_notice_propensity_is_reproducible(examples: dict[str, ModuleType]) -> None:
    estimate = examples["notices"].estimate(SCALE)
    assert estimate["notice_share (default)"] == pytest.approx(
        dwangsom.Behaviour().notice_share, abs=0.03
    )
    low = estimate["bracket: whole catch-up in 2022"]
    high = estimate["bracket: February-December only"]
    assert low < estimate["notice_share (default)"] < high


def test_the_docs_script_runs(tmp_path: Path) -> None:
    """python docs/examples/letter_2023.py --scale .. runs the package's main(), from any
    directory."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES_DOCS / "letter_2023.py"), "--scale", "0.01"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.startswith("reference date 2023-02-16: 36,686 open asylum applications")
    assert "letter setting" in result.stdout and "sensitivity (extensions-void" in result.stdout


def test_the_module_runs_with_python_m() -> None:
    """python -m dwangsom.examples.letter_2023 works after a plain pip install (no warning that
    the package imported the module first)."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "dwangsom.examples.letter_2023", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout and not result.stderr


def test_the_drivers_table(examples: dict[str, ModuleType]) -> None:
    """Each driver of issue 8 set on its own from the as-applied zero, with its source."""
    letter = examples["letter"]
    table = letter.drivers(SCALE).set_index("driver")
    assert list(table.index) == [d[0] for d in letter.DRIVERS]
    assert table["source"].str.len().gt(10).all()
    assert table.loc["letter setting", "cash_to_2024"] < 0.5e6
    # the spread and the nareis stream move it from zero; they are not fitted to the payments
    assert table.loc["spread in the order", "cash_to_2024"] > 1e6
    assert table.loc["family reunification stream", "cash_to_2024"] > 1e6
    assert (table["cash_to_2024"] >= 0).all()
