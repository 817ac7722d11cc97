"""Exit statuses and the usage error every command may raise."""

from __future__ import annotations

from ..errors import DwangsomError

#: Exit statuses (documented in docs/cli.md).
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class CommandError(DwangsomError):
    """A command-line usage problem (a bad option value, a missing optional package)."""
