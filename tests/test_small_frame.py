"""Small calls (issue 12, target 3): the result frame of a small table built from the table's
own blocks and from result columns allocated as the rows of one block per dtype, and the
faster readers of a small table's ids and types, give what the plain paths give."""

from __future__ import annotations

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
