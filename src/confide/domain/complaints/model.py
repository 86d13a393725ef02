"""Complaints (CMP-1, CMP-2): recorded, acknowledged, investigated, escalated, answered and acted
upon — the records and the rules, pure.

A :class:`Complaint` comes by the portal, by telephone to a service representative, or by
letter or email entered by staff. It is handled at the first level (a service representative)
and goes to senior management and the privacy officer when it is not resolved there, or when
the company's own target date passes unanswered (CMP-1, :meth:`Complaint.due_for_escalation`).
Every complaint is answered in writing. One found justified cannot be closed without a
recorded :class:`ComplaintAction` — a correction, a change of practice (with its owner and due
date) or a policy amendment (the policy version that made it) (CMP-2).

Errors (under :class:`~confide.domain.errors.ConfideError`)::

    Conflict
    └── ComplaintClosed     escalating, answering or closing a closed complaint
    NotAllowed
    └── ActionRequired      closing a justified complaint without an action (CMP-2)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from confide.domain.errors import Conflict, FieldProblem, NotAllowed


class ComplaintChannel(StrEnum):
    PORTAL = "portal"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"


class ComplaintTopic(StrEnum):
    """What a complaint is about; each but ``other`` may link the record it concerns."""

    USE = "use"
    DISCLOSURE = "disclosure"
    REQUEST = "request"
    """An access or correction request (its handling, its answer, its delay)."""
    INCIDENT = "incident"
    MARKETING = "marketing"
    OTHER = "other"


class ComplaintLevel(StrEnum):
    FIRST = "first"
    """A service representative."""
    SENIOR = "senior"
    """Senior management and the privacy officer (CMP-1)."""


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Outcome(StrEnum):
    JUSTIFIED = "justified"
    PARTLY_JUSTIFIED = "partly_justified"
    NOT_JUSTIFIED = "not_justified"
    WITHDRAWN = "withdrawn"

    @property
    def needs_action(self) -> bool:
        """A complaint found justified, even in part, leads to a recorded action (CMP-2)."""
        return self in (Outcome.JUSTIFIED, Outcome.PARTLY_JUSTIFIED)


class ActionKind(StrEnum):
    CORRECTION = "correction"
    PRACTICE_CHANGE = "practice_change"
    POLICY_AMENDMENT = "policy_amendment"


@dataclass(frozen=True)
class ComplaintAction:
    """What a justified complaint led to (CMP-2): a correction (``correction_id``), a change of
    practice (``description``, ``owner``, ``due_on``) or a policy amendment
    (``policy_version``)."""

    id: str
    complaint_id: str
    kind: ActionKind
    recorded_at: datetime
    recorded_by: str
    correction_id: str | None = None
    description: str = ""
    owner: str = ""
    due_on: date | None = None
    policy_version: str | None = None
    done_on: date | None = None

    def problems(self) -> list[FieldProblem]:
        """What the action's kind requires and is missing."""
        if self.kind is ActionKind.CORRECTION and not self.correction_id:
            return [FieldProblem("correction_id", "a correction action names the correction")]
        if self.kind is ActionKind.POLICY_AMENDMENT and not self.policy_version:
            return [
                FieldProblem(
                    "policy_version", "a policy amendment names the policy version that made it"
                )
            ]
        if self.kind is ActionKind.PRACTICE_CHANGE:
            found = []
            if not self.description.strip():
                found.append(FieldProblem("description", "describe the change of practice"))
            if not self.owner.strip():
                found.append(FieldProblem("owner", "name who owns the change"))
            if self.due_on is None:
                found.append(FieldProblem("due_on", "give the date it is due"))
            return found
        return []

    def late(self, today: date) -> bool:
        return self.done_on is None and self.due_on is not None and today > self.due_on


@dataclass(frozen=True)
class ComplaintNote:
    """A handler's note on the investigation (sealed at rest: it may name people)."""

    id: str
    complaint_id: str
    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class Complaint:
    """One complaint. ``summary``, ``contact`` and ``answer_reasons`` may name people: sealed
    at rest by the store."""

    id: str
    reference: str
    """What the complainant is told: ``CMP-2026-0042``."""
    received_at: datetime
    channel: ComplaintChannel
    language: str
    contact: str
    """How to reach the complainant (an email, a telephone number or a postal address)."""
    topic: ComplaintTopic
    summary: str
    target_on: date
    """The company's own date to answer by; passing it unanswered escalates (CMP-1)."""
    recorded_by: str
    subject_id: str | None = None
    account_ref: str = ""
    """The invoice or account number the complainant gave (the seed asks for it)."""
    about_id: str | None = None
    """The record it concerns (a request, a disclosure, an incident ...), when there is one."""
    quebec: bool = False
    level: ComplaintLevel = ComplaintLevel.FIRST
    status: ComplaintStatus = ComplaintStatus.OPEN
    assigned_to: str | None = None
    escalated_at: datetime | None = None
    escalated_by: str | None = None
    outcome: Outcome | None = None
    answer_reasons: str = ""
    answered_at: datetime | None = None
    answered_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None

    # --- CMP-1 ------------------------------------------------------------------------------------
    def due_for_escalation(self, today: date) -> bool:
        """Unanswered at the first level after the company's own target date (CMP-1)."""
        return (
            self.status is ComplaintStatus.OPEN
            and self.level is ComplaintLevel.FIRST
            and today > self.target_on
        )

    def escalate(self, at: datetime, by: str) -> Complaint:
        """To senior management and the privacy officer; refused once closed or escalated."""
        if self.status is ComplaintStatus.CLOSED:
            raise ComplaintClosed(self.reference, "escalated")
        if self.level is ComplaintLevel.SENIOR:
            raise Conflict(f"complaint {self.reference} is already escalated")
        return replace(self, level=ComplaintLevel.SENIOR, escalated_at=at, escalated_by=by)

    def answer(self, at: datetime, by: str, outcome: Outcome, reasons: str) -> Complaint:
        """The answer in writing: the outcome and its reasons (the letter adds the recourse)."""
        if self.status is ComplaintStatus.CLOSED:
            raise ComplaintClosed(self.reference, "answered")
        return replace(
            self,
            status=ComplaintStatus.ANSWERED,
            outcome=outcome,
            answer_reasons=reasons,
            answered_at=at,
            answered_by=by,
        )

    # --- CMP-2 ------------------------------------------------------------------------------------
    def close(self, at: datetime, by: str, actions: list[ComplaintAction]) -> Complaint:
        """Closed once answered; a justified complaint needs a recorded action (CMP-2)."""
        if self.status is ComplaintStatus.CLOSED:
            raise ComplaintClosed(self.reference, "closed")
        if self.status is not ComplaintStatus.ANSWERED or self.outcome is None:
            raise NotAllowed(
                f"complaint {self.reference} has not been answered in writing", rule="CMP-1"
            )
        if self.outcome.needs_action and not actions:
            raise ActionRequired(self.reference)
        return replace(self, status=ComplaintStatus.CLOSED, closed_at=at, closed_by=by)


# --- errors -------------------------------------------------------------------------------------


class ComplaintClosed(Conflict):
    def __init__(self, reference: str, verb: str) -> None:
        super().__init__(
            f"complaint {reference} is closed: it cannot be {verb}", complaint=reference
        )


class ActionRequired(NotAllowed):
    """Closing a justified complaint without a recorded action (CMP-2)."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"complaint {reference} was found justified: record the action it led to "
            "(a correction, a change of practice or a policy amendment) before closing it",
            rule="CMP-2",
            complaint=reference,
        )
