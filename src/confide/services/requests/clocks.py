"""The queue, the legal clocks and fees of requests (ACC-1..3, ACC-7).

Notices, reminders and escalations are added to the outbox in the transaction that records
them, under an idempotency key naming the request: a job re-run after a crash adds them once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from confide.domain.access import Action, Principal
from confide.domain.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)
from confide.domain.outbox import Composed, OutboxKind, TargetType
from confide.domain.requests import clocks, letters
from confide.domain.requests.errors import (
    WrongState,
)
from confide.domain.requests.model import (
    NOT_STAFF_WORK,
    OPEN_STATES,
    AccessRequest,
    Extension,
    Fee,
    RequestState,
)
from confide.domain.subjects import IdentifierKind
from confide.services.context import ServiceContext
from confide.services.requests.commands import (
    RequestRow,
    TickReport,
)
from confide.services.requests.shared import (
    MAX_TEXT,
    RequestMail,
    audit_record,
    move,
    open_request,
)


class ClockSteps:
    """The queue, the legal clocks (due dates, the one extension, reminders, deemed refusals)
    and fees. Reminders and escalations go to the privacy officer through ``mail``."""

    def __init__(self, ctx: ServiceContext, mail: RequestMail) -> None:
        self.ctx = ctx
        self.mail = mail

    # --- the queue and the clocks (ACC-1..3) ----------------------------------------------------
    def get(self, principal: Principal, request_id: str) -> RequestRow:
        principal.require(Action.REQUESTS_READ)
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
        awaiting_identity: bool = False,
    ) -> list[RequestRow]:
        """The staff's work: requests not closed; ``due_within``/``overdue`` keep the open ones
        due soon or late. Individuals' requests awaiting identity are nobody's work yet (no
        accountable person asked): they are only in their own view, ``awaiting_identity``."""
        principal.require(Action.REQUESTS_LIST)
        if due_within is not None and due_within < 0:
            raise ValidationFailed.single("due_within", "must be zero or more days")
        if awaiting_identity and (due_within is not None or overdue):
            raise ValidationFailed.single(
                "awaiting_identity", "runs no clock: not with due_within or overdue"
            )
        states = set(RequestState) - NOT_STAFF_WORK
        if awaiting_identity:
            states = {RequestState.AWAITING_IDENTITY}
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
        principal.require(Action.REQUESTS_EXTEND)
        if not reason.strip() or len(reason) > MAX_TEXT:
            raise ValidationFailed.single("reason", "give the reason for the extension")
        rules = self.ctx.policy.rules
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            request, subject = open_request(uow, request_id)
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
            if not notice_by_letter and (address is None or not self.mail.configured):
                raise Conflict(
                    "the notice cannot be mailed (no email on file or no mail configured): "
                    "send it by letter and record that with notice_by_letter"
                )
            request = move(
                uow,
                request,
                request.state,
                extension=Extension(target, reason.strip(), now, principal.user_id),
            )
            uow.audit.record(
                audit_record(
                    self.ctx,
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
            # In the outbox with the extension, under a key naming the request: sent once. By
            # letter it waits for a staff member to post it and mark it sent.
            name = f"extension.{request.id}"
            to = None if notice_by_letter else address
            content = Composed(title, text, request.language, to, f"{name}@confide.requests")
            message = self.mail.message(
                OutboxKind.EXTENSION_NOTICE,
                TargetType.INDIVIDUAL,
                subject.id,
                content,
                name,
                request,
            )
            self.mail.add(uow, message)
            uow.commit()
        # The notice as sent (signed by the privacy officer): what staff post or file.
        return request, str(message.payload["text"])

    def tick(self, principal: Principal) -> TickReport:
        """The periodic clock job: reminders before the deadline, deemed refusal and escalation
        after it (ACC-3). Each request is its own transaction; re-running does nothing twice."""
        principal.require(Action.REQUESTS_TICK)
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
                audit_record(
                    self.ctx,
                    principal,
                    "request.deemed_refused",
                    changed,
                    {"due_on": request.effective_due.isoformat(), "rule": "ACC-3"},
                )
            )
            self.mail.to_officer(
                uow, changed, letters.escalation_mail(changed), f"deemed.{request.id}"
            )
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
                audit_record(self.ctx, principal, "request.reminded", changed, {"days_left": left})
            )
            self.mail.to_officer(
                uow,
                changed,
                letters.reminder_mail(changed, left),
                f"reminder-{min(due)}.{request.id}",
                OutboxKind.REMINDER,
            )
            uow.commit()
        return 1

    # --- fees (ACC-7) -----------------------------------------------------------------------------
    def estimate_fee(
        self, principal: Principal, request_id: str, amount_cents: int
    ) -> AccessRequest:
        """Record a fee estimate given to the individual; work waits for their acceptance."""
        principal.require(Action.REQUESTS_ESTIMATE_FEE)
        if amount_cents < 0 or amount_cents > 1_000_000:
            raise ValidationFailed.single("amount_cents", "must be 0 to 1,000,000 cents")
        with self.ctx.uow() as uow:
            request, _ = open_request(uow, request_id)
            if not request.is_open:
                raise WrongState("given a fee estimate", request.state.value)
            request = move(
                uow,
                request,
                request.state,
                fee=Fee(amount_cents, self.ctx.now() if amount_cents else None, None),
            )
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.fee_estimated",
                    request,
                    {"amount_cents": amount_cents},
                )
            )
            uow.commit()
        return request

    def accept_fee(self, principal: Principal, request_id: str) -> AccessRequest:
        """Record that the individual accepted the estimate (ACC-7)."""
        principal.require(Action.REQUESTS_ACCEPT_FEE)
        with self.ctx.uow() as uow:
            request, _ = open_request(uow, request_id)
            if request.fee.amount_cents == 0 or request.fee.estimated_at is None:
                raise Conflict("there is no fee estimate to accept")
            fee = Fee(request.fee.amount_cents, request.fee.estimated_at, self.ctx.now())
            request = move(uow, request, request.state, fee=fee)
            uow.audit.record(
                audit_record(
                    self.ctx,
                    principal,
                    "request.fee_accepted",
                    request,
                    {"amount_cents": fee.amount_cents},
                )
            )
            uow.commit()
        return request
