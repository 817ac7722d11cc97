"""The decision term over arrays: the term, its extensions and moratoria and the
deadline (RULES §0, §2; :mod:`dwangsom.rules.term`).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..errors import DwangsomError
from ..months import add_months_array
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import bill
from .base import (
    _FIRST_RECEIPT_INT,
    _LAST_INT,
    _NAT_INT,
    _ONE,
    NAT,
    Bools,
    Days,
    Ints,
    _as_days,
    _day_int,
    _hashable,
    _ints_of,
    _nat_row,
)
from .inputs import _check_received, _days, _first_receipt, _ints, _Types, _types, nationality_codes

__all__ = [
    "decision_deadline",
]


#: From this many cases on, the day tables pay for their building (done once per scenario and
#: cached); below it, the rules run case by case as plain vectorized arithmetic.
TABLE_ROWS = 16384


@dataclasses.dataclass(frozen=True)
class TermArrays:
    """Per-case arrays of the decision term (fields as in :class:`dwangsom.rules.TermDetail`)."""

    deadline: Days
    #: Categorical extension months.
    categorical: Ints
    base_deadline: Days
    #: First day of the moratorium that changed the term; NaT where none did.
    moratorium_first: Days
    capped: Bools
    nareis_bill: Bools
    regime_unconfirmed: Bools


def _step_months(received: Days, base: Ints, extra: Ints, s: Scenario) -> Days:
    if s.extension_in_one_step:
        return add_months_array(received, base + extra)
    return add_months_array(add_months_array(received, base), extra)


class _BaseTerm(NamedTuple):
    """The decision term before moratoria, per case (:func:`_base_term`)."""

    #: Months of the term (bill 36 349's nine for family reunification); 0 for day terms.
    months: Ints
    #: Months added to a month-based term (categorical and individual, within the 21 months);
    #: the individual months for day-based terms.
    extra: Ints
    month_based: Bools
    #: Categorical extension months (WBV decrees, RULES §2).
    categorical: Ints
    nareis: Bools
    base: Days


def _base_term(received: Days, kinds: _Types, extension: Ints, s: Scenario) -> _BaseTerm:
    """The term of RULES §0 and §2 before any moratorium, case by case: 6 months (Vw art.
    42(1)) or 90 days (art. 25(1)), the WBV decrees' categorical extension of 9 months counted
    in one step (ECLI:NL:HR:2017:2225), the individual extension months (art. 42(4), 25(2)),
    all within the 21-month limit (art. 42(5)); bill 36 349's nine months for family
    reunification when the scenario has it."""
    n = received.size
    # the receipts as day numbers: NaT, the smallest, is below every day as a date is not
    # after one; a date is not before one either, so "before" needs the dates when NaT is in
    days = _ints_of(received)
    dated = not n or int(days.min()) != _NAT_INT
    nareis = np.zeros(n, dtype=bool)
    months = kinds.term_months
    if s.nareis_nine_months_from is not None:
        nareis = kinds.nareis & (days >= _day_int(s.nareis_nine_months_from))
        if nareis.any():
            nine = bill("nareis_nine_months_from").term_months or 0
            months = np.where(nareis, nine, months)
    month_based = (kinds.term_days < 0) | nareis
    categorical = np.zeros(n, dtype=np.int64)
    for d in s.decrees:
        if d.decree not in s.extensions:
            continue
        covers = month_based & kinds.decree_extensions
        if d.lodged_from is not None:
            covers &= days >= _day_int(d.lodged_from)
        if d.lodged_before is not None:
            if dated:
                covers &= days < _day_int(d.lodged_before)
            else:
                covers &= received < np.datetime64(d.lodged_before, "D")
        if d.term_ends_from is not None:
            # the base term ends on or after the day iff receipt is on or after a threshold
            # (add_months is monotone), found once per distinct term length
            lengths = sorted({r.term_months for r in s.application_types if r.term_months})
            for length in lengths:
                first = _day_int(_first_receipt(d.term_ends_from, length))
                if len(lengths) == 1:  # every month-based term has this length
                    covers &= days >= first
                else:
                    covers &= (kinds.term_months != length) | (days >= first)
        categorical = np.where(covers, np.maximum(categorical, d.extension_months), categorical)
    extra = np.minimum(categorical + extension, np.maximum(s.max_term_months - months, 0))
    extra = np.where(month_based, extra, extension)
    month_end = _step_months(received, months, extra, s)
    day_end = received + np.maximum(kinds.term_days, 0).astype("timedelta64[D]")
    if extension.any():
        day_end = add_months_array(day_end, extension)
    base = np.where(month_based, month_end, day_end)
    return _BaseTerm(months, extra, month_based, categorical, nareis, base)


def _eu_pact(received: Days, kinds: _Types, s: Scenario) -> Bools:
    """Receipt on or after the EU Pact date while its regime is unconfirmed (RULES §2)."""
    if s.eu_pact_from is not None and s.eu_pact_unconfirmed:
        out: Bools = kinds.decree_extensions & (_ints_of(received) >= _day_int(s.eu_pact_from))
        return out
    return np.zeros(received.size, dtype=bool)


class _TermTable(NamedTuple):
    """:func:`_base_term` without individual extension months, one row per application type
    of the scenario and one column per receipt day number (days before 1 April 2001, never
    read, hold zeros)."""

    deadline: Ints
    categorical: Ints
    nareis: Bools
    pact: Bools


@functools.lru_cache(maxsize=8)  # 0.9 MB per application type
def _term_table(s: Scenario) -> _TermTable:
    """The term of every receipt day from 1 April 2001 to the last day, per application type,
    by :func:`_base_term` itself: without individual extension months the term depends on the
    type and the receipt day alone, so a table read per case gives what the rule gives."""
    days = np.arange(_FIRST_RECEIPT_INT, _LAST_INT + 1, dtype=np.int64).view("datetime64[D]")
    shape = (len(s.application_types), _LAST_INT + 1)
    out = _TermTable(
        np.zeros(shape, np.int64), np.zeros(shape, np.int64), np.zeros(shape, bool),
        np.zeros(shape, bool),
    )  # fmt: skip
    zero = np.zeros(days.size, dtype=np.int64)
    for k in range(shape[0]):
        kinds = _Types(np.full(days.size, k, dtype=np.int64), s.application_types)
        term = _base_term(days, kinds, zero, s)
        out.deadline[k, _FIRST_RECEIPT_INT:] = _ints_of(term.base)
        out.categorical[k, _FIRST_RECEIPT_INT:] = term.categorical
        out.nareis[k, _FIRST_RECEIPT_INT:] = term.nareis
        out.pact[k, _FIRST_RECEIPT_INT:] = _eu_pact(days, kinds, s)
    for table in out:
        table.setflags(write=False)
    return out


def _term_arrays(
    received: Days,
    kinds: _Types,
    extension: Ints,
    s: Scenario,
    nationality: npt.NDArray[np.object_] | None = None,
    decided: Days | None = None,
) -> TermArrays:
    """Vectorized :func:`dwangsom.rules.decision_term` (RULES §0, §2).

    From :data:`TABLE_ROWS` cases on, the term before moratoria is read from
    :func:`_term_table` (the rule over every receipt day); cases with individual extension
    months and those a moratorium may reach get :func:`_base_term` itself.
    """
    individual = bool(extension.any())
    if individual or any(r.max_extension_months < 0 for r in s.application_types):
        if (extension < 0).any():
            raise DwangsomError("extension_months: negative values")
        if (extension > kinds.max_extension_months).any():
            raise DwangsomError(
                "extension_months: more months than the application type allows "
                "(Vw art. 42(4)-(5), 25(2))"
            )
    n = received.size
    # the table pays only when it is kept (not for a scenario that cannot key the cache), and
    # covers the receipts the rules do (callers that skip the checks get the rules themselves)
    ints = _ints_of(received)
    big = n >= TABLE_ROWS
    covered = big and int(ints.min()) >= _FIRST_RECEIPT_INT and int(ints.max()) <= _LAST_INT
    table = _term_table(s) if big and covered and _hashable(s) else None
    if table is None:
        whole = _base_term(received, kinds, extension, s)
        base, categorical, nareis = whole.base, whole.categorical, whole.nareis
        pact = _eu_pact(received, kinds, s)

        def part(rows: Ints) -> _BaseTerm:
            return _BaseTerm(*(v[rows] for v in whole))  # type: ignore[arg-type]

    else:
        read = kinds.by_day(received)
        base = _as_days(read(table.deadline))
        categorical = read(table.categorical)
        nareis = read(table.nareis) if s.nareis_nine_months_from is not None else np.zeros(n, bool)
        pact = np.zeros(n, dtype=bool)
        if s.eu_pact_from is not None and s.eu_pact_unconfirmed:
            pact = read(table.pact)
        if individual:
            some = np.flatnonzero(extension)
            own = _base_term(received[some], kinds.take(some), extension[some], s)
            base[some], categorical[some], nareis[some] = own.base, own.categorical, own.nareis

        def part(rows: Ints) -> _BaseTerm:
            return _base_term(received[rows], kinds.take(rows), extension[rows], s)

    end = base
    applied = np.zeros(n, dtype=bool)
    # NaT for every case (a read-only view, no memory) until a moratorium changes a term
    applied_first = _nat_row(n)
    applied_months = np.zeros(n, dtype=np.int64)
    rows = [] if s.moratorium_reading == "none" or nationality is None else s.moratorium_table
    if len(rows):
        done = np.full(n, NAT) if decided is None else decided
        for m in sorted(rows, key=lambda m: m.first_day):
            first, last = np.datetime64(m.first_day, "D"), np.datetime64(m.last_day, "D")
            idx = np.flatnonzero(nationality == m.nationality)  # the work only for them
            if not idx.size:
                continue
            own = part(idx)
            r_i = received[idx]
            cover = kinds.take(idx).moratoria & own.month_based & (r_i <= last)
            cover &= ~(done[idx] < first)  # pending on the first day (NaT compares False)
            if not cover.any():
                continue
            if s.moratorium_reading == "suspension":
                cover &= end[idx] >= first
            idx, r_i = idx[cover], r_i[cover]
            m_i, x_i, e_i = own.months[cover], own.extra[cover], end[idx]
            if s.moratorium_reading == "extension":
                total = np.minimum(m_i + x_i + m.extension_months, s.max_term_months)
                new_end = _step_months(r_i, m_i, total - m_i, s)
            else:
                start = np.maximum(first, r_i + _ONE)
                new_end = e_i + ((last - start).astype(np.int64) + 1).astype("timedelta64[D]")
            later = new_end > e_i
            change = idx[later]
            if end is base:
                end = end.copy()
                applied_first = np.full(n, NAT)
            end[change] = new_end[later]
            applied[change] = True
            applied_first[change] = first
            applied_months[change] = m.extension_months
    capped = np.zeros(n, dtype=bool)
    if applied.any():
        idx = np.flatnonzero(applied)
        limit = add_months_array(received[idx], np.full(idx.size, s.max_term_months, np.int64))
        if s.moratorium_reading == "extension":
            own = part(idx)
            would = _step_months(received[idx], own.months, own.extra + applied_months[idx], s)
        else:
            would = end[idx]
        capped[idx] = would > limit
        end[idx] = np.minimum(end[idx], limit)
    return TermArrays(
        deadline=end,
        categorical=categorical,
        base_deadline=base,
        moratorium_first=applied_first,
        capped=capped,
        nareis_bill=nareis,
        regime_unconfirmed=pact,
    )


def _deadline(received: Days, kinds: _Types, extension: Ints, s: Scenario) -> tuple[Days, Ints]:
    """Deadline and categorical extension months per case (RULES §2; rules.decision_deadline),
    without moratoria (no nationality)."""
    term = _term_arrays(received, kinds, extension, s)
    return term.deadline, term.categorical


def decision_term(
    received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> TermArrays:
    """Vectorized :func:`dwangsom.rules.decision_term` (RULES §0, §2).

    >>> t = decision_term(["2024-01-30", "2023-07-11"], nationality=["SYR", "Soedan"])
    >>> t.deadline, t.capped
    (array(['2025-07-30', '2025-04-11'], dtype='datetime64[D]'), array([False,  True]))
    """
    s = _scenario(scenario)
    r = _days(received, "received")
    _check_received(r)
    kinds = _types(application_type, r.size, s)
    done = _days(decided, "decided", r.size)
    return _term_arrays(
        r,
        kinds,
        _ints(extension_months, "extension_months", r.size, 0),
        s,
        None if nationality is None else nationality_codes(nationality, r.size),
        done,
    )


def decision_deadline(
    received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> Days:
    """Vectorized :func:`dwangsom.rules.decision_deadline` (RULES §0, §2)."""
    return decision_term(
        received,
        scenario=scenario,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    ).deadline
