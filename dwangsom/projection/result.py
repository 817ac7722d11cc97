"""The :class:`Projection` result and the tables built from an evaluation."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd

from .._dates import as_date
from ..behaviour import Behaviour
from ..errors import DwangsomError, OrderError
from ..policies import Policy
from ..scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from ._common import (
    _MONTH0,
    _NAT,
    _PER_DRAW,
    BASES,
    MEASURES,
    PARTS,
    QUANTILES,
    Bools,
    Days,
    Floats,
    Ints,
    _month_number,
    _ordinal0,
)
from .inputs import _Book, _Horizon, _Model


def _period(value: Any, name: str) -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    try:
        return pd.Period(str(as_date(value, name))[:7], freq="M")
    except DwangsomError:
        try:
            return pd.Period(str(value), freq="M")
        except (ValueError, TypeError):
            raise DwangsomError(f"{name}: {value!r} is not a month ('2024-12') or a date") from None


def _count(value: float) -> str:
    if abs(value) < 100 and abs(value - round(value)) > 1e-9:
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _eur(value: float) -> str:
    if abs(value) >= 1e6:
        return f"EUR {value / 1e6:,.1f}m"
    return f"EUR {value:,.0f}"


@dataclasses.dataclass(frozen=True, eq=False)
class Projection:
    """The result of :func:`project`.

    ``by_month`` has one row per calendar month from the month of ``as_of`` to the month of
    ``until``; flows count only what happens after ``as_of`` (the first month is partial):
    ``inflow`` (new applications), ``capacity`` (decisions possible), ``decisions``, ``open``
    and ``overdue`` (stocks at the month's last projected day), ``notices``, ``appeals``,
    ``judgments``, ``decided_in_term`` (decisions on or before the authority's deadline),
    ``admin_accrued``/``court_accrued``/``repeat_accrued``/``total_accrued`` (euros of penalty
    days in the month; ``repeat``: repeat appeals' court penalties) and
    ``admin_cash``/``court_cash``/``repeat_cash``/``total_cash`` (euros paid in the
    month: the legal due date, Awb 4:18 and the court's payment term, plus
    ``Behaviour.payment_lag``). Expected values are float euros and float counts; round only
    for display. In Monte Carlo mode every measure has ``_p10``, ``_p50``
    and ``_p90`` columns besides the mean.

    ``cases`` has one row per case (the table's, then the new inflow ``new-YYYY-MM-NNNNN``):
    ``source`` (decided / open / new), ``application_type`` (the stream), ``received``,
    ``deadline``, ``decided`` (a date when the decision day is certain), ``decision_month``
    (the month by which the case is decided with probability at least one half; NaT if it is
    more likely open at the end), ``p_decided``, ``p_notice``, ``p_appeal``, ``p_judgment``
    (the probability that the event happens by ``until``, recorded events count as 1) and the
    expected ``admin_amount``, ``court_amount`` (repeat appeals included) and
    ``total_amount`` accrued through ``until`` (the whole case, before and after as_of).
    """

    as_of: pd.Timestamp
    until: pd.Timestamp
    scenario: Scenario
    behaviour: Behaviour
    policy: Policy
    draws: int | None
    seed: int | None
    by_month: pd.DataFrame
    cases: pd.DataFrame
    _draw_monthly: Floats | None = dataclasses.field(repr=False)
    _liability: dict[str, pd.DataFrame] = dataclasses.field(repr=False)
    #: The monthly table of each application type (stream) in the projection.
    _streams: dict[str, pd.DataFrame] = dataclasses.field(repr=False, default_factory=dict)
    #: The courts' readings and their (mean) weights; ``scenario`` is the authority's reading.
    readings: tuple[tuple[Scenario, float], ...] = ()
    reading_label: str = ""

    @property
    def streams(self) -> dict[str, pd.DataFrame]:
        """``by_month`` per application type (``inflow`` per type; ``capacity`` is the shared
        capacity): the streams add up to ``by_month``."""
        return {k: v.copy() for k, v in self._streams.items()}

    @property
    def mode(self) -> str:
        return "expected value" if self.draws is None else f"Monte Carlo, {self.draws} draws"

    def _range(self, start: Any, end: Any) -> Bools:
        months = self.by_month.index
        lo = months[0] if start is None else _period(start, "start")
        hi = months[-1] if end is None else _period(end, "end")
        if hi < lo:
            raise OrderError(f"end: {hi} is before start {lo}")
        return np.asarray((months >= lo) & (months <= hi), dtype=bool)

    @staticmethod
    def _column(basis: str, part: str) -> str:
        if basis not in BASES:
            raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
        if part not in PARTS:
            raise DwangsomError(f"part: {part!r} is not 'admin', 'court', 'repeat' or 'total'")
        return f"{part}_{basis}"

    @overload
    def total(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "repeat", "total"] = "total",
        by: None = None,
    ) -> float: ...

    @overload
    def total(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "repeat", "total"] = "total",
        by: str,
    ) -> pd.Series: ...

    def total(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "repeat", "total"] = "total",
        by: str | None = None,
    ) -> float | pd.Series:
        """Projected euros after ``as_of`` in the months ``start`` to ``end`` (inclusive; default
        the whole projection): penalty days (``basis="accrued"``) or amounts paid (``"cash"``:
        the legal due date plus ``Behaviour.payment_lag``); the mean over the draws in Monte
        Carlo mode. The same months and days as ``by_month`` and as
        ``liability_by_month(after_as_of=True)``. ``by="application_type"``: a Series per
        stream."""
        mask = self._range(start, end)
        column = self._column(basis, part)
        if by is None:
            return float(self.by_month[column].to_numpy()[mask].sum())
        if by != "application_type":
            raise DwangsomError(f"by: only 'application_type' is known, got {by!r}")
        return pd.Series(
            {k: float(v[column].to_numpy()[mask].sum()) for k, v in self._streams.items()},
            name=column,
        ).rename_axis("application_type")

    def quantiles(
        self,
        start: Any = None,
        end: Any = None,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        part: Literal["admin", "court", "repeat", "total"] = "total",
        q: Sequence[float] = QUANTILES,
    ) -> pd.Series:
        """Quantiles over the draws of :meth:`total` (Monte Carlo mode only)."""
        if self._draw_monthly is None:
            raise DwangsomError("quantiles: an expected-value projection has no draws; use draws=N")
        mask = self._range(start, end)
        column = self._column(basis, part)
        idx = {name: i for i, name in enumerate(_PER_DRAW)}
        if part == "total":
            values = (
                self._draw_monthly[:, idx[f"admin_{basis}"]]
                + self._draw_monthly[:, idx[f"court_{basis}"]]
                + self._draw_monthly[:, idx[f"repeat_{basis}"]]
            )
        else:
            values = self._draw_monthly[:, idx[column]]
        totals = values[:, mask].sum(axis=1)
        return pd.Series(
            np.quantile(totals, list(q)), index=[f"p{round(x * 100)}" for x in q], name=column
        )

    def liability_by_month(
        self, *, basis: Literal["accrued", "cash"] = "accrued", after_as_of: bool = False
    ) -> pd.DataFrame:
        """The layout of :func:`dwangsom.liability_by_month` (``admin``, ``court`` (repeat
        appeals included), ``total`` and their ``_cumulative``) over the whole life of the
        cases: the table's history and the projection together, from the first month with an
        amount through the month of ``until`` (cash may fall due later). Float euros
        (expected values). ``after_as_of=True``: the months and days :meth:`total` counts
        (after ``as_of`` through ``until``), so its ``total`` column sums to ``total()``."""
        if basis not in BASES:
            raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
        if not after_as_of:
            return self._liability[basis].copy()
        bm = self.by_month
        frame = pd.DataFrame(
            {
                "admin": bm[f"admin_{basis}"],
                "court": bm[f"court_{basis}"] + bm[f"repeat_{basis}"],
            },
            index=bm.index,
        )
        frame["total"] = frame["admin"] + frame["court"]
        for name in ("admin", "court", "total"):
            frame[f"{name}_cumulative"] = frame[name].cumsum()
        return frame

    def timeliness(self) -> pd.DataFrame:
        """Per calendar year of the projection: ``decisions``, ``decided_in_term`` (decided on
        or before the deadline the authority applies) and their ``share``, to set a policy's
        ``spread_days`` from published timeliness (65% decided within 15 months in 2023, 57% in
        2024, shared/FORECAST.md)."""
        bm = self.by_month[["decisions", "decided_in_term"]]
        years = bm.groupby(pd.PeriodIndex(bm.index).year).sum()
        years.index.name = "year"
        years["share"] = years["decided_in_term"] / years["decisions"].where(years["decisions"] > 0)
        return years

    def plot(
        self,
        *,
        basis: Literal["accrued", "cash"] = "accrued",
        ax: Axes | None = None,
        title: str | None = None,
    ) -> Figure:
        """Monthly projected penalties with the P10-P90 band in Monte Carlo mode (needs
        matplotlib: ``pip install "dwangsom[plot]"``)."""
        from ..plotting import plot_projection

        column = self._column(basis, "total")
        frame = pd.DataFrame({"expected" if self.draws is None else "mean": self.by_month[column]})
        if self.draws is not None:
            for q in (10, 90):
                frame[f"p{q}"] = self.by_month[f"{column}_p{q}"]
        label = "penalty days" if basis == "accrued" else "amounts falling due"
        return plot_projection(
            frame, ax=ax,
            title=title or f"Projected penalties per month ({label}), "
            f"{self.scenario.name}, {self.policy!r}",
        )  # fmt: skip

    def summary(self) -> pd.DataFrame:
        """The headline figures as a tidy table (one row per measure, as lifelines'
        ``summary``): ``value`` in whole euros (rounded half to even) or whole cases, its
        ``unit``, and in Monte Carlo mode the ``p10``/``p50``/``p90`` of the euro totals.
        Euro rows count the months after ``as_of`` through ``until`` (as :meth:`total`)."""
        head = self._headline()
        rows = []
        for key, value in head.items():
            if key in ("scenario", "policy") or key.rsplit("_", 1)[-1] in ("p10", "p50", "p90"):
                continue
            euros = key.endswith(("_accrued", "_cash"))
            row: dict[str, Any] = {
                "measure": key,
                "value": round(float(value)),
                "unit": "EUR" if euros else "cases",
            }
            if self.draws is not None:
                for q in ("p10", "p50", "p90"):
                    band = head.get(f"{key}_{q}")
                    row[q] = pd.NA if band is None else round(float(band))
            rows.append(row)
        frame = pd.DataFrame(rows).set_index("measure")
        frame["value"] = frame["value"].astype("int64")
        for q in ("p10", "p50", "p90"):
            if q in frame.columns:
                frame[q] = frame[q].astype("Int64")
        frame.attrs.update(
            scenario=self.reading_label or self.scenario.name,
            policy=repr(self.policy),
            as_of=str(self.as_of.date()),
            until=str(self.until.date()),
            mode=self.mode,
        )
        return frame

    def _headline(self) -> dict[str, Any]:
        """The headline figures (what ``str()`` and :func:`compare_projections` show)."""
        bm = self.by_month
        out: dict[str, Any] = {
            "scenario": self.reading_label or self.scenario.name,
            "policy": repr(self.policy),
            "open_at_start": float((self.cases["source"] == "open").sum()),
            "inflow": float(bm["inflow"].sum()),
            "decisions": float(bm["decisions"].sum()),
            "decided_in_term": float(bm["decided_in_term"].sum()),
            "open_at_end": float(bm["open"].iloc[-1]),
            "overdue_at_end": float(bm["overdue"].iloc[-1]),
            "notices": float(bm["notices"].sum()),
            "appeals": float(bm["appeals"].sum()),
            "judgments": float(bm["judgments"].sum()),
        }
        for basis in BASES:
            for part in PARTS:
                out[f"{part}_{basis}"] = self.total(basis=basis, part=part)
        if self.draws is not None:
            for basis in BASES:
                qs = self.quantiles(basis=basis)
                for k, v in qs.items():
                    out[f"total_{basis}_{k}"] = float(v)
        return out

    def __str__(self) -> str:
        s = self._headline()
        head = (
            f"Projection {self.as_of.date()} -> {self.until.date()} ({self.mode}), scenario "
            f"{(self.reading_label or self.scenario.name)!r}, policy {self.policy!r}"
        )
        lines = [
            head,
            f"  cases: {s['open_at_start']:,.0f} open on {self.as_of.date()}, "
            f"{s['inflow']:,.0f} new, {s['decisions']:,.0f} decided; "
            f"{s['open_at_end']:,.0f} open at the end ({s['overdue_at_end']:,.0f} overdue)",
            f"  events: {_count(s['notices'])} notices, {_count(s['appeals'])} appeals, "
            f"{_count(s['judgments'])} judgments",
        ]
        for basis, label in (("accrued", "penalty days"), ("cash", "falling due")):
            band = ""
            if self.draws is not None:
                band = (
                    f" (P10 {_eur(s[f'total_{basis}_p10'])}, P90 {_eur(s[f'total_{basis}_p90'])})"
                )
            lines.append(
                f"  {label}: {_eur(s[f'total_{basis}'])}{band} = admin "
                f"{_eur(s[f'admin_{basis}'])} + court {_eur(s[f'court_{basis}'])}"
            )
        by_year = self.by_month[["decisions", "open", "total_accrued", "total_cash"]].copy()
        years = by_year.groupby(pd.PeriodIndex(by_year.index).year).agg(
            {"decisions": "sum", "open": "last", "total_accrued": "sum", "total_cash": "sum"}
        )
        lines.append("  per year (after as_of):")
        for year, row in years.iterrows():
            lines.append(
                f"    {year}: {row['decisions']:>10,.0f} decisions, {row['open']:>10,.0f} open "
                f"at year end, accrued {_eur(row['total_accrued'])}, due "
                f"{_eur(row['total_cash'])}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<Projection {self.as_of.date()}->{self.until.date()} {self.mode}, "
            f"{self.scenario.name}, {self.policy!r}: EUR {self.total():,.0f} accrued>"
        )

    def _repr_html_(self) -> str:
        text = html.escape(str(self).split("\n  per year")[0]).replace("\n", "<br>")
        columns = [
            "decisions",
            "open",
            "overdue",
            "notices",
            "appeals",
            "judgments",
            "total_accrued",
            "total_cash",
        ]
        table = (
            self.by_month[columns].round(0).to_html(float_format=lambda v: f"{v:,.0f}", border=0)
        )
        return f"<div><p>{text}</p>{table}</div>"


def _liability_tables(
    accrued: Floats, cash: Floats, span: tuple[int, int], until: pd.Period
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for basis, values in (("accrued", accrued), ("cash", cash)):
        total = values.sum(axis=0)
        nz = np.flatnonzero(np.abs(total) > 1e-9) if values.size else np.array([], int)
        cut = int(until.ordinal) - _ordinal0() - span[0]
        lo = int(nz.min()) if nz.size else cut
        hi = max(int(nz.max()) if nz.size else cut, cut)
        first = pd.Period(ordinal=span[0] + lo + _ordinal0(), freq="M")
        index = pd.period_range(first, periods=hi - lo + 1, freq="M", name="month")
        frame = pd.DataFrame(
            {"admin": values[0, lo : hi + 1], "court": values[1, lo : hi + 1]}, index=index
        )
        frame["total"] = frame["admin"] + frame["court"]
        for name in ("admin", "court", "total"):
            frame[f"{name}_cumulative"] = frame[name].cumsum()
        out[basis] = frame
    return out


def _cases_frame(
    model: _Model, per_case: Floats, hist: Floats, decided: Days | None
) -> pd.DataFrame:
    bk, h = model.book, model.h
    n, m = bk.n, h.m
    ids = bk.ids.copy()
    new = np.flatnonzero(bk.source == "new")
    if new.size:
        labels = pd.Series(h.months.astype(str)[bk.entry[new]])
        k = pd.Series(np.arange(new.size) + 1).astype(str).str.zfill(5)
        ids[new] = ("new-" + labels + "-" + k).to_numpy(dtype=object)
    p_decided = hist[:, : m + 1].sum(axis=1)
    cum = np.cumsum(hist[:, 1 : m + 1], axis=1)
    first = np.argmax(cum >= 0.5 - 1e-9, axis=1)
    reached = cum[:, -1] >= 0.5 - 1e-9 if m else np.zeros(n, dtype=bool)
    closed = bk.source == "decided"
    nat = np.iinfo(np.int64).min
    ordinals = np.where(reached, int(h.months[0].ordinal) + first, nat)
    past = _month_number(np.where(closed, bk.decided, h.as_of)) + _ordinal0()
    ordinals = np.where(closed, past, ordinals)
    month = pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]  # not in pandas-stubs
        ordinals, freq="M"
    )
    if decided is None:
        decided = np.where(closed, bk.decided, _NAT)
    frame = pd.DataFrame({
        "case_id": ids,
        "source": bk.source,
        "application_type": pd.Categorical.from_codes(bk.type_code, pd.Index(bk.type_names)),
        "received": bk.received.astype("datetime64[s]"),
        "deadline": bk.deadline.astype("datetime64[s]"),
        "decided": decided.astype("datetime64[s]"),
        "decision_month": month,
        "p_decided": p_decided,
        "p_notice": per_case[2],
        "p_appeal": per_case[3],
        "p_judgment": per_case[4],
        "admin_amount": per_case[0],
        "court_amount": per_case[1],
        "total_amount": per_case[0] + per_case[1],
    })  # fmt: skip
    return frame


def _span(bk: _Book, h: _Horizon, s: Scenario, model_payment_lag: int = 0) -> tuple[int, int]:
    lo = int(_month_number(bk.received.min(keepdims=True))[0]) if bk.n else _MONTH0
    lag = max(s.fixing_days + s.payment_days, s.court_payment_days) + 31
    lag += max(model_payment_lag, 0)
    hi_day = h.until + np.timedelta64(lag, "D")
    hi = int(hi_day.astype("datetime64[M]").astype(np.int64))
    return lo, hi


def _frame(h: _Horizon, inflow: Ints, caps: Ints, monthly: Floats) -> pd.DataFrame:
    data: dict[str, Any] = {"inflow": inflow.astype(float), "capacity": caps.astype(float)}
    for i, name in enumerate(_PER_DRAW):
        data[name] = monthly[i]
    frame = pd.DataFrame(data, index=h.months)
    for basis in BASES:
        frame[f"total_{basis}"] = (
            frame[f"admin_{basis}"] + frame[f"court_{basis}"] + frame[f"repeat_{basis}"]
        )
    return frame[["inflow", "capacity", *MEASURES]]
