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

>>> import numpy as np
>>> from dwangsom import engine
>>> received = np.array(["2023-10-25", "2022-03-26", "2023-08-31"], dtype="datetime64[D]")
>>> engine.decision_deadline(received)
array(['2025-01-25', '2022-09-26', '2024-11-30'], dtype='datetime64[D]')
"""

from __future__ import annotations

from .court import (
    AdminArrays,
    CourtArrays,
    admin_arrays,
    administrative_penalty,
    court_arrays,
    court_penalty,
    decision_deadline,
    first_penalty_day,
    notice_valid,
)
from .court import Bools as Bools
from .court import Days as Days
from .court import Ints as Ints
from .court import NAT as NAT
from .court import TABLE_ROWS as TABLE_ROWS
from .court import TermArrays as TermArrays
from .court import _BaseTerm as _BaseTerm
from .court import _DAY_MASK as _DAY_MASK
from .court import _FIRST_RECEIPT_INT as _FIRST_RECEIPT_INT
from .court import _LAST_INT as _LAST_INT
from .court import _MAX as _MAX
from .court import _MIN as _MIN
from .court import _NAT_INT as _NAT_INT
from .court import _ONE as _ONE
from .court import _RateTable as _RateTable
from .court import _TermTable as _TermTable
from .court import _Types as _Types
from .court import _admin_barred as _admin_barred
from .court import _as_days as _as_days
from .court import _band_amounts as _band_amounts
from .court import _band_formula as _band_formula
from .court import _base_term as _base_term
from .court import _blocked_days as _blocked_days
from .court import _bools as _bools
from .court import _cached as _cached
from .court import _calendar_end as _calendar_end
from .court import _check_after as _check_after
from .court import _check_received as _check_received
from .court import _checked_period_index as _checked_period_index
from .court import _choose as _choose
from .court import _court_last_day as _court_last_day
from .court import _court_orders as _court_orders
from .court import _cut_ints as _cut_ints
from .court import _day_index as _day_index
from .court import _days as _days
from .court import _deadline as _deadline
from .court import _eu_pact as _eu_pact
from .court import _first_receipt as _first_receipt
from .court import _first_values as _first_values
from .court import _groups as _groups
from .court import _hashable as _hashable
from .court import _in_day_tables as _in_day_tables
from .court import _ints as _ints
from .court import _ints_of as _ints_of
from .court import _nat_unless as _nat_unless
from .court import _notice_counts as _notice_counts
from .court import _one_rate_row as _one_rate_row
from .court import _optional_ints as _optional_ints
from .court import _period_days as _period_days
from .court import _period_index as _period_index
from .court import _period_search as _period_search
from .court import _period_table as _period_table
from .court import _rate_rows as _rate_rows
from .court import _rate_table as _rate_table
from .court import _shared_days as _shared_days
from .court import _step_months as _step_months
from .court import _stopped as _stopped
from .court import _term_arrays as _term_arrays
from .court import _term_table as _term_table
from .court import _two_weeks_end as _two_weeks_end
from .court import _types as _types
from .court import _zero_unless as _zero_unless
from .court import decision_term as decision_term
from .court import nationality_codes as nationality_codes

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
