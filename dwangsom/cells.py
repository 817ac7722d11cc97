"""One reading of a cell: the date, number and yes/no readers every entry point uses.

The scalar functions (:mod:`dwangsom.rules` through :func:`dwangsom._dates.as_optional_date`),
:func:`dwangsom.explain` and the case-table parser (:func:`dwangsom.validate`,
:func:`dwangsom.assess`) read a cell with the same function, so they accept and reject the same
values. A reader never raises: it returns the value and the name of the problem (``None`` when
there is none); a missing cell is ``(None, None)``.

Dates (:func:`read_date`) are calendar dates:

- :class:`datetime.date`, :class:`datetime.datetime` / :class:`pandas.Timestamp` (the time of
  day is dropped), :class:`numpy.datetime64` of any unit from days down (``[D]``, ``[s]``,
  ``[us]``, ``[ns]``: pandas 3 reads ``[us]``; everything is normalised to days);
- text ``YYYY-MM-DD`` (ISO 8601) or ``dd-mm-jjjj`` / ``d-m-jjjj`` (Dutch), each optionally
  followed by a time of day (``2023-05-01 00:00:00``, ``1-5-2023 0:00``), which is dropped.

Problems: ``time-zone`` (a date with a zone or offset: a calendar date has none),
``incomplete-date`` (``2023``, ``2023-05``, ``05-2023``, a ``datetime64[Y]`` or ``[M]``: no
day is guessed), ``not-a-date`` (anything else, numbers included: they are not read as
serial days or epochs).

>>> read_date("25-10-2023")
(datetime.date(2023, 10, 25), None)
>>> read_date("2023-05")
(None, 'incomplete-date')
>>> read_date(pd.Timestamp("2023-05-01", tz="Europe/Amsterdam"))
(None, 'time-zone')

Numbers (:func:`read_number`) are read with the decimal convention of the file: ``","``
(Dutch, a ``;``-separated file: ``15.000`` is fifteen thousand, ``12,5`` twelve and a half),
``"."`` (English) or ``None`` (unknown: a table built in Python). A number whose reading depends
on the convention (``15.000`` or ``15,000`` when it is unknown, ``12.5`` in a Dutch file) is
not guessed: it is the problem ``ambiguous-number``. Typed numbers stay numbers; booleans are
not numbers; full-width digits and signs (``１５``, ``－５``) and a leading ``€`` are read.

>>> read_number("15.000", decimal=",")
(15000.0, None)
>>> read_number("15.000")
(None, 'ambiguous-number')
>>> read_number("1.250.000")
(1250000.0, None)
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "DATE_RULES",
    "DECIMAL_ATTR",
    "NUMBER_RULES",
    "DecimalMark",
    "decimal_mark",
    "is_missing",
    "read_bool",
    "read_bools",
    "read_date",
    "read_dates",
    "read_number",
    "read_numbers",
    "show",
    "typed_days",
    "typed_numbers",
]

DecimalMark = Literal[",", "."] | None
Days = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "D")

#: Why a date cell is refused, by problem name (shown in the problems table).
DATE_RULES: dict[str, str] = {
    "not-a-date": "dates are ISO YYYY-MM-DD or dd-mm-jjjj calendar dates",
    "incomplete-date": "a date needs a day, a month and a year (no day is guessed)",
    "time-zone": "dates are calendar dates without a time zone",
}
#: Why a number cell is refused, by problem name.
NUMBER_RULES: dict[str, str] = {
    "not-a-number": "amounts and counts are whole numbers",
    "ambiguous-number": "the number reads differently with a decimal comma and a decimal point "
    "(15.000 is fifteen thousand in Dutch, fifteen in English): write it without thousands "
    "separators, or read a ';' file with read_cases (Dutch convention)",
}

_NULL_TEXT = {"", "nan", "nat", "none", "null", "<na>", "n/a"}
_TRUE = {"true", "1", "yes", "ja", "y", "j", "waar", "1.0"}
_FALSE = {"false", "0", "no", "nee", "n", "onwaar", "0.0"}

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_ZONE = r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))"
_ISO = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_TIME}")
_DUTCH = re.compile(rf"(\d{{1,2}})-(\d{{1,2}})-(\d{{4}}){_TIME}")
_ZONED = re.compile(rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}-\d{{1,2}}-\d{{4}}){_TIME}{_ZONE}")
_INCOMPLETE = re.compile(r"\d{4}|\d{4}-\d{1,2}|\d{1,2}-\d{4}|\d{4}-W\d{2}|\d{4}-Q[1-4]")
_STRICT_ISO = r"\d{4}-\d{2}-\d{2}"
_EPOCH = _dt.date(1970, 1, 1)


def _text(value: str) -> str:
    """NFKC (full-width digits, signs and ``＝`` to ASCII), trimmed, non-breaking spaces as
    spaces."""
    return unicodedata.normalize("NFKC", value).replace("\u2212", "-").strip()


def is_missing(value: Any) -> bool:
    """Whether one cell means "empty": None, NaN, NaT, pd.NA or blank text ("", "nan",
    "none", "null", "<NA>", "n/a", any capitals)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return _text(value).lower() in _NULL_TEXT
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def show(value: Any) -> str:
    """A cell as text for the problems table (never raises)."""
    if is_missing(value):
        return ""
    try:
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    except Exception:  # a foreign object whose __str__ fails is still named by its type
        return f"<{type(value).__name__}>"
    return text if len(text) <= 200 else text[:197] + "..."


