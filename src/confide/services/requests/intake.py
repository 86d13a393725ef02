"""Intake and identity verification of requests (ACC-1, ACC-7, ACC-11).

Staff record a written request with its subject found at once: an accountable person asked.
An individual's own request (portal or API) is recorded as it came, sealed and ``awaiting
identity``, and the intake job is queued: the request path does the same work whether or not
we know the person, and the answer's words and language come from the request alone. Matching
the identifier, issuing and mailing the code happen in the job (``pending.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from confide.domain.access import Action, Principal
from confide.domain.calendar import PROVINCE_TIME_ZONES
from confide.domain.errors import (
    Conflict,
    FieldProblem,
    NotAllowed,
    ValidationFailed,
)
from confide.domain.requests import clocks, letters
from confide.domain.requests.errors import (
    VerificationFailed,
    WrongState,
)
from confide.domain.requests.model import (
    VERIFIABLE_STATES,
    AccessRequest,
    AuthorityKind,
    Channel,
    CorrectionAsk,
    Fee,
    PendingIntake,
    Representative,
    RequestKind,
    RequestState,
    Verification,
    VerificationMethod,
)
from confide.domain.subjects import IdentifierKind
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.jobs import TaskQueue
from confide.services.requests.codes import VerificationCodes
from confide.services.requests.commands import (
    IntakeReceipt,
    SubmitRequest,
)
from confide.services.requests.shared import (
    DEFAULT_TIME_ZONE,
    IDENTIFIER_KINDS,
    INDIVIDUAL,
    INTAKE_JOB,
    MAX_TEXT,
    RequestMail,
    audit_record,
    enum_choice,
    move,
    open_request,
)
from confide.services.validation import check_language, normalize_identifier


@dataclass(frozen=True)
class _Written:
    """A request as written, checked (no store read): what intake records."""

    kind: RequestKind
    channel: Channel
    identifier_kind: IdentifierKind
    identifier: str
    language: str | None
    received_at: datetime
    now: datetime
    correction: CorrectionAsk | None
    representative: Representative | None
    note: str | None


class IntakeSteps:
    """Intake (staff and public) and identity verification (codes, agents' checks); a verified
    request opens its legal hold (ACC-8)."""

    def __init__(
        self,
        ctx: ServiceContext,
        mail: RequestMail,
        codes: VerificationCodes,
        holds: HoldService,
        queue: TaskQueue,
    ) -> None:
        self.ctx = ctx
        self.mail = mail
        self.codes = codes
        self.holds = holds
        self.queue = queue

    # --- intake (ACC-1, ACC-7, ACC-11) ---------------------------------------------------------
    def submit(self, principal: Principal, cmd: SubmitRequest) -> AccessRequest:
        """Record a written request; its subject is found by the identifier given."""
        principal.require(Action.REQUESTS_SUBMIT)
        return self._submit(principal, self._written(cmd, public=False))

    def submit_public(self, cmd: SubmitRequest) -> IntakeReceipt:
        """The individual's own request (portal or API).

        Nothing on this path depends on whether we know them: the request is recorded as
        written, its identifier sealed, ``awaiting identity``, with no subject, no hold and no
        code; the intake job is queued once it is committed. The job (off the request path)
        matches the identifier and, when we know them, mails a code to the email on file. The
        answer is in the request's language (as asked, or the portal page's, else English),
        never in the language of a subject on file (ACC-11)."""
        written = self._written(cmd, public=True)
        fee_cents = self.ctx.policy.access.fee if self.ctx.policy.access else 0
        tz = ZoneInfo(DEFAULT_TIME_ZONE)
        language = written.language or "en"
        request = AccessRequest(
            id=self.ctx.new_id("req"),
            kind=written.kind,
            channel=written.channel,
            subject_id=None,
            identifier_kind=written.identifier_kind.value,
            received_at=written.received_at,
            # Set again by the intake job in the subject's own calendar once matched.
            due_on=clocks.due_date(
                written.received_at, tz, self.ctx.policy.rules.access_response_days
            ),
            time_zone=DEFAULT_TIME_ZONE,
            province=None,
            language=language,
            state=RequestState.AWAITING_IDENTITY,
            recorded_by=INDIVIDUAL.user_id,
            representative=written.representative,
            correction=written.correction,
            fee=Fee(amount_cents=fee_cents),
            note=written.note,
        )
        with self.ctx.uow() as uow:
            uow.requests.add(request, PendingIntake(written.identifier, written.language))
            uow.audit.record(
                audit_record(
                    self.ctx,
                    INDIVIDUAL,
                    "request.received",
                    request,
                    {
                        "kind": written.kind.value,
                        "channel": written.channel.value,
                        "identifier_kind": written.identifier_kind.value,
                        "due_on": request.due_on.isoformat(),
                        "representative": written.representative is not None,
                    },
                )
            )
            # Queued once committed; a lost enqueue is caught up by the requests tick.
            uow.after_commit(lambda: self._queue_intake(request.id))
            uow.commit()
        return IntakeReceipt(request.id, letters.INTAKE_ANSWER[language])

    def _queue_intake(self, request_id: str) -> None:
        self.queue.enqueue(
            INTAKE_JOB, {"request_id": request_id}, idempotency_key=f"intake:{request_id}"
        )

    def _written(self, cmd: SubmitRequest, *, public: bool) -> _Written:
        """The request as written, checked field by field; reads nothing from the store."""
        problems: list[FieldProblem] = []
        kind = enum_choice(RequestKind, cmd.kind, "kind", problems)
        channel = enum_choice(Channel, cmd.channel, "channel", problems)
        if public and channel not in (None, Channel.PORTAL, Channel.API):
            problems.append(FieldProblem("channel", "an individual's own request is portal or api"))
        id_kind = enum_choice(IdentifierKind, cmd.identifier_kind, "identifier_kind", problems)
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
        if public and cmd.representative_subject_id:
            # Checking the relationship on file would tell whether the subject is known.
            problems.append(
                FieldProblem("representative_subject_id", "an authorized user is recorded by staff")
            )
        representative = self._representative(cmd, problems, public)
        if problems:
            raise ValidationFailed("the request cannot be recorded", problems)
        assert kind is not None and channel is not None and id_kind is not None and identifier
        return _Written(
            kind=kind,
            channel=channel,
            identifier_kind=id_kind,
            identifier=identifier,
            language=language,
            received_at=received_at,
            now=now,
            correction=correction,
            representative=representative,
            note=cmd.note.strip() if cmd.note else None,
        )

    def _submit(self, principal: Principal, written: _Written) -> AccessRequest:
        """Staff's written record: the subject is found now, and the request is held from
        intake (an accountable person asked)."""
        representative = written.representative
        fee_cents = self.ctx.policy.access.fee if self.ctx.policy.access else 0
        with self.ctx.uow() as uow:
            subject = uow.subjects.find_by_identifier(written.identifier_kind, written.identifier)
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
                    checked_at=written.now,
                )
            tz_name = (
                PROVINCE_TIME_ZONES.get(subject.province, DEFAULT_TIME_ZONE)
                if subject
                else DEFAULT_TIME_ZONE
            )
            tz = ZoneInfo(tz_name)
            received_at = written.received_at
            request = AccessRequest(
                id=self.ctx.new_id("req"),
                kind=written.kind,
                channel=written.channel,
                subject_id=subject.id if subject else None,
                identifier_kind=written.identifier_kind.value,
                received_at=received_at,
                due_on=clocks.due_date(received_at, tz, self.ctx.policy.rules.access_response_days),
                time_zone=tz_name,
                province=subject.province if subject else None,
                language=written.language or (subject.language if subject else "en"),
                state=RequestState.RECEIVED if subject else RequestState.UNMATCHED,
                recorded_by=principal.user_id,
                representative=representative,
                correction=written.correction,
                fee=Fee(amount_cents=fee_cents),
                note=written.note,
            )
            uow.requests.add(request)
            # Staff's written record names an accountable requester: held from intake. An
            # individual's own request is anonymous until verified, and holds nothing before.
            self.holds.open_for_request(uow, principal, request)
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.received",
                    request,
                    {
                        "kind": written.kind.value,
                        "channel": written.channel.value,
                        "matched": subject is not None,
                        "identifier_kind": written.identifier_kind.value,
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
        authority = enum_choice(
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
        principal.require(Action.REQUESTS_SEND_CODE)
        self._send_code(principal, request_id)

    def _send_code(self, principal: Principal, request_id: str) -> None:
        if not self.mail.configured:
            raise Conflict("mail is not configured: verify by an agent's recorded check")
        with self.ctx.uow() as uow:
            request, subject = open_request(uow, request_id)
            if request.state not in VERIFIABLE_STATES:
                raise WrongState("sent a code", request.state.value)
            self.codes.issue(uow, principal, request, subject)
            uow.commit()

    def verify_code(
        self, request_id: str, code: str, principal: Principal = INDIVIDUAL
    ) -> AccessRequest:
        """Check a one-time code: wrong, expired or exhausted codes fail alike, and count.

        A request awaiting identity that matched nobody has a decoy code (``pending.py``): its
        code is checked like any other, so the answer and its cost are the same, and it fails."""
        if principal is not INDIVIDUAL:
            principal.require(Action.REQUESTS_VERIFY)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None or request.state not in VERIFIABLE_STATES:
                raise VerificationFailed()
            failure = self.codes.check(uow, principal, request, code)
            if failure is None and request.subject_id is None:
                failure = VerificationFailed(0)  # a request naming nobody is never verified
            if failure is None:
                request = move(
                    uow,
                    request,
                    RequestState.VERIFIED,
                    verification=Verification(VerificationMethod.CODE, now, principal.user_id),
                )
                uow.audit.record(
                    audit_record(
                        self.ctx, principal, "request.verified", request, {"method": "code"}
                    )
                )
                self.holds.open_for_request(uow, principal, request)  # ACC-8, once verified
            uow.commit()
        if failure is not None:
            raise failure
        return request

    def verify_by_agent(
        self, principal: Principal, request_id: str, how: str, *, authority_checked: bool = False
    ) -> AccessRequest:
        """Record an agent's identity check (a phone request): who checked and how; and, for a
        representative, that their authority was checked (ACC-11)."""
        principal.require(Action.REQUESTS_VERIFY)
        if not how.strip() or len(how) > MAX_TEXT:
            raise ValidationFailed.single("how", "say how identity was checked")
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request, _ = open_request(uow, request_id)
            rep = request.representative
            # A request verified by code may still wait for its representative's authority:
            # the agent's check then records that, keeping the code as the identity proof.
            authority_only = (
                request.state is RequestState.VERIFIED
                and rep is not None
                and rep.checked_by is None
            )
            if request.state not in VERIFIABLE_STATES and not authority_only:
                raise WrongState("verified", request.state.value)
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
            verification = request.verification if authority_only else None
            request = move(
                uow,
                request,
                RequestState.VERIFIED,
                verification=verification
                or Verification(
                    VerificationMethod.AGENT_CHECK, now, principal.user_id, how.strip()
                ),
                representative=rep,
            )
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.authority_checked" if authority_only else "request.verified",
                    request,
                    {"method": "agent_check"},
                )
            )
            self.holds.open_for_request(uow, principal, request)  # ACC-8, once verified
            uow.commit()
        return request
