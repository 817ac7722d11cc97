"""Small calls (issue 12): the fast paths of reading a table and building the result frame give
what the plain pandas paths give, and the result of a small call is pinned column by column
(dtypes, order, index, attrs)."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom import cases, export, headers
from dwangsom.cases import parse_cases
from tests.test_speed import setting

AS_OF = "2025-06-30"




@contextmanager
def plain_paths() -> Iterator[None]:
    """Every fast path of a small call off: pandas builds the result, ids and types go through
    pandas, and nothing kept from an earlier call is reused."""
    with (
        setting(cases.results, _from_blocks=None), setting(cases.values, _SMALL_TABLE=-1),
        setting(cases.layout, _LAYOUTS={}, _TYPE_DTYPES={}),
        setting(cases.evaluation, _AS_OF={}),
        setting(cases.parsed, _TARGET_KEYS={}),
        setting(cases.results, _PLANS={}),
        setting(headers, _RESOLVED={}, _RESOLVED_MAX=0),
        setting(export, _STAMPS={}),
        setting(cases.results, _COPY_BLOCKS=False, _SHARED_ROWS=False, _WRAP_DATES=False),
        setting(cases.values, _ARROW_IDS=False), setting(cases.parsed, _COPY_FIELDS=False),
        setting(headers, _FLAT={}, _FLAT_MAX=0),
        setting(cases.layout, _BLOCK_DAYS_UPTO=-1), setting(cases.results, _VIEW_LABELS=False),
    ):
        yield


def small_table() -> pd.DataFrame:
    """Three cases as a typed extract has them: str ids, datetime64 columns, a bool column."""
    return pd.DataFrame(
        {
            "case_id": pd.array(["Z-001", "Z-002", "Z-003"], dtype="str"),
            "received": pd.to_datetime(["2019-06-01", "2023-10-25", "2024-02-10"]),
            "application_type": ["asylum", "regular", "asylum"],
            "notice_received": pd.to_datetime(["2020-01-02", None, "2025-01-10"]),
            "decided": pd.to_datetime(["2020-03-31", None, None]),
            "excluded": [False, False, True],
            "team": ["a", "b", "c"],
        },
        index=pd.Index([10, 20, 30], name="row"),
    )


RESULT_DTYPES = {
    "deadline": "datetime64[s]",
    "in_default_from": "datetime64[s]",
    "notice_valid": "bool",
    "penalty_start": "datetime64[s]",
    "admin_days": "int64",
    "admin_amount": "int64",
    "court_due": "datetime64[s]",
    "court_days": "int64",
    "court_amount": "int64",
    "total_amount": "int64",
    "fixed_by": "datetime64[s]",
    "payable_by": "datetime64[s]",
    "court_payable_by": "datetime64[s]",
    "status": "category",
    "flags": "str",
}


def same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True, check_column_type=True)
    assert list(map(str, a.dtypes)) == list(map(str, b.dtypes))
    assert a.columns.dtype == b.columns.dtype and a.columns.name == b.columns.name
    assert a.attrs == b.attrs


def test_a_small_call_is_pinned() -> None:
    frame = small_table()
    frame.columns.name = "fields"
    frame.attrs["source"] = "extracts/cases.parquet"
    out = dwangsom.assess(frame, as_of=AS_OF)
    assert list(out.columns) == [*frame.columns, *cases.OUTPUT_COLUMNS]
    assert out.columns.name == "fields" and out.index.equals(frame.index)
    assert {c: str(out[c].dtype) for c in cases.OUTPUT_COLUMNS} == RESULT_DTYPES
    assert list(out["status"].cat.categories) == list(cases.STATUSES)
    for c in frame.columns:  # the input columns as they were
        pd.testing.assert_series_equal(out[c], frame[c])
    assert out["admin_amount"].tolist() == [1442, 0, 0]
    assert out["status"].tolist() == ["decided", "overdue-no-notice", "no-penalty"]
    assert out.attrs == {
        "source": "cases.parquet",
        "as_of": dt.date(2025, 6, 30),
        "scenario": "as-applied",
        "basis": None,
        "dwangsom_version": dwangsom.__version__,
        "legal_sources_date": export.legal_sources_date("as-applied"),
    }
    results, problems = dwangsom.assess(frame, as_of=AS_OF, errors="report")
    assert list(results.columns) == [*out.columns, "problems"]
    assert str(results["problems"].dtype) == "str" and results["problems"].tolist() == [""] * 3
    assert results.attrs["dwangsom.problems_column"] == "problems"
    assert problems["check"].tolist() == ["unknown-column"]  # "team"


def test_the_fast_paths_give_what_pandas_gives() -> None:
    """Each call on tables that take every fast path (and some that leave it) equals the call
    with the fast paths off: frames, dtypes, attrs, problems, errors."""
    frame = small_table()
    aliased = frame.rename(columns={"case_id": "Zaaknummer", "received": "Datum ontvangst"})
    bad = frame.copy()
    bad["decided"] = pd.to_datetime(["2019-01-01", None, None])  # before receipt
    bad.loc[30, "application_type"] = "seasonal"
    odd = frame.astype({"case_id": object})
    odd["case_id"] = ["nan", " Z-2 ", 3]  # a blank text, padding, a number
    odd["received"] = ["2019-06-01", "31-02-2023", None]
    odd["applicants"] = np.array([1, 0, 2])
    numbered = frame.assign(case_id=[7, 8, 9], court_cap=[1.5, np.nan, 100.0])
    one = frame.iloc[[1]]
    empty = frame.iloc[:0]

    def calls(t: pd.DataFrame) -> list[Any]:
        got: list[Any] = []
        for call in (
            lambda: dwangsom.assess(t, as_of=AS_OF),
            lambda: dwangsom.assess(t, as_of=AS_OF, errors="report"),
            lambda: dwangsom.validate(t),
            lambda: dwangsom.liability_by_month(t, as_of=AS_OF),
            lambda: dwangsom.compare(t, ["as-applied", "extensions-void"], as_of=AS_OF),
            lambda: dwangsom.assess(parse_cases(t), as_of=np.datetime64(AS_OF)),
        ):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", headers.ColumnWarning)
                    got.append(call())
            except dwangsom.DwangsomError as error:
                got.append(f"{type(error).__name__}: {error}")
        return got

    for t in (frame, aliased, bad, odd, numbered, one, empty):
        fast = calls(t)
        with plain_paths():
            plain = calls(t)
        for a, b in zip(fast, plain, strict=True):
            if isinstance(a, tuple):
                for x, y in zip(a, b, strict=True):
                    same_frame(x, y)
            elif isinstance(a, pd.DataFrame):
                same_frame(a, b)
            else:
                assert a == b


def test_a_parse_reads_ids_types_and_typed_columns_as_pandas_does() -> None:
    rng = np.random.default_rng(5)
    n = 300
    frame = pd.DataFrame(
        {
            "case_id": [f"K{i:04d}" for i in rng.permutation(n)],
            "received": (np.datetime64("2015-01-01") + rng.integers(0, 3000, n)).astype("M8[ms]"),
            "application_type": rng.choice(["asylum", "regular", "", "nan", " Regular"], n),
            "judgment_sent": (np.datetime64("2019-01-01") + rng.integers(0, 900, n)).astype(
                "M8[us]"
            ),
            "court_cap": rng.integers(0, 5000, n),
            "applicants": rng.integers(0, 3, n).astype(float),
            "heard": rng.random(n) < 0.5,
        }
    )
    frame.loc[[3, 9], "case_id"] = ["null", frame.loc[4, "case_id"]]  # a blank id, a duplicate
    for t in (frame, frame.iloc[:40], frame.astype({"case_id": object})):
        fast = cases._parse(t, dwangsom.scenario())
        with plain_paths():
            plain = cases._parse(t, dwangsom.scenario())
        pd.testing.assert_series_equal(fast.ids, plain.ids)
        for name in ("dates", "ints", "bools"):
            a, b = getattr(fast, name), getattr(plain, name)
            assert a.keys() == b.keys()
            for k in a:
                assert a[k].dtype == b[k].dtype
                np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        assert list(fast.types) == list(plain.types)
        assert fast.types.categories.equals(plain.types.categories)
        np.testing.assert_array_equal(fast.bad, plain.bad)
        same_frame(cases._problems_frame(fast), cases._problems_frame(plain))


def test_kept_header_matches_and_dates_are_read_with_their_types() -> None:
    # headers equal as dict keys but not as headers: each keeps its own reading
    for header in (1, True, 1.0):
        got = headers.resolve(["case_id", "received", header])
        assert [type(u.header) for u in got.unknown] == [type(header)]
    # a kept match still warns, every call
    for _ in range(2):
        with pytest.warns(headers.ColumnWarning, match="recieved"):
            headers.resolve(["case_id", "recieved"], warn=True)
    # strict still raises on a kept match
    headers.resolve(["case_id", "received", "team"])
    with pytest.raises(dwangsom.CaseTableError, match="strict"):
        headers.resolve(["case_id", "received", "team"], strict=True)
    # a month is not its first day, even after the day was read
    table = small_table()
    dwangsom.assess(table, as_of=np.datetime64("2025-01-01", "D"))
    with pytest.raises(dwangsom.DwangsomError, match="as_of"):
        dwangsom.assess(table, as_of=np.datetime64("2025-01", "M"))
    day = dwangsom.assess(table, as_of=dt.date(2025, 1, 1)).attrs["as_of"]
    assert day == dt.date(2025, 1, 1)


def test_a_small_result_shares_no_memory_with_its_table() -> None:
    frame = small_table()
    before = frame.copy()
    out = dwangsom.assess(frame, as_of=AS_OF)
    out.loc[10, "received"] = pd.Timestamp("2000-01-01")
    out.loc[20, "excluded"] = True
    out.loc[30, "case_id"] = "changed"
    pd.testing.assert_frame_equal(frame, before)  # the table is untouched by the result
    kept = out.copy()
    frame.loc[10, "decided"] = pd.Timestamp("2001-01-01")
    frame.loc[30, "excluded"] = False
    pd.testing.assert_frame_equal(out, kept)  # and the result by the table
    fresh = small_table()
    first = dwangsom.assess(fresh, as_of=AS_OF)
    first.columns.name = "renamed"  # each result has its own labels
    assert dwangsom.assess(fresh, as_of=AS_OF).columns.name is None
    assert fresh.columns.name is None
