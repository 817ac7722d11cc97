"""The liability by month (:func:`liability_by_month`) and scenarios side by side
(:func:`compare`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _compact, cells
from .._dates import as_date
from ..errors import DwangsomError
from ..export import stamp
from ..months import month_end_array, month_number_array
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .evaluation import Cases, _as_of, _ByBlock, _evaluated, _frame, _source
from .parsed import ParsedCases, _read
from .results import _Evaluation

__all__ = [
    "compare",
    "liability_by_month",
]


#: Case numbers, month numbers and euros: one entry per case and month with a penalty.
_Spread = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _spread_accrued(x: Any, rows: npt.NDArray[np.int64]) -> _Spread:
    """Each case's accrued amount split over the months of its penalty days, as differences
    of the amount accrued by successive month ends (``x.accrued_through``, on one entry per
    case and month from the month of ``x.first_day`` to that of ``x.last_day``)."""
    if not rows.size:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    m0 = month_number_array(x.first_day)
    count = month_number_array(x.last_day) - m0 + 1
    entry = np.repeat(np.arange(rows.size), count)
    start = np.cumsum(count) - count  # each case's first entry
    month = m0[entry] + (np.arange(entry.size) - start[entry])
    picked = _compact.pick(type(x), x, entry, tuple(vars(x)))
    now = picked.accrued_through(month_end_array(month))
    before = np.empty_like(now)
    before[0] = 0
    before[1:] = now[:-1]
    before[start] = 0
    return rows[entry], month, now - before


#: The fields ``accrued_through`` reads; the month spread takes only these for the running
#: cases (a field missing here fails loudly with AttributeError, never silently).
_ADMIN_ACCRUAL_FIELDS = ("days", "first_day", "last_day", "rates", "windows")
_COURT_ACCRUAL_FIELDS = ("days", "first_day", "last_day", "per_day", "cap")


def _positive(values: Any) -> npt.NDArray[np.bool_]:
    return np.asarray(values > 0, dtype=bool)


def _monthly(ev: _Evaluation, basis: str) -> dict[str, _Spread]:
    """The (case, month, euros) entries of the block's administrative and court penalties:
    per penalty day's month (``accrued``) or in the month they fall due (``cash``). Kept with
    the penalties (scenarios sharing a penalty share its entries)."""
    out: dict[str, _Spread] = {}
    for name, part, test, fields in (
        ("admin", ev.admin, "days", _ADMIN_ACCRUAL_FIELDS),
        ("court", ev.court, "amount", _COURT_ACCRUAL_FIELDS),
    ):
        found = part.derived.get(basis)
        if found is None:
            if basis == "accrued":
                rows, x = part.select(test, _positive, fields)
                found = _spread_accrued(x, rows)
            else:
                rows, x = part.select("amount", _positive, ("payable_by", "amount"))
                found = (rows, month_number_array(x.payable_by), x.amount)
            part.derived[basis] = found
        out[name] = found
    return out


def _table(
    parts: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]], index: pd.PeriodIndex
) -> pd.DataFrame:
    base = int(index[0].ordinal) if len(index) else 0
    out: dict[str, Any] = {}
    for name, (months, euros) in parts.items():
        sums = np.zeros(len(index), dtype=np.int64)
        if months.size:
            pos = months - _ordinal_offset() - base
            inside = (pos >= 0) & (pos < len(index))  # start=/end= cut months off: never wrap
            np.add.at(sums, pos[inside], euros[inside])
        out[name] = sums
    out["total"] = out["admin"] + out["court"]
    for name in ("admin", "court", "total"):
        out[f"{name}_cumulative"] = np.cumsum(out[name])
    # one int64 block (what the dict constructor and astype("int64") gave, in one step)
    values = np.empty((len(index), len(out)), dtype=np.int64)
    for i, column in enumerate(out.values()):
        values[:, i] = column
    return pd.DataFrame(values, index=index, columns=_month_columns(tuple(out)), copy=False)


_MONTH_COLUMNS: dict[tuple[str, ...], pd.Index] = {}


def _month_columns(names: tuple[str, ...]) -> pd.Index:
    """The column labels of a month table (kept: an Index is immutable)."""
    found = _MONTH_COLUMNS.get(names)
    if found is None:
        found = _MONTH_COLUMNS[names] = pd.Index(list(names))
    return found


_ORDINAL_OFFSET = int(pd.Period("1970-01", freq="M").ordinal)


def _ordinal_offset() -> int:
    """numpy month numbers count from 1970-01; pandas monthly Period ordinals too."""
    return _ORDINAL_OFFSET


def _month_index(
    parts: Iterable[dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]],
    as_of: np.datetime64,
    start: Any,
    end: Any,
) -> pd.PeriodIndex:
    found = [m[e != 0] for p in parts for m, e in p.values()]
    months = np.concatenate(found) if found else np.array([], dtype=np.int64)
    cut = int(month_number_array(np.array([as_of]))[0])
    lo = int(months.min()) if months.size else cut
    hi = max(int(months.max()) if months.size else cut, cut)
    if start is not None:
        lo = int(month_number_array(np.array([np.datetime64(as_date(start, "start"), "D")]))[0])
    if end is not None:
        hi = int(month_number_array(np.array([np.datetime64(as_date(end, "end"), "D")]))[0])
    if hi < lo:
        raise DwangsomError(f"end: the month range ends ({hi}) before it starts ({lo})")
    first = pd.Period(ordinal=lo + _ordinal_offset(), freq="M")
    return pd.period_range(start=first, periods=hi - lo + 1, freq="M", name="month")


def liability_by_month(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    basis: Literal["accrued", "cash"] = "accrued",
    by: str | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Administrative, court and total penalties per calendar month, with running totals.

    ``basis="accrued"`` puts each penalty day's euros in the month of that day (through
    ``as_of``); ``basis="cash"`` puts each amount in the month it falls due (``payable_by`` /
    ``court_payable_by`` of :func:`assess`; may lie after ``as_of``). The index is an explicit
    monthly :class:`pandas.PeriodIndex` named ``month``, from the first month with an amount
    (or ``start``) to the later of the last such month and the month of ``as_of`` (or ``end``);
    months with nothing are rows of zeros. Over the whole range the months sum to the per-case
    totals of :func:`assess`. ``by`` names a case column: the columns become a
    ``(measure, group)`` MultiIndex, one group per value, and one group ``"(none)"`` for the
    empty cells (``"(none)_2"`` if a value is itself spelled ``"(none)"``: an empty group is
    never merged with a value). The case table must be valid.

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [1], "received": ["2019-06-01"],
    ...                       "notice_received": ["2020-01-02"], "decided": ["2020-03-31"]})
    >>> liability_by_month(cases, as_of="2020-03-31")[["admin", "admin_cumulative"]]
             admin  admin_cumulative
    month
    2020-01    357               357
    2020-02   1085              1442
    2020-03      0              1442
    """
    if basis not in ("accrued", "cash"):
        raise DwangsomError(f"basis: {basis!r} is not 'accrued' or 'cash'")
    s = _scenario(scenario)
    cut = _as_of(as_of)
    source = _source(cases, s, "raise")
    frame = _frame(cases)
    keys: npt.NDArray[np.int64] | None = None
    labels: list[Any] = [None]
    empty_label = "(none)"
    if by is not None:
        keys, labels, empty_label = _by_groups(frame, by, source)
    has_empty = keys is not None and bool((keys < 0).any())
    pieces: dict[int, list[_Parts]] = {i: [] for i in range(len(labels))}
    if has_empty:
        pieces[-1] = []
    _, spreads = _evaluated(source, cases, s, cut, "raise", lambda lo, hi, ev: _monthly(ev, basis))
    for lo, hi, spread in spreads:
        if keys is None:
            pieces[0].append({k: (m, e) for k, (_, m, e) in spread.items()})
            continue
        block_keys = keys[lo:hi]
        entry_keys = {k: block_keys[r] for k, (r, _, _) in spread.items()}
        for i in pieces:  # empty cells (-1): their own group, never merged with a value
            pieces[i].append(
                {
                    k: (m[sel], e[sel])
                    for k, (_, m, e) in spread.items()
                    for sel in [entry_keys[k] == i if i >= 0 else entry_keys[k] < 0]
                }
            )
    group_parts = {
        (labels[i] if i >= 0 else empty_label): _merge_parts(p) for i, p in pieces.items()
    }
    index = _month_index(group_parts.values(), cut, start, end)
    if keys is None:
        table = _table(group_parts[None], index)
        return stamp(table, frame, as_of=cut, scenario=s, basis=basis)
    frames = {g: _table(p, index) for g, p in group_parts.items()}
    if not frames:  # no cases: no groups, the months all the same
        columns = pd.MultiIndex.from_arrays([[], []], names=["measure", by])
        return pd.DataFrame(index=index, columns=columns, dtype="int64")
    combined = pd.concat(frames, axis=1, names=[by, "measure"])
    result: pd.DataFrame = combined.swaplevel(0, 1, axis=1)
    result = result.sort_index(axis=1, level=0, sort_remaining=False)
    return stamp(result, frame, as_of=cut, scenario=s, basis=basis)


