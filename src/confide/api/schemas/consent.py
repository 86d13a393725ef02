"""Bodies for consents, relationship events, decisions and withdrawals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from confide.domain.consent.codec import to_json
from confide.domain.consent.events import ConsentEvent
from confide.domain.decisions import StoredDecision


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ConsentIn(_In):
    purposes: list[str] = Field(min_length=1, max_length=20, examples=[["individual_marketing"]])
    kind: str = Field(examples=["express"], description="implied or express")
    method: str = Field(
        examples=["checkbox"], description="verbal, signed_document, checkbox or other_action"
    )
    channel: str | None = Field(default=None, max_length=50, examples=["email"])
    evidence_ref: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=5)
    at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    by_guardian: bool = False
    policy_version: str | None = Field(
        default=None, max_length=50, description="The version shown (default: in force)"
    )


class WithdrawIn(_In):
    purpose: str = Field(max_length=100)
    channel: str | None = Field(default=None, max_length=50)
    at: AwareDatetime | None = None


class RelationshipIn(_In):
    kind: str = Field(max_length=30, examples=["purchase"])
    occurred_at: AwareDatetime | None = None


class DoNotCallIn(_In):
    phone: str | None = Field(default=None, max_length=20)


class LedgerEventOut(BaseModel):
    id: str
    type: str
    at: datetime
    fields: dict[str, Any]

    @classmethod
    def of(cls, e: ConsentEvent) -> LedgerEventOut:
        """The event with its own fields as the one table of event types writes them."""
        return cls(id=e.event_id, type=type(e).__name__, at=e.at, fields=to_json(e))


class DecisionIn(_In):
    subject_id: str = Field(max_length=40)
    purpose: str = Field(max_length=100, examples=["individual_marketing"])
    categories: list[str] = Field(default_factory=list, max_length=50, examples=[["email"]])
    channel: str | None = Field(default=None, max_length=50, examples=["email"])
    at: AwareDatetime | None = None


class DecisionOut(BaseModel):
    id: str
    allowed: bool
    reasons: list[str]
    rule: str
    explanation: str
    explanation_en: str
    explanation_fr: str
    relied_on: str | None
    valid_until: datetime | None
    subject_id: str
    purpose: str
    channel: str | None
    categories: list[str]
    policy_version: str
    at: datetime


class StoredDecisionOut(BaseModel):
    id: str
    subject_id: str
    action: str
    purpose: str
    channel: str | None
    categories: list[str]
    asked_at: datetime
    decided_at: datetime
    allowed: bool
    reasons: list[str]
    rule: str
    relied_on: str | None
    valid_until: datetime | None
    policy_version: str
    requested_by: str

    @classmethod
    def of(cls, d: StoredDecision) -> StoredDecisionOut:
        return cls(
            id=d.id,
            subject_id=d.subject_id,
            action=d.action,
            purpose=d.purpose_id,
            channel=d.channel,
            categories=list(d.categories),
            asked_at=d.asked_at,
            decided_at=d.decided_at,
            allowed=d.allowed,
            reasons=list(d.reasons),
            rule=d.rule,
            relied_on=d.relied_on,
            valid_until=d.valid_until,
            policy_version=d.policy_version,
            requested_by=d.requested_by,
        )


class SystemIn(_In):
    name: str = Field(min_length=1, max_length=100)
    purposes: list[str] = Field(default_factory=list, max_length=50)


class AckIn(_In):
    system_id: str = Field(max_length=40)


class NationalDncIn(_In):
    taken_at: AwareDatetime
    numbers: list[str] = Field(max_length=5_000_000)
