"""Tests of the Atw calendar (dwangsom.atw; RULES §1)."""

from __future__ import annotations

import difflib
import importlib.util
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import holidays
import numpy as np
import pandas as pd
import pytest
from dateutil.easter import easter  # type: ignore[import-untyped, unused-ignore]
from hypothesis import given, settings
from hypothesis import strategies as st

from dwangsom import atw
from dwangsom.atw import (
    AtwCalendar,
    BridgeDay,
    default_calendar,
    is_holiday,
    is_holiday_array,
    is_working_day,
    is_working_day_array,
    load_bridge_days,
    load_holiday_rules,
    roll_forward,
    roll_forward_array,
    term_end,
    term_end_array,
)
from dwangsom.errors import OrderError, OutOfTableError, TableError

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
YEARS = range(2009, 2036)
CAL = default_calendar()


def _load_snapshot_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_atw_snapshot", SNAPSHOTS / "make_atw_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------------------------
# (1) Snapshot of the computed calendar
# ----------------------------------------------------------------------------------------------


def test_snapshot_2009_2035() -> None:
    script = _load_snapshot_script()
    expected = script.SNAPSHOT.read_text(encoding="utf-8")
    actual = script.render(script.rows())
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile="committed snapshot",
                tofile="computed now",
            )
        )
        pytest.fail(
            "The Atw calendar differs from tests/snapshots/atw_calendar_2009_2035.csv. If the "
            "change is intended, run `python tests/snapshots/make_atw_snapshot.py` and review "
            f"the diff:\n{diff}"
        )


# ----------------------------------------------------------------------------------------------
# (2) Cross-check against the `holidays` package
# ----------------------------------------------------------------------------------------------


def _ours(years: range) -> set[date]:
    return {day for year in years for day, _ in CAL.holidays(year)}


def _easter_and_whit_sundays(years: range) -> set[date]:
    return {easter(y) for y in years} | {easter(y) + timedelta(days=49) for y in years}


def test_matches_holidays_package_2009_2035_except_explained_differences() -> None:
    theirs = set(holidays.country_holidays("NL", years=YEARS, categories=("public", "optional")))
    ours = _ours(YEARS)

    # 1. Days made equal to holidays by decree (Atw art. 3(3)): `holidays` has no bridge days.
    bridge_days = {b.date for b in CAL.bridge_days if b.date.year in YEARS}
    assert len(bridge_days) == 18  # 7 of BWBR0038666 (2017-2019) + 11 reported 2022-2028
    assert ours - theirs == bridge_days

    # 2. Easter Sunday and Whit Sunday: `holidays` lists them, the Atw does not (they are
    #    Sundays, so a term never ends on them anyway).
    assert theirs - ours == _easter_and_whit_sundays(YEARS)
    assert all(day.weekday() == 6 for day in theirs - ours)

    # Nothing else differs: Good Friday, 5 May every year (the "optional" category, from 1982),
    # Koninginnedag/Koningsdag with their Sunday shifts (29 April 2006, 26 April 2014 and 2025)
    # agree day for day.


def test_holidays_package_before_2009_differs_only_by_5_may_in_lustrum_years() -> None:
    # Found while checking the older years: `holidays` puts 5 May in its "public" category every
    # fifth year with no start year, so also in 1970, 1975 and 1980, although 5 May only entered
    # Atw art. 3(1) by the amendment of 1981/82 (its own "optional" category starts in 1982).
    # The lustrum days off are a collective-agreement practice, not Atw holidays. (`holidays`
    # starts in 1966; our calendar also covers 1965.)
    years = range(1966, 2009)
    theirs = set(holidays.country_holidays("NL", years=years, categories=("public", "optional")))
    ours = _ours(years)
    assert ours - theirs == set()  # no decree days in our table before 2022
    lustrum_5_may = {date(1970, 5, 5), date(1975, 5, 5), date(1980, 5, 5)}
    assert theirs - ours == _easter_and_whit_sundays(years) | lustrum_5_may


def test_holidays_default_public_category_lacks_5_may_in_most_years() -> None:
    # Why we own the calendar: Atw art. 3(1) names 5 May every year, but `holidays`' default
    # category has it only in lustrum years (and in 2016, when Ascension Day fell on 5 May).
    public = holidays.country_holidays("NL", years=YEARS)
    with_5_may = [year for year in YEARS if date(year, 5, 5) in public]
    assert with_5_may == [2010, 2015, 2016, 2020, 2025, 2030, 2035]
    assert dict(CAL.holidays(2016))[date(2016, 5, 5)] == "Hemelvaartsdag / Bevrijdingsdag"
    assert all(is_holiday(date(year, 5, 5)) for year in YEARS)