#: Where :func:`dwangsom.read_cases` records the decimal mark of the file it read.
DECIMAL_ATTR = "dwangsom.decimal"


def decimal_mark(table: pd.DataFrame) -> DecimalMark:
    """The decimal mark a case table was read with (``table.attrs["dwangsom.decimal"]``, set by
    :func:`dwangsom.read_cases`: ``","`` for a ``;`` file), or ``None`` (unknown)."""
    mark = table.attrs.get(DECIMAL_ATTR)
    return mark if mark in (",", ".") else None


# --- dates ------------------------------------------------------------------------------------


def _calendar(year: str, month: str, day: str) -> tuple[_dt.date | None, str | None]:
    try:
        return _dt.date(int(year), int(month), int(day)), None
    except ValueError:
        return None, "not-a-date"


def read_date(value: Any) -> tuple[_dt.date | None, str | None]:
    """``(date, None)``, ``(None, None)`` for an empty cell, or ``(None, problem)`` with a
    problem of :data:`DATE_RULES`. Never raises."""
    if is_missing(value):
        return None, None
    if isinstance(value, pd.Timestamp | _dt.datetime):
        if value.tzinfo is not None:
            return None, "time-zone"
        return _dt.date(value.year, value.month, value.day), None
    if isinstance(value, _dt.date):
        return value, None
    if isinstance(value, np.datetime64):
        unit = np.datetime_data(value.dtype)[0]
        if unit in ("Y", "M"):
            return None, "incomplete-date"
        if unit == "W":
            return None, "not-a-date"
        try:
            day = int(value.astype("datetime64[D]").astype(np.int64))
            return _EPOCH + _dt.timedelta(days=day), None
        except (OverflowError, ValueError):
            return None, "not-a-date"
    if isinstance(value, str):
        return _read_date_text(value)
    return None, "not-a-date"


def _read_date_text(value: str) -> tuple[_dt.date | None, str | None]:
    text = _text(value)
    m = _ISO.fullmatch(text)
    if m:
        return _calendar(m.group(1), m.group(2), m.group(3))
    m = _DUTCH.fullmatch(text)
    if m:
        return _calendar(m.group(3), m.group(2), m.group(1))
    if _ZONED.fullmatch(text):
        return None, "time-zone"
    if _INCOMPLETE.fullmatch(text):
        return None, "incomplete-date"
    return None, "not-a-date"


def _cell_loop(
    values: npt.NDArray[Any], read: Callable[[Any], tuple[Any, str | None]]
) -> tuple[list[Any], list[str | None]]:
    got, problems = [], []
    for v in values:
        x, problem = read(v)
        got.append(x)
        problems.append(problem)
    return got, problems


def _distinct(values: pd.Series) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]] | None:
    """Codes and distinct cells (empty cells code -1), or None when cells are unhashable or
    would be merged wrongly (``True == 1`` to a hash table)."""
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(
        values.dtype
    ):  # a text column (pandas' str dtype): factorized as it is, nothing to merge wrongly
        text_codes, text_uniques = pd.factorize(values)
        return np.asarray(text_codes, dtype=np.int64), np.asarray(text_uniques, dtype=object)
    obj = values.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(obj, skipna=True)
    if kind in ("boolean", "mixed", "mixed-integer", "mixed-integer-float"):
        return None
    try:
        codes, uniques = pd.factorize(obj)
    except (TypeError, ValueError):
        return None
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _masks(problems: list[str | None], names: dict[str, str]) -> dict[str, npt.NDArray[np.bool_]]:
    arr = np.array([p or "" for p in problems], dtype=object)
    return {name: arr == name for name in names}


def typed_days(values: Any) -> Days | None:
    """A ``datetime64`` column of any unit without a time zone (a Series, or the numpy or
    pandas datetime array it stores) as ``datetime64[D]`` days, or None for any other column.
    Every cell of such a column is a date or NaT: none can fail."""
    dtype = values.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind != "M":
        return None
    if isinstance(values, pd.Series):
        values = values.values  # the numpy array itself (to_numpy() costs a copy check)
    return np.asarray(values).astype("datetime64[D]")


