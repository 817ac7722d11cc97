"""``dwangsom explain``: one case, rule by rule."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

import pandas as pd

from ...explain import explain
from ..files import _read
from ..status import EXIT_OK, CommandError


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    cases = _read(args)
    case_id: Any = args.case_id
    ids = cases["case_id"] if "case_id" in cases.columns else pd.Series([], dtype=object)
    if not ids.astype(str).eq(case_id).any():
        raise CommandError(f"case_id {case_id!r} is not in {args.cases}")
    match = ids[ids.astype(str) == case_id].iloc[0]
    print(str(explain(match, as_of=args.as_of, scenario=args.scenario, cases=cases)), file=out)
    return EXIT_OK
