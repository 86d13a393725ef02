"""Bodies of the breach register's routes (BRE-1..5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from confide.domain.breaches.model import Assessment, Incident, Notice
from confide.services.breaches import IncidentView, RegisterRow

TEXT = 10_000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IncidentIn(_In):
    """The facts of an incident. Recording needs a title; amending changes only the fields
    given."""

    title: str | None = Field(default=None, max_length=200, examples=["Laptop stolen"])
    reported_by: str | None = Field(
        default=None, max_length=20, description="staff, individual, supplier or other"
    )
    aware_on: date | None = Field(default=None, description="When the company became aware")
    circumstances: str | None = Field(default=None, max_length=TEXT)
    cause: str | None = Field(default=None, max_length=TEXT)
    occurred_from: date | None = None
    occurred_to: date | None = None
    occurred_approximate: bool | None = None
    categories: list[str] | None = Field(default=None, max_length=100)
    unknown_information: str | None = Field(
        default=None, max_length=TEXT, description="Why the information cannot be described"
    )
    systems: list[str] | None = Field(default=None, max_length=100)
    affected_estimate: int | None = Field(default=None, ge=0)
    affected_approximate: bool | None = None
    measures: str | None = Field(default=None, max_length=TEXT)
    individual_steps: str | None = Field(
        default=None, max_length=TEXT, description="What a person affected can do"
    )


class AffectedIn(_In):
    """People to link: a query over what Confide knows, or a list (one identifier a line)."""

    categories: list[str] = Field(default_factory=list, max_length=100)
    systems: list[str] = Field(default_factory=list, max_length=100)
    sources: list[str] = Field(default_factory=list, max_length=100)
    held_from: datetime | None = None
    held_to: datetime | None = None
    identifiers: str | None = Field(
        default=None,
        max_length=20_000_000,
        description="email:..., phone:..., account:..., employee_number:..., ref:... a line",
    )


class AssessmentIn(_In):
    factors: list[str] = Field(max_length=20)
    real_risk: bool
    decision_reason: str = Field(max_length=TEXT)
    factors_note: str = Field(default="", max_length=TEXT)
    sensitivity: str | None = Field(default=None, max_length=10)
    probability: str | None = Field(default=None, max_length=10)
    determined_on: date | None = None
    serious_injury: bool | None = None
    ill_intentioned_uses: str = Field(default="", max_length=TEXT)
    consequences: str = Field(default="", max_length=TEXT)
    likelihood: str | None = Field(default=None, max_length=10)


class PlanIn(_In):
    kind: str = Field(max_length=20, examples=["opc_report"])
    target_on: date | None = None
    party: str = Field(default="", max_length=200)


class SentIn(_In):
    sent_on: date | None = None
    reference: str = Field(default="", max_length=200)
    party: str = Field(default="", max_length=200)


class NotifyIn(_In):
    contact: str | None = Field(default=None, max_length=500)


class PublicNoticeIn(_In):
    reason: str = Field(max_length=20, examples=["no_contact"])
    explanation: str = Field(max_length=TEXT)
    how: str = Field(max_length=200, examples=["Notice on the website"])
    sent_on: date | None = None


class IncidentOut(BaseModel):
    id: str
    reference: str
    title: str
    status: str
    reported_at: datetime
    reported_by: str
    recorded_by: str
    aware_on: date
    circumstances: str
    cause: str
    occurred_from: date | None
    occurred_to: date | None
    occurred_approximate: bool
    categories: list[str]
    unknown_information: str
    systems: list[str]
    affected_estimate: int | None
    affected_approximate: bool
    measures: str
    individual_steps: str
    reporter_contact: str = Field(description="How to reach whoever reported it from outside")
    quebec: bool
    closed_at: datetime | None
    closed_by: str | None
    determined_on: date | None
    keep_until: date | None

    @classmethod
    def of(cls, i: Incident) -> IncidentOut:
        return cls(
            id=i.id,
            reference=i.reference,
            title=i.title,
            status=i.status.value,
            reported_at=i.reported_at,
            reported_by=i.reported_by.value,
            recorded_by=i.recorded_by,
            aware_on=i.aware_on,
            circumstances=i.circumstances,
            cause=i.cause,
            occurred_from=i.occurrence.started_on,
            occurred_to=i.occurrence.ended_on,
            occurred_approximate=i.occurrence.approximate,
            categories=list(i.categories),
            unknown_information=i.unknown_information,
            systems=list(i.systems),
            affected_estimate=i.affected_estimate,
            affected_approximate=i.affected_approximate,
            measures=i.measures,
            individual_steps=i.individual_steps,
            reporter_contact=i.reporter_contact,
            quebec=i.quebec,
            closed_at=i.closed_at,
            closed_by=i.closed_by,
            determined_on=i.determined_on,
            keep_until=i.keep_until,
        )


class AssessmentOut(BaseModel):
    id: str
    sensitivity: str
    probability: str
    likelihood: str | None
    factors: list[str]
    factors_note: str
    proposed_real_risk: bool
    proposed_serious_injury: bool | None
    proposed_reasons: list[str]
    real_risk: bool
    serious_injury: bool | None
    decision_reason: str
    ill_intentioned_uses: str
    consequences: str
    determined_on: date
    decided_by: str
    decided_at: datetime

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        return cls(
            id=a.id,
            sensitivity=a.sensitivity.value,
            probability=a.probability.value,
            likelihood=a.likelihood.value if a.likelihood else None,
            factors=list(a.factors),
            factors_note=a.factors_note,
            proposed_real_risk=a.proposed_real_risk,
            proposed_serious_injury=a.proposed_serious_injury,
            proposed_reasons=list(a.proposed_reasons),
            real_risk=a.real_risk,
            serious_injury=a.serious_injury,
            decision_reason=a.decision_reason,
            ill_intentioned_uses=a.ill_intentioned_uses,
            consequences=a.consequences,
            determined_on=a.determined_on,
            decided_by=a.decided_by,
            decided_at=a.decided_at,
        )


class NoticeOut(BaseModel):
    id: str
    kind: str
    party: str
    reason: str | None
    details: str
    target_on: date | None
    sent_on: date | None
    sent_by: str | None
    reference: str
    count: int
    late: bool

    @classmethod
    def of(cls, n: Notice, today: date) -> NoticeOut:
        return cls(
            id=n.id,
            kind=n.kind.value,
            party=n.party,
            reason=n.reason.value if n.reason else None,
            details=n.details,
            target_on=n.target_on,
            sent_on=n.sent_on,
            sent_by=n.sent_by,
            reference=n.reference,
            count=n.count,
            late=n.late(today),
        )


class IncidentViewOut(BaseModel):
    incident: IncidentOut
    missing: list[str] = Field(description="The register's contents still missing (BRE-1)")
    outstanding: list[str] = Field(description="Reports and notices owed and not sent (BRE-3)")
    affected: dict[str, int] = Field(description="People linked, per province")
    notified: int
    assessments: list[AssessmentOut]
    notices: list[NoticeOut]
    holds: list[str]
    proposal: dict[str, Any]

    @classmethod
    def of(cls, v: IncidentView, today: date) -> IncidentViewOut:
        return cls(
            incident=IncidentOut.of(v.incident),
            missing=v.missing,
            outstanding=v.outstanding,
            affected={c.province: c.people for c in v.counts},
            notified=v.notified,
            assessments=[AssessmentOut.of(a) for a in v.assessments],
            notices=[NoticeOut.of(n, today) for n in v.notices],
            holds=[h.id for h in v.holds if h.active],
            proposal={
                "sensitivity": v.proposal.sensitivity.value,
                "probability": v.proposal.probability.value,
                "real_risk": v.proposal.real_risk,
                "serious_injury": v.proposal.serious_injury,
                "reasons": list(v.proposal.reasons),
            },
        )


class RegisterRowOut(BaseModel):
    id: str
    reference: str
    title: str
    status: str
    aware_on: date
    quebec: bool
    real_risk: bool | None
    late: list[str]

    @classmethod
    def of(cls, r: RegisterRow) -> RegisterRowOut:
        return cls(
            id=r.incident.id,
            reference=r.incident.reference,
            title=r.incident.title,
            status=r.incident.status.value,
            aware_on=r.incident.aware_on,
            quebec=r.incident.quebec,
            real_risk=r.assessment.real_risk if r.assessment else None,
            late=[n.kind.value for n in r.late],
        )