# ----------------------------------------------------------------------------------------------
# (3) Boundary samples: first and last year of each rule, shifts, decree days
# ----------------------------------------------------------------------------------------------

HOLIDAY_SAMPLES = [
    # first and last year of the calendar
    ("1965-01-01", "Nieuwjaarsdag"),
    ("2099-12-26", "Tweede Kerstdag"),
    # Good Friday (art. 3(2)), Easter Monday, Ascension (+39), Whit Monday (+50)
    ("1965-04-16", "Goede Vrijdag"),
    ("2025-04-18", "Goede Vrijdag"),
    ("2026-04-03", "Goede Vrijdag"),
    ("2026-04-06", "Tweede Paasdag"),
    ("2026-05-14", "Hemelvaartsdag"),
    ("2026-05-25", "Tweede Pinksterdag"),
    # 5 May every year, also outside lustrum years; first year 1982 [S]
    ("1982-05-05", "Bevrijdingsdag"),
    ("2023-05-05", "Bevrijdingsdag"),
    ("2026-05-05", "Bevrijdingsdag"),
    # Koninginnedag 1949-1979: 30 April, a Sunday moved to Monday 1 May
    ("1978-05-01", "Koninginnedag"),
    ("1979-04-30", "Koninginnedag"),
    # Koninginnedag 1980-2013: 30 April, a Sunday moved to Saturday 29 April
    ("1980-04-30", "Koninginnedag"),
    ("1989-04-29", "Koninginnedag"),
    ("2006-04-29", "Koninginnedag"),
    ("2013-04-30", "Koninginnedag"),
    # Koningsdag from 2014: 27 April, a Sunday moved to Saturday 26 April
    ("2014-04-26", "Koningsdag"),
    ("2015-04-27", "Koningsdag"),
    ("2025-04-26", "Koningsdag"),
    # decree days (art. 3(3)), first and last in the table
    ("2022-05-27", "gelijkgestelde dag (vrijdag na Hemelvaartsdag)"),
    ("2024-12-27", "gelijkgestelde dag (vrijdag na Tweede Kerstdag)"),
    ("2026-01-02", "gelijkgestelde dag (vrijdag na Nieuwjaarsdag)"),
    ("2028-05-26", "gelijkgestelde dag (vrijdag na Hemelvaartsdag)"),
]

NOT_HOLIDAYS = [
    "1978-04-30",  # Sunday; Koninginnedag was Monday 1 May
    "1981-05-05",  # before 5 May entered art. 3(1) [S]
    "1989-05-01",  # after 1980 a Sunday 30 April moves back, not forward
    "2006-04-30",
    "2013-04-27",  # Koningsdag only from 2014
    "2014-04-30",  # Koninginnedag only until 2013
    "2025-04-27",
    "2026-12-24",  # Christmas Eve is no holiday
    "2026-05-04",  # not in the 2026-2028 decree, though 5 May 2026 is a Tuesday
    "2022-05-06",  # not a decree day, though 5 May 2022 was a Thursday
]


@pytest.mark.parametrize(("day", "name"), HOLIDAY_SAMPLES)
def test_holiday_samples(day: str, name: str) -> None:
    d = date.fromisoformat(day)
    assert is_holiday(d)
    assert dict(CAL.holidays(d.year))[d] == name


@pytest.mark.parametrize("day", NOT_HOLIDAYS)
def test_not_holidays(day: str) -> None:
    assert not is_holiday(day)


@pytest.mark.parametrize("bridge", CAL.bridge_days, ids=lambda b: b.date.isoformat())
def test_bridge_days_are_non_working_fridays(bridge: BridgeDay) -> None:
    if bridge.date.year <= 2019:  # BWBR0038666 [C]: also Mondays 24 and 31 Dec 2018
        assert "BWBR0038666" in bridge.source and bridge.confidence == "C"
        assert bridge.date.weekday() in (0, 4)
    else:
        assert bridge.date.weekday() == 4
        assert bridge.confidence == "S"
    assert is_holiday(bridge.date)
    assert not is_working_day(bridge.date)


