"""The engine's fast paths give what its plain ones give: the day tables (decision term, rates,
Temporary Act, court practice, "day + k months") against the rules run case by case, and the
integer helpers against their numpy spelling."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import dwangsom
from dwangsom import engine, months
from dwangsom.testing import scenarios
from tests.test_speed import setting

NAT = np.datetime64("NaT", "D")




def same(a: Any, b: Any) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "windows":
            assert [(p, q) for p, q, _ in x] == [(p, q) for p, q, _ in y]
            for (_, _, xm), (_, _, ym) in zip(x, y, strict=True):
                np.testing.assert_array_equal(xm, ym)
            continue
        assert x.dtype == y.dtype and x.shape == y.shape, f.name
        np.testing.assert_array_equal(x, y, err_msg=f.name)


def inputs(n: int, seed: int) -> dict[str, Any]:
    """Cases received 2019-2025 (decrees, moratoria, the Temporary Act, the EU Pact date)."""
    rng = np.random.default_rng(seed)
    received = np.datetime64("2019-01-01") + rng.integers(0, 7 * 365, n).astype("m8[D]")

    def later(share: float, start: np.ndarray, high: int) -> np.ndarray:
        days = start + rng.integers(0, high, n).astype("m8[D]")
        return np.where((rng.random(n) < share) & ~np.isnat(start), days, NAT)

    notice = later(0.6, received, 900)
    appeal = later(0.6, notice, 200)
    kinds = np.array(["asylum"] * 5 + ["regular", "family-reunification"])
    return {
        "received": received,
        "notice": notice,
        "decided": later(0.5, received, 1300),
        "judgment": later(0.8, appeal, 250),
        "appeal": appeal,
        "type": rng.choice(kinds, n),
        "extension": np.where(rng.random(n) < 0.1, rng.integers(1, 4, n), 0),
        "nationality": rng.choice(np.array(["SYR", "SDN", "AFG", None], dtype=object), n),
        "repeat": rng.random(n) < 0.3,
        "heard": rng.random(n) < 0.3,
    }


def run(c: dict[str, Any], s: dwangsom.Scenario, *, individual: bool) -> tuple[Any, ...]:
    kind = c["type"] if individual else "asylum"
    admin = engine.admin_arrays(
        c["received"],
        c["notice"],
        c["decided"],
        as_of=np.datetime64("2025-06-30", "D"),
        application_type=kind,
        scenario=s,
        extension_months=np.where(c["type"] == "asylum", c["extension"], 0) if individual else None,
        nationality=c["nationality"] if individual else None,
    )
    court = engine.court_arrays(
        c["judgment"],
        c["decided"],
        as_of=np.datetime64("2025-06-30", "D"),
        repeat=c["repeat"],
        application_type=kind,
        scenario=s,
        received=c["received"],
        heard=c["heard"],
        appeal_filed=c["appeal"],
    )
    term = engine.decision_term(
        c["received"], scenario=s, application_type=kind, decided=c["decided"]
    )
    return admin, court, term


CASES = inputs(3000, seed=12)


@settings(max_examples=15, deadline=None)
@given(scenarios(), st.sampled_from(["asylum only", "every column"]))
def test_day_tables_equal_the_rules_case_by_case(s: dwangsom.Scenario, columns: str) -> None:
    individual = columns == "every column"
    with setting(engine.term, TABLE_ROWS=10**9), setting(months, SHIFT_TABLE_ROWS=10**9):
        plain = run(CASES, s, individual=individual)
    with setting(engine.term, TABLE_ROWS=0), setting(months, SHIFT_TABLE_ROWS=0):
        fast = run(CASES, s, individual=individual)
    for a, b in zip(plain, fast, strict=True):
        same(a, b)
    admin = fast[0]
    assert (admin.days > 0).any() and (fast[1].amount > 0).any()  # the penalties ran


def test_the_day_tables_of_notices_equal_the_search() -> None:
    s = dwangsom.scenario()
    days = np.arange(np.datetime64("2001-04-01", "D"), np.datetime64("2100-01-01", "D"), 7).astype(
        "M8[D]"
    )
    days[::5] = NAT
    for rows in (s.admin_rates, s.temporary_act_periods, [r for r in s.court_practice]):
        rows = [r for r in rows if not hasattr(r, "repeat") or not r.repeat]
        np.testing.assert_array_equal(
            engine._checked_period_index(rows, days), engine._period_search(rows, days)
        )
    assert engine._in_day_tables(days)
    assert not engine._in_day_tables(np.array(["2000-12-31", "NaT"], "M8[D]"))
    assert not engine._in_day_tables(np.array(["2100-01-01"], "M8[D]"))


def test_the_month_table_equals_the_arithmetic() -> None:
    rng = np.random.default_rng(3)
    days = (np.datetime64("1900-01-01") + rng.integers(0, 300 * 365, 40000)).astype("M8[D]")
    days[::11] = NAT
    for k in (0, 1, 6, 15, 21, -7):
        with setting(months, SHIFT_TABLE_ROWS=10**9):
            plain = months.add_months_array(days, np.full(days.size, k))
        with setting(months, SHIFT_TABLE_ROWS=0):
            fast = months.add_months_array(days, k)
        np.testing.assert_array_equal(plain, fast)
    assert str(months.add_months_array(np.array(["2023-08-31"], "M8[D]"), 6)[0]) == "2024-02-29"


def test_integer_helpers_equal_their_numpy_spelling() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(10000, 50000, 1000)
    keep = rng.random(1000) < 0.5
    np.testing.assert_array_equal(
        engine._nat_unless(values, keep), np.where(keep, values.view("M8[D]"), NAT)
    )
    np.testing.assert_array_equal(engine._zero_unless(values, keep), np.where(keep, values, 0))
    np.testing.assert_array_equal(
        engine._choose(keep, values, values + 3), np.where(keep, values, values + 3)
    )


def test_accrued_through_a_missing_day_is_nothing() -> None:
    a = engine.admin_arrays(["2024-06-03"], ["2025-01-06"], ["2025-03-31"],
                            application_type="regular")  # fmt: skip
    c = engine.court_arrays(["2023-03-15"], ["2023-08-04"])
    assert int(a.amount[0]) > 0 and int(c.amount[0]) > 0
    for arrays in (a, c):
        assert int(arrays.accrued_through(NAT)[0]) == 0
        assert int(arrays.accrued_through(np.datetime64("2200-01-01"))[0]) == int(arrays.amount[0])


def test_a_scenario_with_list_tables_gets_the_same_results() -> None:
    s = dwangsom.scenario()
    listed = dataclasses.replace(
        s,
        admin_rates=list(s.admin_rates),
        temporary_act_periods=list(s.temporary_act_periods),
        application_types=list(s.application_types),
    )
    with setting(engine.term, TABLE_ROWS=0):
        for a, b in zip(
            run(CASES, s, individual=True), run(CASES, listed, individual=True), strict=True
        ):
            same(a, b)


def test_month_numbers_and_ends_equal_the_datetime64_conversions() -> None:
    rng = np.random.default_rng(8)
    days = (np.datetime64("1850-01-01") + rng.integers(0, 400 * 365, 50000)).astype("M8[D]")
    inside = days[(days >= np.datetime64("1900-01-01")) & (days < np.datetime64("2200-01-01"))]
    with_nat = inside.copy()
    with_nat[::13] = NAT
    for values in (days, inside, with_nat, days[:0]):
        expected = values.astype("datetime64[M]").astype(np.int64)
        np.testing.assert_array_equal(months.month_number_array(values), expected)
    numbers = months.month_number_array(days)
    for m in (numbers, months.month_number_array(inside)):
        expected_end = (m + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(
            1, "D"
        )
        np.testing.assert_array_equal(months.month_end_array(m), expected_end)
    assert str(months.month_end_array(np.array([649]))[0]) == "2024-02-29"


def test_unchecked_receipts_outside_the_tables_get_the_rules_themselves() -> None:
    s = dwangsom.scenario()
    received = np.array(["1995-03-31", "2023-08-31", "2101-01-15"], dtype="M8[D]")
    kinds = engine._types("asylum", received.size, s)
    zero = np.zeros(received.size, dtype=np.int64)
    with setting(engine.term, TABLE_ROWS=10**9):
        plain = engine._term_arrays(received, kinds, zero, s)
    with setting(engine.term, TABLE_ROWS=0):
        fast = engine._term_arrays(received, kinds, zero, s)
    same(plain, fast)
    assert str(fast.deadline[1]) == "2024-11-30"  # 6 + 9 months in one step (WBV 2023/3)
