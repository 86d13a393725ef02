"""Use cases of complaints (CMP-1, CMP-2): record (staff, or the portal), acknowledge through the
outbox, investigate with notes, escalate to senior management and the privacy officer (by hand,
or by the tick once the company's own target date passes), answer in writing, record the action
a justified complaint led to, and close.

A complaint matched to a person keeps that person's information under a legal hold of kind
``complaint`` until it is closed. Each use case is one unit of work with its audit entry (ids,
kinds, outcomes; never the summary, the contact or the reasons, which may name people).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from confide.domain.access import Action, Principal, Role
from confide.domain.audit.records import AuditRecord
from confide.domain.complaints import (
    ActionKind,
    Complaint,
    ComplaintAction,
    ComplaintChannel,
    ComplaintLevel,
    ComplaintNote,
    ComplaintTopic,
    Outcome,
)
from confide.domain.complaints.letters import acknowledgement, answer
from confide.domain.errors import FieldProblem, NotFound, ValidationFailed
from confide.domain.holds import HoldKind, HoldScope, LegalHold
from confide.domain.officer import Officer, officer_for
from confide.domain.outbox import Composed, OutboxKind, TargetType, compose, looks_like_email
from confide.domain.subjects import IdentifierKind
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.complaints import ComplaintFilter
from confide.services.ports.outbox import OutboxNudge
from confide.services.ports.store import UnitOfWork
from confide.services.validation import check_language, normalize_identifier

ANSWER_DAYS = 30
"""The company's own target: an answer within 30 calendar days, then escalation (CMP-1)."""
PORTAL = "portal"
SYSTEM = "system"
MAX_TEXT = 10_000
MAX_SHORT = 200


@dataclass(frozen=True)
class RecordComplaint:
    """A complaint as the portal or a staff member takes it."""

    channel: str
    topic: str
    summary: str
    contact: str
    language: str = "en"
    account_ref: str = ""
    """The invoice or account number the complainant gives (the seed asks for it)."""
    subject_id: str | None = None
    """The person, when staff found them; else matched from ``account_ref`` or ``contact``."""
    about_id: str | None = None
    """The record it concerns (a request or an incident), when there is one."""


@dataclass(frozen=True)
class RecordAction:
    kind: str
    correction_id: str | None = None
    description: str = ""
    owner: str = ""
    due_on: date | None = None
    policy_version: str | None = None


@dataclass(frozen=True)
class ComplaintView:
    complaint: Complaint
    notes: list[ComplaintNote]
    actions: list[ComplaintAction]


