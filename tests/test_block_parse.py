"""Big tables read block by block (issue 12, target 4): a DataFrame past the block threshold is
parsed one block at a time as its blocks are evaluated (``dwangsom.cases.evaluation._ByBlock``).
The results must be those of the whole table's parse, and whatever only the whole table can
report (problems, duplicate ids across blocks, linked cases, header warnings) must come out as
it does without blocks. The thresholds are patched small so that a few dozen rows make blocks.
"""

from __future__ import annotations

import tracemalloc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import testing
from dwangsom.cases import evaluation
from dwangsom.errors import CaseTableError
from tests.test_speed import setting

AS_OF = "2025-06-30"


@contextmanager
def small_blocks(threshold: int = 12, rows: int = 5, *, in_blocks: bool = True) -> Iterator[None]:
    with setting(evaluation, BLOCK_THRESHOLD=threshold, BLOCK_ROWS=rows, PARSE_IN_BLOCKS=in_blocks):
        yield


@contextmanager
def counted_block_parses() -> Iterator[list[int]]:
    """The row counts of the blocks :class:`_ByBlock` parsed, in the order parsed."""
    seen: list[int] = []
    original = evaluation._ByBlock.parse

    def parse(self: Any, lo: int, hi: int) -> Any:
        seen.append(hi - lo)
        return original(self, lo, hi)

    with setting(evaluation._ByBlock, parse=parse):
        yield seen


def as_dutch_text(cases: pd.DataFrame) -> pd.DataFrame:
    """The table as a Dutch spreadsheet export has it: dates dd-mm-jjjj, ja/nee, text numbers."""
    out = cases.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[column] = values.dt.strftime("%d-%m-%Y").astype(object).where(values.notna(), "")
        elif pd.api.types.is_bool_dtype(values.dtype):
            out[column] = np.where(values.to_numpy(dtype=bool), "ja", "nee")
        elif pd.api.types.is_integer_dtype(values.dtype):
            out[column] = values.astype(object).map(lambda v: "" if pd.isna(v) else str(v))
    return out


def table(n: int, seed: int) -> pd.DataFrame:
    """``n`` distinct cases of every kind of cell (text and typed dates, decimal marks,
    nationalities, types), ids sorted or shuffled by ``seed``."""
    rng = np.random.default_rng(seed)
    received = np.datetime64("2019-01-01") + rng.integers(0, 2000, n).astype("timedelta64[D]")
    notice = received + rng.integers(150, 700, n).astype("timedelta64[D]")
    notice = np.where(rng.random(n) < 0.6, notice, np.datetime64("NaT"))
    decided = received + rng.integers(30, 1200, n).astype("timedelta64[D]")
    decided = np.where(rng.random(n) < 0.5, decided, np.datetime64("NaT"))
    appeal = received + rng.integers(200, 800, n).astype("timedelta64[D]")
    has_appeal = rng.random(n) < 0.3
    appeal = np.where(has_appeal, appeal, np.datetime64("NaT"))
    judged = np.where(has_appeal & (rng.random(n) < 0.7), appeal + 60, np.datetime64("NaT"))
    ids = np.array([f"Z{i:06d}" for i in range(n)], dtype=object)
    if seed % 2:
        ids = rng.permutation(ids)
    frame = pd.DataFrame(
        {
            "zaaknummer": pd.array(ids, dtype="str"),
            "received": pd.to_datetime(received),
            "application_type": rng.choice(["asylum", "regular", "family-reunification"], n),
            "notice_received": pd.Series(pd.to_datetime(notice)).dt.strftime("%d-%m-%Y"),
            "appeal_filed": pd.to_datetime(appeal),
            "judgment_sent": pd.to_datetime(judged),
            "decided": pd.to_datetime(decided),
            "applicants": pd.array(rng.choice([1, 2, 3, None], n), dtype="Int64"),
            "court_per_day": rng.choice(["", "100", "1.000", "150,0"], n),
            "excluded": rng.random(n) < 0.05,
            "nationality": rng.choice(["SYR", "Eritrea", "Jemen", ""], n),
            "heard": rng.choice(["ja", "nee", ""], n),
            "team": rng.choice(["a", "b"], n),
        }
    )
    frame.attrs["dwangsom.decimal"] = ","  # as read_cases marks a ';' file: 1.000 is a thousand
    return frame