def typed_numbers(
    values: Any,
) -> tuple[npt.NDArray[np.float64], dict[str, npt.NDArray[np.bool_]]] | None:
    """:func:`read_numbers` of a column stored as a numpy array of integers or floats (what
    a typed column holds), or None for any other array."""
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "iuf":
        return None
    n = len(values)
    arr = values.astype(float)
    inf = np.isinf(arr)
    checks = {name: np.zeros(n, dtype=bool) for name in NUMBER_RULES}
    return np.where(inf, np.nan, arr), {**checks, "not-a-number": inf}


def read_dates(values: pd.Series) -> tuple[Days, dict[str, npt.NDArray[np.bool_]]]:
    """One column through :func:`read_date`: ``(datetime64[D] days, {problem: row mask})``.
    NaT where the cell is empty or has a problem. Each distinct cell is read once."""
    n = len(values)
    none = {name: np.zeros(n, dtype=bool) for name in DATE_RULES}
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return np.full(n, NAT), {**none, "time-zone": values.notna().to_numpy()}
    typed = typed_days(values)
    if typed is not None:
        return typed, none
    if isinstance(dtype, pd.CategoricalDtype):
        values = values.astype(object)
    elif not pd.api.types.is_object_dtype(dtype) and not pd.api.types.is_string_dtype(dtype):
        # numbers, booleans, timedeltas, periods: not dates
        nulls = values.isna().to_numpy()
        return np.full(n, NAT), {**none, "not-a-date": ~nulls}
    distinct = _distinct(values)
    if distinct is None:
        got, problems = _cell_loop(values.to_numpy(dtype=object), read_date)
        days = np.array([NAT if d is None else np.datetime64(d, "D") for d in got], "M8[D]")
        return days.reshape(n), _masks(problems, DATE_RULES)
    codes, uniques = distinct
    udays = _fast_iso(uniques)
    if udays is None:
        got, problems = _cell_loop(uniques, read_date)
        udays = np.array([NAT if d is None else np.datetime64(d, "D") for d in got], "M8[D]")
        umasks = _masks(problems, DATE_RULES)
    else:
        umasks = {name: np.zeros(len(uniques), dtype=bool) for name in DATE_RULES}
    missing = codes < 0
    if not len(uniques):
        return np.full(n, NAT), none
    safe = np.where(missing, 0, codes)
    days = np.where(missing, NAT, udays.reshape(-1)[safe])
    return days, {k: ~missing & m[safe] for k, m in umasks.items()}


def _fast_iso(uniques: npt.NDArray[Any]) -> Days | None:
    """Distinct cells that are all strict ``YYYY-MM-DD`` text, parsed by numpy in one call."""
    if not len(uniques) or not all(isinstance(u, str) for u in uniques):
        return None
    text = pd.Series(uniques, dtype=object)
    if not text.str.fullmatch(_STRICT_ISO).all():
        return None
    try:
        return np.array(uniques.astype(str), dtype="datetime64[D]")
    except ValueError:  # an impossible calendar date: read cell by cell
        return None


# --- numbers ----------------------------------------------------------------------------------

_PLAIN = re.compile(r"\d+")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?")
_ONE_GROUP = re.compile(r"\d{1,3}[.,]\d{3}")
_DECIMAL_COMMA = re.compile(r"\d*,\d+")
_DECIMAL_DOT = re.compile(r"\d*\.\d+|\d+\.")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")


def read_number(value: Any, decimal: DecimalMark = None) -> tuple[float | None, str | None]:
    """``(number, None)``, ``(None, None)`` for an empty cell or ``(None, problem)`` with a
    problem of :data:`NUMBER_RULES`. ``decimal`` is the file's decimal mark (``","`` Dutch,
    ``"."`` English, ``None`` unknown). Never raises."""
    if is_missing(value):
        return None, None
    if isinstance(value, bool | np.bool_):
        return None, "not-a-number"
    if isinstance(value, int | np.integer | float | np.floating | Decimal | Fraction):
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return None, "not-a-number"
        return (number, None) if np.isfinite(number) else (None, "not-a-number")
    if not isinstance(value, str):
        return None, "not-a-number"
    text = _text(value).replace("\u00a0", " ").replace("\u202f", " ")
    for prefix in ("€", "EUR", "eur"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    sign = 1.0
    if text[:1] in "+-" and text:
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:].strip()
    got, problem = _unsigned(text, decimal)
    return (None, problem or "not-a-number") if got is None else (sign * got, None)


