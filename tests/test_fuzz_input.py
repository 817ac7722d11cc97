"""Fuzz: every entry point turns any malformed table (or file) into named errors or problems.

Random column sets (canonical names, Dutch aliases, near misses, numbers as headers, duplicates,
MultiIndex), cells of any kind (text, bytes, containers, numbers, booleans, Decimals, dates of
any datetime unit, tz-aware timestamps), typed columns, empty and one-row tables. Each entry
point must either work or raise a :class:`dwangsom.DwangsomError`; nothing else may escape, and
report mode keeps every row in order. Bounded (a few hundred small tables) to stay within ~30 s.
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom.cases import parse_cases
from dwangsom.headers import CANONICAL

HEADERS = [
    *CANONICAL,  # every column the library reads, then aliases, typos and strangers
    "Zaaknummer",
    "Datum ontvangst",
    "besluit ",
    "INGEBREKESTELLING",
    "recieved",
    "problems",
    "deadline",
    "team",
    0,
    1.5,
    "",
]

UNITS = ["Y", "M", "W", "D", "h", "s", "ms", "us", "ns"]

scalars = st.one_of(
    st.sampled_from(
        [
            "2023-01-02",
            "02-01-2023",
            "2023",
            "2023-05",
            "31-02-2023",
            "2023-05-01T10:00+02:00",
            "15.000",
            "1.250,50",
            "12,5",
            "-5",
            " 12",
            "＝1+1",
            "１５０",
            "ja",
            "nee",
            "asylum",
            "regular",
            "",
            " ",
            "nan",
            "None",
            "(none)",
            "A1",
            "A2",
        ]
    ),
    st.text(max_size=6),
    st.binary(max_size=4),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.just(pd.NA),
    st.just(pd.NaT),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 12, 31)),
    st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)),
    st.builds(
        lambda d, u: np.datetime64(d, "D").astype(f"datetime64[{u}]"),
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        st.sampled_from(UNITS),
    ),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(0, 3), max_size=1),
    st.tuples(st.integers(0, 3)),
    st.just(Decimal("NaN")),
)


@st.composite
def column(draw: st.DrawFn, n: int) -> Any:
    kind = draw(st.integers(0, 9))
    if kind == 0:  # a typed datetime column of any unit, maybe with a time zone
        days = draw(
            st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), min_size=n, max_size=n)
        )
        unit = draw(st.sampled_from(["s", "ms", "us", "ns"]))
        values = pd.Series(pd.to_datetime(days), dtype=f"datetime64[{unit}]")
        return values.dt.tz_localize("UTC") if draw(st.booleans()) else values
    if kind == 1:
        return pd.Series(
            draw(st.lists(st.integers(-5, 10**6), min_size=n, max_size=n)), dtype="Int64"
        )
    if kind == 2:
        return pd.Categorical(draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)))
    return pd.Series(draw(st.lists(scalars, min_size=n, max_size=n)), dtype=object)


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 4))
    names = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    if draw(st.integers(0, 3)):  # usually a table that gets past the missing-column check
        names = ["case_id", "received", *names]
    data = {}
    for i in range(len(names)):
        data[i] = draw(column(n))
    table = pd.DataFrame(data, index=pd.RangeIndex(n)) if data else pd.DataFrame(index=range(n))
    table.columns = pd.Index(names, dtype=object)
    if draw(st.integers(0, 9)) == 0 and len(names):
        table.columns = pd.MultiIndex.from_arrays([names, names])
    if draw(st.booleans()):
        table.attrs["dwangsom.decimal"] = draw(st.sampled_from([",", ".", None, "x"]))
    return table


def _named(call: Any) -> Any:
    """Run ``call``; a DwangsomError is a named answer, anything else fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dwangsom.headers.ColumnWarning)
            return call()
    except dwangsom.DwangsomError:
        return None


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(tables(), st.sampled_from(["2020-06-30", "2025-01-01"]), st.sampled_from(HEADERS))
def test_malformed_tables_give_named_errors(table: pd.DataFrame, as_of: str, by: Any) -> None:
    before = table.copy()
    problems = _named(lambda: dwangsom.validate(table))
    if problems is not None:
        assert list(problems.columns) == [
            "row",
            "case_id",
            "column",
            "check",
            "value",
            "rule",
            "level",
        ]
    _named(lambda: dwangsom.assess(table, as_of=as_of))
    got = _named(lambda: dwangsom.assess(table, as_of=as_of, errors="report"))
    if got is not None:
        results, _ = got
        assert list(results.index) == list(table.index)
        for c in table.columns:  # report mode never overwrites a user column
            pd.testing.assert_series_equal(results[c], table[c], check_names=False)
    _named(lambda: dwangsom.liability_by_month(table, as_of=as_of))
    _named(lambda: dwangsom.liability_by_month(table, as_of=as_of, by=by))
    _named(lambda: dwangsom.compare(table, ["as-applied", "extensions-void"], as_of=as_of))
    _named(lambda: parse_cases(table))
    if len(table):
        _named(lambda: dwangsom.explain(table.iloc[0], as_of=as_of))
        _named(lambda: dwangsom.explain("A1", cases=table, as_of=as_of))
    pd.testing.assert_frame_equal(table, before)  # inputs are never modified


@settings(max_examples=40, deadline=None, database=None)
@given(tables())
def test_projection_entry_gives_named_errors(table: pd.DataFrame) -> None:
    """``project`` reads the table through parse_cases: a malformed one is a named error."""
    _named(
        lambda: dwangsom.project(
            table, as_of="2024-01-01", until="2024-03-31", inflow=100, capacity=50
        )
    )


@settings(max_examples=60, deadline=None, database=None)
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.lists(
            st.lists(
                st.sampled_from(["case_id", "received", "A", "2023-01-02", "", '"', "x\r"]),
                max_size=5,
            ),
            max_size=5,
        ).map(lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8")),
    ),
    suffix=st.sampled_from([".csv", ".csv.gz", ".txt"]),
)
def test_malformed_files_give_named_errors(data: bytes, suffix: str, tmp_path_factory: Any) -> None:
    import gzip

    path = Path(tmp_path_factory.mktemp("fuzz")) / f"cases{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    table = _named(lambda: dwangsom.read_cases(path))
    if table is not None:
        _named(lambda: dwangsom.assess(table, as_of="2025-01-01", errors="report"))


def test_a_tz_aware_cell_is_a_problem_of_that_cell_only() -> None:
    table = pd.DataFrame(
        {
            "case_id": ["A", "B"],
            "received": [pd.Timestamp("2023-01-02", tz="UTC"), pd.Timestamp("2023-01-02")],
        },
        dtype=object,
    )
    problems = dwangsom.validate(table)
    assert problems[["case_id", "check"]].to_dict("records") == [
        {"case_id": "A", "check": "time-zone"}
    ]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_any_datetime_unit_reads_as_days(unit: str) -> None:
    days = pd.Series(pd.to_datetime(["2019-06-01"]), dtype=f"datetime64[{unit}]")
    table = pd.DataFrame({"case_id": ["A"], "received": days})
    table["notice_received"], table["decided"] = ["2020-01-02"], ["2020-03-31"]
    assert dwangsom.assess(table, as_of="2020-06-30")["admin_amount"].tolist() == [1442]
