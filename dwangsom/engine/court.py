"""The court penalty over arrays, Awb 8:55d (RULES §6; :mod:`dwangsom.rules.court`),
linked cases sharing one order.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import DwangsomError, MissingDateError, OutOfTableError
from ..months import add_months_array
from ..rules import _court_rows
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .accrual import _blocked_days, _stopped
from .base import (
    _LAST_INT,
    _MISSING,
    _NAT_INT,
    NAT,
    Bools,
    Days,
    Ints,
    _as_days,
    _cached,
    _choose,
    _cut_ints,
    _day_index,
    _first_values,
    _hashable,
    _in_day_tables,
    _ints_of,
    _keep,
    _kept_lookup,
    _nat_unless,
    _zero_unless,
)
from .inputs import _bools, _days, _ints, _no_day, _shared_days, _types
from .periods import _checked_period_index, _period_index

__all__ = [
    "CourtArrays",
    "court_arrays",
    "court_penalty",
]


@dataclasses.dataclass(frozen=True)
class CourtArrays:
    """Per-case arrays of the court penalty (fields as in :class:`dwangsom.rules.CourtDetail`)."""

    term_days: Ints
    per_day: Ints
    cap: Ints
    due: Days
    days: Ints
    first_day: Days
    last_day: Days
    amount: Ints
    final: Bools
    payable_by: Days
    #: Whether the shorter heard term applied because the applicant was heard / 21 months passed.
    heard: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    past_21_months: Bools = dataclasses.field(default_factory=lambda: np.array([], bool))
    #: Position of the case carrying the joint penalty of its court group; -1: no group.
    group_lead: Ints = dataclasses.field(default_factory=lambda: np.array([], np.int64))

    def accrued_through(self, day: Any) -> Ints:
        """Euros of court penalty accrued by the end of ``day`` (a date or one per case).

        >>> c = court_arrays(["2023-03-15"], ["2023-08-04"])
        >>> int(c.accrued_through(np.datetime64("2023-07-31"))[0])
        2600
        """
        t = _cut_ints(day)
        # as integers; a case without penalty days gets garbage here, and 0 from the clip
        count = np.minimum(_ints_of(self.last_day), t)
        count -= _ints_of(self.first_day)
        count += 1
        np.clip(count, 0, self.days, out=count)
        count *= self.per_day
        amount: Ints = np.minimum(count, self.cap, out=count)
        return amount


def _optional_ints(values: Any, name: str, n: int) -> tuple[Ints, Bools]:
    """Values and a 'given' mask from an int array, a float array with NaN, or None."""
    if values is None:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.size != n:
        raise DwangsomError(f"{name}: {arr.size} values for {n} cases")
    if arr.dtype == object:
        arr = np.array([np.nan if v is None else v for v in arr], dtype=float)
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise DwangsomError(f"{name}: whole numbers expected, got dtype {arr.dtype}")
    given = ~np.isnan(arr) if arr.dtype.kind == "f" else np.ones(n, dtype=bool)
    if not given.any():  # a column of blanks: nothing to check
        return np.zeros(n, dtype=np.int64), given
    filled = np.where(given, arr, 0)
    if (filled < 0).any() or (filled != np.floor(filled)).any():
        raise DwangsomError(f"{name}: negative or fractional amounts")
    return filled.astype(np.int64), given


def court_arrays(
    judgment_sent: Any,
    decided: Any = None,
    *,
    as_of: Any = None,
    term_days: Any = None,
    per_day: Any = None,
    cap: Any = None,
    repeat: Any = None,
    application_type: Any = "asylum",
    scenario: Scenario | str | None = None,
    received: Any = None,
    heard: Any = None,
    appeal_filed: Any = None,
    group: Any = None,
) -> CourtArrays:
    """Every step of the court penalty, vectorized (see :func:`dwangsom.rules.court_detail`).

    ``received`` (for the 21-month limit), ``heard`` and ``appeal_filed`` (for amendment Van
    Dijk) are optional. ``group`` gives linked cases one joint penalty (see
    :func:`dwangsom.rules.court_group_detail`): an integer group number per case, -1 for none;
    the group's first case carries the penalty, run until the group's last decision, the others
    get none. Linked cases must share the judgment date, the ordered term, amount and cap and
    ``repeat`` (else :class:`~dwangsom.errors.DwangsomError`).
    """
    s = _scenario(scenario)
    sent = _days(judgment_sent, "judgment_sent")
    n = sent.size
    done = _days(decided, "decided", n)
    cutoff = _shared_days(as_of, "as_of", n)
    start = _days(received, "received", n)
    lodged = _days(appeal_filed, "appeal_filed", n)
    was_heard = _bools(heard, "heard", n)
    has = ~np.isnat(sent)
    every = bool(has.all())  # the usual call: every case has a judgment
    if _no_day(cutoff) and (has & np.isnat(cutoff) & np.isnat(done)).any():
        raise MissingDateError("as_of: give as_of, or decided for the total of a decided case")
    term_v, term_given = _optional_ints(term_days, "court_term_days", n)
    per_v, per_given = _optional_ints(per_day, "court_per_day", n)
    cap_v, cap_given = _optional_ints(cap, "court_cap", n)
    again = _bools(repeat, "repeat_appeal", n)
    kinds = _types(application_type, n, s)

    past21 = np.zeros(n, dtype=bool)
    if received is not None and not np.isnat(start).all():
        months21 = add_months_array(start, s.max_term_months)
        past21 = np.greater(sent, months21)  # NaT compares False: no judgment or no receipt
    short = was_heard | past21
    in_tables = _in_day_tables(sent)
    orders = ((term_v, term_given), (per_v, per_given), (cap_v, cap_given))
    term, euros, maximum = _court_orders(s, sent, again, short, has, orders, in_tables=in_tables)
    if s.temporary_act:
        until = s.temporary_act_until
        if in_tables:
            periods = tuple(s.temporary_act_periods)
            blocked = _cached(_blocked_days, periods, "court_penalty", until)[_day_index(sent)]
        else:
            idx = _period_index(s.temporary_act_periods, sent)
            allowed = np.array([p.court_penalty for p in s.temporary_act_periods] + [True])[idx]
            blocked = ~allowed
            if until is not None:
                blocked &= sent <= np.datetime64(until, "D")
        blocked &= ~per_given  # NaT's slot is False: no judgment, nothing withheld
        if kinds.single is None:
            blocked &= kinds.temporary_act
        elif not kinds.rows[kinds.single].temporary_act:
            blocked[:] = False
        if blocked.any():
            euros = _zero_unless(euros, ~blocked)
    if s.court_penalty_abolished_from is not None:
        appealed = np.where(np.isnat(lodged), sent, lodged)
        abolished = has & ~per_given & (appealed >= np.datetime64(s.court_penalty_abolished_from))
        euros = np.where(abolished, 0, euros)

    lead = np.full(n, -1, dtype=np.int64)
    carries = None  # every case carries its own penalty
    if group is not None:
        codes = _ints(group, "court_group", n, -1)
        member = codes >= 0
        if member.any():
            cutoff = np.full(n, cutoff[0]) if cutoff.size != n else cutoff
            lead, done, cutoff = _groups(
                codes, member, done, cutoff, sent, again, (term_v, term_given),
                (per_v, per_given), (cap_v, cap_given),
            )  # fmt: skip
            sent = np.where(member, sent[np.maximum(lead, 0)], sent)
            term = np.where(member, term[np.maximum(lead, 0)], term)
            euros = np.where(member, euros[np.maximum(lead, 0)], euros)
            maximum = np.where(member, maximum[np.maximum(lead, 0)], maximum)
            carries = (lead < 0) | (lead == np.arange(n))

    due_i = _ints_of(sent) + term  # garbage without a judgment: blanked or zeroed below
    starts = due_i + 1
    raw = _court_last_day(done, cutoff, s) + 2  # last - first + 1
    raw -= starts
    if not every:
        raw *= has
    if carries is not None:
        raw *= carries
    days = np.maximum(raw, 0, out=raw)
    paying = has & (euros > 0)
    limit = -(-maximum // np.maximum(euros, 1))  # days the cap allows (where paying)
    excess = np.subtract(days, limit)
    np.maximum(excess, 0, out=excess)
    days -= _zero_unless(excess, paying)
    amount = _zero_unless(np.minimum(days * euros, maximum), paying)
    ran = days > 0
    last_counted = _nat_unless(starts + days - 1, ran)
    stopped = _stopped(done, cutoff, 0 if s.court_decision_day_counts else 1)
    final = (paying & (days >= limit)) | stopped
    if not every:
        final |= ~has
    if carries is not None:
        final |= ~carries
    payable = _nat_unless(_ints_of(last_counted) + s.court_payment_days, amount > 0)
    return CourtArrays(
        term_days=term if every else term * has,
        per_day=euros if every else euros * has,
        cap=maximum if every else maximum * has,
        due=_as_days(due_i) if every else _nat_unless(due_i, has),
        days=days,
        first_day=_nat_unless(starts, ran),
        last_day=last_counted,
        amount=amount,
        final=final,
        payable_by=payable,
        heard=was_heard,
        past_21_months=past21,
        group_lead=lead,
    )


def _court_last_day(done: Days, cutoff: Days, s: Scenario) -> Ints:
    """The last day a court penalty can count, less one, per case: the decision day (or the
    day before it, RULES §6), else the last day of the tables; no later than the cut-off. As
    integers: ``NaT - 1`` wraps above every day, so a missing cut-off never cuts."""
    lag = 1 if s.court_decision_day_counts else 2
    last1 = np.subtract(_ints_of(done), lag)
    ints = _ints_of(done)
    if int(ints.max(initial=_NAT_INT)) <= _LAST_INT:  # decisions within the tables: a minimum
        np.minimum(last1, _LAST_INT - 1, out=last1)
    else:  # a later decision date counts as given; only a missing one means the last day
        last1 = np.where(np.isnat(done), _LAST_INT - 1, last1)
    np.minimum(last1, _ints_of(cutoff) - 1, out=last1)
    return last1


def _court_table(s: Scenario) -> tuple[tuple[Any, ...], tuple[Any, ...], Ints]:
    """(the court-practice rows of first appeals, those of repeat appeals, their term,
    heard term, daily amount and cap, a row of zeros last), kept while the scenario has the
    same table and variants (:func:`_kept`)."""
    key = (s.court_practice, s.court_maximum_variant, s.repeat_appeal_variant)
    found = _kept_lookup(_court_table, key)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    plain = tuple(_court_rows(s, repeat=False))
    repeat = tuple(_court_rows(s, repeat=True))
    values = np.array(
        [[r.term_days, r.heard_term_days, r.per_day, r.maximum] for r in [*plain, *repeat]]
        + [[0, 0, 0, 0]],
        dtype=np.int64,
    )
    values.setflags(write=False)
    if _hashable(key):
        _keep(_court_table, key, (plain, repeat, values))
    return plain, repeat, values


def _court_orders(
    s: Scenario,
    sent: Days,
    again: Bools,
    short: Bools,
    has: Bools,
    given: tuple[tuple[Ints, Bools], ...],
    *,
    in_tables: bool,
) -> tuple[Ints, Ints, Ints]:
    """The court's term, daily amount and cap per case: as ordered where given, else the
    court-practice row for the judgment date and kind of appeal (RULES §6; the shorter term
    once the applicant was heard or 21 months have passed)."""
    (term_v, term_given), (per_v, per_given), (cap_v, cap_given) = given
    need = has & ~(term_given & per_given & cap_given)
    if not need.any():
        return term_v.copy(), per_v.copy(), cap_v.copy()
    plain, repeat, values = _court_table(s)
    none = len(plain) + len(repeat)
    row = np.full(sent.size, none, dtype=np.int64)
    for flag, rows, offset in ((False, plain, 0), (True, repeat, len(plain))):
        mask = need & (again == flag)
        if not mask.any():
            continue
        if in_tables:
            idx = _checked_period_index(rows, sent)
        else:
            idx = _period_index(rows, sent)
        if (mask & (idx < 0)).any():
            raise OutOfTableError(
                f"judgment_sent: {_first_values(sent, mask & (idx < 0))} outside the "
                "court-practice table; give the ordered term, per-day amount and cap"
            )
        row = _choose(mask, idx + offset, row)
    default_term = _choose(short, values[:, 1][row], values[:, 0][row])
    out = []
    for (v, ok), default in ((given[0], default_term), (given[1], values[:, 2][row]),
                             (given[2], values[:, 3][row])):  # fmt: skip
        out.append(default if not ok.any() else _choose(ok, v, default))
    return out[0], out[1], out[2]


def _groups(
    codes: Ints,
    member: Bools,
    done: Days,
    cutoff: Days,
    sent: Days,
    again: Bools,
    *orders: tuple[Ints, Bools],
) -> tuple[Ints, Days, Days]:
    """Joint court penalties (RULES §6, ECLI:NL:RBDHA:2026:2612): per case the position of its
    group's first case (-1 outside groups), the group's last decision (NaT while any is open)
    and the lead's cut-off, each broadcast to the group's members. Numpy group operations, no
    loop over cases."""
    n = codes.size
    # hash-based group numbers (no sort); the non-members form one bucket of their own
    found, uniques = pd.factorize(np.where(member, codes, -1))
    inverse = np.asarray(found, dtype=np.int64)
    ids = np.asarray(uniques)
    positions = np.arange(n)
    first = np.full(ids.size, n, dtype=np.int64)
    np.minimum.at(first, inverse, positions)
    lead_of = first[inverse]

    def same(values: npt.NDArray[Any]) -> Bools:
        return np.asarray(values == values[lead_of], dtype=bool)

    def same_day(values: Days) -> Bools:
        ref = values[lead_of]
        return np.asarray((np.isnat(values) & np.isnat(ref)) | (values == ref), dtype=bool)

    agree = same_day(sent) & same(again)
    for values, given in orders:
        agree &= same(given) & (~given | same(values))
    if (member & ~agree).any():
        bad = np.flatnonzero(member & ~agree)[:5]
        raise DwangsomError(
            f"court_group: linked cases at position(s) {', '.join(map(str, bad))} differ from "
            "their group's first case in judgment_sent, the ordered term, amount or cap, or "
            "repeat_appeal (one joint court order, RULES §6)"
        )
    open_case = np.zeros(ids.size, dtype=bool)
    np.logical_or.at(open_case, inverse, np.isnat(done))
    stop_num = np.where(np.isnat(done), np.iinfo(np.int64).min, done.astype(np.int64))
    last = np.full(ids.size, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, inverse, stop_num)
    group_done = np.where(open_case, NAT, last.astype("datetime64[D]"))[inverse]
    lead = np.where(member, lead_of, -1)
    return (
        lead,
        np.where(member, group_done, done),
        np.where(member, cutoff[lead_of], cutoff),
    )


def court_penalty(
    judgment_sent: Any,
    decided: Any = None,
    *,
    as_of: Any = None,
    term_days: Any = None,
    per_day: Any = None,
    cap: Any = None,
    repeat: Any = None,
    application_type: Any = "asylum",
    scenario: Scenario | str | None = None,
) -> Ints:
    """Vectorized :func:`dwangsom.rules.court_penalty` (Awb 8:55d; RULES §6); 0 without a
    judgment."""
    return court_arrays(
        judgment_sent,
        decided,
        as_of=as_of,
        term_days=term_days,
        per_day=per_day,
        cap=cap,
        repeat=repeat,
        application_type=application_type,
        scenario=scenario,
    ).amount
