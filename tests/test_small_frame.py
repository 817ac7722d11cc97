"""Small calls (issue 12, target 3): the result frame of a small table built from the table's
own blocks and from result columns allocated as the rows of one block per dtype, and the
faster readers of a small table's ids and types, give what the plain paths give."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dwangsom
from dwangsom import cases, headers
from dwangsom.cases import results as R
from tests.test_small_calls import AS_OF, plain_paths, same_frame, small_table
from tests.test_speed import setting


def tables() -> dict[str, pd.DataFrame]:
    """Small tables with input blocks of many kinds: one block per dtype, several blocks of one
    dtype (a column added later), object, nullable and categorical columns, a MultiIndex-free
    odd index, invalid rows."""
    frame = small_table()
    added = frame.copy()
    added["court_cap"] = [100.0, np.nan, 250.0]  # a float block of its own
    added["extra_day"] = pd.to_datetime(["2020-01-01", None, "2021-01-01"])  # a second date block
    mixed = frame.astype({"case_id": object, "team": "category"})
    mixed["applicants"] = pd.array([1, None, 2], dtype="Int64")
    mixed["heard"] = pd.array([True, None, False], dtype="boolean")
    logged = pd.to_datetime(["2024-01-01 10:00", None, "2024-02-02 00:00"])
    mixed["logged"] = logged.tz_localize("UTC")
    mixed["span"] = pd.to_timedelta([1, 2, None], unit="D")
    mixed["period"] = pd.period_range("2024-01", periods=3, freq="M")
    ms = frame.astype({"received": "datetime64[ms]", "decided": "datetime64[us]"})
    bad = frame.copy()
    bad["decided"] = pd.to_datetime(["2019-01-01", None, None])  # before receipt
    bad.loc[30, "application_type"] = "seasonal"
    strings = frame.astype({"received": str}).rename(index={10: "a", 20: "b", 30: "c"})
    one = frame.iloc[[1]]
    sliced = frame.iloc[::2]  # blocks that are views of the table's
    return {
        "frame": frame, "added": added, "mixed": mixed, "ms": ms, "bad": bad,
        "strings": strings, "one": one, "sliced": sliced,
    }  # fmt: skip


def calls(t: pd.DataFrame) -> list[Any]:
    got: list[Any] = []
    for call in (
        lambda: dwangsom.assess(t, as_of=AS_OF),
        lambda: dwangsom.assess(t, as_of=AS_OF, errors="report"),
        lambda: dwangsom.assess(cases.parse_cases(t), as_of=AS_OF),
    ):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", headers.ColumnWarning)
                got.append(call())
        except dwangsom.DwangsomError as error:
            got.append(f"{type(error).__name__}: {error}")
    return got


def same_calls(fast: list[Any], plain: list[Any]) -> int:
    """Asserts the two lists of results equal; the number of frames compared."""
    compared = 0
    for a, b in zip(fast, plain, strict=True):
        if isinstance(a, tuple):
            for x, y in zip(a, b, strict=True):
                same_frame(x, y)
                compared += 1
        elif isinstance(a, pd.DataFrame):
            same_frame(a, b)
            compared += 1
        else:
            assert a == b
    return compared


@pytest.mark.parametrize("name", list(tables()))
def test_the_block_paths_give_what_pandas_gives(name: str) -> None:
    t = tables()[name]
    fast = calls(t)
    with plain_paths():
        plain = calls(t)
    # each switch of this file off alone: the other paths still agree
    with setting(R, _COPY_BLOCKS=False):
        by_column = calls(t)
    with setting(R, _SHARED_ROWS=False, _WRAP_DATES=False):
        copied = calls(t)
    compared = same_calls(fast, plain) + same_calls(by_column, plain) + same_calls(copied, plain)
    assert compared >= 3


def test_a_result_shares_no_memory_with_its_table_or_another_result() -> None:
    for t in tables().values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", headers.ColumnWarning)
            out, _ = dwangsom.assess(t, as_of=AS_OF, errors="report")
            again, _ = dwangsom.assess(t, as_of=AS_OF, errors="report")
        for c in out.columns:
            mine = np.asarray(out[c].array)
            if mine.dtype == object:
                continue  # Python objects, immutable
            for other in [*(t[x] for x in t.columns), *(again[x] for x in again.columns)]:
                assert not np.shares_memory(mine, np.asarray(other.array)), c
        before, kept = t.copy(), again.copy()
        out.iloc[0, 1] = out.iloc[-1, 1]  # writes to the result leave the table alone
        out.loc[out.index[0], "deadline"] = pd.Timestamp("2000-01-01")
        out.loc[out.index[0], "admin_amount"] = 7
        pd.testing.assert_frame_equal(t, before)
        pd.testing.assert_frame_equal(again, kept)  # and another call's result
        assert out.loc[out.index[0], "admin_amount"] == 7


def test_small_result_columns_are_rows_of_one_block_per_dtype() -> None:
    n = 4
    arrays = R._result_columns(n)
    assert isinstance(arrays, R._Columns)
    dates = arrays.shared[np.dtype("datetime64[s]")][0]
    assert dates.shape == (7, n)
    assert arrays["deadline"].base is dates and arrays["court_payable_by"].base is dates
    assert arrays["status"].base is None and arrays["flags"].base is None
    for name, values in arrays.items():
        assert values.dtype == R._RESULT_DTYPES[name] and values.shape == (n,)
        values[...] = np.arange(n).astype(values.dtype)
    arrays["flags"] = R._flags(np.zeros(n, dtype=np.int64))
    wrapped = R._wrap_results(arrays, np.ones(n, dtype=bool))
    planned = R._result_blocks(wrapped, n)
    assert planned is not None
    blocks, _ = planned
    dates_block = [b for b, _ in blocks if getattr(b, "dtype", None) == dates.dtype]
    assert len(dates_block) == 1 and np.shares_memory(np.asarray(dates_block[0]), dates)
    ints = arrays.shared[np.dtype(np.int64)][0]
    assert any(b is ints for b, _ in blocks)  # the block itself, no copy
    # a column replaced by another array: its group is copied, with the new values
    replaced = dict(wrapped)
    replaced["admin_amount"] = np.full(n, 99, dtype=np.int64)
    replaced = R._Columns(replaced)
    replaced.shared = arrays.shared
    frame = R._result_frame(replaced, pd.RangeIndex(n))
    assert frame["admin_amount"].tolist() == [99] * n
    assert frame["admin_days"].tolist() == list(range(n))
    assert not np.shares_memory(frame["admin_days"].to_numpy(), ints)
    same = R._result_frame(wrapped, pd.RangeIndex(n))
    with plain_paths():
        plain = R._result_frame(dict(wrapped), pd.RangeIndex(n))
    same_frame(same, plain)


def test_big_result_columns_stay_arrays_of_their_own() -> None:
    n = R._VIEW_BLOCKS_FROM + 1
    arrays = R._result_columns(n)
    assert not isinstance(arrays, R._Columns)
    assert all(v.base is None and v.shape == (n,) for v in arrays.values())
    assert not isinstance(R._result_columns(0), R._Columns)


def test_an_invalid_row_takes_the_copying_path_for_its_masked_columns() -> None:
    t = tables()["bad"]
    out, _ = dwangsom.assess(t, as_of=AS_OF, errors="report")
    assert str(out["admin_amount"].dtype) == "Int64" and out["admin_amount"].isna().sum() == 2
    assert out["deadline"].isna().tolist() == [True, False, True]
    with plain_paths():
        plain, _ = dwangsom.assess(t, as_of=AS_OF, errors="report")
    same_frame(out, plain)


def id_columns() -> dict[str, Any]:
    """Id columns the buffer reader takes, and ones it must leave to the cells' reader."""
    pa = pytest.importorskip("pyarrow")
    long = [f"V{i:08d}" for i in range(6)]
    return {
        "str": pd.array(long, dtype="str"),
        "string[pyarrow]": pd.array(long, dtype="string[pyarrow]"),
        "large": pd.array(pa.array(long, type=pa.large_string()), dtype="str"),
        "string": pd.array(pa.array(long, type=pa.string()), dtype=pd.ArrowDtype(pa.string())),
        "chunked": pd.concat([pd.Series(long[:3], dtype="str"), pd.Series(long[3:], dtype="str")])
        .reset_index(drop=True)
        .array,
        "sliced": pd.array([f"W{i:08d}" for i in range(9)], dtype="str")[2:8],
        "duplicate": pd.array([*long[:5], long[0]], dtype="str"),
        "short": pd.array(["nan", "a", "b", "NULL", "c", "d"], dtype="str"),
        "padded": pd.array([*long[:5], " V00000009"], dtype="str"),
        "trailing": pd.array([*long[:5], "V0000009\t"], dtype="str"),
        "control": pd.array([*long[:5], "\x01V0000009"], dtype="str"),
        "non-ascii": pd.array([*long[:5], "Vé0000009"], dtype="str"),
        "delete": pd.array([*long[:5], "V0000009\x7f"], dtype="str"),
        "missing": pd.array([*long[:5], None], dtype="str"),
        "empty": pd.array([*long[:5], ""], dtype="str"),
        "object": np.array(long, dtype=object),
    }


