"""Legal holds (ACC-8, RET-2): information under a pending matter is kept, whatever its schedule.

A hold is its own record, not a side effect of a request: a verified access or correction
request opens one, and so does the privacy officer for litigation, a regulator's order, a
breach investigation or a complaint. Registers that destroy information (retention and
disposal, erasure) ask one question before they act: *does a hold apply to this subject,
category and system at this instant?* (:meth:`LegalHold.applies_to`).

Scope: a hold names a subject, a policy category, a system, or any combination (at least
one). A dimension the hold leaves open matches everything; a dimension the action leaves open
(``None``: "all of them", e.g. erasing everything on a subject) meets every hold that sets
it. So a litigation hold on the category ``billing_history`` stops erasing any subject whose
billing history would go with the rest.

Errors (under :class:`~confide.domain.errors.ConfideError`)::

    ValidationFailed
    └── HoldScopeMissing   a hold that names no subject, category or system
    NotAllowed
    └── OnHold             a destructive action refused; carries the ids of the holds (409)
    Conflict
    └── HoldClosed         closing a hold that is already closed
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from confide.domain.errors import Conflict, FieldProblem, NotAllowed, ValidationFailed


class HoldKind(StrEnum):
    ACCESS_REQUEST = "access_request"
    """An access or portability request, from the verification of identity to its closing."""
    CORRECTION_REQUEST = "correction_request"
    COMPLAINT = "complaint"
    BREACH_INVESTIGATION = "breach_investigation"
    LITIGATION = "litigation"
    REGULATOR_ORDER = "regulator_order"


REQUEST_KINDS: frozenset[HoldKind] = frozenset(
    {HoldKind.ACCESS_REQUEST, HoldKind.CORRECTION_REQUEST}
)
"""Opened and closed by the request lifecycle, never by hand."""

OPENED_BY_HAND: frozenset[HoldKind] = frozenset(HoldKind) - REQUEST_KINDS
"""What the privacy officer opens (and closes) with a reason."""


@dataclass(frozen=True)
class HoldScope:
    """What a hold keeps: a subject's information, a category, a system, or their intersection."""

    subject_id: str | None = None
    category: str | None = None
    system: str | None = None

    def __post_init__(self) -> None:
        if self.subject_id is None and self.category is None and self.system is None:
            raise HoldScopeMissing()

    def covers(self, subject_id: str | None, category: str | None, system: str | None) -> bool:
        """Whether an action on (subject, category, system) touches what this scope keeps;
        ``None`` in the action means all of them."""
        return all(
            held is None or asked is None or held == asked
            for held, asked in (
                (self.subject_id, subject_id),
                (self.category, category),
                (self.system, system),
            )
        )


@dataclass(frozen=True)
class LegalHold:
    """A legal hold: from ``opened_at`` until ``closed_at`` (exclusive), nothing in its scope is
    destroyed. ``cause`` links what opened it (a request id, a complaint or breach reference)."""

    id: str
    kind: HoldKind
    scope: HoldScope
    opened_at: datetime
    opened_by: str
    reason: str
    cause: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.closed_at is None

    def in_force_at(self, at: datetime) -> bool:
        return self.opened_at <= at and (self.closed_at is None or at < self.closed_at)

    def applies_to(
        self, subject_id: str | None, category: str | None, system: str | None, at: datetime
    ) -> bool:
        """The rule every destructive path asks (ACC-8, RET-2): in force at ``at`` and covering
        the subject, category and system the action would touch."""
        return self.in_force_at(at) and self.scope.covers(subject_id, category, system)

    def close(self, at: datetime, by: str, reason: str) -> LegalHold:
        if not self.active:
            raise HoldClosed(self.id)
        if at < self.opened_at:
            raise ValidationFailed.single("closed_at", "is before the hold was opened")
        return replace(self, closed_at=at, closed_by=by, closed_reason=reason)


def holds_applying(
    holds: Iterable[LegalHold],
    subject_id: str | None,
    category: str | None,
    system: str | None,
    at: datetime,
) -> list[LegalHold]:
    """The holds of ``holds`` that stop an action on (subject, category, system) at ``at``."""
    return [h for h in holds if h.applies_to(subject_id, category, system, at)]


# --- errors -------------------------------------------------------------------------------------


class HoldScopeMissing(ValidationFailed):
    def __init__(self) -> None:
        message = "a hold names at least one of a subject, a category or a system"
        super().__init__(f"scope: {message}", [FieldProblem("scope", message)])


class OnHold(NotAllowed):
    """A destructive action refused because legal holds apply (ACC-8, RET-2); names the holds
    by id only (their reasons may name people)."""

    code = "on_hold"
    title = "Kept under a legal hold"

    def __init__(self, hold_ids: Iterable[str]) -> None:
        ids = sorted(hold_ids)
        super().__init__(
            f"kept under legal hold(s) {', '.join(ids)}: close them first",
            rule="ACC-8",
            hold_ids=ids,
        )
        self.hold_ids: tuple[str, ...] = tuple(ids)


class HoldClosed(Conflict):
    def __init__(self, hold_id: str) -> None:
        super().__init__(f"hold {hold_id} is already closed", hold_id=hold_id)
        self.hold_id = hold_id
