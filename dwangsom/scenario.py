"""Legal scenarios: every choice RULES.md leaves open, in one frozen object.

A :class:`Scenario` fixes which categorical extensions hold, whether the Temporary Act applies,
how the first penalty day is counted, and the legal tables in force. Three presets follow
RULES §7; any of them can be copied and changed with :meth:`Scenario.replace`:

>>> import dwangsom
>>> sorted(dwangsom.scenarios())
['as-applied', 'extensions-void', 'no-temporary-act']
>>> s = dwangsom.scenario("as-applied").replace(name="strict", first_penalty_offset=14)
>>> s.first_penalty_offset, dwangsom.scenario("as-applied").first_penalty_offset
(14, 15)

Every field tagged ``[U]`` below is unconfirmed in RULES.md and set to its documented default;
``docs/rules.md`` lists them with their sources.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import tables
from .errors import DwangsomError, UnknownScenarioError

if TYPE_CHECKING:
    from .atw import AtwCalendar

__all__ = ["Scenario", "scenario", "scenarios"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Scenario:
    """A named, immutable set of legal choices. Build variants with :meth:`replace`."""

    name: str
    description: str = ""
    #: Decrees (``wbv_decrees.csv``) whose categorical +9 months hold (RULES §2). Which of them
    #: survive in court is unconfirmed [U]: the strict *Zimir* reading (CJEU C-662/23,
    #: ECLI:EU:C:2025:326) voids them all.
    extensions: frozenset[str] = frozenset({"WBV 2022/22", "WBV 2023/3"})
    #: Whether the Tijdelijke wet opschorting dwangsommen IND (Stb. 2020, 242) applies (RULES §5).
    temporary_act: bool = True
    #: Last day the Temporary Act is in force; ``None``: still in force [U] (RULES §5).
    temporary_act_until: _dt.date | None = None
    #: First penalty day = notice receipt + this many days: 15 (the reading of IND WI 2013/17,
    #: default) or 14 [U] (RULES §3, Awb 4:17(3)).
    first_penalty_offset: int = 15
    #: The day the late decision is sent counts as a penalty day (explanatory memorandum to Awb
    #: 4:18) [C].
    decision_day_counts: bool = True
    #: The same inclusive convention for the court penalty (RULES §6, switchable) [S].
    court_decision_day_counts: bool = True
    #: Whether the Atw extends the two weeks after a notice of default; default no [U] (RULES §1).
    atw_on_notice_term: bool = False
    #: Awb 4:18: the amount is fixed within two weeks after the last penalty day [C].
    fixing_days: int = 14
    #: Whether the Atw extends the 4:18 fixing term [U].
    atw_on_fixing_term: bool = False
    #: Payment follows within six weeks after the amount is fixed [U location] (RULES §4).
    payment_days: int = 42
    #: Days after the last court penalty day by which the court penalty is paid [U].
    court_payment_days: int = 42
    #: Court-made suspensions (``suspensions.csv``) applied; none by default (RULES §4) [S].
    suspensions: frozenset[str] = frozenset()
    #: Count 6 + 9 months in one step from receipt (default) or as two clamped steps [U] (RULES §0).
    extension_in_one_step: bool = True
    #: Absolute outer limit of the decision term in months, Vw art. 42(5) [S].
    max_term_months: int = 21
    admin_rates: tuple[tables.AdminRate, ...] = dataclasses.field(
        default_factory=tables.admin_rates, repr=False
    )
    decrees: tuple[tables.Decree, ...] = dataclasses.field(
        default_factory=tables.decrees, repr=False
    )
    temporary_act_periods: tuple[tables.TemporaryActPeriod, ...] = dataclasses.field(
        default_factory=tables.temporary_act_periods, repr=False
    )
    court_practice: tuple[tables.CourtPractice, ...] = dataclasses.field(
        default_factory=tables.court_practice, repr=False
    )
    application_types: tuple[tables.ApplicationType, ...] = dataclasses.field(
        default_factory=tables.application_types, repr=False
    )
    suspension_table: tuple[tables.Suspension, ...] = dataclasses.field(
        default_factory=tables.suspensions, repr=False
    )
    #: The Atw calendar (holidays plus decree bridge days); ``None``: the packaged one.
    calendar: AtwCalendar | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        known = {d.decree for d in self.decrees}
        unknown = set(self.extensions) - known
        if unknown:
            raise DwangsomError(
                f"Scenario {self.name!r}: extensions names unknown decree(s) "
                f"{', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
            )
        if not isinstance(self.extensions, frozenset):
            object.__setattr__(self, "extensions", frozenset(self.extensions))
        if not isinstance(self.suspensions, frozenset):
            object.__setattr__(self, "suspensions", frozenset(self.suspensions))
        names = {s.name for s in self.suspension_table}
        if set(self.suspensions) - names:
            raise DwangsomError(
                f"Scenario {self.name!r}: unknown suspension(s) "
                f"{', '.join(sorted(set(self.suspensions) - names))}; known: {', '.join(names)}"
            )
        if self.first_penalty_offset not in (14, 15):
            raise DwangsomError(
                f"Scenario {self.name!r}: first_penalty_offset must be 14 or 15, "
                f"got {self.first_penalty_offset!r} (Awb 4:17(3))"
            )
        for field in ("fixing_days", "payment_days", "court_payment_days"):
            value = getattr(self, field)
            if not isinstance(value, int) or value < 0:
                raise DwangsomError(f"Scenario {self.name!r}: {field} must be an int >= 0")
        if not 6 <= self.max_term_months <= 21:
            raise DwangsomError(f"Scenario {self.name!r}: max_term_months must be 6..21")

    def replace(self, **changes: Any) -> Scenario:
        """A copy with ``changes`` applied (the original is unchanged).

        >>> scenario("as-applied").replace(temporary_act=False).temporary_act
        False
        """
        return dataclasses.replace(self, **changes)

    def application_type(self, name: str) -> tables.ApplicationType:
        """The row of ``application_types`` for ``name``; unknown names raise."""
        for row in self.application_types:
            if row.application_type == name:
                return row
        from .errors import UnknownApplicationTypeError

        known = ", ".join(r.application_type for r in self.application_types)
        raise UnknownApplicationTypeError(
            f"application_type: {name!r} is not known; known types: {known}"
        )

    def open_choices(self) -> dict[str, Any]:
        """The scenario's choices (everything but the tables), for display and comparison."""
        skip = {
            "admin_rates",
            "decrees",
            "temporary_act_periods",
            "court_practice",
            "application_types",
            "suspension_table",
            "calendar",
        }
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in skip
        }


