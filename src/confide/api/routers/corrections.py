"""Corrections and the correction outbox (ACC-9).

* ``POST /v1/subjects/{id}/corrections`` — accept a correction: applied in Confide, written to
  writable sources, queued to every recipient of the category from the disclosure ledger;
* ``POST /v1/subjects/{id}/disagreements`` — refuse one: the statement of disagreement is kept
  with the file and queued to the same recipients; ``GET`` lists the statements;
* ``GET /v1/outbox?state=failed``, ``GET /v1/outbox/{id}``, ``POST /v1/outbox/{id}/retry`` —
  the privacy officer's view of every outgoing message (corrections, codes, notices, refusals,
  escalations), each named in words in English and French (never the payloads: personal);
* ``GET /v1/outbox/letters``, ``GET /v1/outbox/letters/{id}`` (the text to print, audited),
  ``POST /v1/outbox/letters/{id}/posted`` — letters staff print, post and mark sent;
* ``PUT /v1/recipients/{id}/correction-endpoint`` — where a recipient takes corrections.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from confide.api.deps import ContainerDep
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.domain.outbox import DeliveryAttempt, DeliveryState, Disagreement, OutboxMessage
from confide.services.corrections import CorrectionOutcome
from confide.services.outbox import OutboxService
from confide.web.i18n import LANGUAGES
from confide.web.labels import message_label

router = APIRouter(prefix="/v1", tags=["corrections"])


class CorrectionIn(BaseModel):
    category: str = Field(max_length=100)
    value: str = Field(min_length=1, max_length=10_000)
    reason: str | None = Field(default=None, max_length=2000)
    request_id: str | None = Field(default=None, max_length=40)
    record_id: str | None = Field(default=None, max_length=40)


class SourceResultOut(BaseModel):
    source: str
    state: str
    message_id: str | None
    error: str | None


class CorrectionOut(BaseModel):
    subject_id: str
    category: str
    applied: list[str]
    superseded: list[str]
    recipients_queued: list[str]
    messages: list[str]
    sources: list[SourceResultOut]
    unknown_recipient_classes: list[str]

    @classmethod
    def of(cls, o: CorrectionOutcome) -> CorrectionOut:
        return cls(
            subject_id=o.subject_id,
            category=o.category,
            applied=[r.id for r in o.applied],
            superseded=o.superseded,
            recipients_queued=o.recipients_queued,
            messages=o.messages,
            sources=[
                SourceResultOut(
                    source=s.source, state=s.state, message_id=s.message_id, error=s.error
                )
                for s in o.sources
            ],
            unknown_recipient_classes=o.unknown_recipients,
        )


class DisagreementIn(BaseModel):
    category: str = Field(max_length=100)
    statement: str = Field(min_length=1, max_length=10_000)
    request_id: str | None = Field(default=None, max_length=40)


class DisagreementOut(BaseModel):
    id: str
    subject_id: str
    category: str
    statement: str
    recorded_at: datetime
    recorded_by: str
    request_id: str | None

    @classmethod
    def of(cls, d: Disagreement) -> DisagreementOut:
        return cls(
            id=d.id,
            subject_id=d.subject_id,
            category=d.category,
            statement=d.statement,
            recorded_at=d.recorded_at,
            recorded_by=d.recorded_by,
            request_id=d.request_id,
        )


class RefusalOut(BaseModel):
    disagreement: DisagreementOut
    recipients_queued: list[str]
    messages: list[str]
    unknown_recipient_classes: list[str]


class AttemptOut(BaseModel):
    number: int
    at: datetime
    channel: str
    delivered: bool
    error: str | None
    status: int | None

    @classmethod
    def of(cls, a: DeliveryAttempt) -> AttemptOut:
        return cls(
            number=a.number,
            at=a.at,
            channel=a.channel.value,
            delivered=a.delivered,
            error=a.error,
            status=a.status,
        )


class MessageOut(BaseModel):
    id: str
    kind: str
    target_type: str
    labels: dict[str, str]
    """The kind and target in words, by language (``en``, ``fr``)."""
    channel: str | None
    target_id: str
    subject_id: str | None
    category: str | None
    state: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    request_id: str | None
    history: list[AttemptOut] | None = None

    @classmethod
    def of(cls, m: OutboxMessage, history: list[DeliveryAttempt] | None = None) -> MessageOut:
        return cls(
            id=m.id,
            kind=m.kind.value,
            target_type=m.target_type.value,
            labels={
                lang: message_label(
                    m.kind.value, m.target_type.value, lang, m.channel.value if m.channel else None
                )
                for lang in LANGUAGES
            },
            channel=m.channel.value if m.channel else None,
            target_id=m.target_id,
            subject_id=m.subject_id,
            category=m.category,
            state=m.state.value,
            attempts=m.attempts,
            max_attempts=m.max_attempts,
            next_attempt_at=m.next_attempt_at,
            last_error=m.last_error,
            last_attempt_at=m.last_attempt_at,
            delivered_at=m.delivered_at,
            created_at=m.created_at,
            request_id=m.request_id,
            history=[AttemptOut.of(a) for a in history] if history is not None else None,
        )


class EndpointIn(BaseModel):
    # Required and nothing else accepted: a misspelt key must not read as "remove the webhook".
    model_config = ConfigDict(extra="forbid")
    webhook_url: str | None = Field(
        max_length=2000, description="The https webhook; null (given explicitly) removes it."
    )


class EndpointOut(BaseModel):
    recipient_id: str
    webhook_url: str | None
    signing_secret: str | None = Field(
        description="Give it to the recipient: every POST carries Confide-Signature "
        "(t=<unix time>,v1=<hex HMAC-SHA256 of '<t>.' + body>)"
    )


@router.post("/subjects/{subject_id}/corrections", status_code=status.HTTP_201_CREATED)
def accept_correction(
    subject_id: str,
    body: CorrectionIn,
    principal: Annotated[Principal, allow(Action.CORRECTIONS_ACCEPT)],
    c: ContainerDep,
) -> CorrectionOut:
    """Accept a correction (ACC-9): applied, and sent to every recipient that received it."""
    return CorrectionOut.of(
        c.corrections.accept(
            principal,
            subject_id,
            body.category,
            body.value,
            request_id=body.request_id,
            reason=body.reason,
            record_id=body.record_id,
        )
    )


@router.post("/subjects/{subject_id}/disagreements", status_code=status.HTTP_201_CREATED)
def refuse_correction(
    subject_id: str,
    body: DisagreementIn,
    principal: Annotated[Principal, allow(Action.CORRECTIONS_REFUSE)],
    c: ContainerDep,
) -> RefusalOut:
    """Refuse a correction: the individual's statement of disagreement is kept with the file."""
    out = c.corrections.refuse(
        principal, subject_id, body.category, statement=body.statement, request_id=body.request_id
    )
    return RefusalOut(
        disagreement=DisagreementOut.of(out.disagreement),
        recipients_queued=out.recipients_queued,
        messages=out.messages,
        unknown_recipient_classes=out.unknown_recipients,
    )


