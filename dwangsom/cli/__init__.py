"""The ``dwangsom`` command line.

::

    dwangsom demo                                # the bundled sample, three scenarios, a chart
    dwangsom check CASES [-o PROBLEMS]           # the problems table of an extract
    dwangsom assess CASES --as-of DATE [-o OUT]  # per-case results and a summary
    dwangsom months CASES --as-of DATE [--compare A,B] [--grain quarter] [--plot FILE.png] [-o OUT]
    dwangsom explain CASES CASE_ID --as-of DATE  # one case, rule by rule
    dwangsom project ...                         # the projection (see dwangsom project -h)
    dwangsom scenarios                           # the named scenarios

``CASES`` is a CSV (comma or semicolon separated, ISO or ``dd-mm-jjjj`` dates), Excel or Parquet
file; ``sample`` names the bundled synthetic extract. Outputs (``-o``) are written by their
extension with :func:`dwangsom.export.write_table`: ``.csv`` (``--dialect nl`` for Dutch
Excel), ``.xlsx`` (real dates and numbers, euro formats, a metadata sheet) or ``.parquet``;
every write is atomic and never onto the input. CSV and Excel exports neutralise text a
spreadsheet would run as a formula.

Exit status: 0 done; 1 problems found (``check`` with problems, ``assess --problems`` with a
non-empty problems table: the outputs are written); 2 bad usage or bad input (one line,
``dwangsom: error: ...``, on standard error); 3 an internal error (a bug: one line, and
``--traceback`` for the details); 130 interrupted.

The package's modules: ``parser`` (every command and its options), ``commands`` (one module
per command: ``dwangsom check`` runs ``commands/check.py``), ``files`` (reading an extract,
writing an output), ``chunks`` (large tables in chunks behind a progress bar), ``output`` (what
is printed and charted), ``arguments`` (the values of the options), ``status`` (exit statuses,
the usage error) and ``run`` (:func:`main`: every error in one line).
"""

from __future__ import annotations

from .chunks import CHUNK_ROWS as CHUNK_ROWS
from .chunks import _assess as _assess
from .commands.demo import DEMO_SCENARIOS as DEMO_SCENARIOS
from .commands.scenarios import _cmd_scenarios as _cmd_scenarios
from .files import SAMPLE_AS_OF, neutralise_formulas, sample_path, write_table
from .files import _typed as _typed
from .parser import _parser as _parser
from .run import main
from .status import EXIT_ERROR as EXIT_ERROR
from .status import EXIT_INTERNAL as EXIT_INTERNAL
from .status import EXIT_OK as EXIT_OK
from .status import EXIT_PROBLEMS as EXIT_PROBLEMS
from .status import CommandError as CommandError

# The names not in __all__ are re-exported for the tests and benchmarks that use them. A module
# reads its names where they are defined: a test that patches one (CHUNK_ROWS, a command) patches
# that module, e.g. dwangsom.cli.chunks.CHUNK_ROWS or dwangsom.cli.parser._cmd_scenarios.
__all__ = ["SAMPLE_AS_OF", "main", "neutralise_formulas", "sample_path", "write_table"]
