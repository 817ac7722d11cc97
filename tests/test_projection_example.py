"""The 2023 example (docs/examples) runs, scaled down to 1/20 of the cases, and still says what
docs/examples/index.md reports; the default notice propensity is reproducible from 2022."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import dwangsom

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
SCALE = 0.05


@pytest.fixture(scope="module")
def examples() -> Iterator[dict[str, ModuleType]]:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import letter_2023
        import notice_propensity_2022

        yield {"letter": letter_2023, "notices": notice_propensity_2022}
    finally:
        sys.path.remove(str(EXAMPLES))


def test_figures_are_copied_with_their_sources() -> None:
    figures = EXAMPLES.parent.parent / "data" / "figures"
    for name in ("asylum_backlog", "asylum_inflow", "notices_2022_monthly", "seed_letter_2023"):
        table = pd.read_csv(figures / f"{name}.csv")
        assert "source" in table.columns and table["source"].notna().all(), name
    assert (figures / "README.md").exists()


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
