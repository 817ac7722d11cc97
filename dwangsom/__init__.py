"""dwangsom: what the Dutch state owes in penalty payments for late IND asylum decisions.

Scalar reference functions (the specification) live in :mod:`dwangsom.rules`; the vectorized
engine in :mod:`dwangsom.engine`; the legal tables in :mod:`dwangsom.tables`.
"""

from __future__ import annotations

from . import policies
from .atw import AtwCalendar, is_holiday, is_working_day, roll_forward, term_end
from .backtests import Backtest, backtest
from .behaviour import Behaviour, Lag
from .calibration import Calibration, calibrate
from .cases import assess, compare, liability_by_month, read_cases, validate
from .errors import (
    CaseFileError,
    CaseTableError,
    DwangsomError,
    InvalidDateError,
    MissingDateError,
    OrderError,
    OutOfTableError,
    ProjectionWarning,
    TableError,
    UnknownApplicationTypeError,
    UnknownScenarioError,
)
from .explain import Explanation, explain
from .months import add_months
from .projection import Projection, compare_projections, project, sensitivity
from .rules import (
    administrative_penalty,
    court_penalty,
    decision_deadline,
    first_penalty_day,
    notice_valid,
)
from .scenario import Scenario, scenario, scenarios
from .synthetic import monthly_series, synthetic_open_cases

__version__ = "0.1.0"

__all__ = [
    "AtwCalendar",
    "Backtest",
    "Behaviour",
    "Calibration",
    "CaseFileError",
    "CaseTableError",
    "DwangsomError",
    "Explanation",
    "InvalidDateError",
    "Lag",
    "MissingDateError",
    "OrderError",
    "OutOfTableError",
    "Projection",
    "ProjectionWarning",
    "Scenario",
    "TableError",
    "UnknownApplicationTypeError",
    "UnknownScenarioError",
    "__version__",
    "add_months",
    "administrative_penalty",
    "assess",
    "backtest",
    "calibrate",
    "compare",
    "compare_projections",
    "court_penalty",
    "decision_deadline",
    "explain",
    "first_penalty_day",
    "is_holiday",
    "is_working_day",
    "liability_by_month",
    "monthly_series",
    "notice_valid",
    "policies",
    "project",
    "read_cases",
    "roll_forward",
    "scenario",
    "scenarios",
    "sensitivity",
    "synthetic_open_cases",
    "term_end",
    "validate",
]
