"""Synthetic case tables from published aggregates.

Case-level IND data are not public; what is published are monthly or yearly inflow figures and
the size of the open stock on a few dates (``data/figures``). :func:`synthetic_open_cases` turns
those into an open-case table a projection can start from, on one explicit assumption: the IND
decides the oldest applications first (first in, first out), so the cases open on a date are
the most recent applications received up to that date. :func:`monthly_series` spreads yearly
totals over months, keeping the months that are published.

Receipt dates are spread evenly over the days of their month (the ``k``-th of ``n``
applications of a month of ``d`` days arrives on day ``floor((k + 0.5) * d / n)``), the same
rule :func:`dwangsom.project` uses for projected inflow.

>>> import pandas as pd
>>> inflow = pd.Series([300, 310], index=pd.period_range("2023-01", periods=2, freq="M"))
>>> table = synthetic_open_cases(inflow, stock=200, as_of="2023-02-28")
>>> len(table), str(table["received"].min().date()), str(table["received"].max().date())
(200, '2023-02-10', '2023-02-28')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._dates import as_date
from .errors import DwangsomError

__all__ = ["monthly_series", "spread_noise", "spread_over_days", "synthetic_open_cases"]

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]


def spread_over_days(first: Days, days: Ints, counts: Ints) -> Days:
    """Receipt (or decision) days for ``counts[i]`` events spread evenly over the ``days[i]``
    days from ``first[i]``: the ``k``-th gets ``first + floor((k + 0.5) * days / count)``.

    >>> spread_over_days(np.array(["2023-02-01"], dtype="datetime64[D]"), np.array([28]),
    ...                  np.array([4]))
    array(['2023-02-04', '2023-02-11', '2023-02-18', '2023-02-25'], dtype='datetime64[D]')
    """
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    group = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    k = np.arange(total, dtype=np.int64) - starts[group]
    offset = np.floor((k + 0.5) * days[group] / counts[group]).astype(np.int64)
    return np.asarray(first[group] + offset.astype("timedelta64[D]"), dtype="datetime64[D]")


def spread_noise(index: Ints, spread_days: int, seed: int) -> Ints:
    """Whole days in ``0..spread_days`` for each position in ``index``, the same for the same
    (position, seed) wherever it is computed (a splitmix64 hash, no random state): the noise
    a processing order with a spread adds to the receipt date (issue 8, item 3).

    >>> a = spread_noise(np.arange(4), 365, seed=1)
    >>> bool((a == spread_noise(np.arange(4), 365, seed=1)).all())
    True
    >>> bool((spread_noise(np.arange(1000), 10, 0) <= 10).all())
    True
    """
    if spread_days <= 0:
        return np.zeros(np.asarray(index).size, dtype=np.int64)
    with np.errstate(over="ignore"):
        z = np.asarray(index, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15) * np.uint64(
            seed + 1
        )
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return np.asarray(z % np.uint64(spread_days + 1), dtype=np.int64)


def _monthly(series: Any, name: str) -> pd.Series:
    """A numeric Series on a gap-free monthly PeriodIndex named ``month``."""
    if not isinstance(series, pd.Series):
        raise DwangsomError(
            f"{name}: a pandas Series indexed by month expected, got {type(series).__name__}"
        )
    index = series.index
    try:
        if isinstance(index, pd.PeriodIndex):
            months = index.asfreq("M")
        elif isinstance(index, pd.DatetimeIndex):
            months = index.to_period("M")
        else:
            months = pd.PeriodIndex([pd.Period(str(x), freq="M") for x in index], freq="M")
    except (ValueError, TypeError) as exc:
        raise DwangsomError(f"{name}: the index must be months ('2023-01'): {exc}") from None
    values = pd.to_numeric(pd.Series(series.to_numpy()), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise DwangsomError(
            f"{name}: counts must be numbers >= 0, got {series.iloc[int(np.argmax(bad))]!r} "
            f"for {months[int(np.argmax(bad))]}"
        )
    if not months.is_unique:
        raise DwangsomError(f"{name}: months appear twice: {months[months.duplicated()][0]}")
    out = pd.Series(values, index=pd.PeriodIndex(months, name="month")).sort_index()
    if len(out):
        full = pd.period_range(out.index[0], out.index[-1], freq="M", name="month")
        if len(full) != len(out):
            gap = full.difference(pd.PeriodIndex(out.index))
            raise DwangsomError(f"{name}: months missing in the series: {gap[0]} ...")
    return out


def monthly_series(
    totals: Mapping[Any, float],
    *,
    known: Mapping[Any, float] | pd.Series | None = None,
    profile: Sequence[float] | None = None,
) -> pd.Series:
    """Monthly figures from yearly ``totals``: published months (``known``) are kept, the rest
    of each year's total is spread over its other months in proportion to ``profile`` (12
    weights, January first; flat by default).

    >>> s = monthly_series({2023: 1200}, known={"2023-01": 210})
    >>> float(s["2023-01"]), round(float(s["2023-02"]), 2), float(s.sum())
    (210.0, 90.0, 1200.0)
    >>> monthly_series({2023: 100}, known={"2023-01": 210})
    Traceback (most recent call last):
    ...
    dwangsom.errors.DwangsomError: known: the published months of 2023 sum to 210, more than ...
    """
    weights = np.ones(12) if profile is None else np.asarray(profile, dtype=float)
    if weights.shape != (12,) or (weights < 0).any() or weights.sum() <= 0:
        raise DwangsomError(f"profile: 12 weights >= 0 (January first) expected, got {profile!r}")
    given: dict[pd.Period, float] = {}
    if known is not None:
        items = known.items()
        for key, value in items:
            given[pd.Period(str(key), freq="M")] = float(value)
    parts = []
    for year, total in sorted((int(y), float(t)) for y, t in totals.items()):
        months = pd.period_range(f"{year}-01", f"{year}-12", freq="M", name="month")
        fixed = np.array([given.get(m, np.nan) for m in months])
        rest = total - np.nansum(fixed)
        if rest < -1e-9:
            raise DwangsomError(
                f"known: the published months of {year} sum to {np.nansum(fixed):g}, more than "
                f"the year's total {total:g}"
            )
        free = np.isnan(fixed)
        w = np.where(free, weights, 0.0)
        if w.sum() > 0:
            fixed[free] = rest * w[free] / w.sum()
        parts.append(pd.Series(fixed, index=months))
    if not parts:
        raise DwangsomError("totals: give at least one year")
    return pd.concat(parts).rename("count")


def synthetic_open_cases(
    inflow: pd.Series,
    *,
    stock: int,
    as_of: Any,
    application_type: str = "asylum",
    id_prefix: str = "S",
    spread_days: int = 0,
    seed: int = 0,
) -> pd.DataFrame:
    """The open cases on ``as_of`` implied by monthly ``inflow`` and an open-stock total,
    assuming the oldest applications were decided first; with ``spread_days`` the order had a
    seeded spread (a case's place in the order is its receipt plus 0..``spread_days`` days of
    noise, :func:`spread_noise`), so the stock keeps old cases as a real one does.

    ``inflow`` is a Series of applications per month (a monthly PeriodIndex, or month labels
    such as ``"2023-01"``) reaching back far enough to hold ``stock`` applications; the month
    of ``as_of`` counts in proportion to its days up to ``as_of``, later months are ignored.
    Returns a case table (``case_id``, ``received``, ``application_type``) in receipt order,
    the newest ``stock`` receipts; fractional monthly counts are rounded half up.

    >>> import pandas as pd
    >>> synthetic_open_cases(pd.Series([5], index=["2023-01"]), stock=9, as_of="2023-01-31")
    Traceback (most recent call last):
    ...
    dwangsom.errors.DwangsomError: stock: 9 open cases need more applications than inflow holds ...
    """
    day = np.datetime64(as_date(as_of, "as_of"), "D")
    if isinstance(stock, bool) or not isinstance(stock, int | np.integer) or stock < 0:
        raise DwangsomError(f"stock: a whole number >= 0 expected, got {stock!r}")
    series = _monthly(inflow, "inflow")
    cut = pd.Period(str(day), freq="M")
    if not len(series) or series.index[-1] < cut:
        last = series.index[-1] if len(series) else "nothing"
        raise DwangsomError(f"inflow: runs to {last}; it must reach the month of as_of ({cut})")
    series = series[series.index <= cut]
    index = pd.PeriodIndex(series.index)
    first = index.to_timestamp(how="start").to_numpy().astype("datetime64[D]")
    ends = (index + 1).to_timestamp(how="start").to_numpy().astype("datetime64[D]")
    days = (np.minimum(ends, day + np.timedelta64(1, "D")) - first).astype(np.int64)
    full = (ends - first).astype(np.int64)
    counts = np.floor(series.to_numpy() * days / full + 0.5).astype(np.int64)
    if int(counts.sum()) < stock:
        raise DwangsomError(
            f"stock: {stock} open cases need more applications than inflow holds "
            f"({int(counts.sum())} received {series.index[0]} to {day})"
        )
    if isinstance(spread_days, bool) or not isinstance(spread_days, int) or spread_days < 0:
        raise DwangsomError(f"spread_days: a whole number >= 0 expected, got {spread_days!r}")
    every = spread_over_days(first, days, counts)
    if spread_days:
        key = every.astype(np.int64) + spread_noise(np.arange(every.size), spread_days, seed)
        keep = np.sort(np.argsort(key, kind="stable")[every.size - stock :])
        received = every[keep]
    else:
        received = every[int(counts.sum()) - stock :]
    width = max(len(str(stock)), 1)
    ids = [f"{id_prefix}{i:0{width}d}" for i in range(1, stock + 1)]
    return pd.DataFrame(
        {
            "case_id": ids,
            "received": pd.Series(received.astype("datetime64[s]")),
            "application_type": application_type,
        }
    )
