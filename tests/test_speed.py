"""The speed paths give the results of the plain ones: a parse used many times, the penalties
run only on the rows with a notice or judgment (dwangsom._compact), blocks of rows, the id
checks' fast paths."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import dwangsom
from dwangsom import _compact, cases, engine
from dwangsom.cases import _is_null, _null_ids, _unique_ids, parse_cases
from dwangsom.testing import scenarios

AS_OF = "2025-06-30"


def table(n: int, seed: int = 7, *, text: bool = False) -> pd.DataFrame:
    """``n`` varied cases: every column, notices on about 45%, judgments on about 20%."""
    rng = np.random.default_rng(seed)
    received = np.datetime64("2012-06-01") + rng.integers(0, 13 * 365, n).astype("m8[D]")
    nat = np.datetime64("NaT", "D")

    def maybe(share: float, start: np.ndarray, low: int, high: int) -> np.ndarray:
        days = start + rng.integers(low, high, n).astype("m8[D]")
        return np.where((rng.random(n) < share) & ~np.isnat(start), days, nat)

    kind = rng.choice(np.array(["asylum"] * 6 + ["regular", "family-reunification"]), n)
    notice = maybe(0.45, received, 0, 900)
    appeal = maybe(0.6, notice, 14, 200)
    judgment = maybe(0.8, appeal, 20, 250)
    given_court = (rng.random(n) < 0.3) & ~np.isnat(judgment)
    frame = pd.DataFrame(
        {
            "case_id": [f"C{i:07d}" for i in rng.permutation(n)],
            "received": received,
            "application_type": kind,
            "notice_received": notice,
            "appeal_filed": appeal,
            "judgment_sent": judgment,
            "court_term_days": np.where(given_court, rng.integers(0, 120, n), np.nan),
            "court_per_day": np.where(given_court, rng.integers(0, 250, n), np.nan),
            "court_cap": np.where(given_court, rng.integers(0, 40000, n), np.nan),
            "repeat_appeal": rng.random(n) < 0.2,
            "decided": maybe(0.6, received, 0, 1300),
            "applicants": rng.integers(1, 5, n),
            "excluded": rng.random(n) < 0.05,
            "extension_months": np.where((kind == "asylum") & (rng.random(n) < 0.1), 3, 0),
            "region": rng.choice(np.array(["north", "south", "west"]), n),
        }
    )
    if text:
        for column in ("received", "notice_received", "decided"):
            frame[column] = frame[column].dt.strftime("%d-%m-%Y")
    return frame


@contextmanager
def setting(module: Any, **values: Any) -> Iterator[None]:
    old = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)


def arrays_equal(a: Any, b: Any) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "windows":
            assert len(x) == len(y)
            for (xa, xb, xm), (ya, yb, ym) in zip(x, y, strict=True):
                assert xa == ya and xb == yb
                np.testing.assert_array_equal(xm, ym)
        else:
            assert x.dtype == y.dtype, f.name
            np.testing.assert_array_equal(x, y, err_msg=f.name)


TABLE = table(3000)


@settings(max_examples=12, deadline=None)
@given(scenarios())
def test_penalties_on_the_rows_with_events_equal_one_call(s: dwangsom.Scenario) -> None:
    p = parse_cases(TABLE, scenario=s)
    cut = np.datetime64(AS_OF, "D")
    with setting(_compact, MIN_ROWS=10**9):
        plain = cases._evaluate_block(p, cut, s)
    with setting(_compact, MIN_ROWS=0):
        fast = cases._evaluate_block(p, cut, s)
    assert int((~np.isnat(p.dates["judgment_sent"])).sum()) < p.n // 2  # the split ran
    arrays_equal(plain.admin.arrays(), fast.admin.arrays())
    arrays_equal(plain.court.arrays(), fast.court.arrays())


def grouped_table(n: int, seed: int = 13) -> pd.DataFrame:
    """:func:`table` with nationalities and court groups of two to three linked cases (the
    members share the first case's judgment and court order, as RULES §6 requires)."""
    frame = table(n, seed=seed)
    rng = np.random.default_rng(seed)
    frame["nationality"] = rng.choice(np.array(["SYR", "SDN", "ERI", "TUR"]), n)
    group = np.full(n, "", dtype=object)
    with_judgment = np.flatnonzero(frame["judgment_sent"].notna().to_numpy())
    for k, lead in enumerate(with_judgment[: len(with_judgment) // 3]):
        members = [lead, *rng.integers(0, n, 2)]
        for m in members:
            if group[m] == "":
                group[m] = f"G{k}"
                for col in ("received", "notice_received", "appeal_filed", "judgment_sent",
                            "decided", "court_term_days", "court_per_day", "court_cap",
                            "repeat_appeal", "application_type", "extension_months"):  # fmt: skip
                    frame.loc[m, col] = frame.loc[lead, col]
    frame["court_group"] = group
    return frame


def test_court_groups_and_moratoria_on_the_rows_with_events_equal_one_call() -> None:
    p = parse_cases(grouped_table(3000))
    assert not p.problems, p.problems[:3]
    s = dwangsom.scenario()
    assert p.court_group is not None and (p.court_group >= 0).sum() > 300
    cut = np.datetime64(AS_OF, "D")
    with setting(_compact, MIN_ROWS=10**9):
        plain = cases._evaluate_block(p, cut, s)
    with setting(_compact, MIN_ROWS=0):
        fast = cases._evaluate_block(p, cut, s)
    lead = plain.court.group_lead
    assert (lead >= 0).sum() > 300 and (lead != np.arange(p.n)).any()  # groups were formed
    arrays_equal(plain.admin.arrays(), fast.admin.arrays())
    arrays_equal(plain.court.arrays(), fast.court.arrays())


def test_months_on_the_rows_with_penalties_equal_one_call() -> None:
    frame = table(3000, seed=21)
    for basis in ("accrued", "cash"):
        for by in (None, "region"):
            with setting(_compact, MIN_ROWS=10**9):
                plain = dwangsom.liability_by_month(frame, as_of=AS_OF, basis=basis, by=by)
            with setting(_compact, MIN_ROWS=0):
                fast = dwangsom.liability_by_month(frame, as_of=AS_OF, basis=basis, by=by)
            pd.testing.assert_frame_equal(plain, fast)
            assert int(np.asarray(plain.filter(like="total").iloc[-1]).max()) > 0


@settings(max_examples=15, deadline=None)
@given(scenarios(), scenarios())
def test_a_penalty_shared_between_scenarios_is_the_one_computed_afresh(
    first: dwangsom.Scenario, second: dwangsom.Scenario
) -> None:
    p = parse_cases(TABLE)
    cut = np.datetime64(AS_OF, "D")
    memo: dict[str, Any] = {}
    cases._evaluate_block(p, cut, first, memo)
    warm = cases._evaluate_block(p, cut, second, memo)
    fresh = cases._evaluate_block(parse_cases(TABLE), cut, second)
    arrays_equal(warm.admin.arrays(), fresh.admin.arrays())
    arrays_equal(warm.court.arrays(), fresh.court.arrays())


def test_compare_runs_a_penalty_once_for_scenarios_that_read_it_alike() -> None:
    p = parse_cases(TABLE)
    dwangsom.compare(p, ["as-applied", "extensions-void", "no-temporary-act"], as_of=AS_OF)
    memo = p._memo["engine"][1]
    # the decree extensions change the decision term, so the administrative penalty; the
    # court penalty reads the Temporary Act (RULES §5) but not the decrees
    assert len(memo["admin"]) == 3
    assert len(memo["court"]) == 2
    reads = {name for reads, _ in memo["court"] for name in reads}
    assert "temporary_act" in reads and "extensions" not in reads
    # the monthly entries are kept with the shared penalty, so computed once for both
    assert all("accrued" in result[-1] for _, result in memo["court"])


def test_blocks_equal_one_pass() -> None:
    frame = table(2500, seed=3)
    frame.loc[[5, 700, 1999], "decided"] = pd.Timestamp("2012-01-01")  # invalid rows
    one = dwangsom.assess(frame, as_of=AS_OF, errors="report")
    valid = frame.drop(index=[5, 700, 1999])
    months = {
        (basis, by): dwangsom.liability_by_month(valid, as_of=AS_OF, basis=basis, by=by)
        for basis in ("accrued", "cash")
        for by in (None, "region")
    }
    for threads in (1, 2, 3):  # blocks in order whatever the threads
        with setting(cases.evaluation, BLOCK_THRESHOLD=1000, BLOCK_ROWS=400, BLOCK_THREADS=threads):
            blocked = dwangsom.assess(frame, as_of=AS_OF, errors="report")
            for (basis, by), expected in months.items():
                got = dwangsom.liability_by_month(valid, as_of=AS_OF, basis=basis, by=by)
                pd.testing.assert_frame_equal(got, expected)
        pd.testing.assert_frame_equal(blocked[0], one[0])
        pd.testing.assert_frame_equal(blocked[1], one[1])
    assert (one[0]["status"] == "invalid").sum() == 3


def test_compare_on_a_parsed_table_equals_compare_on_the_raw_one() -> None:
    frame = table(1500, seed=11, text=True)
    names = list(dwangsom.scenarios())
    raw = dwangsom.compare(frame, names, as_of=AS_OF)
    parsed = parse_cases(frame)
    pd.testing.assert_frame_equal(dwangsom.compare(parsed, names, as_of=AS_OF), raw)
    # twice on the same parse (the kept evaluations) and per scenario
    pd.testing.assert_frame_equal(dwangsom.compare(parsed, names, as_of=AS_OF), raw)
    for name in names:
        pd.testing.assert_frame_equal(
            dwangsom.liability_by_month(parsed, as_of=AS_OF, scenario=name),
            dwangsom.liability_by_month(frame, as_of=AS_OF, scenario=name),
        )


def test_assess_and_months_on_a_parse_equal_the_raw_table() -> None:
    frame = table(800, seed=5)
    parsed = parse_cases(frame)
    for as_of in (AS_OF, "2020-01-31", AS_OF):
        pd.testing.assert_frame_equal(
            dwangsom.assess(parsed, as_of=as_of), dwangsom.assess(frame, as_of=as_of)
        )
        pd.testing.assert_frame_equal(
            dwangsom.liability_by_month(parsed, as_of=as_of, by="region"),
            dwangsom.liability_by_month(frame, as_of=as_of, by="region"),
        )
    case_id = frame["case_id"].iloc[17]
    a = dwangsom.explain(case_id, as_of=AS_OF, cases=parsed)
    b = dwangsom.explain(case_id, as_of=AS_OF, cases=frame)
    assert a.result == b.result and a.steps == b.steps


def test_a_parse_is_retargeted_at_another_scenario() -> None:
    frame = table(300, seed=9)
    frame.loc[4, "application_type"] = "seasonal-work"
    frame.loc[4, "extension_months"] = 0
    default = dwangsom.scenario()
    seasonal = dataclasses.replace(
        default.application_type("regular"), application_type="seasonal-work"
    )
    custom = default.replace(
        name="custom", application_types=(*default.application_types, seasonal)
    )
    parsed = parse_cases(frame, scenario=custom)
    assert parsed.for_scenario(custom) is parsed
    other = parsed.for_scenario(default)
    assert other is parsed.for_scenario("as-applied")  # kept
    pd.testing.assert_frame_equal(
        cases._problems_frame(other), dwangsom.validate(frame, scenario=default)
    )
    problems = cases._problems_frame(other)
    assert problems.loc[problems["level"] == "error", "check"].tolist() == ["unknown-type"]
    assert problems.loc[problems["level"] == "warning", "column"].tolist() == ["region"]
    with pytest.raises(dwangsom.CaseTableError, match="unknown-type"):
        dwangsom.assess(parsed, as_of=AS_OF, scenario=default)
    pd.testing.assert_frame_equal(
        dwangsom.assess(parsed, as_of=AS_OF, scenario=custom),
        dwangsom.assess(frame, as_of=AS_OF, scenario=custom),
    )
    report, problems = dwangsom.assess(parsed, as_of=AS_OF, scenario=default, errors="report")
    assert report["status"].iloc[4] == "invalid"
    assert problems["level"].tolist() == ["warning", "error"]  # the region column; row 4


@pytest.mark.parametrize(
    "ids",
    [
        ["A0001", "A0002", "A0003"],
        ["A0003", "A0002", "A0001"],
        ["A0001", "A0001", "A0003"],
        ["A0002", "A0001", "A0002"],
        ["AB0001", "AB0002", " nan  "],
        ["ABCDEFGHIJ1", "ABCDEFGHIJ2", "ABCDEFGHIJ2"],
        ["ABCDEFGHIJ1", "ABCDEFGHIJ2", "ABCDEFGHIJ3"],
        ["x\u00a0\u00a0\u00a0", "nan  ", "y    "],
        ["ab", "abc", "abcd"],
        ["long-id-1", None, "long-id-2"],
        ["é0000001", "é0000002", "é0000002"],
    ],
)
@pytest.mark.parametrize("dtype", ["str", object])
def test_id_checks_equal_the_exact_ones(ids: list[Any], dtype: Any) -> None:
    values = pd.Series(ids, dtype=dtype)
    with setting(cases.values, _FAST_IDS_FROM=0):
        assert _unique_ids(values) == pd.Index(values).is_unique
        np.testing.assert_array_equal(_null_ids(values), _is_null(values))
    assert _unique_ids(values) == pd.Index(values).is_unique
    np.testing.assert_array_equal(_null_ids(values), _is_null(values))


def test_small_calls_return_what_they_did() -> None:
    frame = table(40, seed=2)
    out = dwangsom.assess(frame, as_of=AS_OF)
    assert list(out.columns) == [*frame.columns, *cases.OUTPUT_COLUMNS]
    assert out.index.equals(frame.index)
    assert out["admin_amount"].dtype == np.int64 and out["deadline"].dtype == "datetime64[s]"
    one = frame.iloc[[3]]
    for i in range(len(frame)):
        row = dwangsom.assess(frame.iloc[[i]], as_of=AS_OF)
        pd.testing.assert_frame_equal(row, out.iloc[[i]], check_categorical=False)
        assert row["status"].iloc[0] == out["status"].iloc[i]
    assert engine.NAT is not None and len(one) == 1


def test_the_day_table_of_periods_equals_the_search() -> None:
    s = dwangsom.scenario()
    rng = np.random.default_rng(4)
    days = np.datetime64("1995-01-01") + rng.integers(0, 40 * 365, 20000).astype("m8[D]")
    days[::97] = np.datetime64("NaT")
    tables = [s.admin_rates, s.temporary_act_periods]
    tables += [[r for r in s.court_practice if r.repeat == flag] for flag in (False, True)]
    for rows in tables:
        edges = [np.datetime64(r.valid_from, "D") for r in rows if r.valid_from]
        edges += [np.datetime64(r.valid_to, "D") for r in rows if r.valid_to]
        probe = np.concatenate([days, *[e + np.arange(-2, 3).astype("m8[D]") for e in edges]])
        probe = np.concatenate([probe, np.array(["0001-01-01", "9999-12-31"], "M8[D]")])
        np.testing.assert_array_equal(
            engine._period_index(rows, probe), engine._period_search(rows, probe)
        )


def test_the_null_test_on_a_few_cells_equals_the_column_test() -> None:
    cells: list[Any] = ["a", " nan ", "NULL", "<NA>", "", "  ", None, np.nan, pd.NaT, 5, 3.5]
    cells += ["None", "\tnat\n", pd.NA, "0", np.datetime64("NaT"), True, b"nan"]
    for values in (cells, cells[:-1]):
        for dtype in (object, "str"):
            if dtype == "str":
                values = [v if isinstance(v, str) or v is None else None for v in values]
            few = pd.Series(values, dtype=dtype)
            many = pd.concat([few] * 5, ignore_index=True)  # past the scalar test's size
            np.testing.assert_array_equal(_is_null(few), _is_null(many)[: len(few)])


def test_result_columns_as_blocks_of_their_own_equal_the_consolidated_ones() -> None:
    from dwangsom.cases import results

    p = parse_cases(table(3000, seed=17))
    consolidated = dwangsom.assess(p, as_of=AS_OF)
    with setting(results, _VIEW_BLOCKS_FROM=100):
        own = dwangsom.assess(p, as_of=AS_OF)
        pd.testing.assert_frame_equal(own, consolidated)
        assert own["admin_amount"].sum() > 0
        own["admin_amount"] = 0  # the columns are this result's own: the kept evaluation stays
        own.loc[:, "deadline"] = pd.NaT
        again = dwangsom.assess(p, as_of=AS_OF)
    pd.testing.assert_frame_equal(again, consolidated)