def assess_both(cases: pd.DataFrame, **kw: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    with small_blocks(in_blocks=False):
        whole = dwangsom.assess(cases, as_of=AS_OF, **kw)
    with small_blocks():
        blocks = dwangsom.assess(cases, as_of=AS_OF, **kw)
    return whole, blocks


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_block_parse_gives_the_whole_parse_results(seed: int) -> None:
    cases = table(47, seed)
    with counted_block_parses() as seen:
        whole, blocks = assess_both(cases)
    assert seen == [5] * 9 + [2]  # every block parsed once, in order
    pd.testing.assert_frame_equal(blocks, whole)
    assert blocks.attrs == whole.attrs
    with small_blocks(threshold=10**9):  # and both equal one pass without blocks
        pd.testing.assert_frame_equal(dwangsom.assess(cases, as_of=AS_OF), whole)


@pytest.mark.parametrize("basis", ["accrued", "cash"])
def test_block_parse_monthly_totals_are_the_whole_tables(basis: str) -> None:
    cases = table(53, 5)
    with small_blocks(in_blocks=False):
        whole = dwangsom.liability_by_month(cases, as_of=AS_OF, basis=basis)
        by_team = dwangsom.liability_by_month(cases, as_of=AS_OF, basis=basis, by="team")
    with small_blocks(), counted_block_parses() as seen:
        blocks = dwangsom.liability_by_month(cases, as_of=AS_OF, basis=basis)
        blocks_by_team = dwangsom.liability_by_month(cases, as_of=AS_OF, basis=basis, by="team")
    assert len(seen) == 2 * 11
    pd.testing.assert_frame_equal(blocks, whole)
    pd.testing.assert_frame_equal(blocks_by_team, by_team)
    assert int(whole["total"].sum()) > 0  # the table has penalties to spread


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=testing.cases(min_size=13, max_size=40), text=st.booleans())
def test_block_parse_on_generated_tables(*, cases: pd.DataFrame, text: bool) -> None:
    """Generated tables (mixed cells, court groups among them): the blocks read block by
    block, or the whole table when a block holds linked cases, give the whole parse's results."""
    if text:
        cases = as_dutch_text(cases)
    try:
        with small_blocks(in_blocks=False):
            whole = dwangsom.assess(cases, as_of=AS_OF)
    except CaseTableError as error:
        with small_blocks(), pytest.raises(CaseTableError) as raised:
            dwangsom.assess(cases, as_of=AS_OF)
        assert str(raised.value) == str(error)
        return
    with small_blocks():
        blocks = dwangsom.assess(cases, as_of=AS_OF)
    pd.testing.assert_frame_equal(blocks, whole)


def test_a_problem_in_a_late_block_is_reported_as_the_whole_table_reports_it() -> None:
    cases = table(40, 2)
    cases.loc[37, "received"] = pd.Timestamp("1999-01-01")  # before the Vw 2000: out of table
    cases["decided"] = cases["decided"].where(cases.index != 37)
    cases["notice_received"] = cases["notice_received"].where(cases.index != 37)
    with small_blocks(in_blocks=False), pytest.raises(CaseTableError, match="out-of-table") as a:
        dwangsom.assess(cases, as_of=AS_OF)
    with small_blocks(), counted_block_parses() as seen:
        with pytest.raises(CaseTableError, match="out-of-table") as b:
            dwangsom.assess(cases, as_of=AS_OF)
    assert str(b.value) == str(a.value)
    assert str(cases.loc[37, "zaaknummer"]) in str(b.value)
    assert len(seen) >= 1  # it was read by blocks until the block with the problem


def test_duplicate_ids_in_different_blocks_are_found() -> None:
    cases = table(30, 3)
    cases.loc[29, "zaaknummer"] = cases.loc[0, "zaaknummer"]  # blocks 1 and 6
    with small_blocks(), counted_block_parses() as seen:
        with pytest.raises(CaseTableError, match="duplicate-id") as raised:
            dwangsom.assess(cases, as_of=AS_OF)
    assert seen == []  # the whole column is checked before any block is read
    assert str(cases.loc[0, "zaaknummer"]) in str(raised.value)


def test_linked_cases_are_read_whole() -> None:
    """Linked cases share one court order (RULES §6): a table with court groups is one block,
    also when the groups come only in a late block."""
    cases = table(40, 4)
    cases["court_group"] = ""
    appealed = np.flatnonzero(cases["judgment_sent"].notna().to_numpy())[-2:]
    cases.loc[appealed, "court_group"] = "G1"
    cases.loc[appealed, "judgment_sent"] = cases.loc[appealed[0], "judgment_sent"]
    cases.loc[appealed, "appeal_filed"] = cases.loc[appealed[0], "appeal_filed"]
    cases.loc[appealed, "court_per_day"] = "100"
    cases.loc[appealed, "received"] = cases.loc[appealed, "received"].min()
    assert appealed[0] >= 12  # past the first blocks
    whole, blocks = assess_both(cases)
    pd.testing.assert_frame_equal(blocks, whole)


