"""The ``dwangsom`` command line (moved into a package; the modules follow in the next commit)."""

from __future__ import annotations

from .parser import CHUNK_ROWS as CHUNK_ROWS
from .parser import DEMO_SCENARIOS as DEMO_SCENARIOS
from .parser import EXIT_ERROR as EXIT_ERROR
from .parser import EXIT_INTERNAL as EXIT_INTERNAL
from .parser import EXIT_OK as EXIT_OK
from .parser import EXIT_PROBLEMS as EXIT_PROBLEMS
from .parser import (
    SAMPLE_AS_OF,
    main,
    neutralise_formulas,
    sample_path,
    write_table,
)
from .parser import CommandError as CommandError
from .parser import _assess as _assess
from .parser import _cmd_scenarios as _cmd_scenarios
from .parser import _parser as _parser
from .parser import _typed as _typed

__all__ = ["SAMPLE_AS_OF", "main", "neutralise_formulas", "sample_path", "write_table"]