@router.get("/subjects/{subject_id}/disagreements")
def list_disagreements(
    subject_id: str,
    principal: Annotated[Principal, allow(Action.CORRECTIONS_DISAGREEMENTS)],
    c: ContainerDep,
) -> list[DisagreementOut]:
    return [DisagreementOut.of(d) for d in c.corrections.disagreements(principal, subject_id)]


@router.get("/outbox")
def list_outbox(
    principal: Annotated[Principal, allow(Action.OUTBOX_READ)],
    c: ContainerDep,
    state: Literal["pending", "delivered", "failed"] | None = None,
    subject_id: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[MessageOut]:
    """Outbox messages, oldest first; ``state=failed`` is the list waiting for the officer."""
    found = c.outbox.messages(
        principal,
        state=DeliveryState(state) if state else None,
        subject_id=subject_id,
        limit=limit,
        offset=offset,
    )
    return [MessageOut.of(m) for m in found]


class LetterOut(BaseModel):
    id: str
    subject: str
    text: str
    language: str


@router.get("/outbox/letters")
def list_letters(
    principal: Annotated[Principal, allow(Action.OUTBOX_LETTERS)],
    c: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[MessageOut]:
    """Letters waiting to be printed and posted, oldest first."""
    return [MessageOut.of(m) for m in c.outbox.letters(principal, limit=limit)]


@router.get("/outbox/letters/{message_id}")
def get_letter(
    message_id: str, principal: Annotated[Principal, allow(Action.OUTBOX_LETTERS)], c: ContainerDep
) -> LetterOut:
    """The letter to print: its subject line and text (reading it is audited)."""
    letter = c.outbox.letter(principal, message_id)
    return LetterOut(
        id=message_id, subject=letter.title, text=letter.text, language=letter.language
    )


@router.post("/outbox/letters/{message_id}/posted")
def letter_posted(
    message_id: str, principal: Annotated[Principal, allow(Action.OUTBOX_LETTERS)], c: ContainerDep
) -> MessageOut:
    """Record that the letter was printed and posted: it is delivered."""
    return MessageOut.of(c.outbox.mark_posted(principal, message_id))


@router.get("/outbox/{message_id}")
def get_outbox_message(
    message_id: str, principal: Annotated[Principal, allow(Action.OUTBOX_READ)], c: ContainerDep
) -> MessageOut:
    """One message with every delivery attempt."""
    view = c.outbox.message(principal, message_id)
    return MessageOut.of(view.message, view.attempts)


@router.post("/outbox/{message_id}/retry")
def retry_outbox_message(
    message_id: str, principal: Annotated[Principal, allow(Action.OUTBOX_RETRY)], c: ContainerDep
) -> MessageOut:
    """Give a failed message a fresh set of attempts, the first one due now."""
    return MessageOut.of(c.outbox.retry(principal, message_id))


@router.put("/recipients/{recipient_id}/correction-endpoint")
def set_correction_endpoint(
    recipient_id: str,
    body: EndpointIn,
    principal: Annotated[Principal, allow(Action.RECIPIENTS_CORRECTION_ENDPOINT)],
    c: ContainerDep,
) -> EndpointOut:
    """Where the recipient takes corrections: an https webhook (JSON POST); null removes it
    (corrections then go by email to the recipient's contact when it is an address)."""
    outbox = c.outbox
    outbox.set_endpoint(principal, recipient_id, body.webhook_url)
    return _endpoint(outbox, principal, recipient_id)


@router.get("/recipients/{recipient_id}/correction-endpoint")
def get_correction_endpoint(
    recipient_id: str,
    principal: Annotated[Principal, allow(Action.RECIPIENTS_CORRECTION_ENDPOINT)],
    c: ContainerDep,
) -> EndpointOut:
    """The recipient's webhook and its signing secret (reading the secret is audited)."""
    return _endpoint(c.outbox, principal, recipient_id)


def _endpoint(outbox: OutboxService, principal: Principal, recipient_id: str) -> EndpointOut:
    return EndpointOut(
        recipient_id=recipient_id,
        webhook_url=outbox.endpoint(principal, recipient_id),
        signing_secret=outbox.signing_secret(principal, recipient_id),
    )
