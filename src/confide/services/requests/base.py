"""The shared part of the request use cases: wiring, helpers, constants.

The use cases are split by step (``intake``, ``clocks``, ``response``) into classes that
``RequestService`` combines; each public method is one transaction with its audit record.

Every message a step owes (a code, a notice, a refusal, a reminder) is composed and added to the
outbox in that step's transaction, under an idempotency key naming what it is for; after the
commit the outbox worker is nudged. No step sends mail itself.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from confide.domain.access import Principal
from confide.domain.errors import (
    Conflict,
    FieldProblem,
    NotAllowed,
    NotFound,
)
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
from confide.services.holds import HoldService
from confide.services.ports import AuditRecord, OutboxNudge, UnitOfWork
from confide.services.requests.commands import (
    Corrections,
    FileAssembler,
    FileLoader,
    FileRenderer,
    RequestSettings,
)

INDIVIDUAL = Principal(user_id="individual", username="individual", roles=frozenset())
"""Who acts on the public intake and verification endpoints (no staff token)."""

DEFAULT_TIME_ZONE = "America/Toronto"
IDENTIFIER_KINDS = (IdentifierKind.EMAIL, IdentifierKind.PHONE, IdentifierKind.ACCOUNT)
MAX_TEXT = 2000
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


class RequestBase:
    """State and helpers every step of the request process shares."""

    def __init__(
        self,
        ctx: ServiceContext,
        outbox: OutboxNudge | None = None,
        settings: RequestSettings | None = None,
        holds: HoldService | None = None,
    ) -> None:
        self.ctx = ctx
        self.outbox = outbox
        """Mail is configured when set: messages are added to the outbox and the worker nudged."""
        self.settings = settings or RequestSettings()
        self.holds = holds or HoldService(ctx)
        self.assembler: FileAssembler | None = None
        self.load_file: FileLoader | None = None
        self.render: FileRenderer | None = None
        self.corrections: Corrections | None = None

    def use_access_files(
        self, assembler: FileAssembler, load: FileLoader, render: FileRenderer
    ) -> None:
        """Wire the access-file service (assembly, stored form, rendering)."""
        self.assembler, self.load_file, self.render = assembler, load, render

    def use_corrections(self, corrections: Corrections) -> None:
        self.corrections = corrections

    # --- helpers ----------------------------------------------------------------------------------
    def _open_request(self, uow: UnitOfWork, request_id: str) -> tuple[AccessRequest, Subject]:
        request = uow.requests.get(request_id)
        if request is None:
            raise NotFound("request", request_id)
        subject = uow.subjects.get(request.subject_id) if request.subject_id else None
        if subject is None:
            raise Conflict("the request names no subject we hold: nothing to process or release")
        return request, subject

    def _ready_for_work(self, request: AccessRequest, states: set[RequestState], step: str) -> None:
        if request.state not in states:
            if request.state is RequestState.RECEIVED:
                raise NotVerified()
            raise WrongState(step, request.state.value)
        if not request.verified:
            raise NotVerified()
        if not request.authority_checked:
            raise NotAllowed("the representative's authority is not checked", rule="ACC-11")
        if request.fee.pending:
            raise NotAllowed(
                "a fee was estimated and the individual has not accepted it", rule="ACC-7"
            )

    def _move(
        self, uow: UnitOfWork, request: AccessRequest, state: RequestState, **changes: object
    ) -> AccessRequest:
        changed = request.but(state=state, **changes)
        if not uow.requests.save(changed, expected=request.state):
            raise Conflict("the request changed meanwhile; try again")
        return changed

    def _add_message(self, uow: UnitOfWork, message: OutboxMessage) -> bool:
        """Add ``message`` to the outbox in ``uow``; once committed, nudge the worker. False when
        a message with its idempotency key was already added (it is not sent twice)."""
        if not uow.outbox.add(message):
            return False
        nudge = self.outbox
        if nudge is not None:
            uow.after_commit(lambda: nudge.nudge([message.id]))
        return True

    def _message(
        self,
        kind: OutboxKind,
        target: TargetType,
        target_id: str,
        content: Composed,
        key: str,
        request: AccessRequest,
    ) -> OutboxMessage:
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

    def _mail_subject(
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
            self._add_message(
                uow,
                self._message(kind, TargetType.INDIVIDUAL, subject.id, content, name, request),
            )

    def portal_link(self, request: AccessRequest) -> str | None:
        base = self.settings.portal_url
        if not base:
            return None
        lang = "fr" if request.language == "fr" else "en"
        return f"{base.rstrip('/')}/portal/{lang}/requests/{request.id}/response"

    def _audit(
        self,
        principal: Principal,
        action: str,
        request: AccessRequest,
        details: dict[str, object],
    ) -> AuditRecord:
        active = self.ctx.active
        return AuditRecord(
            action=action,
            actor=principal.user_id,
            object_type="request",
            object_id=request.id,
            at=self.ctx.now(),
            policy_version=active.version_id if active else None,
            subject_id=request.subject_id,
            details=details,
        )
