"""The engine's inputs: columns made arrays, application types and nationalities made
codes, the receipt and event dates checked (the scope of :mod:`dwangsom.rules.scope`).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._dates import as_day_array
from ..errors import DwangsomError, MissingDateError, OrderError, OutOfTableError
from ..months import add_months
from ..rules import LAST_DAY, VW2000_IN_FORCE
from ..scenario import Scenario
from ..tables import country_codes, normalise_country
from .base import (
    _FIRST_RECEIPT_INT,
    _LAST_INT,
    _MISSING,
    _NAT_INT,
    NAT,
    Bools,
    Days,
    Ints,
    _first_values,
    _hashable,
    _ints_of,
    _keep,
    _kept_lookup,
)

_DAY = np.dtype("datetime64[D]")


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
    if isinstance(values, np.datetime64) and values.dtype == _DAY:  # as assess gives it
        return np.array([values])
    out = values if isinstance(values, np.ndarray) and values.dtype == "M8[D]" else None
    if out is None:
        out = as_day_array(values, name)
    if out.size == 1:
        return out.reshape(1)
    return _days(out, name, n)


def _no_day(cutoff: Days) -> bool:
    """Whether a cut-off (one day for all, or one per case) may be ``NaT`` somewhere: one
    given day for all is not (the usual ``as_of``), so the check for it costs nothing."""
    return cutoff.size != 1 or bool(np.isnat(cutoff[0]))


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


R = TypeVar("R")


class _lazy(Generic[R]):
    """:func:`functools.cached_property` without its lock (Python 3.11 takes one per first
    read, a cost on every small call): the value computed on first read, kept on the
    instance. Two threads reading it at once may both compute it, to the same value."""

    def __init__(self, func: Callable[[Any], R]) -> None:
        self._func = func
        self._name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def __get__(self, obj: Any, cls: type[Any] | None = None) -> R:
        if obj is None:
            return self  # type: ignore[return-value]
        value = self._func(obj)
        obj.__dict__[self._name] = value
        return value


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

    @_lazy
    def _columns(self) -> dict[str, npt.NDArray[Any]]:
        return _type_columns(self._rows)

    def _column(self, name: str) -> npt.NDArray[Any]:
        table = self._columns[name]
        if self._single is not None:
            return np.full(self._code.size, table[self._single])
        return table[self._code]

    @_lazy
    def term_months(self) -> Ints:
        """Months of the term; 0 for day-based terms."""
        return self._column("term_months")

    @_lazy
    def term_days(self) -> Ints:
        """Days of the term; -1 for month-based terms."""
        return self._column("term_days")

    @_lazy
    def max_extension_months(self) -> Ints:
        return self._column("max_extension_months")

    @_lazy
    def moratoria(self) -> Bools:
        return self._column("moratoria")

    @_lazy
    def nareis(self) -> Bools:
        """Family-reunification cases (bill 36 349's nine-month term)."""
        return self._column("nareis")

    @_lazy
    def decree_extensions(self) -> Bools:
        return self._column("decree_extensions")

    @_lazy
    def temporary_act(self) -> Bools:
        return self._column("temporary_act")

    @_lazy
    def penalty_from(self) -> Days:
        return self._column("penalty_from")


def _type_columns(rows: Sequence[Any]) -> dict[str, npt.NDArray[Any]]:
    """Per application type (one value per row of ``rows``) the columns :class:`_Types`
    gathers; kept while the scenario's type table is the same tuple (:func:`_kept`)."""
    found = _kept_lookup(_type_columns, (rows,))
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    out = {
        "term_months": np.array([r.term_months or 0 for r in rows], np.int64),
        "term_days": np.array([-1 if r.term_days is None else r.term_days for r in rows], np.int64),
        "max_extension_months": np.array([r.max_extension_months for r in rows], np.int64),
        "moratoria": np.array([r.moratoria for r in rows], bool),
        "nareis": np.array([r.application_type == "family-reunification" for r in rows], bool),
        "decree_extensions": np.array([r.decree_extensions for r in rows], bool),
        "temporary_act": np.array([r.temporary_act for r in rows], bool),
        "penalty_from": np.array([np.datetime64(r.penalty_from, "D") for r in rows], "M8[D]"),
    }
    if type(rows) is tuple and _hashable(rows):  # immutable: the same object, the same rows
        for column in out.values():
            column.setflags(write=False)
        _keep(_type_columns, (rows,), out)
    return out


def _type_rows(uniques: Any, s: Scenario) -> Ints:
    """The row of ``s.application_types`` of each of the type names ``uniques``; unknown
    names raise."""
    names = [r.application_type for r in s.application_types]
    found = [str(u) for u in uniques]
    for u in found:
        s.application_type(u)  # raises for unknown types
    return np.array([names.index(u) for u in found], dtype=np.int64)


#: Rows of a categorical's categories (keyed by the identity of its dtype, which a parse
#: keeps, and of the scenario's type table), so a small call reads no category names:
#: (dtype, table, rows).
_CATEGORY_ROWS: dict[tuple[int, int], tuple[Any, Any, Ints]] = {}


def _category_rows(dtype: Any, s: Scenario) -> Ints:
    """:func:`_type_rows` of a categorical dtype's categories, kept while the scenario's type
    table is the same tuple (immutable: a list is read afresh)."""
    table = s.application_types
    key = (id(dtype), id(table))
    found = _CATEGORY_ROWS.get(key)
    if found is not None and found[0] is dtype and found[1] is table:
        return found[2]
    out = _type_rows(dtype.categories, s)
    if type(table) is tuple:
        out.setflags(write=False)
        if len(_CATEGORY_ROWS) >= 64:
            _CATEGORY_ROWS.clear()
        _CATEGORY_ROWS[key] = (dtype, table, out)
    return out


def _types(application_type: Any, n: int, s: Scenario) -> _Types:
    rows = s.application_types
    if isinstance(application_type, str) or application_type is None:
        s.application_type(application_type or "asylum")
        names = [r.application_type for r in rows]
        code = np.full(n, names.index(application_type or "asylum"))
    elif isinstance(application_type, pd.Categorical):
        inverse = application_type.codes
        if len(inverse) != n:
            raise DwangsomError(f"application_type: {len(inverse)} values for {n} cases")
        code = _category_rows(application_type.dtype, s)[inverse]
    else:
        values = np.asarray(application_type, dtype=object)
        inverse, uniques = pd.factorize(values, use_na_sentinel=False)
        if len(inverse) != n:
            raise DwangsomError(f"application_type: {len(inverse)} values for {n} cases")
        code = _type_rows(uniques, s)[inverse]
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
