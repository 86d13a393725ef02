"""What the front doors give the breach register's use cases, checked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from confide.domain.errors import FieldProblem

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_NAME = 200


@dataclass(frozen=True)
class IncidentFacts:
    """The facts of an incident as staff record or amend them (``None``: left as it is when
    amending; empty when recording)."""

    title: str | None = None
    reported_by: str | None = None
    aware_on: date | None = None
    circumstances: str | None = None
    cause: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    occurred_approximate: bool | None = None
    categories: tuple[str, ...] | None = None
    unknown_information: str | None = None
    systems: tuple[str, ...] | None = None
    affected_estimate: int | None = None
    affected_approximate: bool | None = None
    measures: str | None = None
    individual_steps: str | None = None


@dataclass(frozen=True)
class PortalReport:
    """What someone outside the company reports through the portal (no account needed)."""

    description: str
    contact: str
    language: str = "en"
    occurred_on: date | None = None


@dataclass(frozen=True)
class AssessIncident:
    """The officer's assessment (BRE-2): the factors, the Québec elements when Québec people
    are affected, and the decision with its reason."""

    factors: tuple[str, ...]
    real_risk: bool
    decision_reason: str
    factors_note: str = ""
    sensitivity: str | None = None
    """Left empty: the sensitivity the policy's categories give."""
    probability: str | None = None
    """Left empty: the probability the factors give."""
    determined_on: date | None = None
    """When the company determined a breach occurred (default: today)."""
    serious_injury: bool | None = None
    ill_intentioned_uses: str = ""
    consequences: str = ""
    likelihood: str | None = None


@dataclass(frozen=True)
class PlanNotice:
    """A report or notice owed, or an organization to notify, with its target date."""

    kind: str
    target_on: date | None
    party: str = ""


@dataclass(frozen=True)
class RecordSent:
    sent_on: date | None = None
    reference: str = ""


@dataclass(frozen=True)
class PublicNotice:
    """An indirect notice instead of direct ones, with its reason (BRE-4)."""

    reason: str
    explanation: str
    how: str
    """Where it was published: a page of the website, a newspaper, a press release."""
    sent_on: date | None = None


@dataclass(frozen=True)
class NotifyIndividuals:
    contact: str | None = None
    """Whom people contact about it (default: the privacy officer's published contact)."""


@dataclass
class Problems:
    """Collects field problems, then raises them together."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, location: str, message: str, hint: str | None = None) -> None:
        self.items.append(FieldProblem(location, message, hint))

    def text(self, location: str, value: str | None, *, required: bool, limit: int) -> str:
        text = (value or "").strip()
        if required and not text:
            self.add(location, "is required")
        elif len(text) > limit:
            self.add(location, f"is longer than {limit} characters")
        return text
