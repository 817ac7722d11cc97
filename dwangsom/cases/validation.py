""":func:`parse_cases` and :func:`validate`: the problems of a case table as a table,
or one error naming the case ids and the column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import cells
from ..errors import CaseTableError
from ..scenario import Scenario
from ..scenario import scenario as _scenario
from .columns import PROBLEM_COLUMNS
from .parsed import ParsedCases, _parse

__all__ = [
    "parse_cases",
    "validate",
]


def parse_cases(
    cases: pd.DataFrame,
    *,
    scenario: Scenario | str | None = None,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> ParsedCases:
    """Validate a case table and read it into engine arrays, for code that builds on the
    engine (the projection does). Raises :class:`~dwangsom.errors.CaseTableError` as
    :func:`assess` does on any problem.

    >>> import pandas as pd
    >>> p = parse_cases(pd.DataFrame({"case_id": ["a"], "received": ["25-10-2023"]}))
    >>> p.n, p.dates["received"], list(p.types)
    (1, array(['2023-10-25'], dtype='datetime64[D]'), ['asylum'])
    """
    parsed = _parse(cases, _scenario(scenario), columns=columns, strict=strict)
    if parsed.problems:
        _raise(_problems_frame(parsed))
    return parsed


def _warnings_frame(parsed: ParsedCases) -> pd.DataFrame:
    """One ``warning`` row per column the library does not read (it passes through)."""
    unknown = parsed.headers.unknown
    rules_ = [
        f"resembles {u.resembles!r}, which the library reads: rename it or map it with "
        f"columns={{{u.header!r}: {u.resembles!r}}}; as it is, it is not read"
        if u.resembles
        else "not a column the library reads; it passes through unchanged"
        for u in unknown
    ]
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA] * len(unknown), dtype="Int64"),
            "case_id": pd.Series([None] * len(unknown), dtype=object),
            "column": pd.Series([u.header for u in unknown], dtype=object),
            "check": ["resembles-column" if u.resembles else "unknown-column" for u in unknown],
            "value": [cells.show(u.header) for u in unknown],
            "rule": rules_,
            "level": "warning",
        }
    )


def _problems_frame(parsed: ParsedCases) -> pd.DataFrame:
    """Warnings (table-level, no row) first, then the errors in row order."""
    parts = [_warnings_frame(parsed)] if parsed.headers.unknown else []
    if parsed.problems:
        errors = pd.concat(parsed.problems, ignore_index=True)
        errors = errors.sort_values(["row", "column"], kind="stable")
        errors["row"] = errors["row"].astype("Int64")
        errors["level"] = "error"
        parts.append(errors)
    if not parts:
        return _no_problems()
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame.reset_index(drop=True)[list(PROBLEM_COLUMNS)]


def _empty_problems(*, with_row: bool = True) -> pd.DataFrame:
    names = PROBLEM_COLUMNS if with_row else PROBLEM_COLUMNS[1:]
    return pd.DataFrame({c: pd.Series([], dtype="Int64" if c == "row" else object) for c in names})


#: The problems table of a clean table; never handed out (see :func:`_no_problems`).
_NO_PROBLEMS = _empty_problems()
_NO_PROBLEMS_WITHOUT_ROW = _empty_problems(with_row=False)


def _no_problems(*, with_row: bool = True) -> pd.DataFrame:
    """A new empty problems table (a copy: building one costs more than copying it)."""
    return (_NO_PROBLEMS if with_row else _NO_PROBLEMS_WITHOUT_ROW).copy()


def _raise(problems: pd.DataFrame) -> None:
    problems = problems[problems["level"] == "error"]
    first = problems.iloc[0]
    same = problems[(problems["check"] == first["check"]) & (problems["column"] == first["column"])]
    ids = [
        f"row {r}" if cells.is_missing(i) else cells.show(i)
        for r, i in zip(same["row"].head(5), same["case_id"].head(5), strict=True)
    ]
    more = f" (and {len(same) - 5} more)" if len(same) > 5 else ""
    others = len(problems) - len(same)
    rest = f"; {others} other problem(s)" if others else ""
    raise CaseTableError(
        f"{first['check']} in column {first['column']!r}: case id(s) {', '.join(ids)}{more} "
        f"- {first['rule']} (first value: {first['value']!r}){rest}. "
        "Use errors='report' for the full problems table.",
        problems=problems,
    )


def validate(
    cases: pd.DataFrame,
    *,
    scenario: Scenario | str | None = None,
    columns: Mapping[Any, str] | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """The problems table of a case table: one row per problem with ``row`` (position),
    ``case_id``, ``column``, ``check``, ``value``, ``rule`` and ``level``; empty when the table
    is clean.

    ``level`` is ``"error"`` (the row is invalid) or ``"warning"``: a column the library does
    not read (``unknown-column``, or ``resembles-column`` naming the column it looks like), which
    passes through and invalidates nothing; ``row`` and ``case_id`` are empty there. Headers are
    matched as :mod:`dwangsom.headers` describes (case, spaces, Dutch aliases); ``columns`` maps
    headers to column names explicitly, and ``strict=True`` makes an unknown column an error
    (:class:`~dwangsom.errors.CaseTableError`).

    >>> import pandas as pd
    >>> bad = pd.DataFrame({"case_id": [1, 1], "received": ["2023-01-01", "31-02-2023"]})
    >>> validate(bad)[["case_id", "column", "check"]]
       case_id    column         check
    0        1   case_id  duplicate-id
    1        1   case_id  duplicate-id
    2        1  received    not-a-date
    """
    return _problems_frame(_parse(cases, _scenario(scenario), columns=columns, strict=strict))