def test_report_mode_and_resembling_headers_read_the_whole_table() -> None:
    cases = table(30, 1).rename(columns={"team": "notice_recieved"})  # resembles a column
    with small_blocks(), counted_block_parses() as seen:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dwangsom.assess(cases, as_of=AS_OF)
        dwangsom.assess(table(30, 1), as_of=AS_OF, errors="report")
    assert seen == []
    assert [type(w.message).__name__ for w in caught] == ["ColumnWarning"]  # once, not per block


def test_block_parse_keeps_the_parse_to_a_block() -> None:
    """The reason for it: the parse's arrays are one block's, so a big table's peak memory is
    less than with the whole table parsed first."""
    cases = table(40_000, 6)
    peaks = []
    for in_blocks in (False, True):
        with small_blocks(threshold=15_000, rows=5_000, in_blocks=in_blocks):
            dwangsom.assess(cases, as_of=AS_OF)  # warm: header matching, scenario tables
            tracemalloc.start()
            dwangsom.assess(cases, as_of=AS_OF)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    assert peaks[1] < 0.8 * peaks[0]


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(st.integers(0, 40), min_size=2, max_size=30),
    sort=st.booleans(),
    chunk=st.integers(1, 7),
    odd=st.booleans(),
)
def test_id_checks_in_chunks_agree_with_pandas(
    *, numbers: list[int], sort: bool, chunk: int, odd: bool
) -> None:
    """The sorted-id test of a big column runs in chunks overlapping by one id: a duplicate or a
    step down at a chunk's edge is found as in one pass (here with tiny chunks)."""
    from dwangsom.cases import values

    if sort:
        numbers = sorted(numbers)
    ids = [f"C{x:03d}" for x in numbers]
    if odd:
        ids[-1] = ids[-1] + "x"  # one id of another width: not the byte path
    column = pd.Series(pd.array(ids, dtype="str"))
    with setting(values, _ID_CHUNK=chunk, _FAST_IDS_FROM=1):
        fast = values._unique_ids(column)
        data = values._fixed_width_bytes(column)
    assert fast == bool(pd.Index(ids).is_unique)
    assert (data is None) == odd


def test_result_pages_faulted_in_early_leave_their_contents() -> None:
    """``_pages.populate`` only faults pages in (MADV_POPULATE_WRITE): what is written before,
    during or after stays; where the call is refused, nothing changes and it is not tried
    again."""
    from dwangsom import _pages

    written = np.arange(6_000_000, dtype=np.int64)  # 48 MB: past the threshold
    fresh = np.empty(6_000_000, dtype=np.int64)
    thread = _pages.populate([written, fresh], parts=3)
    fresh[:] = 5  # the engine writes while the pages are faulted in
    if thread is not None:
        thread.join()
    assert int(written[-1]) == 5_999_999 and bool((np.diff(written) == 1).all())
    assert bool((fresh == 5).all())
    assert _pages.populate([np.zeros(10)]) is None  # small: not worth a thread

    saved = list(_pages._WORKS)
    try:
        with setting(_pages, _madvise=lambda: lambda *args: -1):
            _pages._WORKS[:] = []
            thread = _pages.populate([written])
            assert thread is not None
            thread.join()
        assert _pages._WORKS == [False]
        assert _pages.populate([written]) is None  # refused once: not tried again
        assert int(written.sum()) == 5_999_999 * 6_000_000 // 2
    finally:
        _pages._WORKS[:] = saved


def test_assess_populates_a_big_results_pages_with_the_same_results() -> None:
    from dwangsom import _pages

    cases = table(47, 7)
    calls: list[int] = []
    original = _pages.populate

    def spy(columns: Any, parts: int = 1) -> Any:
        calls.append(parts)
        return original(columns, parts)

    with small_blocks(threshold=10**9):
        plain = dwangsom.assess(cases, as_of=AS_OF)
    with small_blocks(), setting(_pages, populate=spy, POPULATE_FROM_BYTES=0):
        populated = dwangsom.assess(cases, as_of=AS_OF)
    assert calls == [10]  # one part per block
    pd.testing.assert_frame_equal(populated, plain)
