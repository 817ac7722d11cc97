"""The three backtest settings, each a function that returns its inputs (:class:`Setting`).

A setting is rebuilt from the published figures (``data/figures/dated/observations.csv`` through
:func:`dwangsom.calibration.published`, and the letter's own figures through
:mod:`dwangsom.examples`), and every input goes through the same publication filter as the
observations: only figures published on or before the setting's information date
(``known_by``) are read. Two dates are kept apart:

- ``reference``: the day whose situation the forecast starts from (31 Jan 2020, 16 Feb 2023,
  31 Dec 2023);
- ``known_by``: the day the forecaster could know it. For 2023 it is the reference date. For
  2020 and 2024 the figures that describe the reference date were published later (the 8,900
  overdue cases of 31 Jan 2020 in the letter of 3 Mar 2020; the stocks of 31 Dec 2023 in the IND
  annual figures of 2 Feb 2024), so the forecast is the one that could have been made on that
  later day. Nothing paid in the scored years was public by then.

The parameters a setting fits, the ones it fixes (with value, source and the date of the
source) and the assumptions it makes are part of the returned :class:`Setting`; the docs page
``docs/forecasts.md`` lists them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..behaviour import Behaviour
from ..calibration import Hindcast, Parameter, known, published
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..synthetic import monthly_series, synthetic_open_cases

__all__ = ["SETTINGS", "Fixed", "Setting", "setting"]


@dataclasses.dataclass(frozen=True)
class Fixed:
    """A parameter the setting does not fit: its value, where it comes from and the date of that
    source; ``known`` says whether the source was public by the setting's ``known_by``."""

    name: str
    value: str
    source: str
    dated: str
    known: bool


@dataclasses.dataclass(frozen=True)
class Setting:
    """A backtest's inputs. ``hindcast`` is the calibration model (window ``start`` to
    ``known_by``); ``forecast`` the same inputs run on to the end of the second scored year;
    ``readings`` the legal readings scored, by label; ``weights``: how the readings combine into
    the setting's own forecast (``{label: probability}``)."""

    name: str
    reference: pd.Timestamp
    known_by: pd.Timestamp
    description: str
    hindcast: Hindcast
    forecast: Hindcast
    observations: pd.DataFrame
    parameters: tuple[Parameter, ...]
    fixed: tuple[Fixed, ...]
    readings: Mapping[str, Scenario]
    weights: Mapping[str, float]
    years: tuple[int, int]
    assumptions: tuple[str, ...]
    scale: float

    @property
    def forecast_start(self) -> pd.Timestamp:
        """First day the forecast projection covers (the day after its start)."""
        return pd.Timestamp(str(self.forecast.start)) + pd.Timedelta(days=1)


def _table() -> pd.DataFrame:
    return published()


