"""Bodies for the recipients register, disclosure decisions, disclosures and their ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from confide.domain.disclosure import DisclosureDecision, Recipient
from confide.domain.disclosure.notices import NoticeMethod
from confide.domain.disclosure.records import DisclosureNotice
from confide.services.disclosures import DisclosureOutcome


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecipientIn(_In):
    name: str = Field(min_length=1, max_length=200, examples=["Example Collection Agency"])
    class_id: str = Field(max_length=100, examples=["collection_agency"])
    country: str = Field(min_length=1, max_length=2, examples=["CA"])
    province: str | None = Field(default=None, max_length=2, examples=["QC"])
    contact: str | None = Field(default=None, max_length=320)
    categories: list[str] = Field(default_factory=list, max_length=50)
    purposes: list[str] = Field(default_factory=list, max_length=50)
    agreement_ref: str | None = Field(default=None, max_length=200)
    agreement_signed: date | None = None
    agreement_expires: date | None = Field(default=None, description="Last day in force")
    safeguards: str | None = Field(default=None, max_length=4000)
    assessment_ref: str | None = Field(default=None, max_length=200)
    assessment_date: date | None = None
    correction_endpoint: str | None = Field(
        default=None,
        max_length=2000,
        description="https webhook that takes corrections (ACC-9); none: email to the contact",
    )


class RecipientOut(BaseModel):
    id: str
    name: str
    class_id: str
    country: str
    province: str | None
    contact: str | None
    categories: list[str]
    purposes: list[str]
    agreement_ref: str | None
    agreement_signed: date | None
    agreement_expires: date | None
    safeguards: str | None
    assessment_ref: str | None
    assessment_date: date | None

    @classmethod
    def of(cls, r: Recipient) -> RecipientOut:
        a, pia = r.agreement, r.impact_assessment
        return cls(
            id=r.id,
            name=r.name,
            class_id=r.class_id,
            country=r.place.country,
            province=r.place.province,
            contact=r.contact,
            categories=list(r.categories),
            purposes=list(r.purposes),
            agreement_ref=a.reference if a else None,
            agreement_signed=a.signed_on if a else None,
            agreement_expires=a.expires_on if a else None,
            safeguards=r.safeguards,
            assessment_ref=pia.reference if pia else None,
            assessment_date=pia.done_on if pia else None,
        )


class DisclosureIn(_In):
    subject_id: str = Field(max_length=40)
    recipient_id: str = Field(max_length=40)
    purpose: str = Field(max_length=100, examples=["billing"])
    categories: list[str] = Field(
        min_length=1, max_length=50, examples=[["name", "billing_records"]]
    )
    exception: str | None = Field(
        default=None, max_length=50, description="An exception code of DIS-2; none: consent"
    )
    evidence: dict[str, str | bool | None] | None = Field(
        default=None,
        description="The exception's evidence by field name (`reference` names the first field)",
        examples=[{"debt_reference": "INV-2026-0042", "owed_to_company": True}],
    )
    at: AwareDatetime | None = None


class DisclosureDecisionOut(BaseModel):
    id: str
    decision: dict[str, Any]

    @classmethod
    def of(cls, decision_id: str, d: DisclosureDecision) -> DisclosureDecisionOut:
        return cls(id=decision_id, decision=d.to_dict())


class NoticeOut(BaseModel):
    id: str
    subject_id: str
    disclosure_id: str
    due_at: datetime
    done_at: datetime | None = Field(description="When it was sent (null: still owed)")
    status: str = Field(description="open, overdue or sent")
    sent_via: str | None = None
    sent_by: str | None = None
    sent_reference: str | None = None

    @classmethod
    def of(cls, n: DisclosureNotice, now: datetime | None = None) -> NoticeOut:
        status = "sent" if n.done_at is not None else "open"
        if n.done_at is None and now is not None and now > n.due_at:
            status = "overdue"
        return cls(
            id=n.id,
            subject_id=n.subject_id,
            disclosure_id=n.disclosure_id,
            due_at=n.due_at,
            done_at=n.done_at,
            status=status,
            sent_via=n.sent_via,
            sent_by=n.sent_by,
            sent_reference=n.sent_reference,
        )


class NoticeSentIn(_In):
    method: NoticeMethod = Field(description="How the written notice reached the individual")
    sent_at: AwareDatetime | None = Field(default=None, description="When sent (default: now)")
    sent_by: str | None = Field(
        default=None, max_length=170, description="Who sent it (default: the caller)"
    )
    reference: str | None = Field(
        default=None, max_length=200, description="Tracking number, message id"
    )


class DisclosureOut(BaseModel):
    id: str
    decision_id: str
    record: dict[str, Any]
    decision: dict[str, Any]
    notices: list[NoticeOut]

    @classmethod
    def of(cls, o: DisclosureOutcome) -> DisclosureOut:
        return cls(
            id=o.disclosure_id,
            decision_id=o.decision_id,
            record=o.record.to_dict(),
            decision=o.decision.to_dict(),
            notices=[NoticeOut.of(n) for n in o.notices],
        )
