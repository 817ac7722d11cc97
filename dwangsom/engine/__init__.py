"""The vectorized engine: the rules of :mod:`dwangsom.rules` over numpy ``datetime64[D]`` arrays.

Every function takes arrays (or pandas columns, lists, scalars: anything
:func:`dwangsom._dates.as_day_array` reads) with ``NaT`` meaning "no such event", and returns
numpy arrays of the same length, in the same order. There is no Python loop over cases. The
scalar functions are the specification; property tests check that both agree.

How it stays fast on a million cases: dates are worked on as their integer views (days since
1970-01-01; ``NaT`` is the smallest int64), which numpy runs several times faster than
``datetime64`` arithmetic; a rule that depends on one date only (the rate, the Temporary Act's
period, the court-practice row, the decision term of a receipt day) is read from a table
indexed by day number, built once from the same vectorized rule over every day and cached; a
choice per case is arithmetic on masks rather than ``np.where`` (a branch per case on an
unsorted mask costs many plain passes); and a rule that applies to no case costs nothing.

Every name is importable from ``dwangsom.engine``; its modules name the parts:

- :mod:`dwangsom.engine.base`: array types, integer views, day tables;
- :mod:`dwangsom.engine.inputs`: the inputs and their checks;
- :mod:`dwangsom.engine.periods`: table rows by day;
- :mod:`dwangsom.engine.term`: the decision term;
- :mod:`dwangsom.engine.notice`: the notice of default;
- :mod:`dwangsom.engine.accrual`: what both penalties share;
- :mod:`dwangsom.engine.admin`: the administrative penalty;
- :mod:`dwangsom.engine.court`: the court penalty.

>>> import numpy as np
>>> from dwangsom import engine
>>> received = np.array(["2023-10-25", "2022-03-26", "2023-08-31"], dtype="datetime64[D]")
>>> engine.decision_deadline(received)
array(['2025-01-25', '2022-09-26', '2024-11-30'], dtype='datetime64[D]')
"""

from __future__ import annotations

from .accrual import _blocked_days as _blocked_days
from .accrual import _stopped as _stopped
from .admin import AdminArrays, admin_arrays, administrative_penalty
from .admin import _admin_barred as _admin_barred
from .admin import _band_amounts as _band_amounts
from .admin import _band_formula as _band_formula
from .admin import _one_rate_row as _one_rate_row
from .admin import _rate_rows as _rate_rows
from .admin import _rate_table as _rate_table
from .admin import _RateTable as _RateTable
from .base import _DAY_MASK as _DAY_MASK
from .base import _FIRST_RECEIPT_INT as _FIRST_RECEIPT_INT
from .base import _LAST_INT as _LAST_INT
from .base import _MAX as _MAX
from .base import _MIN as _MIN
from .base import _NAT_INT as _NAT_INT
from .base import _ONE as _ONE
from .base import NAT as NAT
from .base import Bools as Bools
from .base import Days as Days
from .base import Ints as Ints
from .base import _as_days as _as_days
from .base import _cached as _cached
from .base import _choose as _choose
from .base import _cut_ints as _cut_ints
from .base import _day_index as _day_index
from .base import _first_values as _first_values
from .base import _hashable as _hashable
from .base import _in_day_tables as _in_day_tables
from .base import _ints_of as _ints_of
from .base import _nat_unless as _nat_unless
from .base import _zero_unless as _zero_unless
from .court import CourtArrays, court_arrays, court_penalty
from .court import _court_last_day as _court_last_day
from .court import _court_orders as _court_orders
from .court import _groups as _groups
from .court import _optional_ints as _optional_ints
from .inputs import _bools as _bools
from .inputs import _check_after as _check_after
from .inputs import _check_received as _check_received
from .inputs import _days as _days
from .inputs import _first_receipt as _first_receipt
from .inputs import _ints as _ints
from .inputs import _shared_days as _shared_days
from .inputs import _Types as _Types
from .inputs import _types as _types
from .inputs import nationality_codes as nationality_codes
from .notice import _calendar_end as _calendar_end
from .notice import _notice_counts as _notice_counts
from .notice import _two_weeks_end as _two_weeks_end
from .notice import first_penalty_day, notice_valid
from .periods import _checked_period_index as _checked_period_index
from .periods import _period_days as _period_days
from .periods import _period_index as _period_index
from .periods import _period_search as _period_search
from .periods import _period_table as _period_table
from .term import TABLE_ROWS as TABLE_ROWS
from .term import TermArrays as TermArrays
from .term import _base_term as _base_term
from .term import _BaseTerm as _BaseTerm
from .term import _deadline as _deadline
from .term import _eu_pact as _eu_pact
from .term import _step_months as _step_months
from .term import _term_arrays as _term_arrays
from .term import _term_table as _term_table
from .term import _TermTable as _TermTable
from .term import decision_deadline
from .term import decision_term as decision_term

# Every name the module dwangsom.engine defined is importable from here; the names not in __all__
# are re-exported for the modules and tests that use them. A part reads its names where
# they are defined: a test that patches one patches that part (e.g. dwangsom.engine.<part>.NAME).
__all__ = [
    "AdminArrays",
    "CourtArrays",
    "admin_arrays",
    "administrative_penalty",
    "court_arrays",
    "court_penalty",
    "decision_deadline",
    "first_penalty_day",
    "notice_valid",
]