def test_reported_bridge_days_are_all_in_the_table() -> None:
    reported = [
        "2017-04-28", "2017-05-26", "2018-05-11", "2018-12-24", "2018-12-31", "2019-05-31",
        "2019-12-27",
        "2022-05-27", "2023-04-28", "2023-05-19", "2024-05-10", "2024-12-27", "2025-05-30",
        "2026-01-02", "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26",
    ]  # fmt: skip
    assert [b.date.isoformat() for b in CAL.bridge_days] == reported


def test_packaged_rules_cite_a_source_and_the_monarchs_day_is_three_rows() -> None:
    assert all(rule.source and rule.confidence in "CSU" for rule in CAL.rules)
    monarch = [
        (r.first_year, r.last_year, r.month, r.day, r.sunday_shift)
        for r in CAL.rules
        if r.name in ("Koninginnedag", "Koningsdag")
    ]
    assert monarch == [
        (1949, 1979, 4, 30, 1),
        (1980, 2013, 4, 30, -1),
        (2014, None, 4, 27, -1),
    ]


def test_holidays_per_year_and_array() -> None:
    assert [d.isoformat() for d, _ in CAL.holidays(2025)] == [
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05",
        "2025-05-29", "2025-05-30", "2025-06-09", "2025-12-25", "2025-12-26",
    ]  # fmt: skip
    array = CAL.holiday_array()
    assert array.dtype == np.dtype("datetime64[D]")
    assert array[0] == np.datetime64("1965-01-01") and array[-1] == np.datetime64("2099-12-26")
    assert np.all(np.diff(array.astype(np.int64)) > 0)
    with pytest.raises(ValueError, match="read-only"):
        array[0] = np.datetime64("2000-01-01")


# ----------------------------------------------------------------------------------------------
# (4) Art. 1: a term ending on a Saturday, Sunday or holiday ends on the next working day
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        ("2025-01-25", "2025-01-27"),  # Saturday -> Monday
        ("2025-01-27", "2025-01-27"),  # a working day stays
        ("2026-12-24", "2026-12-24"),  # Thursday, Christmas Eve: a working day
        ("2026-12-25", "2026-12-28"),  # Christmas Friday -> Monday
        ("2026-04-03", "2026-04-07"),  # Good Friday -> Tuesday after Easter Monday
        ("2022-05-26", "2022-05-30"),  # Ascension -> decree Friday -> weekend -> Monday
        ("2024-12-25", "2024-12-30"),  # Christmas, Boxing Day, decree Friday, weekend
        ("2025-04-26", "2025-04-28"),  # Koningsdag on Saturday 26 April
        ("2026-05-05", "2026-05-06"),  # 5 May in a non-lustrum year
        ("2099-12-31", "2099-12-31"),  # last day of the calendar, a Thursday
    ],
)
def test_art_1_roll_forward(end: str, expected: str) -> None:
    assert roll_forward(end) == date.fromisoformat(expected)
    assert roll_forward_array([end])[0] == np.datetime64(expected)


def test_art_1_may_roll_into_the_year_after_the_calendar() -> None:
    # Sunday 31 December 2028 rolls past New Year's Day 2029, which a calendar ending in 2028
    # still knows: results may fall early in last_year + 1.
    short = AtwCalendar(CAL.rules, CAL.bridge_days, last_year=2028)
    assert short.roll_forward("2028-12-31") == date(2029, 1, 2)
    assert short.roll_forward_array(["2028-12-31"])[0] == np.datetime64("2029-01-02")


# ----------------------------------------------------------------------------------------------
# (5) Art. 2: a term of at least three days contains at least two working days
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Sat-Mon, three days: Monday is the only working day -> Tuesday
        ("2026-12-26", "2026-12-28", "2026-12-29"),
        # Thu 24 - Sat 26 Dec 2026: art. 1 gives Monday 28, and Thu 24 and Mon 28 are two
        # working days, so art. 2 adds nothing
        ("2026-12-24", "2026-12-26", "2026-12-28"),
        # Good Friday - Tuesday: only Tuesday works -> Wednesday
        ("2026-04-03", "2026-04-07", "2026-04-08"),
        # Ascension, decree Friday, weekend, Monday -> Tuesday
        ("2026-05-14", "2026-05-18", "2026-05-19"),
        # Christmas, Boxing Day, decree Friday: art. 1 -> Mon 30 Dec, art. 2 -> Tue 31 Dec
        ("2024-12-25", "2024-12-27", "2024-12-31"),
        # enough working days: only art. 1
        ("2025-01-20", "2025-01-25", "2025-01-27"),
        # terms shorter than three days get art. 1 only
        ("2025-01-25", "2025-01-26", "2025-01-27"),
        ("2025-01-25", "2025-01-25", "2025-01-27"),
        ("2026-12-26", "2026-12-27", "2026-12-28"),
    ],
)
def test_art_2_term_end(start: str, end: str, expected: str) -> None:
    assert term_end(start, end) == date.fromisoformat(expected)
    assert term_end_array([start], [end])[0] == np.datetime64(expected)


