"""The scalar reference path (moved into a package; the modules follow in the next commit)."""

from __future__ import annotations

from .admin import DAY as DAY
from .admin import (
    FLAGS,
    VW2000_IN_FORCE,
    AdminDetail,
    CourtDetail,
    TermDetail,
    admin_detail,
    administrative_penalty,
    court_detail,
    court_group_detail,
    court_penalty,
    court_terms,
    covering_decrees,
    decision_deadline,
    decision_term,
    first_penalty_day,
    nationality_code,
    notice_valid,
    past_21_months,
    penalty_band_amount,
)
from .admin import LAST_DAY as LAST_DAY
from .admin import Row as Row
from .admin import _after_receipt as _after_receipt
from .admin import _amount_arg as _amount_arg
from .admin import _calendar_end as _calendar_end
from .admin import _count_days as _count_days
from .admin import _court_rows as _court_rows
from .admin import _Dated as _Dated
from .admin import _fixing_end as _fixing_end
from .admin import _moratoria_for as _moratoria_for
from .admin import _notice_counts as _notice_counts
from .admin import _received as _received
from .admin import _row_for as _row_for
from .admin import _step_months as _step_months
from .admin import _temporary_act_bars as _temporary_act_bars
from .admin import _two_weeks_end as _two_weeks_end

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
