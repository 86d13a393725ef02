"""The request lifecycle (ACC-1..11). Each public method is one transaction with its audit record.

Mail (codes, notices, reminders, escalations) goes through the ``Mailer`` port; in production
that is the queued mailer, so a message is a job with an idempotency key: a message enqueued
twice (a job re-run after a crash) is sent once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from confide.domain.access import Principal
from confide.domain.consent.zones import PROVINCE_TIME_ZONES
from confide.domain.errors import (
    Conflict,
    FieldProblem,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from confide.domain.requests import clocks, letters
from confide.domain.requests.errors import (
    NotVerified,
    TooManyCodes,
    VerificationFailed,
    WrongState,
)
from confide.domain.requests.model import (
    CLOSABLE_STATES,
    OPEN_STATES,
    AccessRequest,
    AuthorityKind,
    Channel,
    CorrectionAsk,
    Extension,
    Fee,
    Hold,
    HoldKind,
    Outcome,
    Representative,
    RequestKind,
    RequestState,
    Verification,
    VerificationCode,
    VerificationMethod,
)
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.context import ServiceContext
from confide.services.ports import AuditRecord, Mailer, OutgoingMail, UnitOfWork
from confide.services.requests.commands import (
    HOLD_READERS,
    INTAKE,
    MANAGERS,
    OFFICERS,
    TICKERS,
    Corrections,
    FileAssembler,
    FileLoader,
    FileRenderer,
    IntakeReceipt,
    RequestRow,
    RequestSettings,
    SubmitRequest,
    TickReport,
)
from confide.services.validation import check_language, normalize_identifier

INDIVIDUAL = Principal(user_id="individual", username="individual", roles=frozenset())
"""Who acts on the public intake and verification endpoints (no staff token)."""

DEFAULT_TIME_ZONE = "America/Toronto"
IDENTIFIER_KINDS = (IdentifierKind.EMAIL, IdentifierKind.PHONE, IdentifierKind.ACCOUNT)
MAX_TEXT = 2000


def _choice(enum: Any, value: str, field: str, problems: list[FieldProblem]) -> Any:
    try:
        return enum(value)
    except ValueError:
        problems.append(
            FieldProblem(
                field, "is not one of the accepted values", ", ".join(e.value for e in enum)
            )
        )
        return None


def _mac(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _address_hash(address: str) -> str:
    return hashlib.sha256(f"verification-address:{address}".encode()).hexdigest()


class RequestService:
    def __init__(
        self,
        ctx: ServiceContext,
        mailer: Mailer | None = None,
        settings: RequestSettings | None = None,
    ) -> None:
        self.ctx = ctx
        self.mailer = mailer
        self.settings = settings or RequestSettings()
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

    # --- intake (ACC-1, ACC-7, ACC-11) ---------------------------------------------------------
    def submit(self, principal: Principal, cmd: SubmitRequest) -> AccessRequest:
        """Record a written request; its subject is found by the identifier given."""
        principal.require(INTAKE, "requests.submit")
        return self._submit(principal, cmd)

    def submit_public(self, cmd: SubmitRequest) -> IntakeReceipt:
        """The individual's own request (portal or API): the answer never says whether we know
        them; when we do, a code goes to a contact already on file (ACC-11)."""
        request = self._submit(INDIVIDUAL, cmd, public=True)
        if request.subject_id is not None:
            # Same answer either way (rate-limited, no email on file): nothing is revealed.
            with contextlib.suppress(TooManyCodes, Conflict):
                self._send_code(INDIVIDUAL, request.id)
        return IntakeReceipt(request.id, letters.INTAKE_ANSWER[request.language])

    def _submit(
        self, principal: Principal, cmd: SubmitRequest, *, public: bool = False
    ) -> AccessRequest:
        problems: list[FieldProblem] = []
        kind = _choice(RequestKind, cmd.kind, "kind", problems)
        channel = _choice(Channel, cmd.channel, "channel", problems)
        if public and channel not in (None, Channel.PORTAL, Channel.API):
            problems.append(FieldProblem("channel", "an individual's own request is portal or api"))
        id_kind = _choice(IdentifierKind, cmd.identifier_kind, "identifier_kind", problems)
        if id_kind is not None and id_kind not in IDENTIFIER_KINDS:
            problems.append(FieldProblem("identifier_kind", "use email, phone or account"))
            id_kind = None
        identifier = None
        if id_kind is not None:
            identifier, p = normalize_identifier(id_kind, cmd.identifier, "identifier")
            if p:
                problems.append(p)
        language = None
        if cmd.language:
            language, p = check_language(cmd.language)
            if p:
                problems.append(p)
        if channel is Channel.PHONE and not (cmd.note and cmd.note.strip()):
            problems.append(
                FieldProblem("note", "a phone request needs the agent's written record of the call")
            )
        if cmd.note is not None and len(cmd.note) > MAX_TEXT:
            problems.append(FieldProblem("note", f"is longer than {MAX_TEXT} characters"))
        now = self.ctx.now()
        received_at = cmd.received_at or now
        if received_at.tzinfo is None:
            problems.append(FieldProblem("received_at", "needs a time zone"))
        elif received_at > now:
            problems.append(FieldProblem("received_at", "is in the future"))
        elif public and cmd.received_at is not None:
            problems.append(FieldProblem("received_at", "is set by Confide for an online request"))
        correction = None
        if kind is RequestKind.CORRECTION:
            category = self.ctx.policy.category(cmd.correction_category or "")
            if category is None:
                problems.append(
                    FieldProblem("correction_category", "is not a category of the policy")
                )
            if not cmd.correction_value or len(cmd.correction_value) > 10_000:
                problems.append(
                    FieldProblem("correction_value", "must have 1 to 10,000 characters")
                )
            if category is not None and cmd.correction_value:
                correction = CorrectionAsk(category.id, cmd.correction_value)
        elif cmd.correction_category or cmd.correction_value:
            problems.append(FieldProblem("correction_category", "only for a correction request"))
        representative = self._representative(cmd, problems, public)
        if problems:
            raise ValidationFailed("the request cannot be recorded", problems)
        assert kind is not None and channel is not None and id_kind is not None and identifier
        fee_cents = self.ctx.policy.access.fee if self.ctx.policy.access else 0
        with self.ctx.uow() as uow:
            subject = uow.subjects.find_by_identifier(id_kind, identifier)
            if subject is not None and representative and representative.subject_id:
                agent = uow.subjects.get(representative.subject_id)
                if agent is None or agent.acts_for != subject.id:
                    raise ValidationFailed.single(
                        "representative_subject_id",
                        "names no authorized user acting for this subject",
                    )
                # The relationship on file is the authority: checked at intake (ACC-11).
                representative = Representative(
                    representative.name,
                    AuthorityKind.AUTHORIZED_USER,
                    representative.document_ref,
                    representative.subject_id,
                    checked_by=principal.user_id,
                    checked_at=now,
                )
            tz_name = (
                PROVINCE_TIME_ZONES.get(subject.province, DEFAULT_TIME_ZONE)
                if subject
                else DEFAULT_TIME_ZONE
            )
            tz = ZoneInfo(tz_name)
            request = AccessRequest(
                id=self.ctx.new_id("req"),
                kind=kind,
                channel=channel,
                subject_id=subject.id if subject else None,
                identifier_kind=id_kind.value,
                received_at=received_at,
                due_on=clocks.due_date(received_at, tz, self.ctx.policy.rules.access_response_days),
                time_zone=tz_name,
                province=subject.province if subject else None,
                language=language or (subject.language if subject else "en"),
                state=RequestState.RECEIVED if subject else RequestState.UNMATCHED,
                recorded_by=principal.user_id,
                representative=representative,
                correction=correction,
                fee=Fee(amount_cents=fee_cents),
                note=cmd.note.strip() if cmd.note else None,
            )
            uow.requests.add(request)
            if subject is not None:
                uow.holds.open(
                    Hold(
                        id=self.ctx.new_id("hold"),
                        subject_id=subject.id,
                        kind=HoldKind.REQUEST,
                        reference=request.id,
                        opened_at=now,
                    )
                )
            uow.audit.record(
                self._audit(
                    principal,
                    "request.received",
                    request,
                    {
                        "kind": kind.value,
                        "channel": channel.value,
                        "matched": subject is not None,
                        "identifier_kind": id_kind.value,
                        "due_on": request.due_on.isoformat(),
                        "representative": representative is not None,
                    },
                )
            )
            uow.commit()
        return request

    def _representative(
        self, cmd: SubmitRequest, problems: list[FieldProblem], public: bool
    ) -> Representative | None:
        given = (
            cmd.representative_name,
            cmd.representative_authority,
            cmd.representative_document,
            cmd.representative_subject_id,
        )
        if not any(given):
            return None
        if not cmd.representative_name or len(cmd.representative_name) > 200:
            problems.append(FieldProblem("representative_name", "must have 1 to 200 characters"))
        if cmd.representative_subject_id:
            return Representative(
                cmd.representative_name or "",
                AuthorityKind.AUTHORIZED_USER,
                cmd.representative_document,
                cmd.representative_subject_id,
            )
        authority = _choice(
            AuthorityKind, cmd.representative_authority or "", "representative_authority", problems
        )
        if authority is AuthorityKind.AUTHORIZED_USER:
            problems.append(
                FieldProblem(
                    "representative_subject_id", "an authorized user is named by their subject id"
                )
            )
        if not cmd.representative_document or len(cmd.representative_document) > 200:
            problems.append(
                FieldProblem(
                    "representative_document",
                    "name the document giving the authority (1 to 200 characters)",
                )
            )
        return Representative(cmd.representative_name or "", authority, cmd.representative_document)

    # --- identity verification (ACC-11) ------------------------------------------------------
    def send_code(self, principal: Principal, request_id: str) -> None:
        """Send a one-time code to the subject's email on file (rate-limited)."""
        principal.require(MANAGERS, "requests.send_code")
        self._send_code(principal, request_id)

    def _send_code(self, principal: Principal, request_id: str) -> None:
        if self.mailer is None:
            raise Conflict("mail is not configured: verify by an agent's recorded check")
        now = self.ctx.now()
        s = self.settings
        with self.ctx.uow() as uow:
            request, subject = self._open_request(uow, request_id)
            if request.state is not RequestState.RECEIVED:
                raise WrongState("sent a code", request.state.value)
            address = subject.identifier(IdentifierKind.EMAIL)
            if address is None:
                raise Conflict(
                    "no email on file for this subject: verify by an agent's recorded check"
                )
            hour_ago = now - timedelta(hours=1)
            address_hash = _address_hash(address)
            if (
                uow.requests.codes_since(hour_ago, subject_id=subject.id) >= s.codes_per_hour
                or uow.requests.codes_since(hour_ago, address_hash=address_hash) >= s.codes_per_hour
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
                address_hash=address_hash,
                code_hash=_mac(key, code),
                mac_key=key,
                created_at=now,
                expires_at=now + timedelta(minutes=s.code_minutes),
            )
            uow.requests.add_code(stored)
            uow.audit.record(
                self._audit(principal, "request.code_sent", request, {"code_id": stored.id})
            )
            uow.commit()
        title, text = letters.code_mail(code, s.code_minutes, request.language)
        self.mailer.send(
            OutgoingMail(to=address, subject=title, text=text, language=request.language)
        )

    def verify_code(
        self, request_id: str, code: str, principal: Principal = INDIVIDUAL
    ) -> AccessRequest:
        """Check a one-time code: wrong, expired or exhausted codes fail alike, and count."""
        if principal is not INDIVIDUAL:
            principal.require(MANAGERS, "requests.verify")
        now = self.ctx.now()
        failure: VerificationFailed | None = None
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            stored = uow.requests.latest_code(request_id) if request else None
            if request is None or stored is None or request.state is not RequestState.RECEIVED:
                raise VerificationFailed()
            left = self.settings.max_attempts - stored.attempts - 1
            if stored.used_at is not None or now >= stored.expires_at or left < 0:
                raise VerificationFailed(0)
            good = hmac.compare_digest(_mac(stored.mac_key, code.strip()), stored.code_hash)
            if not good:
                uow.requests.record_attempt(stored.id)
                uow.audit.record(
                    self._audit(principal, "request.code_failed", request, {"attempts_left": left})
                )
                failure = VerificationFailed(left)
            else:
                uow.requests.record_attempt(stored.id, used_at=now)
                request = self._move(
                    uow,
                    request,
                    RequestState.VERIFIED,
                    verification=Verification(VerificationMethod.CODE, now, principal.user_id),
                )
                uow.audit.record(
                    self._audit(principal, "request.verified", request, {"method": "code"})
                )
            uow.commit()
        if failure is not None:
            raise failure
        return request

    def verify_by_agent(
        self, principal: Principal, request_id: str, how: str, *, authority_checked: bool = False
    ) -> AccessRequest:
        """Record an agent's identity check (a phone request): who checked and how; and, for a
        representative, that their authority was checked (ACC-11)."""
        principal.require(MANAGERS, "requests.verify")
        if not how.strip() or len(how) > MAX_TEXT:
            raise ValidationFailed.single("how", "say how identity was checked")
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request, _ = self._open_request(uow, request_id)
            if request.state is not RequestState.RECEIVED:
                raise WrongState("verified", request.state.value)
            rep = request.representative
            if rep is not None and rep.checked_by is None:
                if not authority_checked:
                    raise NotAllowed(
                        "a representative's authority must be checked with their identity",
                        rule="ACC-11",
                    )
                rep = Representative(
                    rep.name,
                    rep.authority,
                    rep.document_ref,
                    rep.subject_id,
                    principal.user_id,
                    now,
                )
            request = self._move(
                uow,
                request,
                RequestState.VERIFIED,
                verification=Verification(
                    VerificationMethod.AGENT_CHECK, now, principal.user_id, how.strip()
                ),
                representative=rep,
            )
            uow.audit.record(
                self._audit(principal, "request.verified", request, {"method": "agent_check"})
            )
            uow.commit()
        return request

    # --- the queue and the clocks (ACC-1..3) ----------------------------------------------------
    def get(self, principal: Principal, request_id: str) -> RequestRow:
        principal.require(MANAGERS, "requests.read")
        with self.ctx.uow(readonly=True) as uow:
            request = uow.requests.get(request_id)
        if request is None:
            raise NotFound("request", request_id)
        return self.row_of(request)

    def listing(
        self,
        principal: Principal,
        *,
        due_within: int | None = None,
        overdue: bool = False,
        subject_id: str | None = None,
    ) -> list[RequestRow]:
        """Requests not closed; ``due_within``/``overdue`` keep the open ones due soon or late."""
        principal.require(MANAGERS, "requests.list")
        if due_within is not None and due_within < 0:
            raise ValidationFailed.single("due_within", "must be zero or more days")
        states = set(RequestState) - {RequestState.CLOSED}
        if due_within is not None or overdue:
            states = set(OPEN_STATES)
        with self.ctx.uow(readonly=True) as uow:
            requests = uow.requests.listing(states=states, subject_id=subject_id, limit=5000)
        rows = [self.row_of(r) for r in requests]
        if due_within is not None or overdue:
            rows = [
                row
                for row in rows
                if (overdue and row.overdue)
                or (due_within is not None and not row.overdue and row.days_left <= due_within)
            ]
        return sorted(rows, key=lambda r: (r.days_left, r.request.id))

    def row_of(self, request: AccessRequest) -> RequestRow:
        """The request with its days left and whether it is overdue, now."""
        now = self.ctx.now()
        return RequestRow(request, clocks.days_left(request, now), clocks.is_overdue(request, now))

    def extend(
        self,
        principal: Principal,
        request_id: str,
        reason: str,
        *,
        days: int | None = None,
        new_due: date | None = None,
        notice_by_letter: bool = False,
    ) -> tuple[AccessRequest, str]:
        """The one federal extension (ACC-2): the notice (new date, reason, right to complain) is
        mailed to the subject now, before the first deadline; returns the request and the notice."""
        principal.require(OFFICERS, "requests.extend")
        if not reason.strip() or len(reason) > MAX_TEXT:
            raise ValidationFailed.single("reason", "give the reason for the extension")
        rules = self.ctx.policy.rules
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request, subject = self._open_request(uow, request_id)
            if not request.is_open:
                raise WrongState("extended", request.state.value)
            target = new_due or request.due_on + timedelta(
                days=days if days is not None else rules.access_extension_max_days
            )
            clocks.check_extension(
                request,
                target,
                now,
                max_days=rules.access_extension_max_days,
                allowed_federal=rules.access_extension_allowed_federal,
                allowed_quebec=rules.access_extension_allowed_quebec,
            )
            title, text = letters.extension_notice(request, target, reason.strip())
            address = subject.identifier(IdentifierKind.EMAIL)
            if not notice_by_letter and (address is None or self.mailer is None):
                raise Conflict(
                    "the notice cannot be mailed (no email on file or no mail configured): "
                    "send it by letter and record that with notice_by_letter"
                )
            request = self._move(
                uow,
                request,
                request.state,
                extension=Extension(target, reason.strip(), now, principal.user_id),
            )
            uow.audit.record(
                self._audit(
                    principal,
                    "request.extended",
                    request,
                    {
                        "new_due": target.isoformat(),
                        "notice": "letter" if notice_by_letter else "email",
                        "rule": "ACC-2",
                    },
                )
            )
            if not notice_by_letter and address is not None and self.mailer is not None:
                # Enqueued before the commit, under a key naming the request: sent once.
                self.mailer.send(
                    OutgoingMail(
                        to=address,
                        subject=title,
                        text=text,
                        language=request.language,
                        message_id=f"extension.{request.id}@confide.requests",
                    )
                )
            uow.commit()
        return request, text

    def tick(self, principal: Principal) -> TickReport:
        """The periodic clock job: reminders before the deadline, deemed refusal and escalation
        after it (ACC-3). Each request is its own transaction; re-running does nothing twice."""
        principal.require(TICKERS, "requests.tick")
        now = self.ctx.now()
        horizon = now.date() + timedelta(days=max(clocks.REMINDER_DAYS) + 2)
        with self.ctx.uow(readonly=True) as uow:
            candidates = uow.requests.listing(states=OPEN_STATES, due_until=horizon, limit=100_000)
        reminded = deemed = 0
        for candidate in candidates:
            if clocks.is_overdue(candidate, now):
                deemed += self._deem_refused(principal, candidate.id, now)
            elif clocks.reminders_due(candidate, now):
                reminded += self._remind(principal, candidate.id, now)
        return TickReport(reminded=reminded, deemed_refused=deemed)

    def _deem_refused(self, principal: Principal, request_id: str, now: datetime) -> int:
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None or not clocks.is_overdue(request, now):
                return 0
            changed = request.but(state=RequestState.DEEMED_REFUSED, escalated_at=now)
            if not uow.requests.save(changed, expected=request.state):
                return 0
            uow.audit.record(
                self._audit(
                    principal,
                    "request.deemed_refused",
                    changed,
                    {"due_on": request.effective_due.isoformat(), "rule": "ACC-3"},
                )
            )
            self._to_officer(letters.escalation_mail(changed), f"deemed.{request.id}")
            uow.commit()
        return 1

    def _remind(self, principal: Principal, request_id: str, now: datetime) -> int:
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            due = clocks.reminders_due(request, now) if request else ()
            if request is None or not due:
                return 0
            changed = request.but(reminders_sent=tuple(sorted({*request.reminders_sent, *due})))
            if not uow.requests.save(changed, expected=request.state):
                return 0
            left = clocks.days_left(request, now)
            uow.audit.record(
                self._audit(principal, "request.reminded", changed, {"days_left": left})
            )
            self._to_officer(
                letters.reminder_mail(changed, left), f"reminder-{min(due)}.{request.id}"
            )
            uow.commit()
        return 1

    def _to_officer(self, mail: tuple[str, str], key: str) -> None:
        address = self.settings.officer_email
        if address and self.mailer is not None:
            self.mailer.send(
                OutgoingMail(
                    to=address,
                    subject=mail[0],
                    text=mail[1],
                    message_id=f"{key}@confide.requests",
                )
            )

    # --- fees (ACC-7) -----------------------------------------------------------------------------
    def estimate_fee(
        self, principal: Principal, request_id: str, amount_cents: int
    ) -> AccessRequest:
        """Record a fee estimate given to the individual; work waits for their acceptance."""
        principal.require(OFFICERS, "requests.fee")
        if amount_cents < 0 or amount_cents > 1_000_000:
            raise ValidationFailed.single("amount_cents", "must be 0 to 1,000,000 cents")
        with self.ctx.uow() as uow:
            request, _ = self._open_request(uow, request_id)
            if not request.is_open:
                raise WrongState("given a fee estimate", request.state.value)
            request = self._move(
                uow,
                request,
                request.state,
                fee=Fee(amount_cents, self.ctx.now() if amount_cents else None, None),
            )
            uow.audit.record(
                self._audit(
                    principal, "request.fee_estimated", request, {"amount_cents": amount_cents}
                )
            )
            uow.commit()
        return request

    def accept_fee(self, principal: Principal, request_id: str) -> AccessRequest:
        """Record that the individual accepted the estimate (ACC-7)."""
        principal.require(MANAGERS, "requests.fee")
        with self.ctx.uow() as uow:
            request, _ = self._open_request(uow, request_id)
            if request.fee.amount_cents == 0 or request.fee.estimated_at is None:
                raise Conflict("there is no fee estimate to accept")
            fee = Fee(request.fee.amount_cents, request.fee.estimated_at, self.ctx.now())
            request = self._move(uow, request, request.state, fee=fee)
            uow.audit.record(
                self._audit(
                    principal, "request.fee_accepted", request, {"amount_cents": fee.amount_cents}
                )
            )
            uow.commit()
        return request

    # --- the response (ACC-4..6, ACC-9, ACC-10) ---------------------------------------------------
    def prepare(self, principal: Principal, request_id: str) -> dict[str, Any]:
        """Assemble the subject's file and keep it, sealed, for the reviewer (state in_review)."""
        principal.require(MANAGERS, "requests.prepare")
        with self.ctx.uow(readonly=True) as uow:
            request, _ = self._open_request(uow, request_id)
        self._ready_for_work(request, {RequestState.VERIFIED, RequestState.IN_REVIEW}, "prepared")
        if request.kind is RequestKind.CORRECTION:
            raise Conflict("a correction request is answered with 'respond', not a prepared file")
        if self.assembler is None:
            raise Conflict("the access-file service is not available")
        assert request.subject_id is not None
        kind: Literal["access", "portability"] = (
            "portability" if request.kind is RequestKind.PORTABILITY else "access"
        )
        assembled = self.assembler.assemble(principal, request.subject_id, kind=kind)
        data: dict[str, Any] = assembled.to_json()
        incomplete = [str(s) for s in assembled.incomplete_sources]
        with self.ctx.uow() as uow:
            current, _ = self._open_request(uow, request_id)
            self._ready_for_work(
                current, {RequestState.VERIFIED, RequestState.IN_REVIEW}, "prepared"
            )
            uow.requests.set_file(request_id, data, self.ctx.now())
            current = self._move(uow, current, RequestState.IN_REVIEW)
            uow.audit.record(
                self._audit(
                    principal, "request.prepared", current, {"incomplete_sources": incomplete}
                )
            )
            uow.commit()
        return data

    def prepared_file(self, principal: Principal, request_id: str) -> dict[str, Any]:
        principal.require(MANAGERS, "requests.read_file")
        with self.ctx.uow(readonly=True) as uow:
            self._open_request(uow, request_id)
            data = uow.requests.file(request_id)
        if data is None:
            raise Conflict("no file has been prepared for this request")
        return data

    def review(
        self,
        principal: Principal,
        request_id: str,
        *,
        exclude: Mapping[str, str] | None = None,
        restore: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Adjust what will be released: exclude items (each with its reason, ACC-5) or restore."""
        principal.require(OFFICERS, "requests.review")
        if self.load_file is None:
            raise Conflict("the access-file service is not available")
        with self.ctx.uow() as uow:
            request, _ = self._open_request(uow, request_id)
            if request.state is not RequestState.IN_REVIEW:
                raise WrongState("reviewed", request.state.value)
            data = uow.requests.file(request_id)
            if data is None:
                raise Conflict("no file has been prepared for this request")
            reviewed = self.load_file(data).with_review(
                exclude=dict(exclude or {}), restore=list(restore)
            )
            new = reviewed.to_json()
            uow.requests.set_file(request_id, new, self.ctx.now())
            uow.audit.record(
                self._audit(
                    principal,
                    "request.reviewed",
                    request,
                    {"excluded": sorted(exclude or {}), "restored": list(restore)},
                )
            )
            uow.commit()
        return dict(new)

    def release(
        self,
        principal: Principal,
        request_id: str,
        *,
        incomplete_ok: bool = False,
        withheld_reasons: Sequence[str] = (),
    ) -> AccessRequest:
        """Release the reviewed file. A file with sources that could not be read is released only
        when the reviewer says so (and the response says it is incomplete); reasons for what was
        withheld make it a partial refusal, in writing (ACC-6)."""
        principal.require(OFFICERS, "requests.release")
        reasons = tuple(r.strip() for r in withheld_reasons if r.strip())
        with self.ctx.uow() as uow:
            request, subject = self._open_request(uow, request_id)
            self._ready_for_work(request, {RequestState.IN_REVIEW}, "released")
            data = uow.requests.file(request_id)
            if data is None or self.load_file is None:
                raise Conflict("no file has been prepared for this request")
            incomplete = [str(s) for s in self.load_file(data).incomplete_sources]
            if incomplete and not incomplete_ok:
                raise Conflict(
                    "sources could not be read: "
                    + ", ".join(incomplete)
                    + "; prepare again, or release it explicitly as incomplete",
                    incomplete_sources=incomplete,
                )
            now = self.ctx.now()
            request = self._move(
                uow,
                request,
                RequestState.RESPONDED,
                outcome=Outcome.PARTIALLY_REFUSED if reasons else Outcome.RELEASED,
                reasons=reasons,
                released_incomplete=bool(incomplete),
                responded_at=now,
            )
            uow.audit.record(
                self._audit(
                    principal,
                    "request.released",
                    request,
                    {
                        "outcome": request.outcome.value if request.outcome else None,
                        "incomplete_sources": incomplete,
                    },
                )
            )
            if reasons:
                self._mail_subject(subject, request, letters.refusal_mail(request, reasons, True))
            uow.commit()
        return request

    def response(self, principal: Principal, request_id: str, fmt: str) -> tuple[bytes, bool]:
        """The released file rendered (json, csv, html, pdf) in the subject's language; and
        whether it was released incomplete (the response must say so)."""
        principal.require(MANAGERS, "requests.response")
        if fmt not in ("json", "csv", "html", "pdf"):
            raise ValidationFailed.single("format", "one of json, csv, html, pdf")
        with self.ctx.uow(readonly=True) as uow:
            request, _ = self._open_request(uow, request_id)
            data = uow.requests.file(request_id)
        if request.outcome not in (Outcome.RELEASED, Outcome.PARTIALLY_REFUSED) or data is None:
            raise Conflict("nothing has been released for this request")
        if self.load_file is None or self.render is None:
            raise Conflict("the access-file service is not available")
        return self.render(self.load_file(data), fmt, request.language), request.released_incomplete

    def respond(
        self,
        principal: Principal,
        request_id: str,
        *,
        accept: bool,
        statement: str | None = None,
        reasons: Sequence[str] = (),
    ) -> AccessRequest:
        """Answer a correction request: apply it (ACC-9), or refuse it in writing with reasons and
        recourse, keeping the individual's statement of disagreement (ACC-6, ACC-9)."""
        principal.require(OFFICERS, "requests.respond")
        if self.corrections is None:
            raise Conflict("the corrections service is not available")
        clean = tuple(r.strip() for r in reasons if r.strip())
        if not accept and not clean:
            raise ValidationFailed.single("reasons", "a refusal gives its reasons (ACC-6)")
        with self.ctx.uow(readonly=True) as uow:
            request, subject = self._open_request(uow, request_id)
        if request.kind is not RequestKind.CORRECTION or request.correction is None:
            raise Conflict("only a correction request is answered this way")
        self._ready_for_work(request, {RequestState.VERIFIED}, "answered")
        ask = request.correction
        if accept:
            self.corrections.accept(
                principal, subject.id, ask.category, ask.value, request_id=request.id
            )
        else:
            self.corrections.refuse(
                principal,
                subject.id,
                ask.category,
                statement=(statement or "").strip(),
                request_id=request.id,
            )
        with self.ctx.uow() as uow:
            current, subject = self._open_request(uow, request_id)
            current = self._move(
                uow,
                current,
                RequestState.RESPONDED,
                outcome=Outcome.CORRECTED if accept else Outcome.REFUSED,
                reasons=() if accept else clean,
                responded_at=self.ctx.now(),
            )
            uow.audit.record(
                self._audit(
                    principal,
                    "request.responded",
                    current,
                    {"accepted": accept, "category": ask.category},
                )
            )
            if not accept:
                self._mail_subject(subject, current, letters.refusal_mail(current, clean, False))
            uow.commit()
        return current

    def refuse(
        self, principal: Principal, request_id: str, reasons: Sequence[str]
    ) -> tuple[AccessRequest, str]:
        """Refuse the whole request in writing, with reasons and recourse (ACC-6); returns the
        request and the letter (mailed to the subject's email on file, if any)."""
        principal.require(OFFICERS, "requests.refuse")
        clean = tuple(r.strip() for r in reasons if r.strip())
        if not clean:
            raise ValidationFailed.single("reasons", "a refusal gives its reasons (ACC-6)")
        if any(len(r) > MAX_TEXT for r in clean):
            raise ValidationFailed.single(
                "reasons", f"each reason is at most {MAX_TEXT} characters"
            )
        with self.ctx.uow() as uow:
            request, subject = self._open_request(uow, request_id)
            if not request.is_open:
                raise WrongState("refused", request.state.value)
            request = self._move(
                uow,
                request,
                RequestState.RESPONDED,
                outcome=Outcome.REFUSED,
                reasons=clean,
                responded_at=self.ctx.now(),
            )
            letter = letters.refusal_letter(request, clean, False)
            uow.audit.record(
                self._audit(
                    principal, "request.refused", request, {"reasons": len(clean), "rule": "ACC-6"}
                )
            )
            self._mail_subject(subject, request, letters.refusal_mail(request, clean, False))
            uow.commit()
        return request, letter

    def close(self, principal: Principal, request_id: str) -> AccessRequest:
        """Close an answered (or deemed refused, or unmatched) request; its legal hold ends (ACC-8)."""
        principal.require(OFFICERS, "requests.close")
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None:
                raise NotFound("request", request_id)
            if request.state not in CLOSABLE_STATES:
                raise WrongState("closed", request.state.value)
            request = self._move(uow, request, RequestState.CLOSED, closed_at=now)
            released = uow.holds.close(HoldKind.REQUEST, request.id, now)
            uow.audit.record(
                self._audit(principal, "request.closed", request, {"holds_released": released})
            )
            uow.commit()
        return request

    # --- legal holds (ACC-8) ----------------------------------------------------------------------
    def holds_for(self, principal: Principal, subject_id: str) -> list[Hold]:
        principal.require(HOLD_READERS, "holds.read")
        with self.ctx.uow(readonly=True) as uow:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            return uow.holds.for_subject(subject_id)

    def is_on_hold(self, subject_id: str) -> bool:
        """Whether information on the subject must be kept whatever its retention (ACC-8); what
        disposal asks before deleting anything."""
        with self.ctx.uow(readonly=True) as uow:
            return uow.holds.is_on_hold(subject_id)

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
        self, subject: Subject, request: AccessRequest, mail: tuple[str, str]
    ) -> None:
        address = subject.identifier(IdentifierKind.EMAIL)
        if address and self.mailer is not None:
            self.mailer.send(
                OutgoingMail(
                    to=address,
                    subject=mail[0],
                    text=mail[1],
                    language=request.language,
                    message_id=f"response.{request.id}@confide.requests",
                )
            )

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