def test_term_end_rejects_start_after_end() -> None:
    with pytest.raises(OrderError, match=r"start: 2025-01-28 is after end 2025-01-27"):
        term_end("2025-01-28", "2025-01-27")
    with pytest.raises(OrderError, match=r"starts: 2025-01-28 is after ends 2025-01-27 \(pos"):
        term_end_array(["2025-01-01", "2025-01-28"], ["2025-01-05", "2025-01-27"])


# ----------------------------------------------------------------------------------------------
# (6) Properties: vectorized == scalar; roll_forward and term_end invariants
# ----------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(1965, 1, 1), max_value=date(2099, 12, 31))
maybe_dates = st.one_of(st.none(), dates)


def _as_array(values: list[date | None]) -> np.ndarray:
    return np.array(
        [np.datetime64("NaT") if v is None else np.datetime64(v, "D") for v in values],
        dtype="datetime64[D]",
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(maybe_dates, max_size=40))
def test_vectorized_equals_scalar(values: list[date | None]) -> None:
    arr = _as_array(values)
    holiday = is_holiday_array(arr)
    working = is_working_day_array(arr)
    rolled = roll_forward_array(arr)
    for i, value in enumerate(values):
        if value is None:
            assert not holiday[i] and not working[i] and np.isnat(rolled[i])
        else:
            assert holiday[i] == is_holiday(value)
            assert working[i] == is_working_day(value)
            assert rolled[i] == np.datetime64(roll_forward(value), "D")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(maybe_dates, st.integers(0, 40)), max_size=40))
def test_term_end_vectorized_equals_scalar(pairs: list[tuple[date | None, int]]) -> None:
    starts = [s for s, _ in pairs]
    ends = [None if s is None else min(s + timedelta(days=n), date(2099, 12, 31)) for s, n in pairs]
    out = term_end_array(_as_array(starts), _as_array(ends))
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start is None or end is None:
            assert np.isnat(out[i])
        else:
            assert out[i] == np.datetime64(term_end(start, end), "D")


@settings(max_examples=300, deadline=None)
@given(dates)
def test_roll_forward_properties(day: date) -> None:
    rolled = roll_forward(day)
    assert rolled >= day
    assert CAL.is_working_day(rolled) if rolled.year <= 2099 else rolled.weekday() < 5
    assert (rolled == day) == is_working_day(day)
    assert all(not is_working_day(day + timedelta(days=i)) for i in range((rolled - day).days))


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(0, 100))
def test_term_end_properties(start: date, length: int) -> None:
    end = min(start + timedelta(days=length), date(2099, 12, 31))
    out = term_end(start, end)
    assert out >= end
    assert out >= roll_forward(end)
    assert is_working_day(out)
    if (end - start).days >= 2:
        span = [start + timedelta(days=i) for i in range((out - start).days + 1)]
        assert sum(is_working_day(d) for d in span) >= 2


def test_arrays_accept_pandas_series_in_any_unit() -> None:
    series = pd.to_datetime(pd.Series(["2025-01-25", None, "2026-05-05"]))
    assert series.dtype.kind == "M"  # datetime64[us] in pandas 3, [ns] before
    rolled = roll_forward_array(series)
    assert rolled.dtype == np.dtype("datetime64[D]")
    assert list(rolled.astype(str)) == ["2025-01-27", "NaT", "2026-05-06"]
    assert list(is_holiday_array(series)) == [False, False, True]
    assert is_holiday(pd.Timestamp("2026-05-05")) and is_holiday(np.datetime64("2026-05-05"))
    assert is_holiday("05-05-2026")


# ----------------------------------------------------------------------------------------------
# (7) Malformed tables
# ----------------------------------------------------------------------------------------------

