"""The administrative penalty over arrays, Awb 4:17-4:18 (RULES §4-5;
:mod:`dwangsom.rules.admin`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..errors import DwangsomError, MissingDateError, OutOfTableError
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .accrual import _blocked_days, _stopped
from .base import (
    _LAST_INT,
    _ONE,
    NAT,
    Bools,
    Days,
    Ints,
    _cached,
    _cut_ints,
    _day_index,
    _day_int,
    _first_values,
    _ints_of,
    _nat_unless,
    _repeated,
    _zero_unless,
)
from .inputs import (
    _bools,
    _check_after,
    _check_received,
    _days,
    _ints,
    _no_day,
    _shared_days,
    _Types,
    _types,
    nationality_codes,
)
from .notice import _calendar_end, _notice_counts, _two_weeks_end
from .periods import _checked_period_index
from .term import _term_arrays

__all__ = [
    "AdminArrays",
    "admin_arrays",
    "administrative_penalty",
]


@dataclasses.dataclass(frozen=True)
class AdminArrays:
    """Per-case arrays of the administrative penalty (fields as in
    :class:`dwangsom.rules.AdminDetail`)."""

    deadline: Days
    extension_months: Ints
    notice_valid: Bools
    first_day: Days
    barred: Bools
    days: Ints
    last_day: Days
    amount: Ints
    final: Bools
    fixed_by: Days
    payable_by: Days
    #: Daily amounts per case (columns rate 1, rate 2, rate 3, band days); zeros where none.
    rates: Ints = dataclasses.field(repr=False)
    #: Suspension windows (first day, last day, applies-per-case) skipped when counting days.
    windows: tuple[tuple[np.datetime64, np.datetime64, Bools], ...] = dataclasses.field(
        repr=False, default=()
    )
    #: The term without a moratorium; the first day of the moratorium that changed it (NaT: none).
    base_deadline: Days = dataclasses.field(default_factory=lambda: np.array([], "M8[D]"))
    moratorium_first: Days = dataclasses.field(default_factory=lambda: np.array([], "M8[D]"))
    #: The 21-month limit cut the moratorium short; bill 36 349's nareis term applies.
    capped: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    nareis_bill: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    #: Flags of :data:`dwangsom.rules.FLAGS`, one boolean array each.
    regime_unconfirmed: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    notice_kept: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    past_calendar: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))

    def accrued_through(self, day: Any) -> Ints:
        """Euros accrued by the end of ``day`` (a date or one per case): the same counting as
        ``amount`` with the cut-off at ``day``. Used to put penalty days in their months.

        >>> a = admin_arrays(["2024-06-03"], ["2025-01-06"], ["2025-03-31"],
        ...                  application_type="regular")
        >>> int(a.amount[0]), int(a.accrued_through(np.datetime64("2025-01-31"))[0])
        (1442, 253)
        """
        t = _cut_ints(day)
        # as integers; a case without penalty days gets garbage here, and 0 from the clip
        first = _ints_of(self.first_day)
        last = np.minimum(_ints_of(self.last_day), t)
        count = last - first
        count += 1
        for a, b, applies in self.windows:
            lo = np.maximum(int(a.astype(np.int64)), first)
            overlap = np.minimum(int(b.astype(np.int64)), last) - lo + 1
            count -= _zero_unless(np.maximum(overlap, 0, out=overlap), applies)
        count = np.clip(count, 0, self.days, out=count)
        band = self.rates[:, 3]
        return np.asarray(
            sum(np.clip(count - k * band, 0, band) * self.rates[:, k] for k in range(3)),
            dtype=np.int64,
        )


def admin_arrays(
    received: Any,
    notice_received: Any = None,
    decided: Any = None,
    *,
    as_of: Any = None,
    application_type: Any = "asylum",
    applicants: Any = None,
    excluded: Any = None,
    scenario: Scenario | str | None = None,
    extension_months: Any = None,
    nationality: Any = None,
) -> AdminArrays:
    """Every step of the administrative penalty, vectorized (see
    :func:`dwangsom.rules.admin_detail`)."""
    s = _scenario(scenario)
    r = _days(received, "received")
    n = r.size
    _check_received(r)
    notice = _days(notice_received, "notice_received", n)
    done = _days(decided, "decided", n)
    _check_after(notice, r, "notice_received")
    _check_after(done, r, "decided")
    cutoff = _shared_days(as_of, "as_of", n)
    if _no_day(cutoff) and (np.isnat(cutoff) & np.isnat(done)).any():
        raise MissingDateError("as_of: give as_of, or decided for the total of a decided case")
    if applicants is not None:  # the default, one applicant per case, needs no check
        heads = _ints(applicants, "applicants", n, 1)
        if (heads < 1).any():
            raise DwangsomError("applicants: values below 1 (Awb 4:17(7))")
    kinds = _types(application_type, n, s)
    extension = _ints(extension_months, "extension_months", n, 0)
    codes = None if nationality is None else nationality_codes(nationality, n)
    term = _term_arrays(r, kinds, extension, s, codes, done)
    deadline, categorical = term.deadline, term.categorical
    valid = _notice_counts(notice, term)
    given = _ints_of(notice)
    past_calendar = np.zeros(n, dtype=bool)
    if s.atw_on_notice_term:
        two_weeks = _two_weeks_end(notice, s)
        first = np.where(valid, two_weeks + np.timedelta64(s.first_penalty_offset - 14, "D"), NAT)
        past_calendar = valid & (two_weeks > np.datetime64(_calendar_end(s), "D"))
    else:  # two weeks after the notice, plus the offset: plain day arithmetic
        first = _nat_unless(given + s.first_penalty_offset, valid)
    barred = _admin_barred(r, notice, kinds, _bools(excluded, "excluded", n), s)
    runs = valid & ~barred

    rates_table: _RateTable = _cached(_rate_table, tuple(s.admin_rates))
    row = _rate_rows(s.admin_rates, notice)
    missing = runs & (row == len(s.admin_rates))
    if missing.any():
        raise OutOfTableError(
            f"notice_received: {_first_values(notice, missing)} before the first Awb 4:17 rate"
        )
    one = _one_rate_row(rates_table, row)
    rate_rows: Ints | int = row
    if one is None:
        rates = np.take(rates_table.rates, row, axis=0)
        limit = rates_table.limits[row]
    else:  # every case has the same amounts (the usual table): one row for all, no gathers
        rates = _repeated(rates_table.rates[one], n)
        limit = np.full(n, rates_table.limits[one], dtype=np.int64)
        rate_rows = one

    starts = _ints_of(first)
    # the last day that can count: the decision (or the day before it), as_of and the last
    # day of the tables; "NaT - 1" wraps above every day, so a missing date never cuts
    last = np.subtract(_ints_of(done), 1 if s.decision_day_counts else 2)
    np.minimum(last, _LAST_INT - 1, out=last)
    np.minimum(last, _ints_of(cutoff) - 1, out=last)
    last += 1
    windows = sorted(
        (x for x in s.suspension_table if x.name in s.suspensions), key=lambda x: x.first_day
    )
    applies_list = []
    overlaps = []
    for w in windows:
        a, b = np.datetime64(w.first_day, "D"), np.datetime64(w.last_day, "D")
        applies = runs & (deadline <= np.datetime64(w.deadline_on_or_before, "D"))
        lo = np.maximum(a.astype(np.int64), starts)
        hi = np.minimum(b.astype(np.int64), last)
        overlaps.append(_zero_unless(np.maximum(hi - lo + 1, 0), applies))
        applies_list.append((a, b, applies))
    # days from the first to the last, less the suspended ones; garbage where the penalty
    # does not run, which the limit of 0 there clears
    days = np.subtract(last, starts, out=last)
    days += 1
    for overlap in overlaps:
        days -= overlap
    np.maximum(days, 0, out=days)
    limit *= runs  # 0 where the penalty does not run (where it does, the three bands)
    np.minimum(days, limit, out=days)

    ran = days > 0
    pos = starts + days
    pos -= 1
    for a, b, applies in applies_list:
        a_day, b_day = int(a.astype(np.int64)), int(b.astype(np.int64))
        shift = applies & ran & (a_day <= pos) & (b_day >= starts)
        pos += _zero_unless(b_day - np.maximum(a_day, starts) + 1, shift)
    last_counted = _nat_unless(pos, ran)
    del pos

    stopped = _stopped(done, cutoff, 0 if s.decision_day_counts else 1)
    final = ~runs | (days == limit) | stopped
    amount = _band_amounts(rates_table, rate_rows, days, rates)
    fixed = last_counted + np.timedelta64(s.fixing_days, "D")  # NaT stays NaT
    if s.atw_on_fixing_term:
        from ..atw import default_calendar

        cal = s.calendar or default_calendar()
        fixed = np.where(ran, cal.term_end_array(last_counted + _ONE, fixed), NAT)
        past_calendar = past_calendar | (ran & (fixed > np.datetime64(_calendar_end(s), "D")))
        payable = fixed + np.timedelta64(s.payment_days, "D")
    else:  # in one step from the last day: one array fewer
        payable = last_counted + np.timedelta64(s.fixing_days + s.payment_days, "D")
    return AdminArrays(
        deadline=deadline,
        extension_months=categorical,
        notice_valid=valid,
        first_day=first,
        barred=valid & barred,
        days=days,
        last_day=last_counted,
        amount=amount,
        final=final,
        fixed_by=_nat_unless(_ints_of(fixed), final),
        payable_by=payable,
        rates=rates,
        windows=tuple(applies_list),
        base_deadline=term.base_deadline,
        moratorium_first=term.moratorium_first,
        capped=term.capped,
        nareis_bill=term.nareis_bill,
        regime_unconfirmed=term.regime_unconfirmed,
        notice_kept=valid & (given <= _ints_of(deadline)),
        past_calendar=past_calendar,
    )


def _admin_barred(
    received: Days, notice: Days, kinds: _Types, excluded: Bools, s: Scenario
) -> Bools:
    """Cases the administrative penalty is barred for: excluded by the caller, lodged before
    the type's first penalty day (IND WI 2013/17), caught by the Temporary Act (Stb. 2020, 242;
    ECLI:NL:RVS:2022:3352), or after a bill abolished it (RULES §5, §7)."""
    single = kinds.single
    starts = {r.penalty_from for r in kinds.rows} if single is None else set()
    if single is not None or len(starts) == 1:  # one date for every case: one comparison
        day = kinds.rows[single].penalty_from if single is not None else starts.pop()
        barred = excluded | (_ints_of(received) < _day_int(day))
    else:
        barred = excluded | (received < kinds.penalty_from)
    if s.temporary_act:
        blocked = _cached(
            _blocked_days, tuple(s.temporary_act_periods), "admin_penalty", s.temporary_act_until
        )
        hit = blocked[_day_index(notice)]
        if single is None:
            barred |= kinds.temporary_act & hit
        elif kinds.rows[single].temporary_act:
            barred |= hit
    if s.admin_penalty_abolished_from is not None:
        barred |= _ints_of(notice) >= _day_int(s.admin_penalty_abolished_from)  # NaT: False
    return barred


class _RateTable(NamedTuple):
    """The Awb 4:17(2) rate rows as arrays, with a row of zeros last (no rate)."""

    #: Per row: rate 1, rate 2, rate 3, band days.
    rates: Ints
    #: Per row: the most days that count, three bands (Awb 4:17(2)).
    limits: Ints
    #: Per row and count of days 0 .. ``width - 1``: the euros (``None``: bands too long to
    #: tabulate, computed per case).
    amounts: Ints | None
    width: int


@functools.lru_cache(maxsize=16)
def _rate_table(rows: tuple[Any, ...]) -> _RateTable:
    """The arrays of :class:`_RateTable` for ``rows`` (Awb 4:17(2))."""
    rates = np.array([[*x.rates, x.band_days] for x in rows] + [[0, 0, 0, 0]], dtype=np.int64)
    limits = 3 * rates[:, 3]
    width = int(limits.max()) + 1
    amounts = None
    if width <= 4096:
        days = np.arange(width, dtype=np.int64)
        amounts = np.concatenate([_band_formula(days, np.tile(r, (width, 1))) for r in rates])
        amounts.setflags(write=False)
    for table in (rates, limits):
        table.setflags(write=False)
    return _RateTable(rates, limits, amounts, width)


def _rate_rows(rows: Sequence[Any], notice: Days) -> Ints:
    """The Awb 4:17(2) rate row of each notice (:func:`_period_index`), ``len(rows)`` (the zero
    row of :func:`_rate_table`) for none."""
    idx = _checked_period_index(rows, notice)
    out: Ints = np.where(idx < 0, len(rows), idx) if idx.size and idx.min() < 0 else idx
    return out


def _band_formula(days: Ints, rates: Ints) -> Ints:
    """Euros for ``days`` penalty days at Awb 4:17(2)'s three bands (``rates``: rate 1, 2, 3,
    band days per case); days never exceed three bands, so band 1 is min(days, band) and band 3
    what lies beyond two bands."""
    band = rates[:, 3]
    first_band = np.minimum(days, band)
    third_band = np.maximum(days - 2 * band, 0)
    out: Ints = (
        first_band * rates[:, 0]
        + (days - first_band - third_band) * rates[:, 1]
        + third_band * rates[:, 2]
    )
    return out


def _one_rate_row(table: _RateTable, row: Ints) -> int | None:
    """A row of ``table`` with the amounts of every case's row, if there is one: all rows
    between the lowest and the highest row used are equal."""
    if not row.size:
        return None
    low, high = int(row.min()), int(row.max())
    if (table.rates[low : high + 1] == table.rates[low]).all():
        return low
    return None


def _band_amounts(table: _RateTable, row: Ints | int, days: Ints, rates: Ints) -> Ints:
    """:func:`_band_formula` per case, read from the table of every row and day count
    (``row``: one per case, overwritten, or one row for all)."""
    if table.amounts is None:
        return _band_formula(days, rates)
    if isinstance(row, int):
        out_one: Ints = table.amounts[row * table.width : (row + 1) * table.width][days]
        return out_one
    key = np.multiply(row, table.width, out=row)
    key += days
    out: Ints = table.amounts[key]
    return out


def administrative_penalty(
    received: Any,
    notice_received: Any = None,
    decided: Any = None,
    *,
    as_of: Any = None,
    application_type: Any = "asylum",
    applicants: Any = None,
    excluded: Any = None,
    scenario: Scenario | str | None = None,
    extension_months: Any = None,
    nationality: Any = None,
) -> Ints:
    """Vectorized :func:`dwangsom.rules.administrative_penalty` (Awb 4:17-4:18; RULES §3-5)."""
    return admin_arrays(
        received,
        notice_received,
        decided,
        as_of=as_of,
        application_type=application_type,
        applicants=applicants,
        excluded=excluded,
        scenario=scenario,
        extension_months=extension_months,
        nationality=nationality,
    ).amount
