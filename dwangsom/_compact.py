"""Run the engine's penalty functions only on the cases where a penalty can arise.

A case without a judgment has no court penalty, and a case without a notice of default has no
administrative penalty (Awb 4:17(1)-(3)): their rows of :class:`~dwangsom.engine.CourtArrays` /
:class:`~dwangsom.engine.AdminArrays` are the same for every such case, apart from the
decision term. The functions here call :func:`~dwangsom.engine.court_arrays` and
:func:`~dwangsom.engine.admin_arrays` on the rows that have the event, take every other row's
values from one call on a single row without it (so they are whatever the engine gives, never
a copy of its defaults), and scatter both into full-length arrays. The decision term of the
rows without a notice (deadline, moratorium, 21-month cap, regime) comes from the engine's own
term function. Callers must have validated
the inputs (as :mod:`dwangsom.cases` does): errors the engine raises for rows not passed to it
would not be raised here.

The results are element for element those of one call on all rows; the differential tests
(``tests/test_properties.py``) and ``tests/test_speed.py`` check it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from . import engine
from .scenario import Scenario

Rows = npt.NDArray[np.int64]
T = TypeVar("T")

#: Below this many cases the split costs more than it saves; one call runs on every row.
MIN_ROWS = 2048


def _take(value: Any, rows: Any, n: int) -> Any:
    """``value`` at ``rows`` (a boolean mask or row numbers) when it is one value per case;
    unchanged when it is shared."""
    if value is None or isinstance(value, str | np.datetime64):
        return value
    if hasattr(value, "__len__") and len(value) == n and np.ndim(value) >= 1:
        return value[rows]  # a numpy array or a pandas Categorical
    return value


def _scatter(cls: type[T], n: int, rows: Rows, sub: T, filler: T, **known: Any) -> T:
    """Full-length fields: ``filler`` (one row) everywhere, ``sub`` at ``rows``, ``known``
    fields as given."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in known:
            out[f.name] = known[f.name]
            continue
        part, one = getattr(sub, f.name), getattr(filler, f.name)
        if f.name == "windows":
            out[f.name] = tuple(
                (a, b, _fill(n, rows, applies, one_applies))
                for (a, b, applies), (_, _, one_applies) in zip(part, one, strict=True)
            )
        else:
            out[f.name] = _fill(n, rows, part, one)
    return cls(**out)


def _fill(n: int, rows: Any, part: npt.NDArray[Any], one: npt.NDArray[Any]) -> Any:
    """``one[0]`` everywhere, ``part`` at ``rows``."""
    full = np.empty((n, *one.shape[1:]), dtype=np.result_type(part.dtype, one.dtype))
    full[...] = one[0]
    full[rows] = part
    return full


def _split(has: npt.NDArray[np.bool_]) -> tuple[Rows, Rows] | None:
    """(the rows with the event, the first row without it), or None when one call on all
    rows is as good. Row numbers, not masks: numpy gathers and scatters by index several
    times faster than by a boolean mask."""
    n = has.size
    if n < MIN_ROWS:
        return None
    rows = np.flatnonzero(has)
    if rows.size > n * 4 // 5:  # the split pays while a fifth of the rows or more lack it
        return None
    return rows, np.array([int(np.argmin(has))])  # argmin: the first False


def _call(
    func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], rows: Any, n: int
) -> T:
    return func(
        *(_take(a, rows, n) for a in args),
        **{k: _take(v, rows, n) for k, v in kwargs.items()},
    )


def court_arrays(judgment_sent: engine.Days, *args: Any, **kwargs: Any) -> engine.CourtArrays:
    """:func:`engine.court_arrays` with the same arguments, run on the rows with a judgment."""
    n = judgment_sent.size
    split = _split(~np.isnat(judgment_sent))
    if split is None:
        return engine.court_arrays(judgment_sent, *args, **kwargs)
    rows, first_without = split
    allargs = (judgment_sent, *args)
    sub = _call(engine.court_arrays, allargs, kwargs, rows, n)
    filler = _call(engine.court_arrays, allargs, kwargs, first_without, n)
    return _scatter(engine.CourtArrays, n, rows, sub, filler)


def admin_arrays(
    received: engine.Days,
    notice_received: engine.Days,
    *args: Any,
    scenario: Scenario,
    **kwargs: Any,
) -> engine.AdminArrays:
    """:func:`engine.admin_arrays` with the same arguments, run on the rows with a notice;
    the other rows get their deadline from the engine's deadline function."""
    n = received.size
    split = _split(~np.isnat(notice_received))
    if split is None:
        return engine.admin_arrays(received, notice_received, *args, scenario=scenario, **kwargs)
    rows, first_without = split
    rest = np.ones(n, dtype=bool)
    rest[rows] = False
    rest = np.flatnonzero(rest)
    allargs = (received, notice_received, *args)
    kw = {**kwargs, "scenario": scenario}
    sub = _call(engine.admin_arrays, allargs, kw, rows, n)
    filler = _call(engine.admin_arrays, allargs, kw, first_without, n)
    kinds = engine._types(
        _take(kwargs.get("application_type", "asylum"), rest, n), rest.size, scenario
    )
    ext = _take(kwargs.get("extension_months"), rest, n)
    ext = np.zeros(rest.size, dtype=np.int64) if ext is None else np.asarray(ext, np.int64)
    nationality = _take(kwargs.get("nationality"), rest, n)
    codes = None if nationality is None else engine.nationality_codes(nationality, rest.size)
    decided = args[0] if args else kwargs.get("decided")
    done = engine._days(_take(decided, rest, n), "decided", rest.size)
    # the decision term (RULES §2, moratoria included) of the rows without a notice
    term = engine._term_arrays(received[rest], kinds, ext, scenario, codes, done)
    known: dict[str, Any] = {}
    for field, value in (
        ("deadline", term.deadline),
        ("extension_months", term.categorical),
        ("base_deadline", term.base_deadline),
        ("moratorium_first", term.moratorium_first),
        ("capped", term.capped),
        ("nareis_bill", term.nareis_bill),
        ("regime_unconfirmed", term.regime_unconfirmed),
    ):
        part = getattr(sub, field)
        full = np.empty(n, dtype=np.result_type(part.dtype, value.dtype))
        full[rows], full[rest] = part, value
        known[field] = full
    return _scatter(engine.AdminArrays, n, rows, sub, filler, **known)