def _by_groups(
    cases: pd.DataFrame, by: Any, parsed: ParsedCases | _ByBlock
) -> tuple[npt.NDArray[np.int64], list[Any], str]:
    """Group codes of the ``by`` column (-1: empty cell), the group values in order, and the
    label of the empty group: ``"(none)"``, or ``"(none)_2"`` ... when a value is spelled so."""
    try:
        name = by if by in cases.columns else parsed.headers.rename.get(by, by)
        if name not in cases.columns:  # a canonical name for an aliased header
            name = parsed.headers.label(by)
        present = name in cases.columns
    except TypeError:  # an unhashable by=
        present = False
    if not present:
        raise DwangsomError(f"by: the case table has no column {by!r}")
    column = cases[name]
    if isinstance(column, pd.DataFrame):
        raise DwangsomError(f"by: the case table has more than one column {by!r}")
    values = column.to_numpy(dtype=object)
    empty = np.array([cells.is_missing(v) for v in values], dtype=bool).reshape(len(values))
    try:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object).where(~empty, None))
    except TypeError:
        bad = [i for i, v in enumerate(values) if not isinstance(v, Hashable)][:5]
        raise DwangsomError(
            f"by: column {by!r} holds cells that cannot be group labels (lists, dicts, ...) "
            f"at row(s) {', '.join(map(str, bad))}"
        ) from None
    groups = list(uniques)
    order = list(range(len(groups)))
    try:
        order = sorted(order, key=lambda i: groups[i])
    except TypeError:  # mixed types: first appearance
        pass
    remap = np.empty(len(groups), dtype=np.int64)
    remap[order] = np.arange(len(groups))
    keys = np.where(codes < 0, -1, remap[np.where(codes < 0, 0, codes)] if groups else -1)
    ordered = [groups[i] for i in order]
    taken = {str(g) for g in ordered}
    label, k = "(none)", 2
    while label in taken:
        label, k = f"(none)_{k}", k + 1
    return np.asarray(keys, dtype=np.int64), ordered, label


