"""The vectorized engine: the rules of :mod:`dwangsom.rules` over numpy ``datetime64[D]`` arrays.

Every function takes arrays (or pandas columns, lists, scalars: anything
:func:`dwangsom._dates.as_day_array` reads) with ``NaT`` meaning "no such event", and returns
numpy arrays of the same length, in the same order. There is no Python loop over cases. The
scalar functions are the specification; property tests check that both agree.

How it stays fast on a million cases: dates are worked on as their integer views (days since
1970-01-01; ``NaT`` is the smallest int64), which numpy runs several times faster than
``datetime64`` arithmetic; a rule that depends on one date only (the rate, the Temporary Act's
period, the court-practice row, the decision term of a receipt day) is read from a table
indexed by day number, built once from the same vectorized rule over every day and cached; a
choice per case is arithmetic on masks rather than ``np.where`` (a branch per case on an
unsorted mask costs many plain passes); and a rule that applies to no case costs nothing.

>>> import numpy as np
>>> from dwangsom import engine
>>> received = np.array(["2023-10-25", "2022-03-26", "2023-08-31"], dtype="datetime64[D]")
>>> engine.decision_deadline(received)
array(['2025-01-25', '2022-09-26', '2024-11-30'], dtype='datetime64[D]')
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._dates import as_day_array
from ..errors import DwangsomError, MissingDateError, OrderError, OutOfTableError
from ..months import add_months, add_months_array
from ..rules import LAST_DAY, VW2000_IN_FORCE, _court_rows
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from ..tables import bill, country_codes, normalise_country

__all__ = [
    "AdminArrays",
    "CourtArrays",
    "admin_arrays",
    "administrative_penalty",
    "court_arrays",
    "court_penalty",
    "decision_deadline",
    "first_penalty_day",
    "notice_valid",
]

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

NAT = np.datetime64("NaT", "D")
_MIN = np.datetime64("0001-01-01", "D")
_MAX = np.datetime64("9999-12-31", "D")
_ONE = np.timedelta64(1, "D")

#: ``NaT`` as an integer view: the smallest int64, below every day (``NaT - 1`` wraps to the
#: largest, above every day).
_NAT_INT = int(np.iinfo(np.int64).min)
_LAST_INT = int(np.datetime64(LAST_DAY, "D").astype(np.int64))
_FIRST_RECEIPT_INT = int(np.datetime64(VW2000_IN_FORCE, "D").astype(np.int64))
#: Day tables are indexed by the day number itself (days since 1970-01-01), from 0 to
#: ``_DAY_MASK``. Every checked receipt, notice and decision lies in 2001-2099 (days 11,413 to
#: 47,481), so ``day & _DAY_MASK`` is the day itself, and ``NaT`` (a multiple of 2**17) becomes
#: 0: slot 0 of a table holds its answer for "no date".
_DAY_MASK = (1 << 17) - 1
#: From this many cases on, the day tables pay for their building (done once per scenario and
#: cached); below it, the rules run case by case as plain vectorized arithmetic.
TABLE_ROWS = 16384


def _ints_of(days: Days) -> Ints:
    """The integer view of ``datetime64[D]`` values (no copy)."""
    return days.view(np.int64)


def _as_days(values: Ints) -> Days:
    """``datetime64[D]`` view of day numbers (no copy)."""
    return values.view("datetime64[D]")


def _nat_unless(values: Ints, keep: Bools) -> Days:
    """``values`` (day numbers) where ``keep``, ``NaT`` elsewhere, as days.

    Arithmetic, so without a branch per case and with one new array:
    ``values - (values - NaT) * ~keep`` is ``NaT`` where ``keep`` is False and ``values``
    elsewhere (int64 arithmetic wraps around modulo 2**64, so the result is exact).
    """
    out = np.subtract(values, _NAT_INT)
    np.multiply(out, ~keep, out=out)
    np.subtract(values, out, out=out)
    return _as_days(out)


def _zero_unless(values: Ints, keep: Bools) -> Ints:
    """``values`` where ``keep``, 0 elsewhere (a product with the mask: no branch per case)."""
    out: Ints = np.multiply(values, keep, dtype=np.int64)
    return out


def _choose(keep: Bools, a: Ints, b: Ints) -> Ints:
    """``a`` where ``keep``, ``b`` elsewhere, branch-free: ``b + (a - b) * keep``."""
    out = np.subtract(a, b)
    np.multiply(out, keep, out=out)
    np.add(out, b, out=out)
    return out


def _hashable(value: Any) -> bool:
    """Whether ``value`` can key a cache (a scenario whose tables were given as lists cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _cached(func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)`` from its ``lru_cache``; computed afresh when an argument cannot be
    hashed."""
    if _hashable(args):
        return func(*args)
    return func.__wrapped__(*args)  # type: ignore[attr-defined]


def _day_index(days: Days) -> Ints:
    """Positions in the day tables: the day number, 0 for ``NaT``. Only for checked days
    (2001-2099), which :data:`_DAY_MASK` leaves unchanged."""
    out: Ints = np.bitwise_and(_ints_of(days), _DAY_MASK)
    return out


def _in_day_tables(days: Days) -> bool:
    """Whether every day is ``NaT`` or inside 2001-2099 (so :func:`_day_index` is exact)."""
    ints = _ints_of(days)
    if not ints.size:
        return True
    if int(ints.max()) > _LAST_INT:
        return False
    low = int(ints.min())
    if low >= _FIRST_RECEIPT_INT:
        return True
    if low != _NAT_INT:
        return False
    dated = ints[ints != _NAT_INT]
    return not dated.size or int(dated.min()) >= _FIRST_RECEIPT_INT


def _days(values: Any, name: str, n: int | None = None) -> Days:
    if values is None:
        if n is None:
            raise MissingDateError(f"{name}: required")
        return np.full(n, NAT)
    if isinstance(values, np.ndarray) and values.dtype == np.dtype("datetime64[D]"):
        out = values  # already days: no copy (the engine never writes to its inputs)
    else:
        out = as_day_array(values, name)
    if n is not None and out.size == 1 and n != 1:
        out = np.full(n, out[0])
    if n is not None and out.size != n:
        raise DwangsomError(f"{name}: {out.size} values for {n} cases")
    return out


def _shared_days(values: Any, name: str, n: int) -> Days:
    """:func:`_days`, but one date for every case stays one value (it broadcasts), so a cut-off
    such as ``as_of`` costs no column."""
    if values is None:
        return np.full(1 if n else 0, NAT)
    out = values if isinstance(values, np.ndarray) and values.dtype == "M8[D]" else None
    if out is None:
        out = as_day_array(values, name)
    if out.size == 1:
        return out.reshape(1)
    return _days(out, name, n)


def _ints(values: Any, name: str, n: int, default: int) -> Ints:
    if values is None:
        return np.full(n, default, dtype=np.int64)
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.size != n:
        raise DwangsomError(f"{name}: {arr.size} values for {n} cases")
    if arr.dtype == bool or arr.dtype.kind not in "iu":
        raise DwangsomError(f"{name}: whole numbers expected, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def _bools(values: Any, name: str, n: int) -> Bools:
    if values is None:
        return np.zeros(n, dtype=bool)
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.size != n or arr.dtype != bool:
        raise DwangsomError(f"{name}: {n} booleans expected, got {arr.size} of dtype {arr.dtype}")
    return arr


def _first_values(days: Days, mask: Bools) -> str:
    bad = days[mask]
    shown = ", ".join(str(d) for d in bad[:3])
    return shown + (f" (and {bad.size - 3} more)" if bad.size > 3 else "")


def _period_index(rows: Sequence[Any], days: Days) -> Ints:
    """Index of the dated row (``valid_from``/``valid_to``) covering each day; -1 for none.

    Rows of one kind never overlap (checked when the table loads). The answer only changes at
    the rows' boundaries, so it is read from a day-indexed table built once per set of rows
    (:func:`_period_table`): one subtraction, a clip and a gather per case instead of a binary
    search.
    """
    if not rows:
        return np.full(days.shape, -1, dtype=np.int64)
    try:
        lo, table = _period_table(tuple(rows))
    except TypeError:  # unhashable rows: no cached table
        return _period_search(rows, days)
    pos = np.clip(days.view(np.int64) - lo, 0, table.size - 1)
    return np.where(np.isnat(days), -1, table[pos])


@functools.lru_cache(maxsize=64)
def _period_table(rows: tuple[Any, ...]) -> tuple[int, Ints]:
    """(first day, answers): :func:`_period_search` for every day from the day before the first
    boundary of ``rows`` to the last boundary; days outside get the answer at the nearer end."""
    edges = [np.datetime64(r.valid_from, "D") for r in rows if r.valid_from]
    edges += [np.datetime64(r.valid_to, "D") + _ONE for r in rows if r.valid_to]
    if not edges:
        edges = [np.datetime64("2000-01-01", "D")]
    first = int(min(edges).astype(np.int64)) - 1
    last = int(max(edges).astype(np.int64))
    days = np.arange(first, last + 1, dtype=np.int64).view("datetime64[D]")
    table = _period_search(rows, days)
    table.setflags(write=False)
    return first, table


@functools.lru_cache(maxsize=16)  # 1 MB each
def _period_days(rows: tuple[Any, ...]) -> Ints:
    """:func:`_period_index` for every day number from 0 to :data:`_DAY_MASK`, slot 0 holding
    the answer for ``NaT`` (-1): read at :func:`_day_index` positions."""
    days = np.arange(_DAY_MASK + 1, dtype=np.int64).view("datetime64[D]")
    days[0] = NAT
    table = _period_index(rows, days)
    table.setflags(write=False)
    return table


def _checked_period_index(rows: Sequence[Any], days: Days) -> Ints:
    """:func:`_period_index` for checked days (``NaT`` or 2001-2099): one gather from
    :func:`_period_days`."""
    if not rows:
        return np.full(days.shape, -1, dtype=np.int64)
    try:
        table = _period_days(tuple(rows))
    except TypeError:  # unhashable rows: no cached table
        return _period_search(rows, days)
    out: Ints = table[_day_index(days)]
    return out


def _period_search(rows: Sequence[Any], days: Days) -> Ints:
    """:func:`_period_index` by a ``searchsorted`` over the sorted start dates (the candidate
    row) and one comparison to confirm it."""
    order = sorted(range(len(rows)), key=lambda i: rows[i].valid_from or _MIN.item())
    starts = np.array(
        [np.datetime64(rows[i].valid_from, "D") if rows[i].valid_from else _MIN for i in order]
    )
    ends = np.array(
        [np.datetime64(rows[i].valid_to, "D") if rows[i].valid_to else _MAX for i in order]
    )
    pos = np.searchsorted(starts, days, side="right") - 1  # NaT sorts last
    safe = np.maximum(pos, 0)
    ok = (pos >= 0) & (days <= ends[safe])  # False for NaT
    if order != sorted(order):
        safe = np.array(order, dtype=np.int64)[safe]
    return np.where(ok, safe, -1)


class _Types:
    """Per-case columns of the application-type table, each gathered when first used."""

    def __init__(self, code: Ints, rows: Sequence[Any]) -> None:
        self._code = code
        self._rows = rows
        # one type for every case (the usual extract): fill instead of gathering
        self._single = int(code[0]) if code.size and (code == code[0]).all() else None

    @property
    def single(self) -> int | None:
        """The row of the one type every case has; ``None``: several (or no cases)."""
        return self._single

    @property
    def rows(self) -> Sequence[Any]:
        return self._rows

    def take(self, rows: Ints) -> _Types:
        """The types of the cases at ``rows``."""
        return _Types(self._code[rows], self._rows)

    def by_day(self, days: Days) -> Callable[[npt.NDArray[Any]], npt.NDArray[Any]]:
        """A reader of tables with one row per application type and one column per day number
        (see :func:`_term_table`): each case's value at its type and ``days``."""
        ints = _ints_of(days)
        single = self._single
        if single is not None:
            return lambda table: table[single][ints]
        key = np.multiply(self._code, _LAST_INT + 1)
        key += ints
        return lambda table: table.reshape(-1)[key]

    def _column(self, values: list[Any], dtype: Any) -> npt.NDArray[Any]:
        table = np.array(values, dtype=dtype)
        if self._single is not None:
            return np.full(self._code.size, table[self._single])
        return table[self._code]

    @functools.cached_property
    def term_months(self) -> Ints:
        """Months of the term; 0 for day-based terms."""
        return self._column([r.term_months or 0 for r in self._rows], np.int64)

    @functools.cached_property
    def term_days(self) -> Ints:
        """Days of the term; -1 for month-based terms."""
        values = [-1 if r.term_days is None else r.term_days for r in self._rows]
        return self._column(values, np.int64)

    @functools.cached_property
    def max_extension_months(self) -> Ints:
        return self._column([r.max_extension_months for r in self._rows], np.int64)

    @functools.cached_property
    def moratoria(self) -> Bools:
        return self._column([r.moratoria for r in self._rows], bool)

    @functools.cached_property
    def nareis(self) -> Bools:
        """Family-reunification cases (bill 36 349's nine-month term)."""
        return self._column(
            [r.application_type == "family-reunification" for r in self._rows], bool
        )

    @functools.cached_property
    def decree_extensions(self) -> Bools:
        return self._column([r.decree_extensions for r in self._rows], bool)

    @functools.cached_property
    def temporary_act(self) -> Bools:
        return self._column([r.temporary_act for r in self._rows], bool)

    @functools.cached_property
    def penalty_from(self) -> Days:
        values = [np.datetime64(r.penalty_from, "D") for r in self._rows]
        return self._column(values, "datetime64[D]")


def _types(application_type: Any, n: int, s: Scenario) -> _Types:
    rows = s.application_types
    names = [r.application_type for r in rows]
    if isinstance(application_type, str) or application_type is None:
        s.application_type(application_type or "asylum")
        code = np.full(n, names.index(application_type or "asylum"))
    else:
        uniques: Any
        if isinstance(application_type, pd.Categorical):
            inverse, uniques = application_type.codes, application_type.categories
        else:
            values = np.asarray(application_type, dtype=object)
            inverse, uniques = pd.factorize(values, use_na_sentinel=False)
        if len(inverse) != n:
            raise DwangsomError(f"application_type: {len(inverse)} values for {n} cases")
        for u in uniques:
            s.application_type(str(u))  # raises for unknown types
        code = np.array([names.index(str(u)) for u in uniques], dtype=np.int64)[inverse]
    return _Types(np.asarray(code, dtype=np.int64), rows)


def _check_received(received: Days) -> None:
    ints = _ints_of(received)
    if not ints.size or (int(ints.min()) >= _FIRST_RECEIPT_INT and int(ints.max()) <= _LAST_INT):
        return  # two reductions, no temporaries (NaT, the smallest integer, fails the first)
    if np.isnat(received).any():
        raise MissingDateError(f"received: {int(np.isnat(received).sum())} case(s) have no date")
    low, high = np.datetime64(VW2000_IN_FORCE, "D"), np.datetime64(LAST_DAY, "D")
    bad = (received < low) | (received > high)
    if bad.any():
        raise OutOfTableError(
            f"received: {_first_values(received, bad)} outside the period the rules cover "
            f"({low} (Vreemdelingenwet 2000 in force) to {high})"
        )


def _check_after(day: Days, received: Days, name: str) -> None:
    if not np.less(day, received).any() and int(_ints_of(day).max(initial=_NAT_INT)) <= _LAST_INT:
        return  # NaT compares False as a date and is the smallest integer: never flagged
    bad = ~np.isnat(day) & (day < received)
    if bad.any():
        raise OrderError(f"{name}: {_first_values(day, bad)} before the application was received")
    late = ~np.isnat(day) & (day > np.datetime64(LAST_DAY, "D"))
    if late.any():
        raise OutOfTableError(f"{name}: {_first_values(day, late)} after {LAST_DAY}")


@functools.cache
def _first_receipt(term_ends_from: _dt.date, months: int) -> _dt.date:
    """The earliest receipt whose ``months``-month term ends on or after ``term_ends_from``."""
    day = term_ends_from - _dt.timedelta(days=31 * months + 31)
    while add_months(day, months) < term_ends_from:
        day += _dt.timedelta(days=1)
    return day


def nationality_codes(values: Any, n: int) -> npt.NDArray[np.object_]:
    """ISO 3166-1 alpha-3 codes (``None`` where empty) for a nationality column: codes or English
    or Dutch country names from ``countries.csv`` (see :func:`dwangsom.rules.nationality_code`);
    each distinct cell is looked up once. An unknown name raises
    :class:`~dwangsom.errors.DwangsomError`."""
    if values is None:
        return np.full(n, None, dtype=object)
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = np.full(n, arr.item(), dtype=object)
    if arr.size != n:
        raise DwangsomError(f"nationality: {arr.size} values for {n} cases")
    inverse, uniques = pd.factorize(arr, use_na_sentinel=True)
    table = country_codes()
    found: list[Any] = []
    for u in uniques:
        if not isinstance(u, str):
            raise DwangsomError(f"nationality: {u!r} is not a country code or name")
        if not u.strip():
            found.append(None)
            continue
        code = table.get(normalise_country(u))
        if code is None:
            raise DwangsomError(
                f"nationality: {u!r} is not an ISO 3166-1 alpha-3 code or a country name in "
                "countries.csv"
            )
        found.append(code)
    lookup = np.array([*found, None], dtype=object)
    return np.asarray(lookup[np.where(inverse < 0, len(found), inverse)], dtype=object)


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
    nareis = np.zeros(n, dtype=bool)
    months = kinds.term_months
    if s.nareis_nine_months_from is not None:
        nareis = kinds.nareis & (received >= np.datetime64(s.nareis_nine_months_from, "D"))
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
            covers &= received >= np.datetime64(d.lodged_from, "D")
        if d.lodged_before is not None:
            covers &= received < np.datetime64(d.lodged_before, "D")
        if d.term_ends_from is not None:
            # the base term ends on or after the day iff receipt is on or after a threshold
            # (add_months is monotone), found once per distinct term length
            lengths = sorted({r.term_months for r in s.application_types if r.term_months})
            for length in lengths:
                first = np.datetime64(_first_receipt(d.term_ends_from, length), "D")
                if len(lengths) == 1:  # every month-based term has this length
                    covers &= received >= first
                else:
                    covers &= (kinds.term_months != length) | (received >= first)
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
        out: Bools = kinds.decree_extensions & (received >= np.datetime64(s.eu_pact_from, "D"))
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
    covered = n and int(ints.min()) >= _FIRST_RECEIPT_INT and int(ints.max()) <= _LAST_INT
    table = _term_table(s) if n >= TABLE_ROWS and covered and _hashable(s) else None
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
    applied_first = np.broadcast_to(NAT, (n,))
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


def _notice_counts(notice: Days, term: TermArrays) -> Bools:
    """Vectorized :func:`dwangsom.rules._notice_counts` (NaT compares False).

    As integers when every term has an end (they come from checked receipts): ``NaT`` is the
    smallest integer, so a missing notice is never after the deadline, and a term no
    moratorium changed keeps no early notice.
    """
    ends, changed = _ints_of(term.deadline), _ints_of(term.moratorium_first)
    if not ends.size or int(ends.min()) != _NAT_INT:
        given = _ints_of(notice)
        valid: Bools = given > ends
        if int(changed.max(initial=_NAT_INT)) != _NAT_INT:
            valid |= (given > _ints_of(term.base_deadline)) & (given < changed)
        return valid
    kept = (notice > term.base_deadline) & (notice < term.moratorium_first)
    return np.asarray(~np.isnat(notice) & ((notice > term.deadline) | kept), dtype=bool)


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


def _calendar_end(s: Scenario) -> _dt.date:
    from ..atw import default_calendar

    return (s.calendar or default_calendar()).decrees_until


def _two_weeks_end(notice: Days, s: Scenario) -> Days:
    end = notice + np.timedelta64(14, "D")
    if s.atw_on_notice_term:
        from ..atw import default_calendar

        cal = s.calendar or default_calendar()
        end = np.where(np.isnat(notice), NAT, cal.term_end_array(notice + _ONE, end))
    return end


def _cut_ints(day: Any) -> Ints:
    """A cut-off of :meth:`AdminArrays.accrued_through` as day numbers; ``NaT`` (nothing
    accrued) as a day long before any other, far enough from the int64 ends that differences
    with real days cannot wrap."""
    t = _ints_of(np.asarray(day, dtype="datetime64[D]"))
    if t.size and int(t.min()) == _NAT_INT:
        t = np.where(t == _NAT_INT, _NAT_INT // 2, t)
    return t


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
    if (np.isnat(cutoff) & np.isnat(done)).any():
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
        rates = np.broadcast_to(rates_table.rates[one], (n, 4))
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
        barred = excluded | (_ints_of(received) < np.datetime64(day, "D").astype(np.int64))
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
        barred |= notice >= np.datetime64(s.admin_penalty_abolished_from, "D")
    return barred


@functools.lru_cache(maxsize=64)
def _blocked_days(periods: tuple[Any, ...], allowed: str, until: _dt.date | None) -> Bools:
    """Per day number, whether the Temporary Act's period of that day (Stb. 2020, 242, art. 3;
    RULES §5) withholds the penalty ``allowed`` names, on or before ``until`` when given; slot 0
    (``NaT``) never. Read at :func:`_day_index` positions."""
    days = np.arange(_DAY_MASK + 1, dtype=np.int64).view("datetime64[D]")
    days[0] = NAT
    idx = _period_index(periods, days)
    ok = np.array([getattr(p, allowed) for p in periods] + [True])[idx]
    out: Bools = ~ok
    if until is not None:
        out &= days <= np.datetime64(until, "D")
    out.setflags(write=False)
    return out


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


def _stopped(done: Days, cutoff: Days, lag: int) -> Bools:
    """Whether the decision (``done``, its last counted day ``lag`` days before it) ended the
    penalty by the cut-off: a decision given, and no cut-off or the stop on or before it."""
    if cutoff.size == 1 and done.size != 1:  # one cut-off: one comparison
        if np.isnat(cutoff[0]):
            out: Bools = _ints_of(done) != _NAT_INT
            return out
        return np.asarray(done <= cutoff[0] + np.timedelta64(lag, "D"), dtype=bool)
    stop = done - np.timedelta64(lag, "D")
    return np.asarray(~np.isnat(stop) & (np.isnat(cutoff) | (stop <= cutoff)), dtype=bool)


def notice_valid(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> Bools:
    """Vectorized :func:`dwangsom.rules.notice_valid` (Awb 4:17(3))."""
    s = _scenario(scenario)
    r = _days(received, "received")
    _check_received(r)
    notice = _days(notice_received, "notice_received", r.size)
    _check_after(notice, r, "notice_received")
    term = decision_term(
        r,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    return _notice_counts(notice, term)


def first_penalty_day(
    received: Any,
    notice_received: Any,
    *,
    scenario: Scenario | str | None = None,
    application_type: Any = "asylum",
    extension_months: Any = None,
    nationality: Any = None,
    decided: Any = None,
) -> Days:
    """Vectorized :func:`dwangsom.rules.first_penalty_day` (Awb 4:17(3)); NaT: no valid notice."""
    s = _scenario(scenario)
    valid = notice_valid(
        received,
        notice_received,
        scenario=s,
        application_type=application_type,
        extension_months=extension_months,
        nationality=nationality,
        decided=decided,
    )
    notice = _days(notice_received, "notice_received", valid.size)
    end = _two_weeks_end(np.where(valid, notice, NAT), s)
    return np.where(valid, end + np.timedelta64(s.first_penalty_offset - 14, "D"), NAT)


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
    if (has & np.isnat(cutoff) & np.isnat(done)).any():
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
    plain = _court_rows(s, repeat=False)
    repeat = _court_rows(s, repeat=True)
    values = np.array(
        [[r.term_days, r.heard_term_days, r.per_day, r.maximum] for r in [*plain, *repeat]]
        + [[0, 0, 0, 0]],
        dtype=np.int64,
    )
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