def _unsigned(text: str, decimal: DecimalMark) -> tuple[float | None, str | None]:
    if _PLAIN.fullmatch(text):
        return _number(text), None
    if _ONE_GROUP.fullmatch(text):  # 15.000 / 15,000: the convention decides
        if decimal is None:
            return None, "ambiguous-number"
        thousands = "." if decimal == "," else ","
        return _number(text.replace(thousands, "").replace(decimal, ".")), None
    if _DOT_GROUPS.fullmatch(text):  # 1.250.000 or 1.250,50: Dutch
        if decimal == ".":
            return None, "ambiguous-number"
        return _number(text.replace(".", "").replace(",", ".")), None
    if _COMMA_GROUPS.fullmatch(text):  # 1,250,000 or 1,250.50: English
        if decimal == ",":
            return None, "ambiguous-number"
        return _number(text.replace(",", "")), None
    if _SPACE_GROUPS.fullmatch(text):
        return _number(text.replace(" ", "").replace(",", ".")), None
    if _DECIMAL_COMMA.fullmatch(text):
        if decimal == ".":
            return None, "ambiguous-number"
        return _number(text.replace(",", ".")), None
    if _DECIMAL_DOT.fullmatch(text) or _SCIENTIFIC.fullmatch(text):
        if decimal == ",":
            return None, "ambiguous-number"
        return _number(text), None
    return None, "not-a-number"


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def read_numbers(
    values: pd.Series, decimal: DecimalMark = None
) -> tuple[npt.NDArray[np.float64], dict[str, npt.NDArray[np.bool_]]]:
    """One column through :func:`read_number`: ``(floats, {problem: row mask})``; NaN where
    empty or refused. Typed numeric columns are taken as they are."""
    n = len(values)
    none = {name: np.zeros(n, dtype=bool) for name in NUMBER_RULES}
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return np.full(n, np.nan), {**none, "not-a-number": values.notna().to_numpy()}
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        if pd.api.types.is_complex_dtype(dtype):
            return np.full(n, np.nan), {**none, "not-a-number": values.notna().to_numpy()}
        arr = np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        inf = np.isinf(arr)
        return np.where(inf, np.nan, arr), {**none, "not-a-number": inf}
    if not pd.api.types.is_object_dtype(dtype) and not pd.api.types.is_string_dtype(dtype):
        if isinstance(dtype, pd.CategoricalDtype):
            values = values.astype(object)
        else:  # dates, timedeltas, periods are not numbers
            return np.full(n, np.nan), {**none, "not-a-number": values.notna().to_numpy()}

    def read(v: Any) -> tuple[float | None, str | None]:
        return read_number(v, decimal)

    distinct = _distinct(values)
    if distinct is None:
        got, problems = _cell_loop(values.to_numpy(dtype=object), read)
        arr = np.array([np.nan if x is None else x for x in got], dtype=float).reshape(n)
        return arr, _masks(problems, NUMBER_RULES)
    codes, uniques = distinct
    if not len(uniques):
        return np.full(n, np.nan), none
    got, problems = _cell_loop(uniques, read)
    unumbers = np.array([np.nan if x is None else x for x in got], dtype=float)
    umasks = _masks(problems, NUMBER_RULES)
    missing = codes < 0
    safe = np.where(missing, 0, codes)
    return np.where(missing, np.nan, unumbers[safe]), {
        k: ~missing & m[safe] for k, m in umasks.items()
    }


# --- yes / no ---------------------------------------------------------------------------------


def read_bool(value: Any) -> tuple[bool | None, str | None]:
    """``True``/``False`` from a boolean, 1/0, or text true/false, yes/no, ja/nee, waar/onwaar,
    j/n, y/n; ``(None, "not-boolean")`` otherwise. Never raises."""
    if is_missing(value):
        return None, None
    if isinstance(value, bool | np.bool_):
        return bool(value), None
    if isinstance(value, int | np.integer | float | np.floating) and value in (0, 1):
        return bool(value), None
    if isinstance(value, str):
        text = _text(value).lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
    return None, "not-boolean"


def read_bools(values: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """One column through :func:`read_bool`: ``(flags, refused mask)``; empty is False."""
    n = len(values)
    if pd.api.types.is_bool_dtype(values.dtype) and not values.isna().any():
        return values.to_numpy(dtype=bool), np.zeros(n, dtype=bool)
    distinct = _distinct(values)
    if distinct is None:
        got, problems = _cell_loop(values.to_numpy(dtype=object), read_bool)
        flags = np.array([bool(x) for x in got], dtype=bool).reshape(n)
        return flags, np.array([p is not None for p in problems], dtype=bool).reshape(n)
    codes, uniques = distinct
    if not len(uniques):
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    got, problems = _cell_loop(uniques, read_bool)
    uflags = np.array([bool(x) for x in got], dtype=bool)
    ubad = np.array([p is not None for p in problems], dtype=bool)
    missing = codes < 0
    safe = np.where(missing, 0, codes)
    return ~missing & uflags[safe], ~missing & ubad[safe]