_PRESETS: dict[str, Scenario] = {}


def _presets() -> Mapping[str, Scenario]:
    if not _PRESETS:
        applied = Scenario(
            name="as-applied",
            description=(
                "WBV 2022/22 and 2023/3 hold, WBV 2023/26 withdrawn, Temporary Act in force "
                "with the ABRvS rulings of 30 Nov 2022 (RULES §7)"
            ),
        )
        _PRESETS["as-applied"] = applied
        _PRESETS["extensions-void"] = applied.replace(
            name="extensions-void",
            description=(
                "as applied, but no categorical extension holds (the strict reading of CJEU "
                "8 May 2025, C-662/23 Zimir, ECLI:EU:C:2025:326)"
            ),
            extensions=frozenset(),
        )
        _PRESETS["no-temporary-act"] = applied.replace(
            name="no-temporary-act",
            description=(
                "counterfactual: the Awb 4:17 penalty and the court penalty were never "
                "suspended for asylum cases (no Stb. 2020, 242)"
            ),
            temporary_act=False,
        )
    return types.MappingProxyType(_PRESETS)


def scenarios() -> Mapping[str, Scenario]:
    """The preset scenarios by name (read-only mapping).

    >>> list(scenarios())
    ['as-applied', 'extensions-void', 'no-temporary-act']
    """
    return _presets()


def scenario(name: str | Scenario | None = None) -> Scenario:
    """The preset scenario called ``name``; ``None`` gives ``"as-applied"``, the default
    everywhere. A :class:`Scenario` passes through unchanged.

    >>> scenario("extensions-void").extensions
    frozenset()
    >>> scenario("nope")
    Traceback (most recent call last):
    ...
    dwangsom.errors.UnknownScenarioError: scenario: 'nope' is not known; known scenarios: ...
    """
    if isinstance(name, Scenario):
        return name
    presets = _presets()
    key = "as-applied" if name is None else name
    if not isinstance(key, str) or key not in presets:
        raise UnknownScenarioError(
            f"scenario: {key!r} is not known; known scenarios: {', '.join(presets)}"
        )
    return presets[key]