RULE_HEADER = (
    "name,kind,month,day,easter_offset,sunday_shift,first_year,last_year,source,confidence\n"
)
GOOD_RULE = "Nieuwjaarsdag,fixed,1,1,,0,1965,,Atw art. 3(1),C\n"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            RULE_HEADER + "Nieuwjaarsdag,weekly,1,1,,0,1965,,Atw,C\n",
            r"bad\.csv: row 1 \(line 2\), column 'kind': unknown kind 'weekly'",
        ),
        (
            RULE_HEADER + GOOD_RULE + "Tweede Paasdag,easter,,,1,0,1965,,,C\n",
            r"bad\.csv: row 2 \(line 3\), column 'source': must not be empty",
        ),
        (
            RULE_HEADER + "Koningsdag,fixed,4,27,,-1,2014,2013,Atw,S\n",
            r"row 1 \(line 2\), column 'first_year': first_year 2014 is after last_year 2013",
        ),
        (
            RULE_HEADER + "Koningsdag,fixed,april,27,,-1,2014,,Atw,S\n",
            r"row 1 \(line 2\), column 'month': expected a whole number, got 'april'",
        ),
        (
            RULE_HEADER + "Koningsdag,fixed,4,31,,-1,2014,,Atw,S\n",
            r"column 'day': month 4, day 31 is not a calendar day",
        ),
        (
            RULE_HEADER + "Tweede Paasdag,easter,4,,1,0,1965,,Atw,C\n",
            r"column 'month': must be empty for an easter rule",
        ),
        (
            RULE_HEADER + "Tweede Paasdag,easter,,,,0,1965,,Atw,C\n",
            r"column 'easter_offset': an easter rule needs an offset",
        ),
        (
            RULE_HEADER + "Nieuwjaarsdag,fixed,1,1,,0,1965,,Atw,X\n",
            r"column 'confidence': must be one of C, S, U, got 'X'",
        ),
        (
            RULE_HEADER + "Nieuwjaarsdag,fixed,1,1,,0,,,Atw,C\n",
            r"row 1 \(line 2\), column 'first_year': must not be empty",
        ),
        (
            RULE_HEADER
            + "Koninginnedag,fixed,4,30,,1,1949,1980,Atw,S\n"
            + "Koninginnedag,fixed,4,30,,-1,1980,2013,Atw,S\n",
            r"row 2 \(line 3\), column 'first_year': the years of 'Koninginnedag' overlap "
            r"those of row 1",
        ),
        (
            RULE_HEADER + "Nieuwjaarsdag,fixed,1,1,,0,1965,,Atw\n",
            r"row 1 \(line 2\): 9 cells for 10 columns",
        ),
        (
            RULE_HEADER.replace("sunday_shift", "sunday"),
            r"header \(line 1\): missing column\(s\) 'sunday_shift'; unknown column\(s\) 'sunday'",
        ),
        (RULE_HEADER, r"the table has no rows"),
    ],
)
def test_malformed_rule_table(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError, match=match):
        load_holiday_rules(path)


BRIDGE_HEADER = "date,name,source,confidence\n"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            BRIDGE_HEADER + "2022-05-27,brug,Atw art. 3(3),S\n2022-05-28,brug,Atw art. 3(3),S\n",
            r"bad\.csv: row 2 \(line 3\), column 'date': 2022-05-28 is a Saturday",
        ),
        (
            BRIDGE_HEADER + "2022-05-27,brug,Atw art. 3(3),S\n2022-05-27,brug,Atw art. 3(3),S\n",
            r"row 2 \(line 3\), column 'date': 2022-05-27 duplicates row 1",
        ),
        (
            BRIDGE_HEADER + "27-05-2022,brug,Atw art. 3(3),S\n",
            r"row 1 \(line 2\), column 'date': expected an ISO date YYYY-MM-DD, got '27-05-2022'",
        ),
        (
            BRIDGE_HEADER + "2022-05-27,brug, ,S\n",
            r"row 1 \(line 2\), column 'source': must not be empty",
        ),
        (
            BRIDGE_HEADER + "2022-05-27,,Atw art. 3(3),S\n",
            r"row 1 \(line 2\), column 'name': must not be empty",
        ),
        ("date,name,source\n", r"header \(line 1\): missing column\(s\) 'confidence'"),
    ],
)
def test_malformed_bridge_day_table(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError, match=match):
        load_bridge_days(path)


def test_missing_table_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"nope\.csv: cannot read the table"):
        load_bridge_days(tmp_path / "nope.csv")


def test_packaged_tables_load_and_a_good_user_table_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text(RULE_HEADER + GOOD_RULE + "\n", encoding="utf-8")  # blank lines are skipped
    (rule,) = load_holiday_rules(str(path))
    assert rule.date_in(2025) == date(2025, 1, 1)
    assert CAL.rules == default_calendar().rules  # cached


