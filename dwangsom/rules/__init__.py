"""The scalar reference path: one function per rule, each citing its source.

This package is the specification. The vectorized engine (:mod:`dwangsom.engine`) must give the
same answers; property tests compare the two on generated cases. Functions take one case's dates
(anything :func:`dwangsom._dates.as_date` reads) and a :class:`~dwangsom.scenario.Scenario`
(``None``: ``"as-applied"``). Every name is importable from ``dwangsom.rules``; the modules name
the parts of the rules:

- :mod:`dwangsom.rules.scope`: the period the rules cover, and the checks of a case's dates;
- :mod:`dwangsom.rules.term`: the decision term, its extensions and moratoria (RULES §0, §2);
- :mod:`dwangsom.rules.notice`: the notice of default and the first penalty day (RULES §3);
- :mod:`dwangsom.rules.accrual`: what both penalties share, the Temporary Act's bar (RULES §5)
  and the count of penalty days;
- :mod:`dwangsom.rules.admin`: the administrative penalty, Awb 4:17-4:18 (RULES §4-5);
- :mod:`dwangsom.rules.court`: the court penalty, Awb 8:55d (RULES §6).

Worked example (RULES §8): received 25 Oct 2023, term 15 months (WBV 2023/3):

>>> import dwangsom
>>> dwangsom.decision_deadline("2023-10-25")
datetime.date(2025, 1, 25)
>>> dwangsom.decision_deadline("2023-10-25", scenario="extensions-void")
datetime.date(2024, 4, 25)
"""

from __future__ import annotations

from .accrual import _count_days as _count_days
from .accrual import _temporary_act_bars as _temporary_act_bars
from .admin import (
    FLAGS,
    AdminDetail,
    admin_detail,
    administrative_penalty,
    penalty_band_amount,
)
from .admin import _calendar_end as _calendar_end
from .admin import _fixing_end as _fixing_end
from .court import (
    CourtDetail,
    court_detail,
    court_group_detail,
    court_penalty,
    court_terms,
    past_21_months,
)
from .court import _amount_arg as _amount_arg
from .court import _court_rows as _court_rows
from .notice import _notice_counts as _notice_counts
from .notice import _two_weeks_end as _two_weeks_end
from .notice import first_penalty_day, notice_valid
from .scope import DAY as DAY
from .scope import LAST_DAY as LAST_DAY
from .scope import VW2000_IN_FORCE
from .scope import Row as Row
from .scope import _after_receipt as _after_receipt
from .scope import _Dated as _Dated
from .scope import _received as _received
from .scope import _row_for as _row_for
from .term import (
    TermDetail,
    covering_decrees,
    decision_deadline,
    decision_term,
    nationality_code,
)
from .term import _moratoria_for as _moratoria_for
from .term import _step_months as _step_months

# The names above that are not in __all__ (LAST_DAY, DAY, the helpers starting with "_") are
# re-exported for the modules that import them from here (dwangsom.engine, dwangsom.cases).
__all__ = [
    "FLAGS",
    "VW2000_IN_FORCE",
    "AdminDetail",
    "CourtDetail",
    "TermDetail",
    "admin_detail",
    "administrative_penalty",
    "court_detail",
    "court_group_detail",
    "court_penalty",
    "court_terms",
    "covering_decrees",
    "decision_deadline",
    "decision_term",
    "first_penalty_day",
    "nationality_code",
    "notice_valid",
    "past_21_months",
    "penalty_band_amount",
]
