"""The outbox's use cases: deliver what is due, attempt by attempt; let the privacy officer see
failed messages and retry them; let staff post the letters owed and mark them sent; keep
recipients' correction endpoints.

Every message to an individual, a recipient, a data source, the privacy officer or a regulator
is added by the use case that owes it, in its own unit of work (``uow.outbox.add``); this
service only delivers. After the commit the use case may :meth:`OutboxService.nudge` the worker;
the periodic ``outbox.deliver`` tick delivers anything due without it.

Delivering one message is three short steps, so no transaction stays open across the network:

1. **claim** it (a compare-and-set committed at once: two workers never send the same row);
2. **deliver** it: a webhook POST or an email for a recipient, the composed email for a person
   (the ``MessageDelivery`` port), the connector's update for a connected source
   (``SourceService.correct_in_source``);
3. **record** the attempt, the new state (delivered / pending with the next time / failed) and
   its audit entry in one transaction.

A worker that dies between 2 and 3 leaves a claim that expires; the message is delivered again
with the same message id (and Message-ID header), which a well-behaved receiver uses to ignore
the duplicate: at most one extra send per expired claim.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from confide.domain.access import Action, Principal, Role
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import ConfideError, Conflict, NotAllowed, NotFound, ValidationFailed
from confide.domain.outbox import (
    AttemptResult,
    Channel,
    Composed,
    DeliveryAttempt,
    DeliveryState,
    OutboxMessage,
    RetrySchedule,
    TargetType,
    check_webhook_url,
    looks_like_email,
    outcome_of_attempt,
)
from confide.domain.sources import SourceNotFound, SourceUnavailable
from confide.services.context import ServiceContext
from confide.services.ports.jobs import TaskQueue
from confide.services.ports.outbox import DeliveryTarget, MessageDelivery
from confide.services.sources import SourceService

log = logging.getLogger("confide.outbox")


CORRECTIONS_AGENT = Principal(
    user_id="system:corrections",
    username="system:corrections",
    roles=frozenset({Role.PRIVACY_OFFICER}),
)
"""Writes an accepted correction into a writable source on behalf of whoever accepted it (an
agent may accept a correction; writing to sources is otherwise the officer's). The acceptance's
own audit entry names the staff member; the source write's entry names this agent."""

CLAIM_LEASE = timedelta(minutes=5)
OUTBOX_JOB = "outbox.deliver"


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


@dataclass(frozen=True)
class DeliveryReport:
    """What one run of :meth:`OutboxService.deliver_due` did (message ids)."""

    delivered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Taken by another worker first."""

    @property
    def attempted(self) -> int:
        return len(self.delivered) + len(self.retrying) + len(self.failed)


@dataclass(frozen=True)
class MessageView:
    """A message and its attempts, for the privacy officer (no payload: it is personal)."""

    message: OutboxMessage
    attempts: list[DeliveryAttempt]


class OutboxService:
    def __init__(
        self,
        ctx: ServiceContext,
        sources: SourceService,
        delivery: MessageDelivery,
        schedule: RetrySchedule | None = None,
        queue: TaskQueue | None = None,
    ) -> None:
        self.ctx = ctx
        self.sources = sources
        self.delivery = delivery
        self.schedule = schedule or RetrySchedule()
        self.queue = queue

    # --- waking the delivery job ----------------------------------------------------------------
    def wake(self, key: str, at: datetime | None = None) -> str | None:
        """Enqueue the delivery job (at ``at``, default now) under an idempotency key; returns the
        job id, or None without a queue or when the queue cannot take it (the periodic tick
        still comes)."""
        if self.queue is None:
            return None
        try:
            return self.queue.enqueue(OUTBOX_JOB, {}, run_at=at, idempotency_key=f"outbox:{key}")
        except Exception as exc:
            log.warning("outbox: could not enqueue the delivery job (%s)", type(exc).__name__)
            return None

    def nudge(self, message_ids: Sequence[str]) -> None:
        """Implements ``OutboxNudge``: deliver messages just committed now, not at the next tick."""
        if message_ids:
            self.wake(f"new:{message_ids[0]}")

    def wake_at_next(self, principal: Principal) -> str | None:
        """Schedule the delivery job for when the earliest pending message is due, so a retry
        happens on its backoff time rather than at the next periodic tick."""
        principal.require(Action.OUTBOX_DELIVER)
        with self.ctx.uow(readonly=True) as uow:
            due = uow.outbox.next_due_at()
        if due is None:
            return None
        at = max(due, self.ctx.now() + timedelta(seconds=1))
        return self.wake(f"at:{at.isoformat(timespec='seconds')}", at)

    # --- delivering -----------------------------------------------------------------------------
    def deliver_due(
        self, principal: Principal, *, worker: str | None = None, limit: int = 50
    ) -> DeliveryReport:
        """Attempt every message whose next attempt is due (at most ``limit``)."""
        principal.require(Action.OUTBOX_DELIVER)
        worker = worker or default_worker_id()
        with self.ctx.uow(readonly=True) as uow:
            due = uow.outbox.due(self.ctx.now(), limit)
        report = DeliveryReport()
        for message_id in due:
            state = self.deliver_one(principal, message_id, worker=worker)
            if state is None:
                report.skipped.append(message_id)
            elif state is DeliveryState.DELIVERED:
                report.delivered.append(message_id)
            elif state is DeliveryState.PENDING:
                report.retrying.append(message_id)
            else:
                report.failed.append(message_id)
        return report

    def deliver_one(
        self, principal: Principal, message_id: str, *, worker: str | None = None
    ) -> DeliveryState | None:
        """Claim, deliver and record one message; None when it is not due or another worker
        holds it. Returns the message's state after the attempt."""
        principal.require(Action.OUTBOX_DELIVER)
        worker = worker or default_worker_id()
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            if not uow.outbox.claim(message_id, worker, now, now + CLAIM_LEASE):
                return None
            uow.commit()
        with self.ctx.uow(readonly=True) as uow:
            message = uow.outbox.get(message_id)
            target = None
            if message is not None and message.target_type is TargetType.RECIPIENT:
                recipient = uow.disclosures.recipient(message.target_id)
                if recipient is not None:
                    url = uow.outbox.endpoint(recipient.id)
                    email = recipient.contact if looks_like_email(recipient.contact) else None
                    target = DeliveryTarget(
                        recipient.id,
                        recipient.name,
                        url,
                        email,
                        uow.outbox.signing_secret(recipient.id) if url else None,
                    )
        if message is None:
            return None
        result = self._attempt(message, target)
        at = self.ctx.now()
        state, next_at = outcome_of_attempt(message, result, at, self.schedule)
        attempt = DeliveryAttempt(
            message_id=message.id,
            number=message.attempts + 1,
            at=at,
            channel=result.channel,
            delivered=result.delivered,
            error=result.error,
            status=result.status,
        )
        with self.ctx.uow() as uow:
            if not uow.outbox.record_attempt(attempt, state, next_at, worker):
                # The claim expired and another worker took the message over: its record wins.
                return None
            uow.audit.record(
                self._audit(
                    principal,
                    "outbox.attempted",
                    message,
                    {
                        "kind": message.kind.value,
                        "target_type": message.target_type.value,
                        "target": message.target_id,
                        "attempt": attempt.number,
                        "channel": result.channel.value,
                        "outcome": state.value,
                        "error": result.error,
                        "status": result.status,
                    },
                )
            )
            uow.commit()
        if not result.delivered:
            log.info(
                "outbox %s attempt %d failed: %s (%s)",
                message.id,
                attempt.number,
                result.error,
                state.value,
            )
        return state

    def _attempt(self, message: OutboxMessage, target: DeliveryTarget | None) -> AttemptResult:
        try:
            if message.target_type is TargetType.SOURCE:
                return self._to_source(message)
            if message.channel is Channel.LETTER:  # never due: a staff member posts it
                return AttemptResult(False, Channel.LETTER, "letter_not_posted", permanent=True)
            if message.channel is Channel.EMAIL:
                return self.delivery.mail(message)
            if target is None:
                return AttemptResult(False, Channel.NONE, "recipient_not_found", permanent=True)
            return self.delivery.deliver(message, target)
        except Exception as exc:  # a bug or an unexpected failure: recorded, retried, not lost
            log.warning("outbox %s: unexpected %s", message.id, type(exc).__name__)
            code = exc.code if isinstance(exc, ConfideError) else type(exc).__name__
            return AttemptResult(False, Channel.NONE, code[:80])

    def _to_source(self, message: OutboxMessage) -> AttemptResult:
        p = message.payload
        name, value = str(p.get("source", "")), str(p.get("value", ""))
        if message.subject_id is None or message.category is None:
            return AttemptResult(False, Channel.SOURCE, "subject_not_found", permanent=True)
        with self.ctx.uow(readonly=True) as uow:
            subject = uow.subjects.get(message.subject_id)
        if subject is None:
            return AttemptResult(False, Channel.SOURCE, "subject_not_found", permanent=True)
        try:
            self.sources.correct_in_source(
                CORRECTIONS_AGENT, name, subject, message.category, value
            )
        except SourceUnavailable as exc:
            return AttemptResult(False, Channel.SOURCE, exc.code)
        except (SourceNotFound, NotAllowed, ValidationFailed) as exc:
            return AttemptResult(False, Channel.SOURCE, exc.code, permanent=True)
        return AttemptResult(True, Channel.SOURCE)

    # --- the privacy officer's view -------------------------------------------------------------
    def messages(
        self,
        principal: Principal,
        *,
        state: DeliveryState | None = None,
        subject_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[OutboxMessage]:
        principal.require(Action.OUTBOX_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.outbox.messages(
                state=state, subject_id=subject_id, limit=max(1, min(limit, 1000)), offset=offset
            )

    def message(self, principal: Principal, message_id: str) -> MessageView:
        principal.require(Action.OUTBOX_READ)
        with self.ctx.uow(readonly=True) as uow:
            message = uow.outbox.get(message_id)
            if message is None:
                raise NotFound("outbox message", message_id)
            return MessageView(message, uow.outbox.attempts(message_id))

    def retry(self, principal: Principal, message_id: str) -> OutboxMessage:
        """Give a failed message a fresh set of attempts, the first one due now."""
        principal.require(Action.OUTBOX_RETRY)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            message = uow.outbox.get(message_id)
            if message is None:
                raise NotFound("outbox message", message_id)
            if message.state is not DeliveryState.FAILED:
                raise Conflict(
                    f"only a failed message can be retried (this one is {message.state.value})",
                    state=message.state.value,
                )
            uow.outbox.retry(message_id, now, self.schedule.max_attempts)
            uow.audit.record(
                self._audit(
                    principal,
                    "outbox.retried",
                    message,
                    {"kind": message.kind.value, "attempts": message.attempts},
                )
            )
            uow.commit()
            fresh = uow.outbox.get(message_id)
        assert fresh is not None
        self.wake(f"retry:{message_id}:{fresh.attempts}")
        return fresh

    # --- letters (posted by staff) ---------------------------------------------------------------
    def letters(self, principal: Principal, *, limit: int = 100) -> list[OutboxMessage]:
        """Letters waiting to be printed and posted, oldest first."""
        principal.require(Action.OUTBOX_LETTERS)
        with self.ctx.uow(readonly=True) as uow:
            return uow.outbox.messages(
                state=DeliveryState.PENDING, channel=Channel.LETTER, limit=max(1, min(limit, 1000))
            )

    def letter(self, principal: Principal, message_id: str) -> Composed:
        """The letter to print (personal: reading it is recorded in the audit trail)."""
        principal.require(Action.OUTBOX_LETTERS)
        with self.ctx.uow() as uow:
            message = uow.outbox.get(message_id)
            if message is None or message.channel is not Channel.LETTER:
                raise NotFound("letter", message_id)
            uow.audit.record(self._audit(principal, "outbox.letter_read", message, {}))
            uow.commit()
        p = message.payload
        return Composed(
            title=str(p.get("subject", "")),
            text=str(p.get("text", "")),
            language=str(p.get("language", "en")),
        )

    def mark_posted(self, principal: Principal, message_id: str) -> OutboxMessage:
        """Record that a staff member printed and posted a letter: it is delivered."""
        principal.require(Action.OUTBOX_LETTERS)
        at = self.ctx.now()
        with self.ctx.uow() as uow:
            message = uow.outbox.get(message_id)
            if message is None or message.channel is not Channel.LETTER:
                raise NotFound("letter", message_id)
            attempt = DeliveryAttempt(message.id, message.attempts + 1, at, Channel.LETTER, True)
            if not uow.outbox.mark_posted(attempt, principal.user_id):
                raise Conflict(
                    f"only a pending letter can be marked sent (this one is {message.state.value})",
                    state=message.state.value,
                )
            uow.audit.record(
                self._audit(
                    principal,
                    "outbox.letter_posted",
                    message,
                    {"kind": message.kind.value, "channel": Channel.LETTER.value},
                )
            )
            uow.commit()
            fresh = uow.outbox.get(message_id)
        assert fresh is not None
        return fresh

    # --- recipients' correction endpoints -------------------------------------------------------
    def set_endpoint(self, principal: Principal, recipient_id: str, url: str | None) -> None:
        """Set (or with None remove) where a recipient takes corrections: a webhook URL. Each
        setting gives the webhook a new signing secret (read it with :meth:`signing_secret`)."""
        principal.require(Action.RECIPIENTS_CORRECTION_ENDPOINT)
        url = url.strip() if url else None
        if url:
            problem = check_webhook_url(url, allowed=self.ctx.webhook_hosts)
            if problem:
                raise ValidationFailed(problem.message, [problem])
        with self.ctx.uow() as uow:
            if uow.disclosures.recipient(recipient_id) is None:
                raise NotFound("recipient", recipient_id)
            uow.outbox.set_endpoint(recipient_id, url or None, self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "recipient.correction_endpoint_set",
                    principal.user_id,
                    "recipient",
                    recipient_id,
                    self.ctx.now(),
                    self._version(),
                    details={"webhook": bool(url)},
                )
            )
            uow.commit()

    def endpoint(self, principal: Principal, recipient_id: str) -> str | None:
        principal.require(Action.RECIPIENTS_CORRECTION_ENDPOINT)
        with self.ctx.uow(readonly=True) as uow:
            return uow.outbox.endpoint(recipient_id)

    def signing_secret(self, principal: Principal, recipient_id: str) -> str | None:
        """The secret to give the recipient so it can check that POSTs come from us; reading it
        is recorded in the audit trail (the secret itself never is)."""
        principal.require(Action.RECIPIENTS_CORRECTION_SECRET)
        with self.ctx.uow() as uow:
            if uow.disclosures.recipient(recipient_id) is None:
                raise NotFound("recipient", recipient_id)
            secret = uow.outbox.signing_secret(recipient_id)
            uow.audit.record(
                AuditRecord(
                    "recipient.correction_secret_read",
                    principal.user_id,
                    "recipient",
                    recipient_id,
                    self.ctx.now(),
                    self._version(),
                    details={"webhook": secret is not None},
                )
            )
            uow.commit()
        return secret

    # --- helpers --------------------------------------------------------------------------------
    def _version(self) -> str | None:
        return self.ctx.active.version_id if self.ctx.active else None

    def _audit(
        self,
        principal: Principal,
        action: str,
        message: OutboxMessage,
        details: dict[str, object],
    ) -> AuditRecord:
        return AuditRecord(
            action=action,
            actor=principal.user_id,
            object_type="outbox_message",
            object_id=message.id,
            at=self.ctx.now(),
            policy_version=self._version(),
            subject_id=message.subject_id,
            details=details,
        )
