"""Corrections (ACC-9): accept one and send it everywhere the information went; refuse one and
keep the individual's statement of disagreement with the file, sent to the same places.

:meth:`CorrectionService.accept` is one transaction: the corrected value supersedes the
current one in Confide (the old value stays in the history), one outbox message is queued for
every recipient the disclosure ledger says received that category of that subject (and no
other), one for every writable connected source that maps the category, and the audit entry.
After the commit the source messages are attempted at once; one that fails stays in the outbox
and is retried like any other message, so a correction is never lost between two systems.
Recipients are reached by the outbox's delivery job (``outbox.deliver``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import FieldProblem, NotFound, ValidationFailed
from confide.domain.outbox import (
    DeliveryState,
    Disagreement,
    OutboxKind,
    OutboxMessage,
    TargetType,
)
from confide.domain.sources import DataSource
from confide.domain.subjects import PersonalInfoRecord, Subject
from confide.services.context import ServiceContext
from confide.services.outbox import CORRECTIONS_AGENT, OutboxService
from confide.services.ports.store import UnitOfWork
from confide.services.sources import SourceService
from confide.services.subjects import SubjectService

MAX_VALUE = 10_000
MAX_STATEMENT = 10_000


@dataclass(frozen=True)
class SourceResult:
    """What became of a correction in one connected source."""

    source: str
    state: str
    """``updated``, ``retrying`` (failed now, queued: ``error`` says why) or ``read_only``
    (the source maps the category but is registered read-only: correct it there directly)."""
    message_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CorrectionOutcome:
    subject_id: str
    category: str
    applied: list[PersonalInfoRecord]
    """The new records in Confide (each supersedes the one corrected); empty when Confide holds
    no value of the category and only connected sources do."""
    superseded: list[str]
    recipients_queued: list[str]
    """Recipient ids an outbox message was queued for (from the disclosure ledger)."""
    messages: list[str]
    """Outbox message ids for recipients."""
    sources: list[SourceResult] = field(default_factory=list)
    unknown_recipients: list[str] = field(default_factory=list)
    """Recipient classes the ledger names without a precise recipient (nobody to send to)."""

    @property
    def sources_updated(self) -> list[str]:
        return [s.source for s in self.sources if s.state == "updated"]

    @property
    def sources_failed(self) -> list[str]:
        return [s.source for s in self.sources if s.state == "retrying"]


@dataclass(frozen=True)
class DisagreementOutcome:
    disagreement: Disagreement
    recipients_queued: list[str]
    messages: list[str]
    unknown_recipients: list[str] = field(default_factory=list)


class CorrectionService:
    """Accept or refuse corrections (ACC-9).

    The value is corrected in Confide inside the same unit of work as the outbox messages and
    the audit entry (superseding the current record, as ``SubjectService.correct`` does), so
    ``subjects`` is used for reads only; ``sources`` writes to connected sources through the
    outbox, which also wakes the delivery job.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        subjects: SubjectService,
        sources: SourceService,
        outbox: OutboxService,
    ) -> None:
        self.ctx = ctx
        self.subjects = subjects
        self.sources = sources
        self.outbox = outbox

    # --- accepting ------------------------------------------------------------------------------
    def accept(
        self,
        principal: Principal,
        subject_id: str,
        category: str,
        value: str,
        *,
        request_id: str | None = None,
        reason: str | None = None,
        record_id: str | None = None,
    ) -> CorrectionOutcome:
        """Apply a correction in Confide, queue it to every recipient of the category and every
        writable source mapping it (one transaction), then attempt the sources at once.

        ``record_id`` names the value to correct when Confide holds several of the category.
        """
        principal.require(Action.CORRECTIONS_ACCEPT)
        problems = self._check_category(category)
        if not value or len(value) > MAX_VALUE:
            problems.append(FieldProblem("value", f"must have 1 to {MAX_VALUE:,} characters"))
        if reason is not None and len(reason) > 2000:
            problems.append(FieldProblem("reason", "is longer than 2,000 characters"))
        if problems:
            raise ValidationFailed("the correction cannot be accepted", problems)
        now = self.ctx.now()
        correction_id = self.ctx.new_id("cor")
        with self.ctx.uow() as uow:
            subject = self._subject(uow, subject_id)
            current = [
                r for r in uow.personal_info.for_subject(subject_id) if r.category == category
            ]
            mapped = self._sources_mapping(uow, category)
            if not current and not mapped:
                raise ValidationFailed.single(
                    "category",
                    "no information of this category is on file for the subject",
                    "a correction applies to information the person gave",
                )
            targets = self._pick_records(current, record_id)
            applied: list[PersonalInfoRecord] = []
            for old in targets:
                new = PersonalInfoRecord(
                    id=self.ctx.new_id("pi"),
                    subject_id=old.subject_id,
                    category=old.category,
                    value=value,
                    source=old.source,
                    purposes=old.purposes,
                    system=old.system,
                    country=old.country,
                    province=old.province,
                    collected_at=now,
                    policy_version=self.ctx.require_active().version_id,
                    supersedes=old.id,
                    correction_reason=(reason or "accepted correction").strip()[:2000]
                    or "accepted correction",
                    extra=dict(old.extra),
                )
                uow.personal_info.mark_superseded(old.id, now)
                uow.personal_info.add(new)
                applied.append(new)
            recipients, unknown = self._recipients(uow, subject_id, category)
            body: dict[str, object] = {
                "category": category,
                "value": value,
                "corrected_at": now.isoformat(),
                "subject": _subject_ref(subject),
            }
            messages = [
                self._message(
                    OutboxKind.CORRECTION,
                    TargetType.RECIPIENT,
                    rid,
                    subject_id,
                    category,
                    body,
                    correction_id,
                    request_id,
                )
                for rid in recipients
            ]
            writable = [s for s in mapped if s.writable]
            source_messages = [
                self._message(
                    OutboxKind.SOURCE_CORRECTION,
                    TargetType.SOURCE,
                    s.id,
                    subject_id,
                    category,
                    {"source": s.name, "category": category, "value": value},
                    correction_id,
                    request_id,
                )
                for s in writable
            ]
            uow.outbox.add_messages(messages + source_messages)
            uow.audit.record(
                AuditRecord(
                    action="correction.accepted",
                    actor=principal.user_id,
                    object_type="correction",
                    object_id=correction_id,
                    at=now,
                    policy_version=self.ctx.require_active().version_id,
                    subject_id=subject_id,
                    details={
                        "category": category,
                        "request_id": request_id,
                        "superseded": [r.id for r in targets],
                        "recipients": recipients,
                        "unknown_recipient_classes": unknown,
                        "sources": [s.name for s in writable],
                        "read_only_sources": [s.name for s in mapped if not s.writable],
                        "outbox": [m.id for m in messages + source_messages],
                    },
                )
            )
            uow.commit()
        results: list[SourceResult] = []
        for source, message in zip(writable, source_messages, strict=True):
            state = self.outbox.deliver_one(CORRECTIONS_AGENT, message.id)
            if state is DeliveryState.DELIVERED:
                results.append(SourceResult(source.name, "updated", message.id))
            else:
                results.append(
                    SourceResult(source.name, "retrying", message.id, self._last_error(message.id))
                )
        results.extend(SourceResult(s.name, "read_only") for s in mapped if not s.writable)
        self._wake(correction_id, bool(messages) or any(r.state == "retrying" for r in results))
        return CorrectionOutcome(
            subject_id=subject_id,
            category=category,
            applied=applied,
            superseded=[r.id for r in targets],
            recipients_queued=recipients,
            messages=[m.id for m in messages],
            sources=results,
            unknown_recipients=unknown,
        )

    # --- refusing -------------------------------------------------------------------------------
    def refuse(
        self,
        principal: Principal,
        subject_id: str,
        category: str,
        *,
        statement: str,
        request_id: str | None = None,
    ) -> DisagreementOutcome:
        """Keep the individual's statement of disagreement with the file (sealed) and queue it to
        every recipient of the category."""
        principal.require(Action.CORRECTIONS_REFUSE)
        problems = self._check_category(category)
        if not statement.strip() or len(statement) > MAX_STATEMENT:
            problems.append(
                FieldProblem("statement", f"must have 1 to {MAX_STATEMENT:,} characters")
            )
        if problems:
            raise ValidationFailed("the statement cannot be recorded", problems)
        now = self.ctx.now()
        item = Disagreement(
            id=self.ctx.new_id("dsg"),
            subject_id=subject_id,
            category=category,
            statement=statement.strip(),
            recorded_at=now,
            recorded_by=principal.user_id,
            request_id=request_id,
        )
        with self.ctx.uow() as uow:
            subject = self._subject(uow, subject_id)
            on_file = any(r.category == category for r in uow.personal_info.for_subject(subject_id))
            if not on_file and not self._sources_mapping(uow, category):
                raise ValidationFailed.single(
                    "category", "no information of this category is on file for the subject"
                )
            uow.outbox.add_disagreement(item)
            recipients, unknown = self._recipients(uow, subject_id, category)
            body: dict[str, object] = {
                "category": category,
                "statement": item.statement,
                "recorded_at": now.isoformat(),
                "subject": _subject_ref(subject),
            }
            messages = [
                self._message(
                    OutboxKind.DISAGREEMENT,
                    TargetType.RECIPIENT,
                    rid,
                    subject_id,
                    category,
                    body,
                    item.id,
                    request_id,
                )
                for rid in recipients
            ]
            uow.outbox.add_messages(messages)
            uow.audit.record(
                AuditRecord(
                    action="correction.refused",
                    actor=principal.user_id,
                    object_type="disagreement",
                    object_id=item.id,
                    at=now,
                    policy_version=self.ctx.require_active().version_id,
                    subject_id=subject_id,
                    details={
                        "category": category,
                        "request_id": request_id,
                        "recipients": recipients,
                        "unknown_recipient_classes": unknown,
                        "outbox": [m.id for m in messages],
                    },
                )
            )
            uow.commit()
        self._wake(item.id, bool(messages))
        return DisagreementOutcome(item, recipients, [m.id for m in messages], unknown)

    def disagreements(self, principal: Principal, subject_id: str) -> list[Disagreement]:
        """The statements of disagreement attached to the subject's file, oldest first."""
        principal.require(Action.CORRECTIONS_DISAGREEMENTS)
        self.subjects.get(principal, subject_id)  # NotFound for a subject that does not exist
        with self.ctx.uow(readonly=True) as uow:
            return uow.outbox.disagreements(subject_id)

    # --- helpers --------------------------------------------------------------------------------
    def _check_category(self, category: str) -> list[FieldProblem]:
        if self.ctx.policy.category(category) is None:
            return [FieldProblem("category", "is not a category of the policy")]
        return []

    @staticmethod
    def _subject(uow: UnitOfWork, subject_id: str) -> Subject:
        subject = uow.subjects.get(subject_id)
        if subject is None:
            raise NotFound("subject", subject_id)
        return subject

    @staticmethod
    def _pick_records(
        current: list[PersonalInfoRecord], record_id: str | None
    ) -> list[PersonalInfoRecord]:
        if record_id is not None:
            picked = [r for r in current if r.id == record_id]
            if not picked:
                raise ValidationFailed.single(
                    "record_id", "names no current value of this category of the subject"
                )
            return picked
        if len(current) > 1:
            raise ValidationFailed.single(
                "record_id",
                f"the subject has {len(current)} values of this category",
                "name the one to correct",
            )
        return current

    @staticmethod
    def _sources_mapping(uow: UnitOfWork, category: str) -> list[DataSource]:
        return [
            s
            for s in uow.sources.all()
            if any(c.category == category for m in s.mappings for c in m.categories)
        ]

    @staticmethod
    def _recipients(uow: UnitOfWork, subject_id: str, category: str) -> tuple[list[str], list[str]]:
        """Recipient ids the ledger says received ``category`` of the subject (first disclosure
        first), and the classes of disclosures whose recipient is not known precisely."""
        ids: list[str] = []
        unknown: list[str] = []
        for row in uow.disclosures.for_subject(subject_id):
            r = row.record
            if category not in r.categories:
                continue
            if r.recipient_id is None:
                if r.recipient_class not in unknown:
                    unknown.append(r.recipient_class)
            elif r.recipient_id not in ids:
                ids.append(r.recipient_id)
        return ids, unknown

    def _message(
        self,
        kind: OutboxKind,
        target_type: TargetType,
        target_id: str,
        subject_id: str,
        category: str,
        body: dict[str, object],
        correction_id: str,
        request_id: str | None,
    ) -> OutboxMessage:
        now = self.ctx.now()
        message_id = self.ctx.new_id("obx")
        return OutboxMessage(
            id=message_id,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            subject_id=subject_id,
            category=category,
            payload=dict(body),
            created_at=now,
            next_attempt_at=now,
            max_attempts=self.outbox.schedule.max_attempts,
            correction_id=correction_id,
            request_id=request_id,
        )

    def _last_error(self, message_id: str) -> str | None:
        with self.ctx.uow(readonly=True) as uow:
            message = uow.outbox.get(message_id)
        return message.last_error if message else None

    def _wake(self, key: str, needed: bool) -> None:
        """Ask the worker to deliver now rather than at its next tick. The correction is already
        committed: a queue that cannot take the job only delays delivery."""
        if needed:
            self.outbox.wake(key)


def _subject_ref(subject: Subject) -> dict[str, object]:
    """How a recipient finds the person in its own records: our id, the company's reference
    and the identifiers on file."""
    return {
        "id": subject.id,
        "external_ref": subject.external_ref,
        "identifiers": {i.kind.value: i.value for i in subject.identifiers},
    }
