"""The columns of a case table: those read, those added by :func:`assess`, the flags,
the statuses and the problems table's columns.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import rules

__all__ = [
    "COLUMNS",
    "OUTPUT_COLUMNS",
    "STATUSES",
]


Days = npt.NDArray[np.datetime64]

#: Input columns: name -> (kind, what an empty cell means).
COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("id", "required, unique"),
    "received": ("date", "required: receipt of the application (the term's start, Vw art. 42)"),
    "application_type": ("type", "asylum"),
    "notice_received": ("date", "no notice of default received"),
    "appeal_filed": ("date", "no appeal against the failure to decide"),
    "judgment_sent": ("date", "no judgment"),
    "court_term_days": ("int", "the court-practice default"),
    "court_per_day": ("int", "the court-practice default"),
    "court_cap": ("int", "the court-practice default"),
    "repeat_appeal": ("bool", "false"),
    "decided": ("date", "not decided"),
    "applicants": ("int", "1"),
    "excluded": ("bool", "false"),
    "extension_months": ("int", "0: no individual extension"),
    "nationality": ("country", "unknown: no decision moratorium applies (Vw art. 43)"),
    "heard": ("bool", "false: not yet heard (the court's default term is 112 days)"),
    "court_group": ("group", "no group: the case's court penalty is its own"),
}
DATE_COLUMNS = tuple(k for k, (kind, _) in COLUMNS.items() if kind == "date")
EVENT_COLUMNS = ("notice_received", "appeal_filed", "judgment_sent", "decided")

#: Columns :func:`assess` adds.
OUTPUT_COLUMNS = (
    "deadline",
    "in_default_from",
    "notice_valid",
    "penalty_start",
    "admin_days",
    "admin_amount",
    "court_due",
    "court_days",
    "court_amount",
    "total_amount",
    "fixed_by",
    "payable_by",
    "court_payable_by",
    "status",
    "flags",
)

#: Flags :func:`assess` puts in the ``flags`` column (comma-separated, empty for none).
FLAGS: dict[str, str] = rules.FLAGS

#: Status codes, in the order they are decided.
STATUSES: dict[str, str] = {
    "invalid": "the row failed validation (errors='report'); see the problems table",
    "decided-in-term": "decided on or before the deadline",
    "decided": "decided after the deadline",
    "within-term": "open, the decision term has not expired",
    "accruing": "open, a penalty (4:17 or court) accrues",
    "capped": "open, the penalties have reached their maximum",
    "court-term-running": "open, a court has ordered a decision and its term runs",
    "notice-pending": "open, a valid notice was received; the two weeks run",
    "no-penalty": "open, a valid notice, but no 4:17 penalty is owed (excluded, before "
    "1 Oct 2012, or the Temporary Act)",
    "notice-premature": "open, the only notice was received before the term expired",
    "overdue-no-notice": "open, the term has expired and no notice was received",
}


#: ``status`` is a categorical column with the codes of :data:`STATUSES` in this order.
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))


#: Columns of the problems table (:func:`validate`; :func:`assess` drops ``row``).
PROBLEM_COLUMNS = ("row", "case_id", "column", "check", "value", "rule", "level")
