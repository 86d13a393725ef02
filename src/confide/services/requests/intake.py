"""Intake and identity verification of requests (ACC-1, ACC-7, ACC-11)."""

from __future__ import annotations

import contextlib
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
    TooManyCodes,
    VerificationFailed,
    WrongState,
)
from confide.domain.requests.model import (
    AccessRequest,
    AuthorityKind,
    Channel,
    CorrectionAsk,
    Fee,
    Representative,
    RequestKind,
    RequestState,
    Verification,
    VerificationMethod,
)
from confide.domain.subjects import IdentifierKind
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.requests.codes import VerificationCodes
from confide.services.requests.commands import (
    IntakeReceipt,
    SubmitRequest,
)
from confide.services.requests.shared import (
    DEFAULT_TIME_ZONE,
    IDENTIFIER_KINDS,
    INDIVIDUAL,
    MAX_TEXT,
    RequestMail,
    audit_record,
    enum_choice,
    move,
    open_request,
)
from confide.services.validation import check_language, normalize_identifier


class IntakeSteps:
    """Intake (staff and public) and identity verification (codes, agents' checks); a verified
    request opens its legal hold (ACC-8)."""

    def __init__(
        self, ctx: ServiceContext, mail: RequestMail, codes: VerificationCodes, holds: HoldService
    ) -> None:
        self.ctx = ctx
        self.mail = mail
        self.codes = codes
        self.holds = holds

    # --- intake (ACC-1, ACC-7, ACC-11) ---------------------------------------------------------
    def submit(self, principal: Principal, cmd: SubmitRequest) -> AccessRequest:
        """Record a written request; its subject is found by the identifier given."""
        principal.require(Action.REQUESTS_SUBMIT)
        return self._submit(principal, cmd)

    def submit_public(self, cmd: SubmitRequest) -> IntakeReceipt:
        """The individual's own request (portal or API): the answer never says whether we know
        them; when we do, a code goes to a contact already on file (ACC-11)."""
        request = self._submit(INDIVIDUAL, cmd, public=True)
        if request.subject_id is not None:
            # Same answer either way (rate-limited, no email on file): nothing is revealed.
            with contextlib.suppress(TooManyCodes, Conflict):
                self._send_code(INDIVIDUAL, request.id)
        # The answer's language is the request's own (or English), never the language of a
        # person on file: a French answer would tell that a French speaker is known (issue 18).
        answer_language = "fr" if (cmd.language or "").strip().lower() == "fr" else "en"
        return IntakeReceipt(request.id, letters.INTAKE_ANSWER[answer_language])

    def _submit(
        self, principal: Principal, cmd: SubmitRequest, *, public: bool = False
    ) -> AccessRequest:
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
            if not public:
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
            if request.state is not RequestState.RECEIVED:
                raise WrongState("sent a code", request.state.value)
            self.codes.issue(uow, principal, request, subject)
            uow.commit()

    def verify_code(
        self, request_id: str, code: str, principal: Principal = INDIVIDUAL
    ) -> AccessRequest:
        """Check a one-time code: wrong, expired or exhausted codes fail alike, and count."""
        if principal is not INDIVIDUAL:
            principal.require(Action.REQUESTS_VERIFY)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None or request.state is not RequestState.RECEIVED:
                raise VerificationFailed()
            failure = self.codes.check(uow, principal, request, code)
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
            if request.state is not RequestState.RECEIVED and not authority_only:
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
