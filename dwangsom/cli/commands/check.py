"""``dwangsom check``: the problems table of an extract, rows numbered as the
spreadsheet numbers them."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

import pandas as pd

from ... import export
from ...cases import (
    validate,
)
from ..chunks import _errors
from ..files import _read, _source, _write
from ..status import EXIT_OK, EXIT_PROBLEMS


def _spreadsheet_rows(problems: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """``row`` as the spreadsheet numbers it: the header is row 1 (after any ``--skip-rows``),
    so the first case is row 2; for Parquet, the first case is row 1."""
    if "row" not in problems.columns:
        return problems
    out = problems.copy()
    suffixes = [s.lower() for s in _source(args.cases).suffixes]
    if ".parquet" in suffixes:
        offset = 1
    else:
        offset = 2 + int(getattr(args, "skip_rows", None) or 0)
    out["row"] = pd.to_numeric(out["row"]).astype("Int64") + offset  # empty for warnings
    return out


def _with_rows(problems: pd.DataFrame, cases: pd.DataFrame, args: argparse.Namespace) -> Any:
    """The problems of ``assess --problems`` with ``row`` as the spreadsheet numbers it (from
    :func:`dwangsom.validate`, which lists the same problems in the same order)."""
    if "row" in problems.columns or problems.empty:
        return problems
    checked = validate(cases, scenario=args.scenario)
    def keys(table: pd.DataFrame) -> list[tuple[str, ...]]:
        ids = table["case_id"].astype(object).where(table["case_id"].notna(), "")
        return list(zip(ids.astype(str), table["column"].astype(str), table["check"], strict=True))

    same = len(checked) == len(problems) and keys(checked) == keys(problems)
    if not same or "row" not in checked.columns:
        return problems
    out = problems.copy()
    out.insert(0, "row", checked["row"].to_numpy())
    return _spreadsheet_rows(out, args)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    problems = _spreadsheet_rows(validate(cases, scenario=args.scenario), args)
    if args.output:  # written when clean too: an empty table with its header says "checked"
        problems.attrs.update(
            export.metadata(as_of=None, scenario=args.scenario, source=cases.attrs["source"])
        )
        _write(args, problems, args.output)
    errors = _errors(problems)
    warnings = len(problems) - len(errors)
    if problems.empty:
        print(f"{len(cases):,} cases, no problems.", file=out)
        if args.output:
            print(f"wrote an empty problems table to {args.output}", file=out)
        return EXIT_OK
    print(
        f"{len(errors):,} problem(s) in {errors['case_id'].nunique():,} of "
        f"{len(cases):,} cases, {warnings:,} warning(s) about the table "
        "(row: as the spreadsheet numbers it):",
        file=out,
    )
    print(problems.head(args.show).to_string(index=False), file=out)
    if len(problems) > args.show:
        print(f"... {len(problems) - args.show:,} more", file=out)
    if args.output:
        print(f"wrote {args.output}", file=out)
    return EXIT_PROBLEMS if len(errors) else EXIT_OK
