"""Named exceptions.

Every error the library raises on bad input is a :class:`DwangsomError`, itself a
:class:`ValueError`, and its message names the argument (or column), the value received and the
rule or bound it broke.
"""

from __future__ import annotations

__all__ = [
    "CaseFileError",
    "CaseTableError",
    "DwangsomError",
    "InvalidDateError",
    "MissingDateError",
    "OrderError",
    "OutOfTableError",
    "ProjectionWarning",
    "TableError",
    "UnknownApplicationTypeError",
    "UnknownScenarioError",
]


class DwangsomError(ValueError):
    """Base class of every input error raised by dwangsom."""


class InvalidDateError(DwangsomError, TypeError):
    """A value that is not a date (or not an ISO / ``dd-mm-jjjj`` string)."""


class MissingDateError(DwangsomError):
    """A date the rule needs was not given (e.g. neither ``decided`` nor ``as_of``)."""


class OrderError(DwangsomError):
    """Two dates in the wrong order, e.g. a notice of default received before the application."""


class OutOfTableError(DwangsomError):
    """A date outside the period the legal tables (or the calendar) cover."""


class UnknownScenarioError(DwangsomError, KeyError):
    """A scenario name that is not one of :func:`dwangsom.scenarios`."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class UnknownApplicationTypeError(DwangsomError):
    """An application type that is not in the application-type table."""


class TableError(DwangsomError):
    """A malformed legal table (raised when the package or a user loads one)."""


class CaseTableError(DwangsomError):
    """A case table that fails validation; ``problems`` holds the tidy problems table."""

    def __init__(self, message: str, problems: object = None) -> None:
        super().__init__(message)
        self.problems = problems


class CaseFileError(DwangsomError):
    """A case file that cannot be read: missing, too large (after decompression), not text in
    a known encoding, rows with more fields than the header, a sheet that does not exist."""


class ProjectionWarning(UserWarning):
    """A projection ran on something it does not model, and says what it counted instead
    (e.g. linked cases' joint court penalties, RULES §6)."""
