"""Run the engine's penalty functions only on the cases where a penalty can arise.

A case without a judgment has no court penalty, and a case without a notice of default has no
administrative penalty (Awb 4:17(1)-(3)): their rows of :class:`~dwangsom.engine.CourtArrays` /
:class:`~dwangsom.engine.AdminArrays` are the same for every such case, apart from the
decision term. The functions here call :func:`~dwangsom.engine.court_arrays` and
:func:`~dwangsom.engine.admin_arrays` on the rows that have the event, take every other row's
values from one call on a single row without it (so they are whatever the engine gives, never
a copy of its defaults), and return a :class:`Partial`: the two results side by side, made into
full-length arrays only for the fields a caller reads (an ``assess`` reads a dozen; the monthly
totals read none, they work on the rows with a penalty). The decision term of the rows without
a notice (deadline, moratorium, 21-month cap, regime) comes from the engine's own term
function, when it is read. Callers must have validated the inputs (as :mod:`dwangsom.cases`
does): errors the engine raises for rows not passed to it would not be raised here.

The results are element for element those of one call on all rows; the differential tests
(``tests/test_properties.py``) and ``tests/test_speed.py`` check it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from . import engine
from .scenario import Scenario

Rows = npt.NDArray[np.int64]
T = TypeVar("T")

#: Below this many cases the split costs more than it saves; one call runs on every row.
MIN_ROWS = 2048

#: Fields holding row positions (of the rows passed to the engine): mapped back to all rows.
_POSITION_FIELDS = frozenset({"group_lead"})


def _take(value: Any, rows: Any, n: int) -> Any:
    """``value`` at ``rows`` (a boolean mask or row numbers) when it is one value per case;
    unchanged when it is shared."""
    if value is None or isinstance(value, str | np.datetime64):
        return value
    if hasattr(value, "__len__") and len(value) == n and np.ndim(value) >= 1:
        return value[rows]  # a numpy array or a pandas Categorical
    return value


def _fill(n: int, rows: Rows, part: npt.NDArray[Any], one: npt.NDArray[Any]) -> Any:
    """``one[0]`` everywhere, ``part`` at ``rows``."""
    full = np.empty((n, *one.shape[1:]), dtype=np.result_type(part.dtype, one.dtype))
    full[...] = one[0]
    full[rows] = part
    return full


def pick(cls: type[T], source: Any, positions: Rows, fields: Sequence[str]) -> T:
    """A ``cls`` (frozen arrays) with only the ``fields`` of ``source``, at ``positions``
    (the rest unset: reading one fails loudly)."""
    out = object.__new__(cls)
    for name in fields:
        value = getattr(source, name)
        if name == "windows":
            value = tuple((a, b, m[positions]) for a, b, m in value)
        else:
            value = value[positions]
        object.__setattr__(out, name, value)
    return out


#: The field names of each engine result type (read once, not per call).
_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}


def _field_names(cls: type[Any]) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


class Partial(Generic[T]):
    """The engine's arrays (``T``: :class:`~dwangsom.engine.AdminArrays` or
    :class:`~dwangsom.engine.CourtArrays`) of ``n`` cases, computed on the cases ``rows``
    (``sub``) and on one case without the event (``filler``, the value of every other row).

    Reading a field (``partial.deadline``) gives the full-length array, built once;
    :meth:`full` builds it in another dtype (dates in seconds for a result column) without a
    copy in between. ``lazy`` gives the other rows and their values of the fields that are
    not the filler's (the decision term), when first read. :meth:`select` gives the cases
    where a field passes a test and their arrays, without building full-length arrays. With
    ``rows=None`` the engine ran on every case and ``sub`` is its result.
    """

    def __init__(
        self,
        cls: type[T],
        n: int,
        sub: T,
        rows: Rows | None = None,
        filler: T | None = None,
        lazy: Callable[[], tuple[Rows, dict[str, npt.NDArray[Any]]]] | None = None,
        lazy_fields: Sequence[str] = (),
        derived: dict[str, Any] | None = None,
    ) -> None:
        self._cls, self._n, self._sub, self._rows = cls, n, sub, rows
        self._filler, self._lazy, self._lazy_fields = filler, lazy, frozenset(lazy_fields)
        self._names = _field_names(cls)
        self._full: dict[tuple[str, str | None], Any] = {}
        self._rest: tuple[Rows, dict[str, npt.NDArray[Any]]] | None = None
        #: What callers derive from ``sub`` and ``filler`` alone, never from the ``lazy``
        #: fields (kept with the engine's result: scenarios sharing it share these too).
        self.derived: dict[str, Any] = {} if derived is None else derived

    @classmethod
    def whole(cls, kind: type[T], n: int, result: tuple[T, dict[str, Any]]) -> Partial[T]:
        """A result computed on every one of the ``n`` cases (and its derived values)."""
        return cls(kind, n, result[0], derived=result[1])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._names:
            raise AttributeError(name)
        return self.full(name)

    def full(self, name: str, dtype: Any = None) -> Any:
        """The full-length array of field ``name`` (in ``dtype``: ``None`` keeps the
        engine's), built once."""
        if name not in self._names:
            raise AttributeError(name)
        if self._rows is None:
            value = getattr(self._sub, name)
            return value if dtype is None or value.dtype == dtype else value.astype(dtype)
        key = (name, None if dtype is None else np.dtype(dtype).str)
        if key not in self._full:
            out = None
            if name != "windows":
                shape = (self._n, *getattr(self._sub, name).shape[1:])
                out = np.empty(shape, dtype=dtype or self._dtype(name))
            self._full[key] = self._build(name, out)
        return self._full[key]

    def into(self, name: str, out: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Field ``name`` written into ``out`` (one value per case, in ``out``'s dtype; not
        kept): a result column filled without a copy in between."""
        if name not in self._names or name == "windows":
            raise AttributeError(name)
        if self._rows is None:
            out[...] = getattr(self._sub, name)
            return out
        key = (name, out.dtype.str)
        if key in self._full:
            out[...] = self._full[key]
            return out
        return self._build(name, out)  # type: ignore[no-any-return]

    def _dtype(self, name: str) -> np.dtype[Any]:
        assert self._filler is not None
        part, one = getattr(self._sub, name), getattr(self._filler, name)
        if name in self._lazy_fields:
            one = self._rest_values()[1][name]
        return np.result_type(part.dtype, one.dtype)

    def _rest_values(self) -> tuple[Rows, dict[str, npt.NDArray[Any]]]:
        if self._rest is None:
            assert self._lazy is not None
            self._rest = self._lazy()
        return self._rest

    def _build(self, name: str, out: Any) -> Any:
        assert self._rows is not None and self._filler is not None
        part, one = getattr(self._sub, name), getattr(self._filler, name)
        if name == "windows":
            return tuple(
                (a, b, _fill(self._n, self._rows, m, om))
                for (a, b, m), (_, _, om) in zip(part, one, strict=True)
            )
        if name in _POSITION_FIELDS:  # positions among the rows the engine saw
            part = np.where(part >= 0, self._rows[np.maximum(part, 0)], part)
        if name not in self._lazy_fields:
            out[...] = one[0]
        else:
            rest, values = self._rest_values()
            out[rest] = values[name]
        out[self._rows] = part
        return out

    def arrays(self) -> T:
        """Every field full-length: what one engine call on all cases gives."""
        if self._rows is None:
            return self._sub
        return self._cls(**{name: getattr(self, name) for name in sorted(self._names)})

    def select(
        self, name: str, test: Callable[[Any], npt.NDArray[np.bool_]], fields: Sequence[str]
    ) -> tuple[Rows, T]:
        """The case numbers where ``test(field)`` holds, and a copy of the arrays with only the
        ``fields``, at those cases. Full-length arrays are built only when the test holds for
        the cases without the event (or the field is one of the ``lazy`` ones)."""
        if self._rows is None:
            rows = np.flatnonzero(test(getattr(self._sub, name)))
            return rows, pick(self._cls, self._sub, rows, fields)
        assert self._filler is not None
        if name in self._lazy_fields or test(getattr(self._filler, name)).any():
            rows = np.flatnonzero(test(getattr(self, name)))
            return rows, pick(self._cls, self, rows, fields)
        pos = np.flatnonzero(test(getattr(self._sub, name)))
        return self._rows[pos], pick(self._cls, self._sub, pos, fields)


_SCENARIO_FIELDS = frozenset(f.name for f in dataclasses.fields(Scenario))


class _Recording(Scenario):
    """A copy of a scenario that notes the fields read from it (and their values): each field
    is a property of this class (a data descriptor, so it comes before the copied instance
    dictionary), every other attribute is read as on the scenario."""


def _recorded(name: str) -> property:
    def read(self: _Recording) -> Any:
        state = self.__dict__
        value = state[name]
        reads = state.get("_dwangsom_reads")
        if reads is not None:  # None: a copy made from the recording (dataclasses.replace)
            reads.setdefault(name, value)
        return value

    def write(self: _Recording, value: Any) -> None:  # object.__setattr__, as __init__ does
        self.__dict__[name] = value

    return property(read, write)


for _name in _SCENARIO_FIELDS:
    setattr(_Recording, _name, _recorded(_name))
del _name


def _recording(s: Scenario) -> tuple[Scenario, dict[str, Any]]:
    copy = object.__new__(_Recording)
    state = object.__getattribute__(copy, "__dict__")
    state.update(vars(s))
    reads: dict[str, Any] = {}
    state["_dwangsom_reads"] = reads
    return copy, reads


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:  # an array, or a value without a plain equality: not shared
        return False


#: Results kept per kind of penalty by :func:`shared` (each holds arrays of every case).
SHARED_KEPT = 3


def shared(memo: dict[str, Any], kind: str, s: Scenario, run: Callable[[Scenario], T]) -> T:
    """``run(s)``, or the result of an earlier call on a scenario that agrees with ``s`` in
    every field that call read.

    ``run`` must be a pure function of its scenario and of inputs the same for every call on
    ``memo`` (the same case table and ``as_of``: the caller keys ``memo`` on them). The fields
    it reads are recorded while it runs; a later scenario with the same values in those
    fields takes the same path through ``run`` and gets the same result, so
    :func:`dwangsom.cases.compare` runs the court penalty once for scenarios that differ only
    in the Temporary Act, and the administrative penalty once for those that differ only in
    the court's.
    """
    kept: list[tuple[dict[str, Any], T]] = memo.setdefault(kind, [])
    for reads, result in kept:
        if all(_same(getattr(s, name), value) for name, value in reads.items()):
            return result
    recording, reads = _recording(s)
    result = run(recording)
    kept.append((dict(reads), result))
    del kept[:-SHARED_KEPT]
    return result


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


def _run(memo: dict[str, Any] | None, kind: str, s: Scenario, run: Callable[[Scenario], T]) -> T:
    return run(s) if memo is None else shared(memo, kind, s, run)


def _gathered(
    memo: dict[str, Any] | None,
    kind: str,
    has: Any,
    allargs: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[Rows, tuple[Any, ...], dict[str, Any], tuple[Any, ...], dict[str, Any]] | None:
    """(the rows with the event, their arguments, the arguments of the first row without
    it), or None when one call on all rows is as good; kept in ``memo`` (the same inputs for
    every scenario)."""
    key = f"{kind}-split"
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[no-any-return]
    n = allargs[0].size
    split = _split(has() if callable(has) else has)
    out = None
    if split is not None:
        rows, first_without = split
        out = (
            rows,
            tuple(_take(a, rows, n) for a in allargs),
            {k: _take(v, rows, n) for k, v in kwargs.items()},
            tuple(_take(a, first_without, n) for a in allargs),
            {k: _take(v, first_without, n) for k, v in kwargs.items()},
        )
    if memo is not None:
        memo[key] = out
    return out


def court_arrays(
    judgment_sent: engine.Days,
    *args: Any,
    scenario: Scenario,
    memo: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Partial[engine.CourtArrays]:
    """:func:`engine.court_arrays` with the same arguments, run on the rows with a judgment
    (and every row of a court group: its members share the lead case's judgment, RULES §6).
    With a ``memo`` (see :func:`shared`) an earlier result is reused where it can be."""
    n = judgment_sent.size
    allargs = (judgment_sent, *args)

    def has() -> npt.NDArray[np.bool_]:
        found = ~np.isnat(judgment_sent)
        group = kwargs.get("group")
        return found if group is None else found | (np.asarray(group) >= 0)

    split = _gathered(memo, "court", has, allargs, kwargs)
    if split is None:

        def whole(sc: Scenario) -> tuple[engine.CourtArrays, dict[str, Any]]:
            return engine.court_arrays(*allargs, scenario=sc, **kwargs), {}

        return Partial.whole(engine.CourtArrays, n, _run(memo, "court", scenario, whole))
    rows, sub_args, sub_kw, one_args, one_kw = split

    def parts(sc: Scenario) -> tuple[engine.CourtArrays, engine.CourtArrays, dict[str, Any]]:
        return (
            engine.court_arrays(*sub_args, scenario=sc, **sub_kw),
            engine.court_arrays(*one_args, scenario=sc, **one_kw),
            {},
        )

    sub, filler, derived = _run(memo, "court", scenario, parts)
    return Partial(engine.CourtArrays, n, sub, rows, filler, derived=derived)


#: AdminArrays fields that come from the decision term (TermArrays field of the same value).
_TERM_FIELDS = {
    "deadline": "deadline",
    "extension_months": "categorical",
    "base_deadline": "base_deadline",
    "moratorium_first": "moratorium_first",
    "capped": "capped",
    "nareis_bill": "nareis_bill",
    "regime_unconfirmed": "regime_unconfirmed",
}


def admin_arrays(
    received: engine.Days,
    notice_received: engine.Days,
    decided: Any = None,
    *,
    scenario: Scenario,
    memo: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Partial[engine.AdminArrays]:
    """:func:`engine.admin_arrays` with the same arguments, run on the rows with a notice;
    the other rows get their deadline from the engine's deadline function (when read, with
    ``scenario`` itself: the term is never shared). With a ``memo`` (see :func:`shared`) an
    earlier result is reused where it can be."""
    n = received.size
    allargs = (received, notice_received, decided)
    split = _gathered(memo, "admin", lambda: ~np.isnat(notice_received), allargs, kwargs)
    if split is None:

        def whole(sc: Scenario) -> tuple[engine.AdminArrays, dict[str, Any]]:
            return engine.admin_arrays(*allargs, scenario=sc, **kwargs), {}

        return Partial.whole(engine.AdminArrays, n, _run(memo, "admin", scenario, whole))
    rows, sub_args, sub_kw, one_args, one_kw = split

    def parts(sc: Scenario) -> tuple[engine.AdminArrays, engine.AdminArrays, dict[str, Any]]:
        return (
            engine.admin_arrays(*sub_args, scenario=sc, **sub_kw),
            engine.admin_arrays(*one_args, scenario=sc, **one_kw),
            {},
        )

    sub, filler, derived = _run(memo, "admin", scenario, parts)

    def rest_inputs() -> tuple[Rows, Any, Any, Any, engine.Days, engine.Days]:
        rest = np.ones(n, dtype=bool)
        rest[rows] = False
        rest_rows = np.flatnonzero(rest)
        ext = _take(kwargs.get("extension_months"), rest_rows, n)
        ext = np.zeros(rest_rows.size, np.int64) if ext is None else np.asarray(ext, np.int64)
        nationality = _take(kwargs.get("nationality"), rest_rows, n)
        codes = (
            None if nationality is None else engine.nationality_codes(nationality, rest_rows.size)
        )
        done = engine._days(_take(decided, rest_rows, n), "decided", rest_rows.size)
        kind = _take(kwargs.get("application_type", "asylum"), rest_rows, n)
        return rest_rows, kind, ext, codes, done, received[rest_rows]

    def term() -> tuple[Rows, dict[str, npt.NDArray[Any]]]:
        # the decision term (RULES §2, moratoria included) of the rows without a notice
        found = None if memo is None else memo.get("admin-rest")
        if found is None:
            found = rest_inputs()
            if memo is not None:
                memo["admin-rest"] = found
        rest_rows, kind, ext, codes, done, days = found
        kinds = engine._types(kind, rest_rows.size, scenario)
        t = engine._term_arrays(days, kinds, ext, scenario, codes, done)
        return rest_rows, {field: getattr(t, name) for field, name in _TERM_FIELDS.items()}

    return Partial(
        engine.AdminArrays, n, sub, rows, filler, term, tuple(_TERM_FIELDS), derived=derived
    )
