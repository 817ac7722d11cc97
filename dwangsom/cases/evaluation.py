""":func:`assess`: a case table's rows through the vectorized engine, in blocks (two
threads on a large table), the per-case results beside the input columns.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as _dt
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, Literal, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _compact, _pages, engine, headers
from .._dates import as_optional_date
from ..errors import DwangsomError
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .columns import EVENT_COLUMNS, OUTPUT_COLUMNS
from .parsed import ParsedCases, _parse
from .results import _assemble, _Evaluation, _flags, _result_arrays, _result_columns, _wrap_results
from .validation import _no_problems, _problems_frame, _raise
from .values import _unique_ids

__all__ = [
    "assess",
]


#: Tables with more rows than this are evaluated in blocks of :data:`BLOCK_ROWS` rows, so the
#: engine's temporaries stay the size of one block (results are the same as one pass). A
#: quarter of a million rows: the temporaries (2 MB a column) are reused from block to block
#: by each thread's allocator instead of being fresh memory, and two threads share the
#: blocks evenly (5M rows paired against 1M on 2 cores, docs/benchmarks.md: 1M-row blocks
#: 5.4-7.3 x one million, 250,000-row blocks 3.5-3.6 x, 125,000-row blocks 4.2 x).
BLOCK_THRESHOLD = 1_500_000
BLOCK_ROWS = 250_000
#: Threads evaluating blocks; ``None``: one per core the process may use, at most 2.
BLOCK_THREADS: int | None = None
#: A big table given as a DataFrame is read block by block as it is evaluated (see
#: :class:`_ByBlock`); ``False``: read whole first, as a parse given by the caller is.
PARSE_IN_BLOCKS = True

#: A case table, or one parsed by :func:`parse_cases`.
Cases = pd.DataFrame | ParsedCases

W = TypeVar("W")


def _as_of(value: Any) -> np.datetime64:
    key = (type(value), getattr(value, "dtype", None), value)
    cacheable = type(value) in (str, _dt.date, np.datetime64)  # equal only when the same day
    if cacheable and key in _AS_OF:
        return _AS_OF[key]
    day = as_optional_date(value, "as_of")
    if day is None:
        raise DwangsomError("as_of: an explicit date is required (no 'today' is assumed)")
    cut = np.datetime64(day, "D")
    if cacheable:
        if len(_AS_OF) >= 256:
            _AS_OF.clear()
        _AS_OF[key] = cut
    return cut


#: ``as_of`` values already read (text, dates, datetime64 with their unit), to their day.
_AS_OF: dict[tuple[Any, ...], np.datetime64] = {}


def _check_errors(errors: str) -> None:
    if errors not in ("raise", "report"):
        raise DwangsomError(f"errors: {errors!r} is not 'raise' or 'report'")


def _parsed(
    cases: Cases,
    s: Scenario,
    errors: str,
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """The parse of ``cases`` for scenario ``s`` (a ParsedCases is re-targeted, not re-read);
    raises on problems unless ``errors="report"``."""
    _check_errors(errors)
    if isinstance(cases, ParsedCases):
        parsed = cases.for_scenario(s)
    else:
        parsed = _parse(cases, s, columns=columns, strict=strict)
    if errors == "raise" and parsed.problems:
        _raise(_problems_frame(parsed))
    return parsed


def _frame(cases: Cases) -> pd.DataFrame:
    if isinstance(cases, ParsedCases):
        if cases.frame is None:
            raise DwangsomError("cases: this ParsedCases keeps no case table (frame is None)")
        return cases.frame
    return cases


def _slice(p: ParsedCases, lo: int, hi: int) -> ParsedCases:
    """Rows ``lo:hi`` of a parse (views, no copies; no problems list, no table)."""
    cut = slice(lo, hi)
    return ParsedCases(
        hi - lo,
        p.ids.iloc[cut],
        {k: v[cut] for k, v in p.dates.items()},
        {k: v[cut] for k, v in p.ints.items()},
        {k: v[cut] for k, v in p.bools.items()},
        p.types[cut],
        [],
        p.bad[cut],
        nationality=None if p.nationality is None else p.nationality[cut],
        court_group=None if p.court_group is None else p.court_group[cut],
        target=p.target,
    )


class _WholeTable(Exception):
    """A block of a :class:`_ByBlock` table found what only the whole table can report (a
    problem, whose row numbers and table are the table's, or linked cases, which are one
    block): the caller reads the table whole and starts again."""


class _ByBlock:
    """A big case table that is read block by block as its blocks are evaluated: each block
    is parsed (:func:`~dwangsom.cases.parsed._parse` on its rows) just before the engine runs
    on it, so the parse's arrays are the size of a block, not of the table (bounded memory,
    and the process reuses it from block to block instead of touching fresh memory). What
    spans blocks is checked on the whole table first (unique case ids); a block that finds a
    problem or linked cases raises :class:`_WholeTable`. Offers what :func:`assess` and
    :func:`liability_by_month` read of a parse of a valid table."""

    def __init__(
        self,
        frame: pd.DataFrame,
        s: Scenario,
        resolution: headers.Resolution,
        columns: Mapping[Any, str] | None,
        *,
        strict: bool,
    ) -> None:
        self.frame = frame
        self.n = len(frame)
        self.headers = resolution
        self.problems: list[pd.DataFrame] = []
        self.bad = np.zeros(self.n, dtype=bool)
        self._scenario, self._columns, self._strict = s, columns, strict

    def parse(self, lo: int, hi: int) -> ParsedCases:
        """Rows ``lo:hi`` parsed; :class:`_WholeTable` if they are not a clean block."""
        rows = self.frame.iloc[lo:hi]
        p = _parse(rows, self._scenario, columns=self._columns, strict=self._strict)
        if p.problems or (p.court_group is not None and bool((p.court_group >= 0).any())):
            raise _WholeTable
        return p


def _source(
    cases: Cases,
    s: Scenario,
    errors: str,
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases | _ByBlock:
    """What :func:`_blocks` evaluates: a :class:`_ByBlock` for a big DataFrame whose headers
    give no warning and whose case ids are unique (``errors="raise"`` only: a problems table
    is the whole table's), else :func:`_parsed`."""
    _check_errors(errors)
    if not (
        PARSE_IN_BLOCKS
        and errors == "raise"
        and isinstance(cases, pd.DataFrame)
        and len(cases) > BLOCK_THRESHOLD
    ):
        return _parsed(cases, s, errors, columns=columns, strict=strict)
    try:
        found = headers.resolve(headers.flat_headers(cases), columns=columns, strict=strict)
        label = found.label("case_id")
        plain = (
            not any(u.resembles for u in found.unknown)  # a warning is given once, whole
            and not cases.columns.duplicated().any()
            and int((cases.columns == label).sum()) == 1
            and _unique_ids(cases[label])
        )
    except Exception:  # whatever fails is reported by the whole table's parse
        plain = False
    if not plain:
        return _parsed(cases, s, errors, columns=columns, strict=strict)
    return _ByBlock(cases, s, found, columns, strict=strict)


def _evaluated(
    source: ParsedCases | _ByBlock,
    cases: Cases,
    s: Scenario,
    cut: np.datetime64,
    errors: str,
    work: Callable[[int, int, _Evaluation], W],
    *,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> tuple[ParsedCases | _ByBlock, list[tuple[int, int, W]]]:
    """``source`` (:func:`_source` of ``cases``) and ``work`` on each of its blocks, in order;
    a table read block by block that turns out not to be clean is read whole (the parse
    returned in its place) and done again. The evaluation is kept on the parse only when the
    caller gave a parse (one read here is not seen again)."""
    keep = isinstance(cases, ParsedCases)
    if isinstance(source, _ByBlock):
        try:
            return source, list(_blocks(source, cut, s, work))
        except _WholeTable:
            source = _parsed(cases, s, errors, columns=columns, strict=strict)
    return source, list(_blocks(source, cut, s, work, keep=keep))


def _threads() -> int:
    """Threads for the blocks of a big table: :data:`BLOCK_THREADS`, or one per core this
    process may use (at most 2: numpy's passes are memory-bound past that)."""
    if BLOCK_THREADS is not None:
        return max(1, BLOCK_THREADS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 2))


def _blocks(
    parsed: ParsedCases | _ByBlock,
    cut: np.datetime64,
    s: Scenario,
    work: Callable[[int, int, _Evaluation], W],
    *,
    keep: bool = True,
) -> Iterator[tuple[int, int, W]]:
    """(first row, end row, ``work`` on the block's evaluation) for each block of rows, in
    order: one block up to :data:`BLOCK_THRESHOLD` rows (with ``keep``, its evaluation and
    the engine's shared results kept on the parse for the next call with the same scenario
    and ``as_of``), blocks of :data:`BLOCK_ROWS`
    past it, evaluated and worked on by :func:`_threads` threads (numpy releases the GIL in
    its passes), at most that many blocks at a time. A :class:`_ByBlock` table is parsed
    block by block in the same threads."""
    n = parsed.n
    if isinstance(parsed, _ByBlock):
        by_block = parsed

        def parse_block(lo: int) -> tuple[int, int, W]:
            hi = min(lo + BLOCK_ROWS, n)
            return lo, hi, work(lo, hi, _evaluate_block(by_block.parse(lo, hi), cut, s))

        yield from _in_threads(parse_block, range(0, n, BLOCK_ROWS))
        return
    # linked cases share one court penalty (RULES §6): a group must not be split over blocks
    grouped = parsed.court_group is not None and bool((parsed.court_group >= 0).any())
    if n <= BLOCK_THRESHOLD or grouped:
        if not keep:  # a parse made for this call: nothing to share with a later one
            yield 0, n, work(0, n, _evaluate_block(parsed, cut, s))
            return
        memo = parsed._memo.get("evaluation")
        if memo is not None and memo[1] == cut and (memo[0] is s or memo[0] == s):
            yield 0, n, work(0, n, memo[2])
            return
        # the engine's results are kept per as_of for scenarios that read the same fields
        engine_memo = parsed._memo.get("engine")
        if engine_memo is None or engine_memo[0] != cut:
            engine_memo = parsed._memo["engine"] = (cut, {})
        ev = _evaluate_block(parsed, cut, s, engine_memo[1])
        parsed._memo["evaluation"] = (s, cut, ev)
        yield 0, n, work(0, n, ev)
        return

    whole = parsed

    def block(lo: int) -> tuple[int, int, W]:
        hi = min(lo + BLOCK_ROWS, n)
        return lo, hi, work(lo, hi, _evaluate_block(_slice(whole, lo, hi), cut, s))

    yield from _in_threads(block, range(0, n, BLOCK_ROWS))


def _in_threads(
    block: Callable[[int], tuple[int, int, W]], starts: Iterable[int]
) -> Iterator[tuple[int, int, W]]:
    """``block`` on each start, in order, by :func:`_threads` threads, at most that many
    blocks at a time (an exception in a block is raised here, after the others in flight)."""
    threads = _threads()
    if threads == 1:
        yield from map(block, starts)
        return
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        pending: collections.deque[concurrent.futures.Future[tuple[int, int, W]]]
        pending = collections.deque()
        for lo in starts:
            pending.append(pool.submit(block, lo))
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_DAY = np.dtype("datetime64[D]")


def _engine_inputs(
    parsed: ParsedCases, cut: np.datetime64
) -> tuple[npt.NDArray[np.bool_], dict[str, Any], dict[str, Any]]:
    """(valid rows, the administrative penalty's arguments, the court penalty's) as the
    engine reads them as of ``cut``: everything but the scenario, the same for every one."""
    valid = ~parsed.bad
    clean = bool(valid.all())
    # a stand-in receipt date for invalid rows keeps the engine's arrays aligned; their
    # results are blanked afterwards
    received = (
        parsed.dates["received"]
        if clean
        else np.where(valid, parsed.dates["received"], np.datetime64("2020-01-01", "D"))
    )
    # invalid rows are blanked; events after as_of have not happened yet on as_of
    d = {}
    # as day numbers (a third of the cost of dates): NaT, the smallest, is after no day
    cut_day = None if np.isnat(cut) else int(cut.astype(np.int64))
    for k, v in parsed.dates.items():
        if k not in EVENT_COLUMNS:
            d[k] = v
        elif clean:
            if cut_day is not None and v.dtype == _DAY:
                late = bool((v.view(np.int64) > cut_day).any())
            else:
                late = bool((v > cut).any())  # NaT > cut: False
            d[k] = np.where(v <= cut, v, engine.NAT) if late else v
        else:
            d[k] = np.where(valid & (v <= cut), v, engine.NAT)
    ints = {k: v if clean else np.where(valid, v, np.nan) for k, v in parsed.ints.items()}
    admin = {
        "received": received,
        "notice_received": d["notice_received"],
        "decided": d["decided"],
        "as_of": cut,
        "application_type": parsed.types,
        "applicants": _whole(ints["applicants"], default=1),
        "excluded": parsed.bools["excluded"],
        "extension_months": _whole(ints["extension_months"], default=0),
        "nationality": _valid_only(parsed.nationality, valid),
    }
    court = {
        "judgment_sent": d["judgment_sent"],
        "decided": d["decided"],
        "as_of": cut,
        "term_days": ints["court_term_days"],
        "per_day": ints["court_per_day"],
        "cap": ints["court_cap"],
        "repeat": parsed.bools["repeat_appeal"],
        "application_type": parsed.types,
        "received": received,
        "heard": parsed.bools["heard"],
        "appeal_filed": d["appeal_filed"],
        "group": None if parsed.court_group is None else np.where(valid, parsed.court_group, -1),
    }
    return valid, admin, court


def _evaluate_block(
    parsed: ParsedCases, cut: np.datetime64, s: Scenario, memo: dict[str, Any] | None = None
) -> _Evaluation:
    """The engine on one block of rows as of ``cut``; ``memo`` (kept by the caller for this
    parse and ``cut``) lets scenarios share the inputs and the penalties computed alike
    (_compact.shared)."""
    inputs = None if memo is None else memo.get("inputs")
    if inputs is None:
        inputs = _engine_inputs(parsed, cut)
        if memo is not None:
            memo["inputs"] = inputs
    valid, admin_args, court_args = inputs
    # the two penalties run only on the rows with a notice / a judgment (dwangsom._compact)
    admin = _compact.admin_arrays(**admin_args, scenario=s, memo=memo)
    court = _compact.court_arrays(**court_args, scenario=s, memo=memo)
    return _Evaluation(parsed, valid, admin, court, cut)


def _valid_only(
    values: npt.NDArray[np.object_] | None, valid: npt.NDArray[np.bool_]
) -> npt.NDArray[np.object_] | None:
    """Nationality codes with ``None`` on invalid rows (``None``: no column)."""
    if values is None:
        return None
    out = values.copy()
    out[~valid] = None
    return out


def _whole(values: npt.NDArray[np.float64], *, default: int) -> npt.NDArray[np.int64] | None:
    """A whole-number column for the engine; ``None`` (the engine's default) when all empty."""
    if np.isnan(values).all():
        return None
    return np.nan_to_num(values, nan=default).astype(np.int64)


@overload
def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = ...,
    errors: Literal["raise"] = ...,
    columns: Mapping[Any, str] | None = ...,
    strict: bool = ...,
) -> pd.DataFrame: ...