@pytest.mark.parametrize("name", list(id_columns()))
def test_ids_read_from_their_buffers_as_cell_by_cell(name: str) -> None:
    ids = pd.Series(id_columns()[name])
    frame = pd.DataFrame({"case_id": ids, "received": pd.to_datetime(["2024-01-02"] * 6)})
    got = cases.values._plain_ids(ids)
    with setting(cases.values, _ARROW_IDS=False):
        by_cell = cases.values._plain_ids(ids)
    if got is not None:  # the buffer reader agrees with the cells' reader where it answers
        assert by_cell is not None
        np.testing.assert_array_equal(got[0], by_cell[0])
        assert got[1] == by_cell[1]
    if name in ("str", "large", "chunked", "sliced", "duplicate", "string[pyarrow]"):
        assert got is not None and cases.values._arrow_ids(ids.array) is not None
        assert got[1] == (name != "duplicate")
    fast = cases._parse(frame, dwangsom.scenario())
    with plain_paths():
        plain = cases._parse(frame, dwangsom.scenario())
    np.testing.assert_array_equal(fast.bad, plain.bad)
    same_frame(cases._problems_frame(fast), cases._problems_frame(plain))
    assert fast.problems == [] or name in (
        "duplicate", "short", "missing", "empty", "padded", "trailing", "control", "delete",
        "non-ascii",
    )  # fmt: skip


