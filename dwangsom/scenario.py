"""Legal scenarios: every choice RULES.md leaves open, in one frozen object.

A :class:`Scenario` fixes which categorical extensions hold, whether the Temporary Act applies,
how the first penalty day is counted, and the legal tables in force. Three presets follow
RULES §7; any of them can be copied and changed with :meth:`Scenario.replace`:

>>> import dwangsom
>>> sorted(dwangsom.scenarios())
['as-applied', 'bills-in-force', 'extensions-void', 'no-temporary-act']
>>> s = dwangsom.scenario("as-applied").replace(name="strict", first_penalty_offset=14)
>>> s.first_penalty_offset, dwangsom.scenario("as-applied").first_penalty_offset
(14, 15)

Each decree's lawfulness is its own field, kept in step with ``extensions``:

>>> mixed = dwangsom.scenario("as-applied").replace(wbv_2023_3=False)
>>> sorted(mixed.extensions), mixed.wbv_2022_22, mixed.wbv_2023_3
(['WBV 2022/22'], True, False)

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

__all__ = ["DECREE_FIELDS", "Scenario", "scenario", "scenarios"]

#: The per-decree lawfulness fields and the decree (``wbv_decrees.csv``) each stands for.
DECREE_FIELDS: Mapping[str, str] = types.MappingProxyType(
    {"wbv_2022_22": "WBV 2022/22", "wbv_2023_3": "WBV 2023/3", "wbv_2023_26": "WBV 2023/26"}
)
MORATORIUM_READINGS = ("extension", "suspension", "none")
COURT_MAXIMUM_VARIANTS = ("norm", "low")
REPEAT_APPEAL_VARIANTS = ("table", "short", "long")
#: Regulation (EU) 2024/1348 (the EU Pact's asylum procedure) applies from this day [C].
EU_PACT_FROM = _dt.date(2026, 6, 12)
#: Placeholder commencement of bill 35 749 and amendment Van Dijk in "bills-in-force" [U].
BILLS_PLACEHOLDER = _dt.date(2027, 1, 1)


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
    #: Whether WBV 2022/22 holds (``None`` at construction: as ``extensions`` says) [U].
    wbv_2022_22: bool | None = None
    #: Whether WBV 2023/3 holds (``None`` at construction: as ``extensions`` says) [U].
    wbv_2023_3: bool | None = None
    #: Whether WBV 2023/26 holds; withdrawn June 2025 for pending cases too (IB 2025/28) [C].
    wbv_2023_26: bool | None = None
    #: Reading of a Vw art. 43 decision moratorium [U] (RULES §2): ``"extension"`` (default: the
    #: term is extended by 12 months, never beyond 21 months, also for expired terms; a notice
    #: received before the first day keeps its effect; ECLI:NL:RBDHA:2025:15586,
    #: ECLI:NL:RVS:2025:3082, ECLI:NL:RBDHA:2025:14982), ``"suspension"`` (the term is extended
    #: by the days the moratorium overlaps it; ECLI:NL:RBDHA:2026:1940) or ``"none"``.
    moratorium_reading: str = "extension"
    #: Default court maximum from 2024 [S]: ``"norm"`` (EUR 15,000) or ``"low"`` (EUR 7,500).
    court_maximum_variant: str = "norm"
    #: Default terms of a repeat appeal [S]: ``"table"`` (56 days / EUR 200 / 15,000, RULES §6
    #: table), ``"short"`` (14 / 200 / 15,000) or ``"long"`` (56 / 250 / 37,500).
    repeat_appeal_variant: str = "table"
    #: Bill 36 349: 9-month nareis term for applications received from this day; ``None``: not
    #: in force [U].
    nareis_nine_months_from: _dt.date | None = None
    #: Bill 35 749: no Awb 4:17 penalty for notices received from this day (any Vw application
    #: type; earlier notices keep it); ``None``: not in force [U].
    admin_penalty_abolished_from: _dt.date | None = None
    #: Amendment Van Dijk (36 704 nr. 32): no court penalty on BNTB appeals lodged from this day
    #: (an empty ``appeal_filed`` reads as the judgment date); ``None``: not in force [U].
    court_penalty_abolished_from: _dt.date | None = None
    #: Applications received from this day fall under the EU Pact (Regulation (EU) 2024/1348)
    #: [C]; ``None``: ignore the Pact.
    eu_pact_from: _dt.date | None = EU_PACT_FROM
    #: Whether such applications are flagged "regime-unconfirmed" (their terms and enforcement
    #: under art. 35 of the Regulation and bill 36 871 are unknown) [U]; they are assessed with
    #: the Vw art. 42 terms either way.
    eu_pact_unconfirmed: bool = True
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
    moratorium_table: tuple[tables.Moratorium, ...] = dataclasses.field(
        default_factory=tables.moratoria, repr=False
    )
    bill_table: tuple[tables.Bill, ...] = dataclasses.field(
        default_factory=tables.bills, repr=False
    )
    #: The Atw calendar (holidays plus decree bridge days); ``None``: the packaged one.
    calendar: AtwCalendar | None = dataclasses.field(default=None, repr=False)

    def __post_init__(self) -> None:
        known = {d.decree for d in self.decrees}
        holds = set(self.extensions)
        for field, decree in DECREE_FIELDS.items():
            value = getattr(self, field)
            if value is None:
                continue
            if not isinstance(value, bool):
                raise DwangsomError(f"Scenario {self.name!r}: {field} must be True, False or None")
            if value:
                holds.add(decree)
            else:
                holds.discard(decree)
        object.__setattr__(self, "extensions", frozenset(holds))
        for field, decree in DECREE_FIELDS.items():
            object.__setattr__(self, field, decree in holds)
        choices = (
            ("moratorium_reading", MORATORIUM_READINGS),
            ("court_maximum_variant", COURT_MAXIMUM_VARIANTS),
            ("repeat_appeal_variant", REPEAT_APPEAL_VARIANTS),
        )
        for field, allowed in choices:
            if getattr(self, field) not in allowed:
                raise DwangsomError(
                    f"Scenario {self.name!r}: {field} must be one of {', '.join(allowed)}, "
                    f"got {getattr(self, field)!r}"
                )
        for field in (
            "nareis_nine_months_from",
            "admin_penalty_abolished_from",
            "court_penalty_abolished_from",
            "eu_pact_from",
        ):
            value = getattr(self, field)
            if value is not None and (
                not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)
            ):
                raise DwangsomError(f"Scenario {self.name!r}: {field} must be a date or None")
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

        Changing ``extensions`` resets the per-decree fields to match it; changing a per-decree
        field (``wbv_2022_22``, ``wbv_2023_3``, ``wbv_2023_26``) changes ``extensions``.
        """
        if "extensions" in changes:
            for field in DECREE_FIELDS:
                changes.setdefault(field, None)
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
            "moratorium_table",
            "bill_table",
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
        _PRESETS["bills-in-force"] = applied.replace(
            name="bills-in-force",
            description=(
                "as applied, with bill 35 749 (no Awb 4:17 penalty for notices received from "
                "the date) and amendment Van Dijk 36 704 nr. 32 (no court penalty on BNTB appeals "
                f"lodged from the date) in force from {BILLS_PLACEHOLDER.isoformat()}: a "
                "PLACEHOLDER date, not a known commencement [U]"
            ),
            admin_penalty_abolished_from=BILLS_PLACEHOLDER,
            court_penalty_abolished_from=BILLS_PLACEHOLDER,
        )
    return types.MappingProxyType(_PRESETS)


def scenarios() -> Mapping[str, Scenario]:
    """The preset scenarios by name (read-only mapping).

    >>> list(scenarios())
    ['as-applied', 'extensions-void', 'no-temporary-act', 'bills-in-force']
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