def _select(table: pd.DataFrame, rules: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """The rows of (measure, stream) whose period lies in [lo, hi] - chosen by what they
    describe, never by their value or publication day (the calibration filters by day)."""
    masks = []
    for measure, stream, lo, hi in rules:
        masks.append(
            (table["measure"] == measure)
            & (table["stream"] == stream)
            & (table["period_start"] >= pd.Timestamp(lo))
            & (table["period_end"] <= pd.Timestamp(hi))
        )
    return table[np.logical_or.reduce(masks)]


def _first_applications(known_rows: pd.DataFrame, years: list[int]) -> pd.Series:
    """Monthly first asylum applications from the rows known: a year's total with its published
    months kept and the rest spread evenly (:func:`dwangsom.monthly_series`)."""
    rows = known_rows[
        (known_rows["measure"] == "first_applications") & (known_rows["stream"] == "asylum")
    ]
    totals: dict[int, float] = {}
    months: dict[str, float] = {}
    for _, r in rows.iterrows():
        start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
        if start.year not in years:
            continue
        if start.month == 1 and end.month == 12 and start.year == end.year:
            totals[start.year] = float(r["value"])
        elif start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and start.month == end.month:
            months[f"{start:%Y-%m}"] = float(r["value"])
    missing = [y for y in years if y not in totals]
    if missing:
        raise KeyError(f"no known yearly first-application total for {missing}")
    return monthly_series(totals, known={m: v for m, v in months.items() if int(m[:4]) in totals})


def _value(known_rows: pd.DataFrame, measure: str, stream: str, end: str) -> float:
    rows = known_rows[
        (known_rows["measure"] == measure)
        & (known_rows["stream"] == stream)
        & (known_rows["period_end"] == pd.Timestamp(end))
    ]
    if len(rows) != 1:
        raise KeyError(f"{measure} {stream} {end}: {len(rows)} known rows, expected 1")
    return float(rows["value"].iloc[0])


def _monthly(value_per_year: float, start: str, end: str, scale: float) -> pd.Series:
    months = pd.period_range(start, end, freq="M", name="month")
    return pd.Series(value_per_year / 12 * scale, index=months)


#: The Behaviour fields a setting lists as fixed when it does not fit them (the court's term,
#: rate and cap come from the scenario's court-practice table, RULES §6).
_BEHAVIOUR_FIELDS = (
    "notice_share", "appeal_share", "notice_lag", "appeal_lag", "judgment_lag",
    "court_compliance", "premature_notice_share", "repeat_appeal_share", "repeat_appeal_lag",
    "payment_lag",
)  # fmt: skip


def _fixed_except(fitted: tuple[str, ...], known_by: str) -> tuple[Fixed, ...]:
    """Every Behaviour field of :data:`_BEHAVIOUR_FIELDS` the setting does not fit."""
    names = tuple(n for n in _BEHAVIOUR_FIELDS if n not in fitted and hasattr(Behaviour(), n))
    return _behaviour_fixed(names, known_by)


def _behaviour_fixed(names: tuple[str, ...], known_by: str) -> tuple[Fixed, ...]:
    """The Behaviour defaults a setting keeps, with their sources (``Behaviour.sources()``) and
    the date of the figure they come from (the letter of 13 Jul 2023 for the appeal share; the
    answer of 8 Mar 2023 for the notice share; the statute or an assumption otherwise)."""
    b = Behaviour()
    src = Behaviour.sources()
    dated = {
        "notice_share": "2023-03-08",
        "appeal_share": "2023-07-13",
        "notice_lag": "assumption",
        "appeal_lag": "assumption",
        "judgment_lag": "statute (Awb 8:55b)",
        "court_compliance": "assumption",
        "premature_notice_share": "assumption",
        "repeat_appeal_share": "assumption",
        "repeat_appeal_lag": "assumption",
        "payment_lag": "assumption",
    }
    out = []
    for name in names:
        day = dated.get(name, "")
        is_known = not day[:4].isdigit() or day <= known_by
        out.append(Fixed(name, repr(getattr(b, name)), src.get(name, ""), day, is_known))
    return tuple(out)


# --- 2023: the July 2023 letter's setting ----------------------------------------------------


def setting_2023(scale: float = 1.0) -> Setting:
    """Reference 16 Feb 2023, the July 2023 letter's setting (Kamerstuk 19 637 nr. 3156).

    Hindcast window: 1 Jan 2022 - 16 Feb 2023, from the 20,400 open asylum applications on
    1 Jan 2022 (IND news 4 Nov 2022) rebuilt oldest-first from the 2021 first applications; the
    2022 first applications as inflow; 2022 decisions 20,400 + 35,535 - 35,790 = 20,145
    (stock-flow, the end-2022 stock of the 2022 annual figures, 2 Feb 2023). From 2023 the
    letter's own plan: the most likely inflow (70,000, share of first applications 0.731) and
    22,184 planned decisions plus 13,000 project decisions May 2023 - Apr 2024
    (:mod:`dwangsom.examples.letter_2023`); those figures were published with the letter on
    13 Jul 2023 but are stated as its basis on 16 Feb 2023 (the ministry's own plan).
    Fitted: ``notice_share`` to the 19,830 notices of 2022 (published 2 Feb 2023); the monthly
    split (published 8 Mar 2023) is after the reference date and is not used.
    """
    from ..examples import letter_2023 as letter

    reference, known_by = "2023-02-16", "2023-02-16"
    table = _table()
    k = known(table, known_by)
    start = "2021-12-31"
    stock0 = _value(k, "open", "asylum", "2022-01-01")
    stock1 = _value(k, "open", "asylum", "2022-12-31")
    history = _first_applications(k, [2021])
    cases = synthetic_open_cases(history * scale, stock=round(stock0 * scale), as_of=start)
    inflow22 = _first_applications(k, [2022])
    decisions22 = stock0 + float(inflow22.sum()) - stock1
    until = "2024-12-31"
    future = letter.inflow("most_likely", scale, until)
    jan = pd.period_range("2023-01", periods=1, freq="M")
    jan23 = pd.Series([float(future.iloc[0])], index=jan)
    inflow = pd.concat([inflow22 * scale, jan23, future.loc["2023-02":]])
    inflow.index.name = "month"
    plan = letter.reference()["planned_decisions"]
    capacity = [
        pd.concat([_monthly(decisions22, "2022-01", "2022-12", scale),
                   _monthly(plan, "2023-01", until[:7], scale)]),
        letter.capacity(scale, until)[1],
    ]  # fmt: skip
    rules = [("notices", "all", "2022-01-01", known_by)]
    readings = {"as-applied": _scenario("as-applied"),
                "extensions-void": _scenario("extensions-void")}  # fmt: skip
    weights = {"as-applied": 1.0, "extensions-void": 0.0}
    base = Hindcast(
        cases, start=start, until=known_by, inflow=inflow, capacity=capacity, policy="fifo",
        scale=scale, stands_for={"all": "asylum"}, catch_up="exclude", readings=readings,
        weights=weights, authority=next(iter(readings.values())),
    )  # fmt: skip
    return Setting(
        name="2023", reference=pd.Timestamp(reference), known_by=pd.Timestamp(known_by),
        description="July 2023 letter (Kamerstuk 19 637 nr. 3156), reference 16 Feb 2023",
        hindcast=base, forecast=dataclasses.replace(base, until=until),
        observations=_select(table, rules),
        parameters=(Parameter("notice_share", 0.9, 0.05, 1.0,
                              "start: a round value below the default 0.98; bounds 0.05..1"),),
        fixed=_fixed_except(("notice_share",), known_by),
        readings=readings, weights=weights, years=(2023, 2024),
        assumptions=(
            "Only the asylum stream is modelled; the IND's notices of all application types are "
            "taken as asylum notices (as the Behaviour default does), and what was paid for "
            "family reunification and regular applications (EUR 1M+ a year) is not projected.",
            "The stock of 1 Jan 2022 is the newest 20,400 first applications (oldest decided "
            "first); FIFO decides in receipt order.",
            "The letter's forecast inputs (inflow, capacity plan) are used as stated for "
            "16 Feb 2023, although published on 13 Jul 2023.",
            "The letter's 4,000 open BNTB appeals are not placed on the stock: the hindcast "
            "generates its own appeals from 1 Jan 2022 with the behaviour.",
        ),
        scale=scale,
    )  # fmt: skip


# --- 2024: reference 31 Dec 2023 --------------------------------------------------------------


def _reading_2024(name: str) -> Scenario:
    s = _scenario(name)
    if name == "as-applied":
        return s.replace(
            name="as-known-end-2023",
            description="as-applied with WBV 2023/26 in force (its June 2025 withdrawal unknown)",
            extensions=frozenset({"WBV 2022/22", "WBV 2023/3", "WBV 2023/26"}),
        )
    return s


def setting_2024(scale: float = 1.0) -> Setting:
    """Reference 31 Dec 2023, information of 2 Feb 2024 (IND annual figures 2023).

    Hindcast window: 1 Jan 2022 - 2 Feb 2024 from the same rebuilt stock of 1 Jan 2022; inflow
    2022 and 2023 first applications (35,535; 38,000); decisions 2022 by stock-flow (20,145) and
    2023 likewise (35,790 + 38,000 - 50,000 = 23,790). 2024-2025: the 2023 inflow and decisions
    continue (assumption: no published plan in the figures). The legal reading as known at the
    end of 2023: WBV 2022/22, 2023/3 and 2023/26 extend the term ("as-known-end-2023"),
    against "extensions-void" for the courts (the authority decides under the first). Fitted:
    ``notice_share`` and ``premature_notice_share`` (applicants giving notice after six months
    despite the extension) to the notices of 2022 (yearly and monthly) and of 2023 (28,670), and
    the weight of "extensions-void" (``void_weight``, start 0.5: courts were divided) with them
    to the payments of 2022 and 2023 (all application types, taken as asylum: an upward bias),
    with the asylum stock on 30 Jun 2023 as a check on the flows; and the spread in the
    decision order (``spread_days``: FIFO with seeded noise) to the 65% decided within 15 months
    in 2023 (IND annual figures, 2 Feb 2024).
    """
    reference, known_by = "2023-12-31", "2024-02-02"
    table = _table()
    k = known(table, known_by)
    start = "2021-12-31"
    stock0 = _value(k, "open", "asylum", "2022-01-01")
    stock1 = _value(k, "open", "asylum", "2022-12-31")
    stock2 = _value(k, "open", "asylum", "2023-12-31")
    history = _first_applications(k, [2021])
    cases = synthetic_open_cases(history * scale, stock=round(stock0 * scale), as_of=start)
    inflow_known = _first_applications(k, [2022, 2023])
    until = "2025-12-31"
    rate23 = float(inflow_known.loc["2023-01":"2023-12"].sum())
    inflow = pd.concat([inflow_known, _monthly(rate23, "2024-01", until[:7], 1.0)]) * scale
    inflow.index.name = "month"
    d22 = stock0 + float(inflow_known.loc["2022-01":"2022-12"].sum()) - stock1
    d23 = stock1 + rate23 - stock2
    capacity = pd.concat([
        _monthly(d22, "2022-01", "2022-12", scale), _monthly(d23, "2023-01", until[:7], scale),
    ])  # fmt: skip
    readings = {"as-applied": _reading_2024("as-applied"),
                "extensions-void": _reading_2024("extensions-void")}  # fmt: skip
    rules = [
        ("notices", "all", "2022-01-01", "2023-12-31"),
        ("open", "asylum", "2023-06-30", "2023-06-30"),
        ("cash", "all", "2022-01-01", "2023-12-31"),
        ("decided_within_term_share", "asylum", "2023-01-01", "2023-12-31"),
    ]
    weights = {"as-applied": 0.5, "extensions-void": 0.5}
    base = Hindcast(
        cases, start=start, until=known_by, inflow=inflow, capacity=capacity, policy="fifo",
        scale=scale, stands_for={"all": "asylum"}, catch_up="exclude", readings=readings,
        weights=weights, authority=next(iter(readings.values())),
    )  # fmt: skip
    return Setting(
        name="2024", reference=pd.Timestamp(reference), known_by=pd.Timestamp(known_by),
        description="reference 31 Dec 2023 (information of the IND annual figures, 2 Feb 2024)",
        hindcast=base, forecast=dataclasses.replace(base, until=until),
        observations=_select(table, rules),
        parameters=(
            Parameter("notice_share", 0.9, 0.05, 1.0, "start: a round value; bounds 0.05..1"),
            Parameter("premature_notice_share", 0.3, 0.0, 1.0,
                      "start: 0.3; applicants giving notice after six months despite the "
                      "extension (IND news 13 Feb 2023: part of the notices came too early)"),
            Parameter("void_weight", 0.5, 0.0, 1.0,
                      "start: 0.5 (courts divided); the issue's legal-reading weight"),
            Parameter("spread_days", 200.0, 0.0, 720.0,
                      "start: 200 days of noise on FIFO; fitted to the 65% decided within "
                      "15 months in 2023; bounds 0..720", step=10.0),
        ),
        fixed=_fixed_except(("notice_share", "premature_notice_share"), known_by),
        readings=readings, weights=weights,
        years=(2024, 2025),
        assumptions=(
            "Only the asylum stream is modelled (27,000 family-reunification cases open at the "
            "end of 2023 are not).",
            "2024-2025 inflow and decisions as in 2023.",
            "The readings are weighted on the model's values; with FIFO by receipt the decision "
            "dates do not depend on the reading, so the weighted values are exact.",
            "A first version of this setting fixed the weight at 0.5 (scored -82% for 2024+2025 "
            "before the weight was fitted); fitting it is the issue's own parameter list, not a "
            "choice made after that score.",
            "The 2023 notice count changed registration in Sep 2023 (IND); used as published.",
        ),
        scale=scale,
    )  # fmt: skip


# --- 2020: reference 31 Jan 2020 --------------------------------------------------------------


def setting_2020(scale: float = 1.0) -> Setting:
    """Reference 31 Jan 2020, information of the letter of 3 Mar 2020 (NOS 2325591).

    Hindcast window: 1 Jan 2019 - 3 Mar 2020. The stock on 1 Jan 2019 is every first application
    received in the second half of 2018 (CBS 2018: 20,510; assumption: none of them decided yet
    and no older case open, so nothing is overdue at the start and no notice needs a catch-up).
    Inflow: the 2019 first applications (about 22,510, with 5,405 in the first quarter); from
    2020 the 2019 rate. Decisions: the 2019 inflow rate times ``capacity_factor``, fitted (the
    decisions of 2019 are not in the figures known by then) to the 8,900 cases past their term on
    31 Jan 2020; from Feb 2020 the same pace (assumption: the letter promises that new
    applications are decided within the term and a task force for the old ones, without a
    number). ``notice_share`` and ``appeal_share`` are fitted with it to the EUR 6.6M paid in
    2019 (NRC, 1 Mar 2020), the 60% of overdue applicants claiming and the accrual of about
    EUR 1M a week (letter of March 2020). Readings: the law as it stood on 3 Mar 2020
    ("no-temporary-act": the Temporary Act of 10 Jul 2020 was not known) and, for comparison,
    with the Act ("as-applied").
    """
    reference, known_by = "2020-01-31", "2020-03-03"
    table = _table()
    k = known(table, known_by)
    yearly = _first_applications(k, [2018, 2019])
    rate = float(yearly.loc["2019-01":"2019-12"].sum())
    start = "2018-12-31"
    history = yearly.loc[:"2018-12"]
    stock = round(float(history.loc["2018-07":"2018-12"].sum()) * scale)
    cases = synthetic_open_cases(history * scale, stock=stock, as_of=start)
    until = "2021-12-31"
    inflow = pd.concat([yearly.loc["2019-01":"2019-12"], _monthly(rate, "2020-01", until[:7], 1.0)])
    inflow = inflow * scale
    inflow.index.name = "month"
    capacity = _monthly(rate, "2019-01", until[:7], scale)
    readings = {"no-temporary-act": _scenario("no-temporary-act"),
                "with the Temporary Act": _scenario("as-applied")}  # fmt: skip
    rules = [
        ("overdue", "asylum", reference, reference),
        ("cash", "all", "2019-01-01", "2019-12-31"),
        ("claiming_share", "asylum", reference, known_by),
        ("accrual_per_week", "all", "2020-02-01", known_by),
    ]
    weights = {"no-temporary-act": 1.0, "with the Temporary Act": 0.0}
    base = Hindcast(
        cases, start=start, until=known_by, inflow=inflow, capacity=capacity,
        policy="fifo", scale=scale, stands_for={"all": "asylum"}, readings=readings,
        weights=weights, authority=next(iter(readings.values())),
    )  # fmt: skip
    return Setting(
        name="2020", reference=pd.Timestamp(reference), known_by=pd.Timestamp(known_by),
        description="reference 31 Jan 2020 (information of the letter of 3 Mar 2020)",
        hindcast=base, forecast=dataclasses.replace(base, until=until),
        observations=_select(table, rules),
        parameters=(
            Parameter("notice_share", 0.5, 0.05, 1.0, "start: 0.5; bounds 0.05..1"),
            Parameter("appeal_share", 0.2, 0.01, 0.9, "start: the Behaviour default"),
            Parameter("capacity_factor", 0.85, 0.5, 1.5,
                      "start: 0.85 of the 2019 inflow rate (at 1.0 no case is overdue and the "
                      "fit has no slope); bounds x0.5..x1.5", step=0.01),
        ),
        fixed=_fixed_except(("notice_share", "appeal_share"), known_by),
        readings=readings, weights=weights, years=(2020, 2021),
        assumptions=(
            "Only asylum; the EUR 6.6M paid in 2019 and the accrual of EUR 1M a week (all "
            "application types) are taken as asylum amounts.",
            "No case older than six months was open on 1 Jan 2019 (the backlog of 2020 is "
            "built by the 2019 decisions falling short of the inflow).",
            "The 2020 payments are scored from 1 Jan to 15 Dec 2020 (the EUR 13M were paid up "
            "to mid-December).",
            "Cash is the legal due date; what was paid in 2021 for obligations of 2020 "
            "(payment arrears) is not modelled.",
        ),
        scale=scale,
    )  # fmt: skip


#: The named settings: name -> function(scale) -> Setting.
SETTINGS: dict[str, Callable[..., Setting]] = {
    "2020": setting_2020,
    "2023": setting_2023,
    "2024": setting_2024,
}


def setting(name: str, scale: float = 1.0, **kw: Any) -> Setting:
    """The named setting (``"2020"``, ``"2023"``, ``"2024"``) at ``scale``."""
    if name not in SETTINGS:
        from ..errors import DwangsomError

        raise DwangsomError(f"backtest: unknown setting {name!r}; known: {', '.join(SETTINGS)}")
    return SETTINGS[name](scale, **kw)
