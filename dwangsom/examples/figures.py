"""The published figures in ``data/figures`` as the examples use them.

Every number the examples take from the figures goes through this module, so each one can be
traced to its row (and that row's ``source`` column). Derived numbers are computed here, not typed
in, with the derivation in the docstring.

The four CSVs are shipped inside the package (``dwangsom/examples/data``), so the examples run
after a plain ``pip install``; they are byte-identical copies of ``data/figures`` in the
repository, the documented copy (a test checks that the two do not drift).

>>> letter()["projection_reference_date"]
'2023-02-16'
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from dwangsom.synthetic import monthly_series

#: The packaged copies of the figures (the same bytes as ``data/figures/*.csv``).
FIGURES = resources.files("dwangsom.examples") / "data"


def read(name: str) -> pd.DataFrame:
    """One CSV of ``data/figures`` (``name`` without ``.csv``), every cell as text."""
    with (FIGURES / f"{name}.csv").open("rb") as file:
        return pd.read_csv(file, dtype=str, keep_default_na=False)


def letter() -> dict[str, str]:
    """``seed_letter_2023.csv`` (Kamerstuk 19 637 nr. 3156) as item -> value."""
    table = read("seed_letter_2023")
    return dict(zip(table["item"], table["value"], strict=True))


def backlog(date: str) -> int:
    """Open asylum applications on ``date`` (``asylum_backlog.csv``)."""
    table = read("asylum_backlog").set_index("date")
    return int(str(table.loc[date, "open_asylum_applications"]))


def inflow_figures() -> pd.DataFrame:
    """``asylum_inflow.csv`` with numeric columns (empty cells are NaN)."""
    table = read("asylum_inflow").set_index("period")
    for column in ("first_applications", "total_asylum_inflow"):
        table[column] = pd.to_numeric(table[column].replace("", None))
    return table


def first_applications(years: list[int]) -> pd.Series:
    """Monthly first asylum applications: the published months (``asylum_inflow.csv``) kept,
    the rest of each year's published total spread evenly over its other months
    (:func:`dwangsom.monthly_series`). Years without a published total take only their
    published months."""
    table = inflow_figures()["first_applications"].dropna()
    published = {str(period): float(value) for period, value in table.items()}
    yearly = {int(p): v for p, v in published.items() if len(p) == 4 and int(p) in years}
    months = {p: v for p, v in published.items() if len(p) == 7 and int(p[:4]) in years}
    known = {m: v for m, v in months.items() if int(m[:4]) in yearly}
    series = monthly_series(yearly, known=known)
    extra = {pd.Period(m, freq="M"): v for m, v in months.items() if int(m[:4]) not in yearly}
    if extra:
        series = pd.concat([series, pd.Series(extra)]).sort_index()
    series.index.name = "month"
    return series


def first_share_2022() -> float:
    """First applications as a share of the total asylum inflow in 2022 (35,535 of 48,600):
    the share of the letter's inflow scenarios (first + resettlement + repeat + family
    reunification) taken to enter the general asylum procedure (track 4)."""
    row = inflow_figures().loc["2022", ["first_applications", "total_asylum_inflow"]]
    first, total = row.to_numpy(dtype=float)
    return float(first / total)


def notices_2022() -> pd.Series:
    """Notices of default received per month in 2022 (``notices_2022_monthly.csv``)."""
    table = read("notices_2022_monthly")
    index = pd.PeriodIndex(table["month"], freq="M", name="month")
    return pd.Series(pd.to_numeric(table["notices_received"]).to_numpy(), index=index)