# ----------------------------------------------------------------------------------------------
# (8) Out-of-range dates and other bad input
# ----------------------------------------------------------------------------------------------


def test_out_of_range_scalars() -> None:
    with pytest.raises(
        OutOfTableError,
        match=r"day: 1964-12-31 is outside the years the Atw calendar covers \(1965–2099\)",
    ):
        is_holiday("1964-12-31")
    with pytest.raises(OutOfTableError, match=r"day: 2100-01-01 is outside .*\(1965–2099\)"):
        roll_forward(date(2100, 1, 1))
    with pytest.raises(OutOfTableError, match=r"end: 2100-01-01 is outside"):
        term_end("2099-12-20", "2100-01-01")
    with pytest.raises(OutOfTableError, match=r"start: 1960-01-01 is outside"):
        term_end("1960-01-01", "1970-01-01")
    with pytest.raises(OutOfTableError, match=r"year: 1964 is outside .*\(1965–2099\)"):
        CAL.holidays(1964)


def test_out_of_range_arrays_ignore_nat() -> None:
    with pytest.raises(
        OutOfTableError,
        match=r"days: 2100-01-01 outside the years the Atw calendar covers \(1965–2099\)",
    ):
        is_holiday_array(["2020-01-01", None, "2100-01-01"])
    with pytest.raises(OutOfTableError, match=r"days: 1900-01-01, 1901-01-01, 1902-01-01 \(and "):
        roll_forward_array(["1900-01-01", "1901-01-01", "1902-01-01", "1903-01-01"])
    with pytest.raises(OutOfTableError, match=r"ends: 2100-01-04 outside"):
        term_end_array(["2099-12-20"], ["2100-01-04"])
    assert list(is_working_day_array([None, None])) == [False, False]


def test_custom_range() -> None:
    cal = AtwCalendar(CAL.rules, CAL.bridge_days, first_year=2020, last_year=2030)
    assert cal.holiday_array()[0] == np.datetime64("2020-01-01")
    assert cal.holiday_array()[-1] == np.datetime64("2030-12-26")
    with pytest.raises(OutOfTableError, match=r"day: 2019-12-31 is outside .*\(2020–2030\)"):
        cal.is_working_day("2019-12-31")
    with pytest.raises(TableError, match=r"first_year 2031 and last_year 2030"):
        AtwCalendar(CAL.rules, first_year=2031, last_year=2030)


# ----------------------------------------------------------------------------------------------
# with_bridge_days
# ----------------------------------------------------------------------------------------------


def test_with_bridge_days_returns_a_copy() -> None:
    extra = CAL.with_bridge_days("2029-05-11", date(2022, 5, 27))  # the second is already there
    assert extra is not CAL and not CAL.is_holiday("2029-05-11")
    assert extra.is_holiday("2029-05-11") and not extra.is_working_day("2029-05-11")
    assert dict(extra.holidays(2029))[date(2029, 5, 11)] == atw.USER_BRIDGE_DAY_NAME
    assert len(extra.bridge_days) == len(CAL.bridge_days) + 1
    assert extra.bridge_days[-1].source == "user-supplied"
    assert np.datetime64("2029-05-11") in extra.holiday_array()
    assert extra.roll_forward("2029-05-10") == date(2029, 5, 14)  # Ascension 2029 -> Monday
    assert extra.roll_forward_array(["2029-05-10"])[0] == np.datetime64("2029-05-14")
    own = BridgeDay(date(2030, 5, 31), "vrijdag na Hemelvaartsdag", "my decree", "C")
    assert CAL.with_bridge_days(own).bridge_days[-1] is own


def test_with_bridge_days_rejects_weekends_and_out_of_range_days() -> None:
    with pytest.raises(TableError, match=r"days\[0\]: 2029-05-12 is a Saturday"):
        CAL.with_bridge_days("2029-05-12")
    with pytest.raises(OutOfTableError, match=r"days\[1\]: 2100-01-04 is outside"):
        CAL.with_bridge_days("2029-05-11", "2100-01-04")


def test_decree_table_end_is_known() -> None:
    # RULES §1: no decree after 2028 is known; the calendar says where its table ends
    assert CAL.decrees_until == date(2028, 12, 31)
    assert not CAL.past_decrees("2028-12-31") and CAL.past_decrees("2029-01-01")
    assert CAL.with_bridge_days("2029-05-11").decrees_until == date(2029, 12, 31)
