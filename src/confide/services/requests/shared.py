"""What the steps of the request process share: constants, small helpers over a unit of work,
the audit record, and :class:`RequestMail` (the messages a step owes).

The use cases are split by step (``intake``, ``clocks``, ``response``, ``delivery``) into classes
given their collaborators when built; ``RequestService`` holds them. Nothing here is a base class:
a step calls these helpers, it does not inherit them.

Every message a step owes (a code, a notice, a refusal, a reminder) is composed and added to the
outbox in that step's transaction, under an idempotency key naming what it is for; after the
commit the outbox worker is nudged. No step sends mail itself.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from typing import Any

from confide.domain.access import Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import (
    Conflict,
    FieldProblem,
    NotAllowed,
    NotFound,
)
from confide.domain.officer import officer_for
from confide.domain.outbox import Composed, OutboxKind, OutboxMessage, TargetType, compose
from confide.domain.requests.errors import (
    NotVerified,
    WrongState,
)
from confide.domain.requests.model import (
    AccessRequest,
    RequestState,
)
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.context import ServiceContext
from confide.services.ports.outbox import OutboxNudge
from confide.services.ports.store import UnitOfWork
from confide.services.requests.commands import RequestSettings

INDIVIDUAL = Principal(user_id="individual", username="individual", roles=frozenset())
"""Who acts on the public intake and verification endpoints (no staff token)."""

DEFAULT_TIME_ZONE = "America/Toronto"
IDENTIFIER_KINDS = (IdentifierKind.EMAIL, IdentifierKind.PHONE, IdentifierKind.ACCOUNT)
MAX_TEXT = 2000
INTAKE_JOB = "requests.intake"
"""The job that matches an individual's own request off the request path (payload: its id)."""
OFFICER_TARGET = "privacy_officer"
"""The outbox target id of messages to the privacy officer (the address is in the message)."""


def enum_choice(enum: Any, value: str, field: str, problems: list[FieldProblem]) -> Any:
    try:
        return enum(value)
    except ValueError:
        problems.append(
            FieldProblem(
                field, "is not one of the accepted values", ", ".join(e.value for e in enum)
            )
        )
        return None