def test_types_factorized_as_pandas_does() -> None:
    for items in (
        ["asylum", "regular", "asylum", "", "Regular", "regular"],
        ["a"],
        [],
        ["x", "y", "z"],
    ):
        for stored in (np.array(items, dtype=object), pd.array(items, dtype="str")):
            got = cases.values._factorize_text(stored)
            assert got is not None
            codes, uniques = pd.factorize(np.array(items, dtype=object))
            np.testing.assert_array_equal(got[0], codes)
            assert got[0].dtype == np.intp and got[1] == list(uniques)
    assert cases.values._factorize_text(np.array(["a", 1], dtype=object)) is None
    assert cases.values._factorize_text(pd.array(["a", None], dtype="str")) is None


def test_headers_listed_once_per_index_and_never_stale() -> None:
    frame = small_table()
    first = headers.flat_headers(frame)
    first.append("mine")  # each call its own list
    assert headers.flat_headers(frame) == list(frame.columns)
    frame.columns = [*frame.columns[:-1], "squad"]  # a new Index: read again
    assert headers.flat_headers(frame)[-1] == "squad"
    renamed = frame.rename(columns={"squad": "group"})
    assert headers.flat_headers(renamed)[-1] == "group"
    assert headers.flat_headers(frame)[-1] == "squad"
    with setting(headers, _FLAT={}, _FLAT_MAX=0):
        assert headers.flat_headers(frame) == list(frame.columns) and headers._FLAT == {}
    bounded = {}
    with setting(headers, _FLAT=bounded, _FLAT_MAX=2):
        for k in range(5):
            assert headers.flat_headers(pd.DataFrame(columns=[f"c{k}"])) == [f"c{k}"]
        assert 0 < len(bounded) <= 2


