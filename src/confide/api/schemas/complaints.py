"""Bodies of the complaints routes (CMP-1, CMP-2)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from confide.domain.complaints import Complaint, ComplaintAction, ComplaintNote

TEXT = 10_000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ComplaintIn(_In):
    channel: str = Field(
        max_length=10, examples=["phone"], description="portal, phone, letter, email"
    )
    topic: str = Field(
        max_length=20, description="use, disclosure, request, incident, marketing, other"
    )
    summary: str = Field(max_length=TEXT)
    contact: str = Field(max_length=200, description="An email, a telephone number or an address")
    language: str = Field(default="en", max_length=5)
    account_ref: str = Field(default="", max_length=100, description="Invoice or account number")
    subject_id: str | None = Field(default=None, max_length=40)
    about_id: str | None = Field(default=None, max_length=40)


class NoteIn(_In):
    text: str = Field(max_length=TEXT)


class AnswerIn(_In):
    outcome: str = Field(
        max_length=20, description="justified, partly_justified, not_justified, withdrawn"
    )
    reasons: str = Field(max_length=TEXT)


class ActionIn(_In):
    kind: str = Field(max_length=20, description="correction, practice_change, policy_amendment")
    correction_id: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", max_length=TEXT)
    owner: str = Field(default="", max_length=200)
    due_on: date | None = None
    policy_version: str | None = Field(default=None, max_length=200)


class ComplaintOut(BaseModel):
    id: str
    reference: str
    received_at: datetime
    channel: str
    language: str
    topic: str
    summary: str
    contact: str
    account_ref: str
    subject_id: str | None
    about_id: str | None
    quebec: bool
    level: str
    status: str
    target_on: date
    overdue: bool
    escalated_at: datetime | None
    escalated_by: str | None
    outcome: str | None
    answer_reasons: str
    answered_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, c: Complaint, today: date) -> ComplaintOut:
        return cls(
            id=c.id,
            reference=c.reference,
            received_at=c.received_at,
            channel=c.channel.value,
            language=c.language,
            topic=c.topic.value,
            summary=c.summary,
            contact=c.contact,
            account_ref=c.account_ref,
            subject_id=c.subject_id,
            about_id=c.about_id,
            quebec=c.quebec,
            level=c.level.value,
            status=c.status.value,
            target_on=c.target_on,
            overdue=c.status.value == "open" and today > c.target_on,
            escalated_at=c.escalated_at,
            escalated_by=c.escalated_by,
            outcome=c.outcome.value if c.outcome else None,
            answer_reasons=c.answer_reasons,
            answered_at=c.answered_at,
            closed_at=c.closed_at,
        )


class NoteOut(BaseModel):
    id: str
    at: datetime
    by: str
    text: str

    @classmethod
    def of(cls, n: ComplaintNote) -> NoteOut:
        return cls(id=n.id, at=n.at, by=n.by, text=n.text)


class ActionOut(BaseModel):
    id: str
    complaint_id: str
    kind: str
    correction_id: str | None
    description: str
    owner: str
    due_on: date | None
    policy_version: str | None
    done_on: date | None
    late: bool

    @classmethod
    def of(cls, a: ComplaintAction, today: date) -> ActionOut:
        return cls(
            id=a.id,
            complaint_id=a.complaint_id,
            kind=a.kind.value,
            correction_id=a.correction_id,
            description=a.description,
            owner=a.owner,
            due_on=a.due_on,
            policy_version=a.policy_version,
            done_on=a.done_on,
            late=a.late(today),
        )


class ComplaintViewOut(BaseModel):
    complaint: ComplaintOut
    notes: list[NoteOut]
    actions: list[ActionOut]
