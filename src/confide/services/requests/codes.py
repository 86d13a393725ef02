"""One-time verification codes (ACC-11): issued to the email on file, checked once.

A code is stored hashed under its own key (sealed in the store) and its mail is added to the
outbox in the caller's unit of work; codes are rate-limited by subject and by address. Intake
verifies requests with them; delivery checks them before a released response is downloaded.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from confide.domain.access import Principal
from confide.domain.errors import Conflict
from confide.domain.outbox import Composed, OutboxKind, TargetType
from confide.domain.requests import letters
from confide.domain.requests.errors import TooManyCodes, VerificationFailed
from confide.domain.requests.model import AccessRequest, VerificationCode
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.context import ServiceContext
from confide.services.ports.store import UnitOfWork
from confide.services.requests.commands import RequestSettings
from confide.services.requests.shared import RequestMail, address_hash, audit_record, code_mac


class VerificationCodes:
    """Issues and checks the one-time codes of requests, in the caller's unit of work."""

    def __init__(self, ctx: ServiceContext, mail: RequestMail, settings: RequestSettings) -> None:
        self.ctx = ctx
        self.mail = mail
        self.settings = settings

    def issue(
        self, uow: UnitOfWork, principal: Principal, request: AccessRequest, subject: Subject
    ) -> None:
        """Store a new one-time code for the request (hashed under its own sealed key) and add
        its mail to the address on file to the outbox, in ``uow``: the code is mailed only if
        the transaction commits (its text is sealed in the outbox, never logged)."""
        now = self.ctx.now()
        s = self.settings
        address = subject.identifier(IdentifierKind.EMAIL)
        if address is None:
            raise Conflict("no email on file for this subject: verify by an agent's recorded check")
        hour_ago = now - timedelta(hours=1)
        addr_hash = address_hash(address)
        if (
            uow.requests.codes_since(hour_ago, subject_id=subject.id) >= s.codes_per_hour
            or uow.requests.codes_since(hour_ago, address_hash=addr_hash) >= s.codes_per_hour
        ):
            raise TooManyCodes(
                f"at most {s.codes_per_hour} codes an hour; try again later", rule="ACC-11"
            )
        code = f"{secrets.randbelow(10**6):06d}"
        key = secrets.token_bytes(32)
        stored = VerificationCode(
            id=self.ctx.new_id("vc"),
            request_id=request.id,
            subject_id=subject.id,
            address_hash=addr_hash,
            code_hash=code_mac(key, code),
            mac_key=key,
            created_at=now,
            expires_at=now + timedelta(minutes=s.code_minutes),
        )
        uow.requests.add_code(stored)
        uow.audit.record(
            audit_record(self.ctx, principal, "request.code_sent", request, {"code_id": stored.id})
        )
        title, text = letters.code_mail(code, s.code_minutes, request.language)
        content = Composed(title, text, request.language, address)
        self.mail.add(
            uow,
            self.mail.message(
                OutboxKind.ONE_TIME_CODE,
                TargetType.INDIVIDUAL,
                subject.id,
                content,
                f"code.{stored.id}",
                request,
            ),
        )

    def decoy(self, uow: UnitOfWork, request: AccessRequest) -> None:
        """Store a code nobody is sent, for a request awaiting identity that gets no real code
        (nobody matched, no email on file, too many codes, no mail): checking a code for it then
        reads, counts and compares exactly as for any request, and always fails. Its MAC is over
        32 random bytes, not six digits, so no typed code can match it. It names no subject and
        no address, so it counts towards no limit."""
        now = self.ctx.now()
        key = secrets.token_bytes(32)
        uow.requests.add_code(
            VerificationCode(
                id=self.ctx.new_id("vc"),
                request_id=request.id,
                subject_id="",
                address_hash="",
                code_hash=code_mac(key, secrets.token_hex(32)),
                mac_key=key,
                created_at=now,
                expires_at=now + timedelta(minutes=self.settings.code_minutes),
            )
        )

    def check(
        self, uow: UnitOfWork, principal: Principal, request: AccessRequest, code: str
    ) -> VerificationFailed | None:
        """Check ``code`` against the request's latest code: None when it is right (the code is
        then used up), else the failure to raise after committing.

        The try is counted first, by one atomic statement that only counts it while tries are
        left and the code is unused (``take_attempt``); the code is compared only when that
        statement counted it. Concurrent guesses therefore cannot read the same count and all
        pass the limit: at most ``max_attempts`` tries are ever compared."""
        now = self.ctx.now()
        stored = uow.requests.latest_code(request.id)
        if stored is None:
            return VerificationFailed()
        if stored.used_at is not None or now >= stored.expires_at:
            return VerificationFailed(0)
        attempts = uow.requests.take_attempt(stored.id, self.settings.max_attempts)
        if attempts is None:  # no try left, or used meanwhile: nothing is compared
            return VerificationFailed(0)
        left = self.settings.max_attempts - attempts
        if not hmac.compare_digest(code_mac(stored.mac_key, code.strip()), stored.code_hash):
            uow.audit.record(
                audit_record(
                    self.ctx, principal, "request.code_failed", request, {"attempts_left": left}
                )
            )
            return VerificationFailed(left)
        if not uow.requests.use_code(stored.id, now):  # a concurrent right guess used it first
            return VerificationFailed(0)
        return None
