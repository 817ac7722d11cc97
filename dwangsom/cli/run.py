"""Running the command line: the exit status, and every error in one line."""

from __future__ import annotations

import contextlib
import os
import sys
import zipfile
from collections.abc import Sequence

import pandas as pd

from ..errors import CaseTableError, DwangsomError
from .parser import _parser
from .status import EXIT_ERROR, EXIT_INTERNAL


def _one_line(exc: BaseException, *, cases: str | None = None) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"cannot open {exc.filename}: {exc.strerror or exc}"
    elif isinstance(exc, UnicodeDecodeError):
        text = f"the file is not UTF-8 text ({exc.reason}); save it as CSV UTF-8"
    elif isinstance(exc, zipfile.BadZipFile):
        text = f"not a valid Excel file ({exc})"
    else:
        text = str(exc) or type(exc).__name__
        if isinstance(exc, KeyError) and not isinstance(exc, DwangsomError):
            text = f"missing key {text}"
    if isinstance(exc, CaseTableError):
        text = text.replace(
            "Use errors='report' for the full problems table.",
            f"Run 'dwangsom check {cases or 'CASES'}' for the full problems table.",
        )
    return " ".join(text.split())


_EXPECTED = (
    DwangsomError,
    OSError,
    ValueError,
    KeyError,
    ImportError,
    zipfile.BadZipFile,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status: 0 done, 1 problems found, 2 bad usage or
    input, 3 internal error (130 interrupted)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        status: int = args.run(args, sys.stdout)
        return status
    except KeyboardInterrupt:
        print("dwangsom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `dwangsom months ... | head`: stop quietly
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")
        return 0
    except _EXPECTED as exc:
        if args.traceback:
            raise
        print(
            f"dwangsom: error: {_one_line(exc, cases=getattr(args, 'cases', None))}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, with the way to the details
        if args.traceback:
            raise
        print(
            f"dwangsom: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