def code_mac(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def address_hash(address: str) -> str:
    return hashlib.sha256(f"verification-address:{address}".encode()).hexdigest()


def open_request(uow: UnitOfWork, request_id: str) -> tuple[AccessRequest, Subject]:
    """The request and the subject it names; a request naming no subject we hold has nothing to
    process or release."""
    request = uow.requests.get(request_id)
    if request is None:
        raise NotFound("request", request_id)
    subject = uow.subjects.get(request.subject_id) if request.subject_id else None
    if subject is None:
        raise Conflict("the request names no subject we hold: nothing to process or release")
    return request, subject


def ready_for_work(request: AccessRequest, states: set[RequestState], step: str) -> None:
    """Refuse to work on a request that is not in ``states``, not verified, whose
    representative's authority is unchecked (ACC-11) or whose estimated fee is pending (ACC-7)."""
    if request.state not in states:
        if request.state in (RequestState.RECEIVED, RequestState.AWAITING_IDENTITY):
            raise NotVerified()
        raise WrongState(step, request.state.value)
    if not request.verified:
        raise NotVerified()
    if not request.authority_checked:
        raise NotAllowed("the representative's authority is not checked", rule="ACC-11")
    if request.fee.pending:
        raise NotAllowed("a fee was estimated and the individual has not accepted it", rule="ACC-7")


def move(
    uow: UnitOfWork, request: AccessRequest, state: RequestState, **changes: object
) -> AccessRequest:
    """Save the request in ``state`` with ``changes``, only if nobody moved it meanwhile."""
    changed = request.but(state=state, **changes)
    if not uow.requests.save(changed, expected=request.state):
        raise Conflict("the request changed meanwhile; try again")
    return changed


def audit_record(
    ctx: ServiceContext,
    principal: Principal,
    action: str,
    request: AccessRequest,
    details: dict[str, object],
) -> AuditRecord:
    """The audit entry of a step on ``request`` (written by the step in its transaction)."""
    active = ctx.active
    return AuditRecord(
        action=action,
        actor=principal.user_id,
        object_type="request",
        object_id=request.id,
        at=ctx.now(),
        policy_version=active.version_id if active else None,
        subject_id=request.subject_id,
        details=details,
    )


class RequestMail:
    """The messages the steps owe, composed into the outbox in the step's unit of work.

    Mail is configured when ``outbox`` (the nudge of the outbox worker) is given; without it,
    nothing is composed and the steps that need mail say so (verify by an agent's check)."""

    def __init__(
        self, ctx: ServiceContext, outbox: OutboxNudge | None, settings: RequestSettings
    ) -> None:
        self.ctx = ctx
        self.outbox = outbox
        self.settings = settings

    def sign(self, text: str, language: str) -> str:
        """``text`` closed with the privacy officer's name, title and contact (CMP-3); as it is
        when no policy is active (there is no officer to name)."""
        if self.ctx.active is None:
            return text
        officer = officer_for(self.ctx.policy.organization.privacy_officer, language)
        return f"{text.rstrip()}\n\n{officer.signature(language)}\n"

    @property
    def configured(self) -> bool:
        return self.outbox is not None

    def add(self, uow: UnitOfWork, message: OutboxMessage) -> bool:
        """Add ``message`` to the outbox in ``uow``; once committed, nudge the worker. False when
        a message with its idempotency key was already added (it is not sent twice)."""
        if not uow.outbox.add(message):
            return False
        nudge = self.outbox
        if nudge is not None:
            uow.after_commit(lambda: nudge.nudge([message.id]))
        return True

    def message(
        self,
        kind: OutboxKind,
        target: TargetType,
        target_id: str,
        content: Composed,
        key: str,
        request: AccessRequest,
    ) -> OutboxMessage:
        if target is TargetType.INDIVIDUAL:
            # Every text to a person names the privacy officer (CMP-3).
            content = replace(content, text=self.sign(content.text, content.language))
        return compose(
            id=self.ctx.new_id("obx"),
            kind=kind,
            target_type=target,
            target_id=target_id,
            content=content,
            key=key,
            at=self.ctx.now(),
            subject_id=request.subject_id,
            request_id=request.id,
        )

    def to_subject(
        self,
        uow: UnitOfWork,
        subject: Subject,
        request: AccessRequest,
        mail: tuple[str, str],
        key: str = "response",
        kind: OutboxKind = OutboxKind.REFUSAL,
    ) -> None:
        """Mail the subject at the email on file (nothing without one, or without mail)."""
        address = subject.identifier(IdentifierKind.EMAIL)
        if address and self.outbox is not None:
            name = f"{key}.{request.id}"
            content = Composed(
                mail[0], mail[1], request.language, address, f"{name}@confide.requests"
            )
            self.add(
                uow,
                self.message(kind, TargetType.INDIVIDUAL, subject.id, content, name, request),
            )

    def to_officer(
        self,
        uow: UnitOfWork,
        request: AccessRequest,
        mail: tuple[str, str],
        key: str,
        kind: OutboxKind = OutboxKind.ESCALATION,
    ) -> None:
        """Mail the privacy officer (nothing without their address, or without mail)."""
        address = self.settings.officer_email
        if address and self.outbox is not None:
            content = Composed(mail[0], mail[1], "en", address, f"{key}@confide.requests")
            self.add(
                uow, self.message(kind, TargetType.OFFICER, OFFICER_TARGET, content, key, request)
            )

    def portal_link(self, request: AccessRequest) -> str | None:
        base = self.settings.portal_url
        if not base:
            return None
        lang = "fr" if request.language == "fr" else "en"
        return f"{base.rstrip('/')}/portal/{lang}/requests/{request.id}/response"
