"""Hypothesis strategies for property-based tests of code that uses dwangsom.

Needs the ``hypothesis`` package (``pip install "dwangsom[test]"``). The strategies generate
case tables with realistic date chains (receipt, notice, appeal, judgment, decision in a
plausible order, with empty cells wherever an event may not have happened), single cases,
scenarios (the presets and changed copies), and deliberately broken tables.

>>> from hypothesis import given, settings
>>> import dwangsom
>>> from dwangsom.testing import cases
>>> @settings(max_examples=5, deadline=None)
... @given(cases(max_size=5))
... def test_assess_keeps_rows(table):
...     assert len(dwangsom.assess(table, as_of="2026-12-31")) == len(table)
>>> test_assess_keeps_rows()
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from ._dates import as_date
from .scenario import Scenario
from .scenario import scenarios as _presets

__all__ = ["BROKEN_CHECKS", "bad_cases", "case", "cases", "scenarios"]

_DAY = _dt.timedelta(days=1)


def _after(start: _dt.date, low: int, high: int) -> st.SearchStrategy[_dt.date]:
    return st.integers(low, high).map(lambda n: start + n * _DAY)


@st.composite
def case(
    draw: st.DrawFn,
    *,
    received_from: _dt.date = _dt.date(2014, 1, 1),
    received_to: _dt.date = _dt.date(2026, 12, 31),
) -> dict[str, Any]:
    """One valid case as a mapping of case-table columns to values (``None`` = empty).

    The events follow a realistic chain: a notice some time after receipt (sometimes
    premature), an appeal at least two weeks after the notice, a judgment after the appeal, a
    decision at any time after receipt; court terms and amounts are given only sometimes.
    """
    received = draw(st.dates(received_from, received_to))
    kind = draw(st.sampled_from(["asylum"] * 6 + ["regular", "family-reunification"]))
    notice = draw(st.none() | _after(received, 0, 900))
    appeal = draw(st.none() | _after(notice, 14, 200)) if notice else None
    judgment = draw(st.none() | _after(appeal, 20, 250)) if appeal else None
    decided = draw(st.none() | _after(received, 0, 1300))
    court = judgment is not None and draw(st.booleans())
    return {
        "received": received,
        "application_type": kind,
        "notice_received": notice,
        "appeal_filed": appeal,
        "judgment_sent": judgment,
        "court_term_days": draw(st.sampled_from([14, 56, 112])) if court else None,
        "court_per_day": draw(st.sampled_from([0, 100, 200, 250])) if court else None,
        "court_cap": draw(st.sampled_from([7500, 15000, 37500])) if court else None,
        "repeat_appeal": draw(st.booleans()) if judgment else False,
        "decided": decided,
        "applicants": draw(st.integers(1, 4)),
        "excluded": draw(st.sampled_from([False] * 9 + [True])),
        "extension_months": draw(st.sampled_from([0] * 8 + [3])),
        "nationality": draw(st.sampled_from(NATIONALITIES)),
        "heard": draw(st.booleans()) if judgment else False,
    }


#: Nationality cells :func:`case` draws: empty, codes and Dutch/English names, the moratorium
#: countries (Syria, Sudan) most often.
NATIONALITIES = (
    None, None, None, "SYR", "SDN", "Syrië", "Soedan", "sudan", "ERI", "Afghanistan", "TUR",
)  # fmt: skip


def _column(values: list[Any], style: str) -> pd.Series:
    """A date column in one of the representations users pass."""
    if style == "datetime":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
    if style == "iso":
        return pd.Series([v.isoformat() if v else None for v in values], dtype=object)
    if style == "dutch":
        return pd.Series([v.strftime("%d-%m-%Y") if v else "" for v in values], dtype=object)
    return pd.Series(values, dtype=object)  # datetime.date objects and None


_GROUP_SHARED = (
    "received", "application_type", "notice_received", "appeal_filed", "judgment_sent",
    "court_term_days", "court_per_day", "court_cap", "repeat_appeal", "heard",
)  # fmt: skip


@st.composite
def cases(
    draw: st.DrawFn, *, min_size: int = 0, max_size: int = 30, groups: bool = False
) -> pd.DataFrame:
    """A valid case table with every column, unique ``case_id`` values, a random index and
    dates as ``datetime64`` columns, ISO strings, ``dd-mm-jjjj`` strings or ``date`` objects.

    ``groups=True`` adds a ``court_group`` column: some runs of neighbouring rows become linked
    family cases sharing one court order (the first row's events), with their own decisions.
    """
    rows = draw(st.lists(case(), min_size=min_size, max_size=max_size))
    if groups:
        i = 0
        while i < len(rows):
            size = draw(st.sampled_from([1, 1, 2, 3]))
            for j in range(i, min(i + size, len(rows))):
                rows[j] = rows[j] | {k: rows[i][k] for k in _GROUP_SHARED}
                if rows[j]["decided"] is not None and rows[j]["decided"] < rows[j]["received"]:
                    rows[j]["decided"] = rows[j]["received"]
                rows[j]["court_group"] = f"G{i}" if size > 1 else None
            i += size
    frame = pd.DataFrame(
        {"case_id": [f"C{i:05d}" for i in range(len(rows))]}
        | {k: [r.get(k) for r in rows] for k in (rows[0] if rows else case_columns())}
    )
    for column in ("received", "notice_received", "appeal_filed", "judgment_sent", "decided"):
        style = draw(st.sampled_from(["datetime", "iso", "dutch", "date"]))
        frame[column] = _column(list(frame[column]), style).to_numpy()
    for column in ("court_term_days", "court_per_day", "court_cap"):
        frame[column] = pd.array(
            [None if v is None or v != v else int(v) for v in frame[column]], dtype="Int64"
        )
    frame["pass_through"] = np.arange(len(frame))
    if draw(st.booleans()):
        frame.index = pd.Index(draw(st.permutations(list(range(100, 100 + len(frame))))))
    return frame


def case_columns() -> list[str]:
    """The columns of the tables :func:`cases` generates (besides ``case_id``)."""
    return [
        "received", "application_type", "notice_received", "appeal_filed", "judgment_sent",
        "court_term_days", "court_per_day", "court_cap", "repeat_appeal", "decided",
        "applicants", "excluded", "extension_months", "nationality", "heard",
    ]  # fmt: skip


def scenarios() -> st.SearchStrategy[Scenario]:
    """The preset scenarios and changed copies of them (every open choice varied)."""
    presets = list(_presets().values())
    law = st.builds(
        lambda s, reading, cap, repeat, nareis, admin_off, court_off, pact, w26, w3, eu: s.replace(
            name=f"{s.name} (law varied)",
            moratorium_reading=reading,
            court_maximum_variant=cap,
            repeat_appeal_variant=repeat,
            nareis_nine_months_from=nareis,
            admin_penalty_abolished_from=admin_off,
            court_penalty_abolished_from=court_off,
            eu_pact_unconfirmed=pact,
            wbv_2023_26=w26,
            wbv_2023_3=w3,
            eu_pact_from=eu,
        ),
        st.sampled_from(presets),
        st.sampled_from(["extension", "suspension", "none"]),
        st.sampled_from(["norm", "low"]),
        st.sampled_from(["table", "short", "long"]),
        st.none() | st.dates(_dt.date(2023, 1, 1), _dt.date(2026, 1, 1)),
        st.none() | st.dates(_dt.date(2020, 1, 1), _dt.date(2027, 1, 1)),
        st.none() | st.dates(_dt.date(2020, 1, 1), _dt.date(2027, 1, 1)),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.sampled_from([_dt.date(2026, 6, 12), None, _dt.date(2024, 1, 1)]),
    )
    varied = st.builds(
        lambda s, offset, day, cday, covid, one, atw, atw_fix, until: s.replace(
            name=f"{s.name} (varied)",
            first_penalty_offset=offset,
            decision_day_counts=day,
            court_decision_day_counts=cday,
            suspensions=frozenset({"covid-2020"} if covid else ()),
            extension_in_one_step=one,
            atw_on_notice_term=atw,
            atw_on_fixing_term=atw_fix,
            temporary_act_until=until,
        ),
        st.sampled_from(presets),
        st.sampled_from([14, 15]),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.none() | st.dates(_dt.date(2020, 1, 1), _dt.date(2026, 1, 1)),
    )
    return st.sampled_from(presets) | varied | law


#: The validation checks :func:`bad_cases` can break.
BROKEN_CHECKS = (
    "duplicate-id",
    "missing-id",
    "not-a-date",
    "missing-date",
    "before-receipt",
    "judgment-before-appeal",
    "negative",
    "not-whole",
    "not-a-number",
    "unknown-type",
    "not-boolean",
    "out-of-table",
    "too-few-applicants",
    "unknown-nationality",
    "court-group-conflict",
)


@st.composite
def bad_cases(draw: st.DrawFn, *, max_size: int = 20) -> pd.DataFrame:
    """A case table with at least one deliberate problem (one of :data:`BROKEN_CHECKS`), and
    sometimes garbage of any type in any cell. ``validate`` must find a problem and ``assess``
    must never crash with anything but :class:`~dwangsom.errors.CaseTableError`.
    """
    table = draw(cases(min_size=1, max_size=max_size)).reset_index(drop=True)
    table = table.astype(object)
    row = draw(st.integers(0, len(table) - 1))
    check = draw(st.sampled_from(BROKEN_CHECKS))
    received = pd.Timestamp(as_date(str(table.at[row, "received"])[:10], "received"))
    if draw(st.booleans()):  # garbage of any type in any cell, before the deliberate break
        cell_row = draw(st.integers(0, len(table) - 1))
        column = draw(st.sampled_from(list(table.columns)))
        garbage: Any = draw(
            st.one_of(st.text(max_size=5), st.floats(), st.integers(), st.booleans(), st.none())
        )
        table.at[cell_row, column] = garbage
    if check == "duplicate-id" and len(table) > 1:
        other: Any = table["case_id"].iloc[(row + 1) % len(table)]
        table.at[row, "case_id"] = other
    elif check in ("duplicate-id", "missing-id"):
        table.at[row, "case_id"] = None
    elif check == "not-a-date":
        column = draw(st.sampled_from(["received", "notice_received", "decided"]))
        table.at[row, column] = draw(st.sampled_from(["31-02-2023", "yesterday", "2023/13/01"]))
    elif check == "missing-date":
        table.at[row, "received"] = None
    elif check == "before-receipt":
        table.at[row, "decided"] = (received - pd.Timedelta(days=3)).date().isoformat()
    elif check == "judgment-before-appeal":
        table.at[row, "appeal_filed"] = "2030-01-01"
        table.at[row, "judgment_sent"] = "2029-12-01"
        table.at[row, "received"] = "2025-01-01"
    elif check in ("negative", "not-whole", "not-a-number"):
        value: Any = {"negative": -100, "not-whole": 12.5, "not-a-number": "honderd"}[check]
        table.at[row, draw(st.sampled_from(["court_per_day", "court_cap", "applicants"]))] = value
    elif check == "unknown-type":
        table.at[row, "application_type"] = "tourist"
    elif check == "not-boolean":
        table.at[row, draw(st.sampled_from(["excluded", "repeat_appeal"]))] = "maybe"
    elif check == "out-of-table":
        table.at[row, "received"] = "1999-12-31"
    elif check == "too-few-applicants":
        table.at[row, "applicants"] = 0
    elif check == "unknown-nationality":
        table.at[row, "nationality"] = draw(st.sampled_from(["Atlantis", "XYZ", "Syria-ish"]))
    elif check == "court-group-conflict":
        other = (row + 1) % len(table)
        table["court_group"] = None
        table.at[row, "court_group"] = table.at[other, "court_group"] = "family-1"
        table.at[row, "court_per_day"] = 100
        table.at[other, "court_per_day"] = 250 if other != row else None
        if other == row:  # one row: a group of one cannot conflict; break heard instead
            table.at[row, "heard"] = "misschien"
    return table
