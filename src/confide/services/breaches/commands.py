"""What the front doors give the breach register's use cases, checked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from confide.domain.breaches.model import Incident, Occurrence, ReportedBy
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.policy import Policy

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


def choices(enum: Any, *excluded: str) -> str:
    """The values of ``enum`` as a hint ("a, b, c"), but ``excluded``."""
    return ", ".join(e.value for e in enum if e.value not in excluded)


def missing_problem(name: str) -> FieldProblem:
    """A content a regulation requires that is missing."""
    return FieldProblem(name, "is missing: the regulations require it")


def apply_facts(
    base: Incident, facts: IncidentFacts, policy: Policy, today: date, *, creating: bool
) -> Incident:
    """``base`` with ``facts`` applied, every field checked against the policy and ``today``;
    raises :class:`ValidationFailed` naming every problem."""
    p = Problems()

    def text(name: str, limit: int = MAX_TEXT, required: bool = False) -> str:
        value = getattr(facts, name)
        if value is None:
            return str(getattr(base, name))
        return p.text(name, value, required=required, limit=limit)

    title = text("title", MAX_TITLE, required=creating or facts.title is not None)
    reported_by = base.reported_by
    if facts.reported_by is not None:
        if facts.reported_by not in set(ReportedBy):
            p.add("reported_by", "is not a way incidents are reported", choices(ReportedBy))
        else:
            reported_by = ReportedBy(facts.reported_by)
    aware_on = facts.aware_on or base.aware_on
    if aware_on > today:
        p.add("aware_on", "is in the future")
    occurrence = Occurrence(
        facts.occurred_from if facts.occurred_from is not None else base.occurrence.started_on,
        facts.occurred_to if facts.occurred_to is not None else base.occurrence.ended_on,
        base.occurrence.approximate
        if facts.occurred_approximate is None
        else facts.occurred_approximate,
    )
    if occurrence.ended_on and not occurrence.started_on:
        p.add("occurred_from", "is required with occurred_to (the start of the period)")
    start, end = occurrence.started_on, occurrence.ended_on
    if start and end and end < start:
        p.add("occurred_to", "is before occurred_from")
    if occurrence.started_on and occurrence.started_on > today:
        p.add("occurred_from", "is in the future")
    categories = base.categories
    if facts.categories is not None:
        categories = tuple(dict.fromkeys(c.strip() for c in facts.categories if c.strip()))
        unknown = [c for c in categories if policy.category(c) is None]
        if unknown:
            p.add(
                "categories",
                f"not categories of the policy: {', '.join(unknown)}",
                ", ".join(c.id for c in policy.categories),
            )
    systems = base.systems
    if facts.systems is not None:
        systems = tuple(dict.fromkeys(s.strip() for s in facts.systems if s.strip()))
        if any(len(s) > 100 for s in systems):
            p.add("systems", "a system's name is longer than 100 characters")
    estimate = base.affected_estimate
    if facts.affected_estimate is not None:
        if facts.affected_estimate < 0:
            p.add("affected_estimate", "must be 0 or more")
        estimate = facts.affected_estimate
    incident = replace(
        base,
        title=title,
        reported_by=reported_by,
        aware_on=aware_on,
        circumstances=text("circumstances"),
        cause=text("cause"),
        occurrence=occurrence,
        categories=categories,
        unknown_information=text("unknown_information"),
        systems=systems,
        affected_estimate=estimate,
        affected_approximate=base.affected_approximate
        if facts.affected_approximate is None
        else facts.affected_approximate,
        measures=text("measures"),
        individual_steps=text("individual_steps"),
    )
    if p.items:
        raise ValidationFailed("the incident cannot be recorded", p.items)
    return incident
