"""The response to a request: the prepared file, review, release, corrections, refusals,
closing and legal holds (ACC-4..6, ACC-8..10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from confide.domain.access import Action, Principal
from confide.domain.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)
from confide.domain.outbox import OutboxKind
from confide.domain.requests import letters
from confide.domain.requests.errors import (
    WrongState,
)
from confide.domain.requests.model import (
    CLOSABLE_STATES,
    AccessRequest,
    Hold,
    Outcome,
    RequestKind,
    RequestState,
)
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.requests.commands import Corrections, FileAssembler, FileLoader, FileRenderer
from confide.services.requests.shared import (
    MAX_TEXT,
    RequestMail,
    audit_record,
    move,
    open_request,
    ready_for_work,
)


class ResponseSteps:
    """The response: the prepared file (assembled by ``assembler``, kept in its stored form and
    read back with ``load_file``, shown with ``render``), review, release, corrections answered
    through ``corrections``, refusals, closing and legal holds."""

    def __init__(
        self,
        ctx: ServiceContext,
        mail: RequestMail,
        holds: HoldService,
        *,
        assembler: FileAssembler,
        load_file: FileLoader,
        render: FileRenderer,
        corrections: Corrections,
    ) -> None:
        self.ctx = ctx
        self.mail = mail
        self.holds = holds
        self.assembler = assembler
        self.load_file = load_file
        self.render = render
        self.corrections = corrections

    # --- the response (ACC-4..6, ACC-9, ACC-10) ---------------------------------------------------
    def prepare(self, principal: Principal, request_id: str) -> dict[str, Any]:
        """Assemble the subject's file and keep it, sealed, for the reviewer (state in_review)."""
        principal.require(Action.REQUESTS_PREPARE)
        with self.ctx.uow(readonly=True) as uow:
            request, _ = open_request(uow, request_id)
        ready_for_work(request, {RequestState.VERIFIED, RequestState.IN_REVIEW}, "prepared")
        if request.kind is RequestKind.CORRECTION:
            raise Conflict("a correction request is answered with 'respond', not a prepared file")
        assert request.subject_id is not None
        kind: Literal["access", "portability"] = (
            "portability" if request.kind is RequestKind.PORTABILITY else "access"
        )
        assembled = self.assembler.assemble(principal, request.subject_id, kind=kind)
        data: dict[str, Any] = assembled.to_json()
        incomplete = [str(s) for s in assembled.incomplete_sources]
        with self.ctx.uow() as uow:
            current, _ = open_request(uow, request_id)
            ready_for_work(current, {RequestState.VERIFIED, RequestState.IN_REVIEW}, "prepared")
            uow.requests.set_file(request_id, data, self.ctx.now())
            current = move(uow, current, RequestState.IN_REVIEW)
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.prepared",
                    current,
                    {"incomplete_sources": incomplete},
                )
            )
            uow.commit()
        return data

    def prepared_file(self, principal: Principal, request_id: str) -> dict[str, Any]:
        principal.require(Action.REQUESTS_READ_FILE)
        with self.ctx.uow(readonly=True) as uow:
            open_request(uow, request_id)
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
        principal.require(Action.REQUESTS_REVIEW)
        with self.ctx.uow() as uow:
            request, _ = open_request(uow, request_id)
            if request.state is not RequestState.IN_REVIEW:
                raise WrongState("reviewed", request.state.value)
            data = uow.requests.file(request_id)
            if data is None:
                raise Conflict("no file has been prepared for this request")
            try:
                reviewed = self.load_file(data).with_review(
                    exclude=dict(exclude or {}), restore=list(restore)
                )
            except KeyError as exc:
                # The file names its items and redactions by opaque ids, never by values.
                raise ValidationFailed.single(
                    "exclude", f"names no item or redaction of the file: {exc.args[0]}"
                ) from None
            new = reviewed.to_json()
            uow.requests.set_file(request_id, new, self.ctx.now())
            uow.audit.record(
                audit_record(
                    self.ctx,
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
        principal.require(Action.REQUESTS_RELEASE)
        reasons = tuple(r.strip() for r in withheld_reasons if r.strip())
        with self.ctx.uow() as uow:
            request, subject = open_request(uow, request_id)
            ready_for_work(request, {RequestState.IN_REVIEW}, "released")
            data = uow.requests.file(request_id)
            if data is None:
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
            request = move(
                uow,
                request,
                RequestState.RESPONDED,
                outcome=Outcome.PARTIALLY_REFUSED if reasons else Outcome.RELEASED,
                reasons=reasons,
                released_incomplete=bool(incomplete),
                responded_at=now,
            )
            uow.audit.record(
                audit_record(
                    self.ctx,
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
                self.mail.to_subject(
                    uow, subject, request, letters.refusal_mail(request, reasons, True)
                )
            # Where to get the response: in the outbox with the release, sent once it commits.
            self.mail.to_subject(
                uow,
                subject,
                request,
                letters.response_ready_mail(request, self.mail.portal_link(request)),
                key="ready",
                kind=OutboxKind.RESPONSE_READY,
            )
            uow.commit()
        return request

    def response(self, principal: Principal, request_id: str, fmt: str) -> tuple[bytes, bool]:
        """The released file rendered (json, csv, html, pdf) in the subject's language; and
        whether it was released incomplete (the response must say so)."""
        principal.require(Action.REQUESTS_RESPONSE)
        if fmt not in ("json", "csv", "html", "pdf"):
            raise ValidationFailed.single("format", "one of json, csv, html, pdf")
        with self.ctx.uow(readonly=True) as uow:
            request, _ = open_request(uow, request_id)
            data = uow.requests.file(request_id)
        if request.outcome not in (Outcome.RELEASED, Outcome.PARTIALLY_REFUSED) or data is None:
            raise Conflict("nothing has been released for this request")
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
        principal.require(Action.REQUESTS_RESPOND)
        clean = tuple(r.strip() for r in reasons if r.strip())
        if not accept and not clean:
            raise ValidationFailed.single("reasons", "a refusal gives its reasons (ACC-6)")
        with self.ctx.uow(readonly=True) as uow:
            request, subject = open_request(uow, request_id)
        if request.kind is not RequestKind.CORRECTION or request.correction is None:
            raise Conflict("only a correction request is answered this way")
        ready_for_work(request, {RequestState.VERIFIED}, "answered")
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
            current, subject = open_request(uow, request_id)
            current = move(
                uow,
                current,
                RequestState.RESPONDED,
                outcome=Outcome.CORRECTED if accept else Outcome.REFUSED,
                reasons=() if accept else clean,
                responded_at=self.ctx.now(),
            )
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.responded",
                    current,
                    {"accepted": accept, "category": ask.category},
                )
            )
            if not accept:
                self.mail.to_subject(
                    uow, subject, current, letters.refusal_mail(current, clean, False)
                )
            uow.commit()
        return current

    def refuse(
        self, principal: Principal, request_id: str, reasons: Sequence[str]
    ) -> tuple[AccessRequest, str]:
        """Refuse the whole request in writing, with reasons and recourse (ACC-6); returns the
        request and the letter (mailed to the subject's email on file, if any)."""
        principal.require(Action.REQUESTS_REFUSE)
        clean = tuple(r.strip() for r in reasons if r.strip())
        if not clean:
            raise ValidationFailed.single("reasons", "a refusal gives its reasons (ACC-6)")
        if any(len(r) > MAX_TEXT for r in clean):
            raise ValidationFailed.single(
                "reasons", f"each reason is at most {MAX_TEXT} characters"
            )
        with self.ctx.uow() as uow:
            request, subject = open_request(uow, request_id)
            if not request.is_open:
                raise WrongState("refused", request.state.value)
            request = move(
                uow,
                request,
                RequestState.RESPONDED,
                outcome=Outcome.REFUSED,
                reasons=clean,
                responded_at=self.ctx.now(),
            )
            letter = self.mail.sign(letters.refusal_letter(request, clean, False), request.language)
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.refused",
                    request,
                    {"reasons": len(clean), "rule": "ACC-6"},
                )
            )
            self.mail.to_subject(uow, subject, request, letters.refusal_mail(request, clean, False))
            uow.commit()
        return request, letter

    def close(self, principal: Principal, request_id: str) -> AccessRequest:
        """Close an answered (or deemed refused, or unmatched) request; its legal hold ends (ACC-8)."""
        principal.require(Action.REQUESTS_CLOSE)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request = uow.requests.get(request_id)
            if request is None:
                raise NotFound("request", request_id)
            if request.state not in CLOSABLE_STATES:
                raise WrongState("closed", request.state.value)
            request = move(uow, request, RequestState.CLOSED, closed_at=now)
            released = self.holds.close_for_request(uow, principal, request.id, "request closed")
            uow.audit.record(
                audit_record(
                    self.ctx, principal, "request.closed", request, {"holds_released": released}
                )
            )
            uow.commit()
        return request

    # --- legal holds (ACC-8) ----------------------------------------------------------------------
    def holds_for(self, principal: Principal, subject_id: str) -> list[Hold]:
        """The holds covering the subject (its requests', and any other hold on it, its
        categories or systems), in the shape the requests area shows them."""
        return [
            Hold.of(h, subject_id) for h in self.holds.listing(principal, subject_id=subject_id)
        ]

    def is_on_hold(self, subject_id: str) -> bool:
        """Whether information on the subject must be kept whatever its retention (ACC-8); what
        disposal asks before deleting anything."""
        return self.holds.is_on_hold(subject_id)
