"""dwangsom: what the Dutch state owes in penalty payments for late IND asylum decisions.

Scalar reference functions (the specification) live in :mod:`dwangsom.rules`; the vectorized
engine in :mod:`dwangsom.engine`; the legal tables in :mod:`dwangsom.tables`.
"""

from __future__ import annotations

from .atw import AtwCalendar, is_holiday, is_working_day, roll_forward, term_end
from .cases import assess, compare, liability_by_month, read_cases, validate
from .errors import (
    CaseTableError,
    DwangsomError,
    InvalidDateError,
    MissingDateError,
    OrderError,
    OutOfTableError,
    TableError,
    UnknownApplicationTypeError,
    UnknownScenarioError,
)
from .months import add_months
from .rules import (
    administrative_penalty,
    court_penalty,
    decision_deadline,
    first_penalty_day,
    notice_valid,
)
from .scenario import Scenario, scenario, scenarios

__version__ = "0.1.0"

__all__ = [
    "AtwCalendar",
    "CaseTableError",
    "DwangsomError",
    "InvalidDateError",
    "MissingDateError",
    "OrderError",
    "OutOfTableError",
    "Scenario",
    "TableError",
    "UnknownApplicationTypeError",
    "UnknownScenarioError",
    "__version__",
    "add_months",
    "administrative_penalty",
    "assess",
    "compare",
    "court_penalty",
    "decision_deadline",
    "first_penalty_day",
    "is_holiday",
    "is_working_day",
    "liability_by_month",
    "notice_valid",
    "read_cases",
    "roll_forward",
    "scenario",
    "scenarios",
    "term_end",
    "validate",
]
