"""The shared part of the request use cases: wiring, helpers, constants.

The use cases are split by step (``intake``, ``clocks``, ``response``) into classes that
``RequestService`` combines; each public method is one transaction with its audit record.
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
from confide.services.ports import AuditRecord, Mailer, OutgoingMail, UnitOfWork
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
        mailer: Mailer | None = None,
        settings: RequestSettings | None = None,
        holds: HoldService | None = None,
    ) -> None:
        self.ctx = ctx
        self.mailer = mailer
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

    def _mail_subject(
        self,
        subject: Subject,
        request: AccessRequest,
        mail: tuple[str, str],
        key: str = "response",
    ) -> None:
        address = subject.identifier(IdentifierKind.EMAIL)
        if address and self.mailer is not None:
            self.mailer.send(
                OutgoingMail(
                    to=address,
                    subject=mail[0],
                    text=mail[1],
                    language=request.language,
                    message_id=f"{key}.{request.id}@confide.requests",
                )
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