@overload
def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = ...,
    errors: Literal["report"],
    columns: Mapping[Any, str] | None = ...,
    strict: bool = ...,
) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def assess(
    cases: Cases,
    *,
    as_of: Any,
    scenario: Scenario | str | None = None,
    errors: Literal["raise", "report"] = "raise",
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Every case's deadline, default, notice, penalties and status as of ``as_of``.

    Returns the input rows (same order, same index, every input column untouched) with the
    columns of :data:`OUTPUT_COLUMNS` added. Events dated after ``as_of`` count as not yet
    happened. Amounts are whole euros accrued through ``as_of``; ``fixed_by`` is the Awb 4:18
    day by which the amount must be fixed once the penalty has stopped, ``payable_by`` the day
    it falls due (provisional while it accrues), ``court_payable_by`` the same for the court
    penalty. ``status`` is one of :data:`STATUSES`.

    Dates are ``datetime64[s]`` at midnight, amounts and day counts ``int64`` euros and days,
    ``notice_valid`` ``bool`` and ``status`` a categorical. Where ``errors="report"`` marks
    invalid rows, amounts are nullable ``Int64`` and ``notice_valid`` nullable ``boolean``, with
    ``<NA>`` on those rows (never floats).

    ``errors="raise"`` (default) raises :class:`~dwangsom.errors.CaseTableError` naming the
    check, the column and the first case ids; ``errors="report"`` returns ``(results,
    problems)`` instead, with the affected rows kept, their results empty and status
    ``"invalid"``. The row marks go in a column ``problems`` (``problems_2`` ... when the table
    has its own ``problems``: a user column is never overwritten; the name used is in
    ``results.attrs["dwangsom.problems_column"]``); the problems table is :func:`validate`'s
    without ``row``, column warnings included. ``columns`` and ``strict`` read headers as in
    :func:`validate`.

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"case_id": ["X"], "received": ["2023-05-01"],
    ...                     "decided": ["2023-04-01"]})
    >>> results, problems = assess(bad, as_of="2024-01-01", errors="report")
    >>> results["status"].tolist(), problems["check"].tolist()
    (['invalid'], ['before-receipt'])
    """
    s = _scenario(scenario)
    cut = _as_of(as_of)
    source = _source(cases, s, errors, columns=columns, strict=strict)
    frame = _frame(cases)
    arrays = _result_columns(source.n)

    def fill(lo: int, hi: int, ev: _Evaluation) -> None:  # a block's rows of the columns
        _result_arrays(ev, {k: v[lo:hi] for k, v in arrays.items()})

    # a big result is fresh memory: its pages are faulted in while the engine runs (_pages)
    pages = None
    if source.n > BLOCK_THRESHOLD:
        pages = _pages.populate(list(arrays.values()), parts=-(-source.n // BLOCK_ROWS))
    try:
        parsed, _ = _evaluated(source, cases, s, cut, errors, fill, columns=columns, strict=strict)
    finally:
        if pages is not None:
            pages.join()
    arrays["flags"] = _flags(arrays["flags"])
    results = _wrap_results(arrays, ~parsed.bad)
    if errors == "raise":
        return _assemble(frame, results, cut, s)
    # a user's own "problems" column stays (the result columns are never in the table)
    mark = _free_name([*frame.columns, *OUTPUT_COLUMNS], "problems")
    flags: Any = ""
    if not parsed.problems and not parsed.headers.unknown:  # a clean table
        out = _assemble(frame, results, cut, s, mark=(mark, flags))
        out.attrs["dwangsom.problems_column"] = mark
        return out, _no_problems(with_row=False)
    assert isinstance(parsed, ParsedCases)  # a table read by blocks is clean
    problems = _problems_frame(parsed)
    if parsed.problems:  # warnings (column-level, no row) never mark a row
        errors_ = problems[problems["level"] == "error"]
        rows = errors_["row"].to_numpy(dtype=np.int64)
        marks = errors_.groupby(rows)["check"].agg(lambda x: ",".join(dict.fromkeys(x)))
        flags = np.full(len(frame), "", dtype=object)
        flags[marks.index.to_numpy(dtype=np.int64)] = marks.to_numpy()
    out = _assemble(frame, results, cut, s, mark=(mark, flags))
    out.attrs["dwangsom.problems_column"] = mark
    return out, problems.drop(columns="row")


def _free_name(taken: Iterable[Hashable], name: str) -> str:
    """``name``, or ``name_2``, ``name_3`` ... the first not among ``taken``."""
    labels = set(map(str, taken))
    if name not in labels:
        return name
    k = 2
    while f"{name}_{k}" in labels:
        k += 1
    return f"{name}_{k}"