_Parts = dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]


def _merge_parts(pieces: list[_Parts]) -> _Parts:
    """One (months, euros) pair per measure from the blocks' pairs, summed per month (a
    block's pairs are used as they are). Euros are never negative (accrued amounts grow with
    the day), so a month summing to zero had nothing, as before."""
    if len(pieces) == 1:
        return pieces[0]
    out: _Parts = {}
    for name in pieces[0]:
        months = np.concatenate([p[name][0] for p in pieces])
        euros = np.concatenate([p[name][1] for p in pieces])
        if not months.size:
            out[name] = (months, euros)
            continue
        lo = int(months.min())
        offset = months - lo
        sums = np.zeros(int(offset.max()) + 1, dtype=np.int64)
        np.add.at(sums, offset, euros)
        used = np.flatnonzero(np.bincount(offset))
        out[name] = (used.astype(np.int64) + lo, sums[used])
    return out


def compare(
    cases: Cases,
    scenarios: Sequence[Scenario | str] | Mapping[str, Scenario | str],
    *,
    as_of: Any,
    basis: Literal["accrued", "cash"] = "accrued",
) -> pd.DataFrame:
    """Monthly totals of several scenarios side by side, with the difference to the first.

    Columns: one per scenario (its name) with the month's total penalties, then
    ``diff <name>`` = that scenario minus the first, for each other scenario. The months are
    the union of the scenarios' months.

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [1], "received": ["2023-01-02"],
    ...                       "notice_received": ["2024-08-01"], "decided": ["2024-09-30"]})
    >>> compare(cases, ["extensions-void", "no-temporary-act"], as_of="2024-12-31").loc["2024-09"]
    extensions-void             0
    no-temporary-act         1050
    diff no-temporary-act    1050
    Name: 2024-09, dtype: int64
    """
    if isinstance(scenarios, Mapping):
        named = {str(k): _scenario(v) for k, v in scenarios.items()}
    else:
        named = {}
        for item in scenarios:
            sc = _scenario(item)
            named[item if isinstance(item, str) else sc.name] = sc
    if not named:
        raise DwangsomError("scenarios: give at least one scenario")
    # one read of the table; each scenario re-runs only its own checks and the engine
    base = cases if isinstance(cases, ParsedCases) else _read(cases)
    tables = {
        name: liability_by_month(base.for_scenario(sc), as_of=as_of, scenario=sc, basis=basis)[
            "total"
        ]
        for name, sc in named.items()
    }
    frame = pd.DataFrame(tables).fillna(0).astype("int64").sort_index()
    full = pd.period_range(frame.index.min(), frame.index.max(), freq="M", name="month")
    frame = frame.reindex(full, fill_value=0)
    first = next(iter(named))
    for name in list(named)[1:]:
        frame[f"diff {name}"] = frame[name] - frame[first]
    return stamp(frame, _frame(cases), as_of=as_of, scenario=list(named.values()), basis=basis)