def test_a_retargeted_parse_is_a_copy_of_its_base() -> None:
    frame = small_table()
    frame.loc[30, "application_type"] = "seasonal"  # unknown to the scenario: a new flag
    fast = cases._parse(frame, dwangsom.scenario())
    with setting(cases.parsed, _COPY_FIELDS=False):
        plain = cases._parse(frame, dwangsom.scenario())
    assert fast.base is not None and fast.base is not fast and fast.base.problems == []
    assert fast.base.bad.tolist() == [False, False, False]
    assert fast.bad.tolist() == plain.bad.tolist() == [False, False, True]
    assert [f.name for f in dataclasses.fields(fast)] == [f.name for f in dataclasses.fields(plain)]
    for f in dataclasses.fields(fast):
        if f.name not in ("problems", "bad", "base", "target", "_memo", "types"):
            assert getattr(fast, f.name) is getattr(fast.base, f.name), f.name
    same_frame(cases._problems_frame(fast), cases._problems_frame(plain))


def test_dates_read_block_by_block_as_column_by_column() -> None:
    frame = small_table()
    units = frame.astype({"received": "datetime64[ms]", "decided": "datetime64[us]"})
    units["judgment_sent"] = pd.to_datetime(["2021-01-01", None, "2024-05-05"]).tz_localize("UTC")
    split = frame.copy()
    split["appeal_filed"] = pd.to_datetime(["2020-06-01", None, None])  # a block of its own
    text = frame.astype({"notice_received": str, "decided": object})
    for t in (frame, units, split, text, frame.iloc[[2, 0]]):
        fast = cases._parse(t, dwangsom.scenario())
        with setting(cases.layout, _BLOCK_DAYS_UPTO=-1):
            plain = cases._parse(t, dwangsom.scenario())
        assert fast.dates.keys() == plain.dates.keys()
        for k, v in fast.dates.items():
            assert v.dtype == plain.dates[k].dtype == np.dtype("datetime64[D]")
            np.testing.assert_array_equal(v, plain.dates[k], err_msg=k)
            for c in t.columns:
                assert not np.shares_memory(v, np.asarray(t[c].array)), (k, c)
        np.testing.assert_array_equal(fast.bad, plain.bad)
        same_frame(cases._problems_frame(fast), cases._problems_frame(plain))
    # the typed date columns of one block are rows of one conversion
    table = cases.layout._Columns(frame)
    received, decided = table.days("received"), table.days("decided")
    assert received.base is not None and received.base is decided.base
    assert table.days("team") is None and table.days("excluded") is None


def test_each_result_has_labels_of_its_own() -> None:
    frame = small_table()
    frame.columns.name = "fields"
    first = dwangsom.assess(frame, as_of=AS_OF)
    second = dwangsom.assess(frame, as_of=AS_OF)
    assert first.columns is not second.columns and first.columns.equals(second.columns)
    first.columns.name = "renamed"
    assert second.columns.name == "fields" and frame.columns.name == "fields"
    first.columns = [f"c{k}" for k in range(len(first.columns))]
    third = dwangsom.assess(frame, as_of=AS_OF)
    assert list(third.columns) == list(second.columns) == [*frame.columns, *cases.OUTPUT_COLUMNS]
    with setting(R, _VIEW_LABELS=False):
        same_frame(dwangsom.assess(frame, as_of=AS_OF), third)
