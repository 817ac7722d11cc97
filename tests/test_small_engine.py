"""Small calls (issue 12, the engine): the paths a call on a few cases takes give what the
ordinary ones give: one ``np.where`` below ``SMALL_ROWS`` cases, the application-type rows
kept per categorical dtype, day tables found by the identity of the scenario's tuples, the
scenario recording, the repeated rows made without ``broadcast_to``, one given ``as_of``."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import _compact, cases, engine
from dwangsom.cases import parse_cases
from dwangsom.engine import base, inputs
from dwangsom.errors import UnknownApplicationTypeError
from dwangsom.testing import scenarios
from tests.strategies_core import case
from tests.test_speed import AS_OF, arrays_equal, setting, table

NAT_INT = int(np.iinfo(np.int64).min)
BIG = 10**9


def _nat(values: list[Any]) -> np.ndarray:
    return np.array([np.datetime64(v, "D") if v else np.datetime64("NaT") for v in values])


def _opt(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-(2**62), 2**62) | st.just(NAT_INT), st.booleans()), max_size=40
    )
)
def test_nat_unless_below_small_rows_is_the_arithmetic(pairs: list[tuple[int, bool]]) -> None:
    values = np.array([v for v, _ in pairs], dtype=np.int64)
    keep = np.array([k for _, k in pairs], dtype=bool)
    with setting(base, SMALL_ROWS=0):
        plain = base._nat_unless(values, keep)
    with setting(base, SMALL_ROWS=BIG):
        small = base._nat_unless(values, keep)
    assert small.dtype == plain.dtype == np.dtype("M8[D]")
    np.testing.assert_array_equal(small.view(np.int64), plain.view(np.int64))
    np.testing.assert_array_equal(small.view(np.int64), np.where(keep, values, NAT_INT))


def _engine(cs: list[dict[str, Any]], s: dwangsom.Scenario, *, small: bool) -> tuple[Any, Any]:
    """Both penalties on the generated cases: the small call's inputs (one ``as_of`` day, the
    types a categorical, as assess gives them) with ``small``; else the ordinary ones (the
    types as text, ``as_of`` one per case, no small-table branch)."""
    col = lambda k: [c[k] for c in cs]  # noqa: E731
    kinds = np.array(col("application_type"), dtype=object)
    cut = np.datetime64(cs[0]["as_of"], "D")
    if small:
        kind: Any = pd.Categorical(kinds)
        as_of: Any = cut
    else:
        kind, as_of = kinds, np.full(len(cs), cut)
    with setting(base, SMALL_ROWS=BIG if small else 0):
        a = engine.admin_arrays(
            _nat(col("received")),
            _nat(col("notice_received")),
            _nat(col("decided")),
            as_of=as_of,
            application_type=kind,
            applicants=np.array(col("applicants")),
            excluded=np.array(col("excluded")),
            scenario=s,
            extension_months=np.array(col("extension_months")),
        )
        c = engine.court_arrays(
            _nat(col("judgment_sent")),
            _nat(col("decided")),
            as_of=as_of,
            term_days=_opt(col("court_term_days")),
            per_day=_opt(col("court_per_day")),
            cap=_opt(col("court_cap")),
            repeat=np.array(col("repeat_appeal")),
            application_type=kind,
            scenario=s,
        )
    return a, c


def _same_arrays(x: Any, y: Any) -> None:
    """Field by field: values, dtypes and shapes (read-only views included)."""
    for f in dataclasses.fields(x):
        a, b = getattr(x, f.name), getattr(y, f.name)
        if f.name == "windows":
            assert len(a) == len(b)
            for (a0, a1, am), (b0, b1, bm) in zip(a, b, strict=True):
                assert a0 == b0 and a1 == b1
                np.testing.assert_array_equal(am, bm)
            continue
        assert a.dtype == b.dtype and a.shape == b.shape, f.name
        np.testing.assert_array_equal(a, b, err_msg=f.name)


@settings(max_examples=150, deadline=None)
@given(st.lists(case(), min_size=1, max_size=30), scenarios())
def test_small_call_paths_equal_the_ordinary_ones(
    cs: list[dict[str, Any]], s: dwangsom.Scenario
) -> None:
    cs = [c for c in cs if c["as_of"] is not None] or [cs[0] | {"as_of": "2025-06-30"}]
    try:
        plain = _engine(cs, s, small=False)
    except dwangsom.DwangsomError as e:  # an invalid draw: the small path raises alike
        with pytest.raises(type(e)):
            _engine(cs, s, small=True)
        return
    small = _engine(cs, s, small=True)
    _same_arrays(small[0], plain[0])
    _same_arrays(small[1], plain[1])


@settings(max_examples=20, deadline=None)
@given(scenarios(), st.integers(1, 120), st.integers(0, 10_000))
def test_a_small_table_through_assess_equals_the_ordinary_paths(
    s: dwangsom.Scenario, n: int, seed: int
) -> None:
    frame = table(n, seed=seed)
    p = parse_cases(frame, scenario=s)
    cut = np.datetime64(AS_OF, "D")
    with setting(base, SMALL_ROWS=BIG):
        small = cases._evaluate_block(p, cut, s, {})
    # the ordinary paths: no small-table branch, the types read afresh (no kept rows)
    with setting(base, SMALL_ROWS=0), setting(inputs, _CATEGORY_ROWS={}):
        plain = cases._evaluate_block(parse_cases(frame, scenario=s), cut, s)
    arrays_equal(small.admin.arrays(), plain.admin.arrays())
    arrays_equal(small.court.arrays(), plain.court.arrays())


def test_category_rows_are_kept_per_dtype_and_type_table() -> None:
    s = dwangsom.scenario()
    names = ["regular", "asylum", "family-reunification"]
    values = pd.Categorical(["asylum", "regular", "asylum", "family-reunification"], names)
    fresh = inputs._types(np.asarray(values, dtype=object), 4, s)
    first = inputs._types(values, 4, s)
    again = inputs._types(values, 4, s)
    np.testing.assert_array_equal(first._code, fresh._code)
    np.testing.assert_array_equal(again._code, fresh._code)
    key = (id(values.dtype), id(s.application_types))
    assert inputs._CATEGORY_ROWS[key][0] is values.dtype
    kept = inputs._CATEGORY_ROWS[key][2]
    assert not kept.flags.writeable
    # the codes of a call are its own (writable, not the kept rows)
    assert first._code.flags.writeable and not np.shares_memory(first._code, kept)
    # another type table (a changed scenario) gets its own rows
    reordered = s.replace(application_types=tuple(reversed(s.application_types)))
    other = inputs._types(values, 4, reordered)
    assert [reordered.application_types[i].application_type for i in other._code] == list(
        values
    )


def test_an_unknown_category_raises_every_time_and_is_not_kept() -> None:
    s = dwangsom.scenario()
    values = pd.Categorical(["asylum", "nope"])
    for _ in range(2):
        with pytest.raises(UnknownApplicationTypeError):
            inputs._types(values, 2, s)
    assert all(found[0] is not values.dtype for found in inputs._CATEGORY_ROWS.values())


def test_a_type_table_given_as_a_list_is_read_afresh() -> None:
    s = dwangsom.scenario()
    rows = list(s.application_types)
    first = inputs._type_columns(rows)
    assert inputs._type_columns(rows) is not first  # a list may change: never kept
    kept = inputs._type_columns(s.application_types)
    assert inputs._type_columns(s.application_types) is kept
    for name, column in kept.items():
        np.testing.assert_array_equal(column, first[name], err_msg=name)
        assert not column.flags.writeable


def test_cached_by_identity_gives_the_value_and_computes_unhashables_afresh() -> None:
    s = dwangsom.scenario()
    rates = tuple(s.admin_rates)
    one = engine._cached(engine._rate_table, rates)
    assert engine._cached(engine._rate_table, rates) is one
    # an equal tuple that is another object: the lru_cache's value, the same table
    copy = tuple(list(rates))
    assert copy is not rates
    assert engine._cached(engine._rate_table, copy) is one
    # a table given as lists cannot key a cache: computed afresh, equal
    unhashable = tuple([*dataclasses.astuple(r)] for r in rates)
    with pytest.raises(TypeError):
        hash(unhashable)
    periods = tuple(s.temporary_act_periods)
    blocked = engine._cached(engine._blocked_days, periods, "admin_penalty", None)
    assert engine._cached(engine._blocked_days, periods, "admin_penalty", None) is blocked
    listed = [list(periods)]
    assert base._kept_lookup(engine._blocked_days, (listed,)) is base._MISSING


def test_kept_results_are_bounded() -> None:
    calls: list[int] = []

    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    values = [object() for _ in range(base.KEPT_SIZE + 5)]
    for v in values:
        base._kept(lambda v: id(v), v)
    assert len(base._KEPT) <= base.KEPT_SIZE
    big = 10**20  # an int object of its own
    assert base._kept(double, big) == 2 * big
    assert base._kept(double, big) == 2 * big
    assert calls == [big]


@pytest.mark.parametrize("n", [0, 1, 3, 700])
def test_repeated_rows_are_broadcast_to(n: int) -> None:
    rates = engine._rate_table(tuple(dwangsom.scenario().admin_rates)).rates
    got = base._repeated(rates[1], n)
    want = np.broadcast_to(rates[1], (n, 4))
    assert got.shape == want.shape and got.strides == want.strides and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    assert not got.flags.writeable
    nat = base._nat_row(n)
    want_nat = np.broadcast_to(engine.NAT, (n,))
    assert nat.dtype == want_nat.dtype and nat.shape == want_nat.shape
    np.testing.assert_array_equal(nat, want_nat)
    assert not nat.flags.writeable


def test_the_recording_notes_the_fields_read_and_nothing_else() -> None:
    s = dwangsom.scenario()
    copy, reads = _compact._recording(s)
    assert isinstance(copy, dwangsom.Scenario)
    assert copy.fixing_days == s.fixing_days
    assert copy.application_type("asylum") == s.application_type("asylum")  # a method
    assert set(reads) == {"fixing_days", "application_types"}
    assert reads["fixing_days"] == s.fixing_days
    names = {f.name for f in dataclasses.fields(s)}
    assert all(getattr(copy, k) == getattr(s, k) for k in names)
    assert reads.keys() == names
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.fixing_days = 1  # type: ignore[misc]
    # a copy of the recording is made as any scenario's (and records nothing)
    changed = dataclasses.replace(copy, fixing_days=s.fixing_days + 1)
    assert changed.fixing_days == s.fixing_days + 1 and changed.payment_days == s.payment_days
    assert reads["fixing_days"] == s.fixing_days


@pytest.mark.parametrize("lag", [0, 1])
def test_one_stop_and_one_cut_off(lag: int) -> None:
    days = np.array(["2024-03-01", "NaT", "2024-03-02", "2024-02-28"], dtype="M8[D]")
    for cut in ("2024-03-01", "NaT"):
        cutoff = np.array([cut], dtype="M8[D]")
        for i in range(days.size):
            done = days[i : i + 1]
            stop = done - np.timedelta64(lag, "D")
            want = ~np.isnat(stop) & (np.isnat(cutoff) | (stop <= cutoff))
            np.testing.assert_array_equal(engine._stopped(done, cutoff, lag), want)


def test_no_day_and_the_missing_cut_off_error() -> None:
    assert not inputs._no_day(np.array(["2024-01-01"], dtype="M8[D]"))
    assert inputs._no_day(np.array(["NaT"], dtype="M8[D]"))
    assert inputs._no_day(np.array(["2024-01-01", "2024-01-02"], dtype="M8[D]"))
    with pytest.raises(dwangsom.errors.MissingDateError):
        engine.admin_arrays(["2024-01-01"], as_of=np.datetime64("NaT", "D"))
    with pytest.raises(dwangsom.errors.MissingDateError):
        engine.court_arrays(["2024-05-01"], as_of=np.datetime64("NaT", "D"))
    a = engine.admin_arrays(["2024-01-01"], decided=["2024-06-01"], as_of=np.datetime64("NaT"))
    assert a.final[0]


def test_events_after_as_of_are_blanked_on_day_numbers() -> None:
    frame = table(40, seed=5)
    p = parse_cases(frame)
    assert not p.bad.any()
    cut = np.datetime64("2020-06-30", "D")
    _, admin, court = cases.evaluation._engine_inputs(p, cut)
    for got, name in ((admin["notice_received"], "notice_received"),
                      (admin["decided"], "decided"), (court["judgment_sent"], "judgment_sent"),
                      (court["appeal_filed"], "appeal_filed")):  # fmt: skip
        v = p.dates[name]
        assert (v > cut).any()  # some events after the cut
        np.testing.assert_array_equal(got, np.where(v <= cut, v, engine.NAT))
