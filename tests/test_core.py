"""Examples and errors of the core: dates, months, tables, scenarios, rules (RULES §0-§8)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import dwangsom
from dwangsom import engine, rules, tables
from dwangsom._dates import as_date, as_day_array
from dwangsom.months import add_months, add_months_array

D = dt.date


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        D(2023, 10, 25),
        dt.datetime(2023, 10, 25, 13, 5),
        pd.Timestamp("2023-10-25"),
        np.datetime64("2023-10-25"),
        np.datetime64("2023-10-25T10:00", "us"),
        "2023-10-25",
        "25-10-2023",
    ],
)
def test_date_inputs(value: object) -> None:
    assert dwangsom.decision_deadline(value) == D(2025, 1, 25)


@pytest.mark.parametrize("value", [20231025, 3.5, "yesterday", "2023-02-30", b"2023-01-01"])
def test_bad_dates_name_the_argument(value: object) -> None:
    with pytest.raises(dwangsom.InvalidDateError, match="received"):
        dwangsom.decision_deadline(value)


def test_time_zone_refused() -> None:
    with pytest.raises(dwangsom.InvalidDateError, match="time zone"):
        as_date(pd.Timestamp("2023-01-01", tz="Europe/Amsterdam"), "received")


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
def test_any_datetime_unit_normalises_to_days(unit: str) -> None:
    series = pd.Series(pd.to_datetime(["2023-01-31", None])).astype(f"datetime64[{unit}]")
    out = as_day_array(series, "received")
    assert out.dtype == np.dtype("datetime64[D]")
    assert str(out[0]) == "2023-01-31" and np.isnat(out[1])


# --- months (RULES §0) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2023, 8, 31), 15, D(2024, 11, 30)),
        (D(2022, 8, 31), 6, D(2023, 2, 28)),
        (D(2023, 10, 25), 15, D(2025, 1, 25)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2023, 12, 31), 2, D(2024, 2, 29)),
    ],
)
def test_add_months_examples(start: D, months: int, end: D) -> None:
    assert add_months(start, months) == end


@given(
    st.dates(D(1990, 1, 1), D(2090, 1, 1)),
    st.dates(D(1990, 1, 1), D(2090, 1, 1)),
    st.integers(0, 36),
)
def test_add_months_properties(a: D, b: D, n: int) -> None:
    assert add_months(a, n) == a + relativedelta(months=n)
    if a <= b:
        assert add_months(a, n) <= add_months(b, n)
    out = add_months(a, n)
    assert out.day <= a.day
    assert str(add_months_array(np.array([a], dtype="datetime64[D]"), n)[0]) == out.isoformat()


# --- tables -----------------------------------------------------------------------------------


def test_every_packaged_row_is_cited() -> None:
    for load in (
        tables.admin_rates,
        tables.decrees,
        tables.temporary_act_periods,
        tables.court_practice,
        tables.application_types,
        tables.suspensions,
    ):
        for row in load():
            assert len(row.source) > 10 and row.confidence in ("C", "S", "U")


GOOD = (
    "valid_from,valid_to,rate_1,rate_2,rate_3,band_days,maximum,source,confidence\n"
    "2019-01-01,,23,35,45,14,1442,Stcrt. 2018 65542,S\n"
)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (GOOD.replace(",maximum", ""), "missing column"),
        (GOOD.replace("1442", "1500"), "maximum is not band_days"),
        (GOOD.replace(",S\n", ",X\n"), "'confidence'"),
        (GOOD.replace("23,35", "23.5,35"), "line 2, column 'rate_1'"),
        (GOOD.replace("2019-01-01,", "2019-01-01,2018-01-01"), "'valid_to'"),
        (GOOD + GOOD.splitlines()[1] + "\n", "overlaps"),
        (GOOD.splitlines()[0] + "\n", "no rows"),
        (GOOD.replace("Stcrt. 2018 65542", ""), "column 'source'"),
    ],
)
def test_malformed_table_fails_loudly(text: str, match: str) -> None:
    with pytest.raises(dwangsom.TableError, match=match):
        tables.load_table(io.StringIO(text), tables.AdminRate)


# --- scenarios --------------------------------------------------------------------------------


def test_presets_and_replace() -> None:
    applied = dwangsom.scenario()
    assert applied is dwangsom.scenario("as-applied")
    void = applied.replace(extensions=frozenset())
    assert void.extensions == frozenset() and applied.extensions
    with pytest.raises(AttributeError):
        applied.temporary_act = False  # type: ignore[misc]
    assert hash(applied) == hash(dwangsom.scenario("as-applied"))


def test_scenario_errors() -> None:
    with pytest.raises(dwangsom.UnknownScenarioError, match="known scenarios: as-applied"):
        dwangsom.scenario("as applied")
    with pytest.raises(dwangsom.DwangsomError, match="unknown decree"):
        dwangsom.scenario().replace(extensions=frozenset({"WBV 2099/1"}))
    with pytest.raises(dwangsom.DwangsomError, match="first_penalty_offset must be 14 or 15"):
        dwangsom.scenario().replace(first_penalty_offset=16)
    with pytest.raises(dwangsom.DwangsomError, match="unknown suspension"):
        dwangsom.scenario().replace(suspensions=frozenset({"x"}))


# --- rules: RULES §8 and boundaries ---------------------------------------------------------------


def test_worked_examples() -> None:
    assert dwangsom.decision_deadline("2023-10-25") == D(2025, 1, 25)  # a Saturday, not rolled
    assert D(2025, 1, 25).weekday() == 5
    assert dwangsom.decision_deadline("2023-10-25", scenario="extensions-void") == D(2024, 4, 25)
    assert dwangsom.decision_deadline("2022-03-26") == D(2022, 9, 26)
    assert dwangsom.decision_deadline("2022-03-27") == D(2023, 6, 27)
    assert dwangsom.decision_deadline("2023-08-31") == D(2024, 11, 30)
    assert dwangsom.decision_deadline("2023-08-31", scenario="extensions-void") == D(2024, 2, 29)
    s = dwangsom.scenario("no-temporary-act")
    received, notice = "2023-01-02", "2025-01-06"
    assert dwangsom.first_penalty_day(received, notice, scenario=s) == D(2025, 1, 21)
    pen = lambda **kw: dwangsom.administrative_penalty(received, notice, scenario=s, **kw)  # noqa: E731
    assert pen(decided="2025-01-20") == 0 and pen(decided="2025-01-21") == 23
    assert pen(decided="2025-03-03") == 1442 and pen(decided="2025-03-02") == 1442 - 45
    assert [pen(as_of=D(2025, 1, 20) + dt.timedelta(days=k)) for k in (14, 28, 42, 60)] == [
        322,
        812,
        1442,
        1442,
    ]
    # the same case under the Temporary Act: nothing (Stb. 2020, 242)
    assert dwangsom.administrative_penalty(received, notice, "2025-03-03") == 0
    assert dwangsom.court_penalty("2023-03-15", "2023-08-04") == 3000
    assert rules.court_detail("2023-03-15", "2023-08-04").due == D(2023, 7, 5)


def test_offset_14_and_decision_day_switches() -> None:
    s = dwangsom.scenario("no-temporary-act").replace(first_penalty_offset=14)
    assert dwangsom.first_penalty_day("2023-01-02", "2025-01-06", scenario=s) == D(2025, 1, 20)
    s2 = dwangsom.scenario("no-temporary-act").replace(decision_day_counts=False)
    amount = dwangsom.administrative_penalty("2023-01-02", "2025-01-06", "2025-01-22", scenario=s2)
    assert amount == 23


def test_atw_on_the_notice_term() -> None:
    """Notice Fri 13 Dec 2024: two weeks end Fri 27 Dec 2024, a bridge day [S]; with the Atw
    switch on, the term ends Mon 30 Dec and the first penalty day is Tue 31 Dec."""
    s = dwangsom.scenario("no-temporary-act")
    assert dwangsom.first_penalty_day("2023-01-02", "2024-12-13", scenario=s) == D(2024, 12, 28)
    s = s.replace(atw_on_notice_term=True)
    assert dwangsom.first_penalty_day("2023-01-02", "2024-12-13", scenario=s) == D(2024, 12, 31)


def test_covid_suspension_switch() -> None:
    """ECLI:NL:RBDHA:2020:6088: terms expired by 16 March 2020, penalty suspended to 16 May."""
    s = dwangsom.scenario().replace(suspensions=frozenset({"covid-2020"}))
    # received 1 June 2019: term ended 1 Dec 2019; notice 15 Feb 2020: first penalty day 1 March
    kw = dict(as_of="2020-04-30")
    assert dwangsom.administrative_penalty("2019-06-01", "2020-02-15", **kw) == 1442
    suspended = dwangsom.administrative_penalty("2019-06-01", "2020-02-15", scenario=s, **kw)
    assert suspended == 23 * 14 + 35
    total = rules.admin_detail("2019-06-01", "2020-02-15", "2020-12-31", scenario=s)
    assert total.amount == 1442 and total.suspended_days == 61
    assert total.last_day == D(2020, 6, 11)  # 15 days in March, 27 from 16 May
    late = s.replace(name="late")  # a term that expired after 16 March 2020 is not suspended
    later = dwangsom.administrative_penalty("2019-09-20", "2020-03-21", **kw, scenario=late)
    assert later == 23 * 14 + 35 * 12


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: dwangsom.administrative_penalty("2023-01-01", "2022-12-01", as_of="2024-01-01"),
            dwangsom.OrderError,
            "notice_received: 2022-12-01 is before the application",
        ),
        (
            lambda: dwangsom.administrative_penalty("2023-01-01", "2024-12-01"),
            dwangsom.MissingDateError,
            "as_of",
        ),
        (lambda: dwangsom.decision_deadline("1999-01-01"), dwangsom.OutOfTableError, "received"),
        (
            lambda: dwangsom.decision_deadline("2023-01-01", application_type="work"),
            dwangsom.UnknownApplicationTypeError,
            "known types: asylum",
        ),
        (
            lambda: dwangsom.court_penalty("2008-01-01", "2009-01-01"),
            dwangsom.OutOfTableError,
            "judgment_sent: 2008-01-01",
        ),
        (
            lambda: dwangsom.court_penalty("2023-01-01", as_of="2024-01-01", per_day=-5),
            dwangsom.DwangsomError,
            "court_per_day",
        ),
        (
            lambda: dwangsom.administrative_penalty("2023-01-01", as_of="2024-01-01", applicants=0),
            dwangsom.DwangsomError,
            "applicants",
        ),
    ],
)
def test_named_errors(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]
    assert issubclass(error, ValueError)


def test_engine_errors_name_values() -> None:
    with pytest.raises(dwangsom.OrderError, match="notice_received: 2022-12-01"):
        engine.administrative_penalty(["2023-01-01"], ["2022-12-01"], as_of="2024-01-01")
    with pytest.raises(dwangsom.OutOfTableError, match="1999-01-01"):
        engine.decision_deadline(["2023-01-01", "1999-01-01"])


def test_court_order_wins_and_repeat_row() -> None:
    assert dwangsom.court_penalty("2021-03-15", "2022-01-01") == 0  # excluded by the Act
    assert dwangsom.court_penalty("2021-03-15", "2022-01-01", per_day=100) == 7500
    assert dwangsom.court_penalty("2021-03-15", "2022-01-01", scenario="no-temporary-act") == 7500
    assert rules.court_terms("2024-05-01", repeat=True)[:3] == (56, 200, 15000)
    assert (
        dwangsom.court_penalty("2008-01-01", "2009-01-01", term_days=14, per_day=50, cap=1000)
        == 1000
    )


@given(
    st.lists(st.dates(D(1800, 1, 1), D(2300, 12, 31)), min_size=1, max_size=50),
    st.integers(-30, 300),
)
def test_add_months_array_lookup_and_civil_paths_agree(days: list[D], n: int) -> None:
    """Dates inside 1900-2199 use look-up tables, others integer arithmetic: both are exact."""
    from dwangsom.months import _add_months_civil

    arr = np.array(days, dtype="datetime64[D]")
    got = add_months_array(arr, n)
    civil = _add_months_civil(arr.astype(np.int64), np.full(arr.size, n))
    want = [add_months(d, n) for d in days]
    assert [str(x) for x in got] == [d.isoformat() for d in want]
    assert [str(x) for x in civil] == [d.isoformat() for d in want]