class ComplaintService:
    def __init__(
        self,
        ctx: ServiceContext,
        holds: HoldService,
        outbox: OutboxNudge | None = None,
        officer_email: str | None = None,
        answer_days: int = ANSWER_DAYS,
    ) -> None:
        self.ctx = ctx
        self.holds = holds
        self.outbox = outbox
        self.officer_email = officer_email
        self.answer_days = answer_days

    # --- intake -----------------------------------------------------------------------------------
    def record(self, principal: Principal, cmd: RecordComplaint) -> Complaint:
        principal.require(Action.COMPLAINTS_RECORD)
        return self._record(principal.user_id, principal, cmd)

    def record_from_portal(self, cmd: RecordComplaint) -> Complaint:
        """A complaint through the portal's form (no account; the portal limits the rate)."""
        return self._record(PORTAL, None, replace(cmd, channel=ComplaintChannel.PORTAL.value))

    def _record(self, by: str, principal: Principal | None, cmd: RecordComplaint) -> Complaint:
        problems: list[FieldProblem] = []
        channel = _enum(ComplaintChannel, cmd.channel, "channel", problems)
        topic = _enum(ComplaintTopic, cmd.topic, "topic", problems)
        summary = _text(cmd.summary, "summary", problems, required=True, limit=MAX_TEXT)
        contact = _text(cmd.contact, "contact", problems, required=True, limit=MAX_SHORT)
        account_ref = _text(cmd.account_ref, "account_ref", problems, limit=100)
        language, problem = check_language(cmd.language or "en")
        if problem:
            problems.append(problem)
        if problems:
            raise ValidationFailed("the complaint cannot be recorded", problems)
        assert channel and topic and language
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            subject_id = self._match(uow, cmd.subject_id, account_ref, contact)
            about_id = self._about(uow, topic, cmd.about_id, subject_id)
            subject = uow.subjects.get(subject_id) if subject_id else None
            complaint = Complaint(
                id=self.ctx.new_id("cmp"),
                reference=uow.complaints.next_reference(now.year),
                received_at=now,
                channel=channel,
                language=language,
                contact=contact,
                topic=topic,
                summary=summary,
                target_on=now.date() + timedelta(days=self.answer_days),
                recorded_by=by,
                subject_id=subject_id,
                account_ref=account_ref,
                about_id=about_id,
                quebec=bool(subject and subject.is_quebec),
            )
            uow.complaints.add(complaint)
            if subject_id is not None:
                hold = LegalHold(
                    id=self.ctx.new_id("hold"),
                    kind=HoldKind.COMPLAINT,
                    scope=HoldScope(subject_id=subject_id),
                    opened_at=now,
                    opened_by=by,
                    reason=f"Complaint {complaint.reference} open",
                    cause=complaint.id,
                )
                self.holds.add_in(uow, principal or _portal(), hold)
            self._mail(uow, complaint, OutboxKind.COMPLAINT_ACK, "ack", acknowledgement)
            uow.audit.record(self._audit(by, "complaint.recorded", complaint, {}))
            uow.commit()
        return complaint

    def _match(
        self, uow: UnitOfWork, subject_id: str | None, account_ref: str, contact: str
    ) -> str | None:
        """The person: as staff found them, else by the account number, else by the contact
        (an email or a telephone number on file); None when nothing names exactly one."""
        if subject_id:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            return subject_id
        tries: list[tuple[IdentifierKind, str]] = []
        if account_ref:
            tries.append((IdentifierKind.ACCOUNT, account_ref))
        tries += [(IdentifierKind.EMAIL, contact), (IdentifierKind.PHONE, contact)]
        for kind, raw in tries:
            value, problem = normalize_identifier(kind, raw, kind.value)
            if problem is None and value is not None:
                found = uow.subjects.find_by_identifier(kind, value)
                if found is not None:
                    return found.id
        return None

    def _about(
        self, uow: UnitOfWork, topic: ComplaintTopic, about_id: str | None, subject_id: str | None
    ) -> str | None:
        """The linked record, checked: a request or an incident that exists (else refused)."""
        about = (about_id or "").strip() or None
        if about is None:
            return None
        if topic is ComplaintTopic.REQUEST:
            request = uow.requests.get(about)
            if request is None:
                raise ValidationFailed.single("about_id", "is not a request Confide knows")
            return request.id
        if topic is ComplaintTopic.INCIDENT:
            incident = uow.breaches.get(about)
            if incident is None:
                raise ValidationFailed.single("about_id", "is not an incident Confide knows")
            return incident.id
        raise ValidationFailed.single(
            "about_id", "only a complaint about a request or an incident links a record"
        )

    # --- handling ---------------------------------------------------------------------------------
    def note(self, principal: Principal, complaint_id: str, text: str) -> ComplaintNote:
        principal.require(Action.COMPLAINTS_HANDLE)
        problems: list[FieldProblem] = []
        body = _text(text, "text", problems, required=True, limit=MAX_TEXT)
        if problems:
            raise ValidationFailed("the note cannot be recorded", problems)
        with self.ctx.uow() as uow:
            complaint = self._get(uow, complaint_id)
            note = ComplaintNote(
                self.ctx.new_id("cnote"), complaint.id, self.ctx.now(), principal.user_id, body
            )
            uow.complaints.add_note(note)
            uow.audit.record(self._audit(principal.user_id, "complaint.noted", complaint, {}))
            uow.commit()
        return note

    def escalate(self, principal: Principal, complaint_id: str) -> Complaint:
        """To senior management and the privacy officer: not resolved at the first level."""
        principal.require(Action.COMPLAINTS_HANDLE)
        with self.ctx.uow() as uow:
            complaint = self._get(uow, complaint_id, for_update=True)
            up = complaint.escalate(self.ctx.now(), principal.user_id)
            self._escalated(uow, up, principal.user_id)
            uow.commit()
        return up

    def tick(self, principal: Principal) -> list[str]:
        """Escalate every complaint unanswered at the first level past its target (CMP-1);
        returns their references."""
        principal.require(Action.COMPLAINTS_TICK)
        today = self.ctx.now().date()
        done: list[str] = []
        with self.ctx.uow() as uow:
            flt = ComplaintFilter(level=ComplaintLevel.FIRST.value, overdue_on=today)
            for complaint in uow.complaints.listing(flt, limit=1000):
                if complaint.due_for_escalation(today):
                    up = complaint.escalate(self.ctx.now(), SYSTEM)
                    self._escalated(uow, up, SYSTEM)
                    done.append(up.reference)
            uow.commit()
        return done

    def _escalated(self, uow: UnitOfWork, complaint: Complaint, by: str) -> None:
        uow.complaints.save(complaint)
        address = self.officer_email or self.ctx.policy.organization.privacy_officer.email
        key = f"complaint.escalated.{complaint.id}"
        title = f"Complaint {complaint.reference} escalated to you"
        text = (
            f"Complaint {complaint.reference} ({complaint.topic.value}) was not resolved at the "
            f"first level by {complaint.target_on.isoformat()} and is now yours and senior "
            "management's. Its page in the console has the complaint and the notes.\n"
        )
        uow.outbox.add(
            compose(
                id=self.ctx.new_id("msg"),
                kind=OutboxKind.COMPLAINT_ESCALATION,
                target_type=TargetType.OFFICER,
                target_id="privacy_officer",
                content=Composed(title, text, "en", address, f"{key}@confide.complaints"),
                key=key,
                at=self.ctx.now(),
            )
        )
        uow.audit.record(self._audit(by, "complaint.escalated", complaint, {"rule": "CMP-1"}))

    def answer(
        self, principal: Principal, complaint_id: str, outcome: str, reasons: str
    ) -> Complaint:
        """The answer in writing, mailed (or posted) to the complainant with the recourse. An
        agent answers at the first level; an escalated complaint is the officer's."""
        principal.require(Action.COMPLAINTS_HANDLE)
        problems: list[FieldProblem] = []
        found = _enum(Outcome, outcome, "outcome", problems)
        text = _text(reasons, "reasons", problems, required=True, limit=MAX_TEXT)
        if problems:
            raise ValidationFailed("the answer cannot be recorded", problems)
        assert found is not None
        with self.ctx.uow() as uow:
            complaint = self._get(uow, complaint_id, for_update=True)
            if complaint.level is ComplaintLevel.SENIOR:
                principal.require(Action.COMPLAINTS_MANAGE)
            answered = complaint.answer(self.ctx.now(), principal.user_id, found, text)
            uow.complaints.save(answered)
            self._mail(uow, answered, OutboxKind.COMPLAINT_ANSWER, "answer", answer)
            uow.audit.record(
                self._audit(
                    principal.user_id, "complaint.answered", answered, {"outcome": found.value}
                )
            )
            uow.commit()
        return answered

    def add_action(
        self, principal: Principal, complaint_id: str, cmd: RecordAction
    ) -> ComplaintAction:
        """What a justified complaint led to (CMP-2)."""
        principal.require(Action.COMPLAINTS_MANAGE)
        problems: list[FieldProblem] = []
        kind = _enum(ActionKind, cmd.kind, "kind", problems)
        if problems:
            raise ValidationFailed("the action cannot be recorded", problems)
        assert kind is not None
        with self.ctx.uow() as uow:
            complaint = self._get(uow, complaint_id, for_update=True)
            action = ComplaintAction(
                id=self.ctx.new_id("cact"),
                complaint_id=complaint.id,
                kind=kind,
                recorded_at=self.ctx.now(),
                recorded_by=principal.user_id,
                correction_id=(cmd.correction_id or "").strip() or None,
                description=cmd.description.strip(),
                owner=cmd.owner.strip(),
                due_on=cmd.due_on,
                policy_version=(cmd.policy_version or "").strip() or None,
            )
            problems = action.problems()
            version = action.policy_version
            if kind is ActionKind.POLICY_AMENDMENT and version and not uow.policies.get(version):
                problems.append(
                    FieldProblem("policy_version", "is not a policy version Confide holds")
                )
            if problems:
                raise ValidationFailed("the action cannot be recorded", problems)
            uow.complaints.add_action(action)
            uow.audit.record(
                self._audit(
                    principal.user_id,
                    "complaint.action_recorded",
                    complaint,
                    {"action": action.id, "kind": kind.value, "rule": "CMP-2"},
                )
            )
            uow.commit()
        return action

    def close(self, principal: Principal, complaint_id: str) -> Complaint:
        """Closed by the privacy officer once answered; a justified complaint needs its action
        (CMP-2). The hold on the person's information closes with it."""
        principal.require(Action.COMPLAINTS_MANAGE)
        with self.ctx.uow() as uow:
            complaint = self._get(uow, complaint_id, for_update=True)
            closed = complaint.close(
                self.ctx.now(), principal.user_id, uow.complaints.actions(complaint.id)
            )
            uow.complaints.save(closed)
            for hold in uow.holds.listing(cause=complaint.id, active_only=True):
                if hold.kind is HoldKind.COMPLAINT:
                    self.holds.close_in(
                        uow, principal, hold, f"Complaint {complaint.reference} closed"
                    )
            uow.audit.record(self._audit(principal.user_id, "complaint.closed", closed, {}))
            uow.commit()
        return closed

    # --- reading ----------------------------------------------------------------------------------
    def view(self, principal: Principal, complaint_id: str) -> ComplaintView:
        principal.require(Action.COMPLAINTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            complaint = self._get(uow, complaint_id)
            return ComplaintView(
                complaint, uow.complaints.notes(complaint.id), uow.complaints.actions(complaint.id)
            )

    def listing(
        self, principal: Principal, flt: ComplaintFilter, *, offset: int = 0, limit: int = 100
    ) -> list[Complaint]:
        principal.require(Action.COMPLAINTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.complaints.listing(flt, offset=offset, limit=min(limit, 1000))

    def open_actions(self, principal: Principal) -> list[ComplaintAction]:
        principal.require(Action.COMPLAINTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.complaints.open_actions()

    def monthly(self, principal: Principal, year: int) -> list[tuple[int, str, str | None, int]]:
        """Counts per month, topic and outcome, for the officer's annual review."""
        principal.require(Action.COMPLAINTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.complaints.monthly(year)

    # --- helpers ----------------------------------------------------------------------------------
    def _get(self, uow: UnitOfWork, complaint_id: str, *, for_update: bool = False) -> Complaint:
        found = uow.complaints.get(complaint_id.strip(), for_update=for_update)
        if found is None:
            raise NotFound("complaint", complaint_id)
        return found

    def officer(self, lang: str) -> Officer:
        return officer_for(self.ctx.policy.organization.privacy_officer, lang)

    def _mail(
        self, uow: UnitOfWork, complaint: Complaint, kind: OutboxKind, name: str, letter: Any
    ) -> None:
        """The complainant's letter: by email to the contact when it is an address, else a
        letter to post."""
        title, text = letter(complaint, self.officer(complaint.language))
        address = complaint.contact if looks_like_email(complaint.contact) else None
        key = f"complaint.{name}.{complaint.id}"
        message = compose(
            id=self.ctx.new_id("msg"),
            kind=kind,
            target_type=TargetType.INDIVIDUAL,
            target_id=complaint.subject_id or complaint.id,
            content=Composed(title, text, complaint.language, address, f"{key}@confide.complaints"),
            key=key,
            at=self.ctx.now(),
            subject_id=complaint.subject_id,
        )
        if uow.outbox.add(message) and self.outbox is not None:
            outbox, first = self.outbox, [message.id]
            uow.after_commit(lambda: outbox.nudge(first))

    def _audit(
        self, by: str, action: str, complaint: Complaint, details: dict[str, Any]
    ) -> AuditRecord:
        active = self.ctx.active
        return AuditRecord(
            action,
            by,
            "complaint",
            complaint.id,
            self.ctx.now(),
            policy_version=active.version_id if active else None,
            subject_id=complaint.subject_id,
            details={
                "reference": complaint.reference,
                "topic": complaint.topic.value,
                "level": complaint.level.value,
                **details,
            },
        )


def _portal() -> Principal:
    """Who the portal's hold is opened by (the audit trail names ``portal``)."""
    return Principal(user_id=PORTAL, username=PORTAL, roles=frozenset({Role.AGENT}))


def _enum(kind: Any, value: str, field: str, problems: list[FieldProblem]) -> Any:
    if value in {k.value for k in kind}:
        return kind(value)
    problems.append(
        FieldProblem(field, "is not one of the choices", ", ".join(k.value for k in kind))
    )
    return None


def _text(
    value: str | None,
    field: str,
    problems: list[FieldProblem],
    *,
    required: bool = False,
    limit: int,
) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.append(FieldProblem(field, "is required"))
    elif len(text) > limit:
        problems.append(FieldProblem(field, f"is longer than {limit} characters"))
    return text


__all__ = [
    "ComplaintService",
    "ComplaintView",
    "RecordAction",
    "RecordComplaint",
]
