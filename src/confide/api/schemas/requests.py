"""Bodies of the request routes (intake, verification, clocks, response, holds)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from confide.domain.requests.model import AccessRequest, Hold
from confide.services.requests import RequestRow


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RequestIn(_In):
    """A written request recorded by staff or the company's systems (ACC-1)."""

    kind: str = Field(max_length=20, examples=["access"])
    channel: str = Field(max_length=20, examples=["email"])
    identifier_kind: str = Field(max_length=20, examples=["email"])
    identifier: str = Field(max_length=320)
    language: str | None = Field(default=None, max_length=5)
    note: str | None = Field(
        default=None, max_length=2000, description="An agent's written record of a call."
    )
    received_at: AwareDatetime | None = None
    representative_name: str | None = Field(default=None, max_length=200)
    representative_authority: str | None = Field(
        default=None, max_length=30, examples=["power_of_attorney"]
    )
    representative_document: str | None = Field(default=None, max_length=200)
    representative_subject_id: str | None = Field(default=None, max_length=40)
    correction_category: str | None = Field(default=None, max_length=100)
    correction_value: str | None = Field(default=None, max_length=10_000)


class PublicRequestIn(_In):
    """An individual's own request: no staff token; the answer never says whether we know them."""

    kind: str = Field(max_length=20, examples=["access"])
    identifier_kind: str = Field(max_length=20, examples=["email"])
    identifier: str = Field(max_length=320)
    language: str | None = Field(default=None, max_length=5)
    channel: str = Field(default="portal", max_length=20)
    correction_category: str | None = Field(default=None, max_length=100)
    correction_value: str | None = Field(default=None, max_length=10_000)


class IntakeOut(BaseModel):
    reference: str
    message: str


class CodeIn(_In):
    code: str = Field(min_length=1, max_length=20)


class AgentCheckIn(_In):
    how: str = Field(min_length=1, max_length=2000, examples=["asked account number and postcode"])
    authority_checked: bool = False


class ExtendIn(_In):
    reason: str = Field(min_length=1, max_length=2000)
    days: int | None = Field(default=None, ge=1, le=30)
    new_due: date | None = None
    notice_by_letter: bool = False


class FeeIn(_In):
    amount_cents: int = Field(ge=0, le=1_000_000)


class ReviewIn(_In):
    exclude: dict[str, str] = Field(
        default_factory=dict, description="Item id -> reason it is withheld (ACC-5)."
    )
    restore: list[str] = Field(default_factory=list)


class ReleaseIn(_In):
    incomplete_ok: bool = Field(
        default=False, description="Release although some sources could not be read."
    )
    withheld_reasons: list[str] = Field(
        default_factory=list, description="Reasons for what is withheld: a partial refusal."
    )


class RefuseIn(_In):
    reasons: list[str] = Field(min_length=1)


class RespondIn(_In):
    accept: bool
    statement: str | None = Field(default=None, max_length=10_000)
    reasons: list[str] = Field(default_factory=list)


class RequestOut(BaseModel):
    id: str
    kind: str
    channel: str
    subject_id: str | None
    state: str
    received_at: datetime
    due_on: date
    effective_due: date
    days_left: int
    overdue: bool
    language: str
    verified: bool
    verification_method: str | None
    representative: bool
    authority_checked: bool
    extended_to: date | None
    fee_cents: int
    fee_accepted: bool
    outcome: str | None
    reasons: list[str]
    released_incomplete: bool
    responded_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, row: RequestRow) -> RequestOut:
        r: AccessRequest = row.request
        return cls(
            id=r.id,
            kind=r.kind.value,
            channel=r.channel.value,
            subject_id=r.subject_id,
            state=r.state.value,
            received_at=r.received_at,
            due_on=r.due_on,
            effective_due=r.effective_due,
            days_left=row.days_left,
            overdue=row.overdue,
            language=r.language,
            verified=r.verified,
            verification_method=r.verification.method.value if r.verification else None,
            representative=r.representative is not None,
            authority_checked=r.authority_checked,
            extended_to=r.extension.new_due if r.extension else None,
            fee_cents=r.fee.amount_cents,
            fee_accepted=r.fee.accepted_at is not None,
            outcome=r.outcome.value if r.outcome else None,
            reasons=list(r.reasons),
            released_incomplete=r.released_incomplete,
            responded_at=r.responded_at,
            escalated_at=r.escalated_at,
            closed_at=r.closed_at,
        )


class LetterOut(BaseModel):
    request: RequestOut
    letter: str


class FileOut(BaseModel):
    request_id: str
    file: dict[str, Any]


class HoldOut(BaseModel):
    id: str
    kind: str
    reference: str
    opened_at: datetime
    closed_at: datetime | None
    active: bool

    @classmethod
    def of(cls, h: Hold) -> HoldOut:
        return cls(
            id=h.id,
            kind=h.kind.value,
            reference=h.reference,
            opened_at=h.opened_at,
            closed_at=h.closed_at,
            active=h.active,
        )
