"""A subject's lifecycle events: what a retention period counts from (RET-1).

A rule counts from ``collection`` (the record's own date), ``end_of_service``,
``last_activity`` or ``end_of_legal_obligation``. Only the first is known from the record
itself; the others are events in the subject's life recorded through the API, the CLI or
the console (an account closed, an employee leaving, a customer's last activity, the end of
a legal obligation). Events are never edited: a customer who comes back is recorded with
``service_resumed``, which cancels an earlier end of service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from confide.domain.errors import ValidationFailed
from confide.domain.policy import RetentionEvent


class LifecycleKind(StrEnum):
    SERVICE_ENDED = "service_ended"
    """A customer's (or authorized user's) service or account ended."""
    SERVICE_RESUMED = "service_resumed"
    """The relationship started again: cancels every earlier end of service or employment."""
    EMPLOYMENT_ENDED = "employment_ended"
    """An employee left: the end of service for an employee's records."""
    LAST_ACTIVITY = "last_activity"
    """The subject was last active (the latest one counts)."""
    LEGAL_OBLIGATION_ENDED = "legal_obligation_ended"
    """The obligation that required keeping the information ended (e.g. a dispute settled)."""


ENDINGS: frozenset[LifecycleKind] = frozenset(
    {LifecycleKind.SERVICE_ENDED, LifecycleKind.EMPLOYMENT_ENDED}
)


@dataclass(frozen=True)
class LifecycleEvent:
    id: str
    subject_id: str
    kind: LifecycleKind
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str

    def __post_init__(self) -> None:
        if self.occurred_at > self.recorded_at:
            raise ValidationFailed.single("occurred_at", "is in the future")


@dataclass(frozen=True)
class Anchors:
    """The instants a subject's retention periods count from, as far as they are known."""

    end_of_service: datetime | None = None
    last_activity: datetime | None = None
    end_of_legal_obligation: datetime | None = None

    def of(self, event: RetentionEvent, collected_at: datetime) -> datetime | None:
        """When a record collected at ``collected_at`` starts counting under ``event``;
        ``None`` while the event has not happened (the service still runs)."""
        if event is RetentionEvent.COLLECTION:
            return collected_at
        if event is RetentionEvent.END_OF_SERVICE:
            return self.end_of_service
        if event is RetentionEvent.LAST_ACTIVITY:
            return max(collected_at, self.last_activity or collected_at)
        return self.end_of_legal_obligation


def anchors_of(events: Iterable[LifecycleEvent]) -> Anchors:
    """The anchors a subject's events give: the latest ending not cancelled by a later
    ``service_resumed``, the latest activity, the latest end of a legal obligation."""
    latest: dict[LifecycleKind, datetime] = {}
    for e in events:
        if e.kind not in latest or e.occurred_at > latest[e.kind]:
            latest[e.kind] = e.occurred_at
    endings = [latest[k] for k in ENDINGS if k in latest]
    ended = max(endings) if endings else None
    resumed = latest.get(LifecycleKind.SERVICE_RESUMED)
    if ended is not None and resumed is not None and resumed >= ended:
        ended = None
    return Anchors(
        end_of_service=ended,
        last_activity=latest.get(LifecycleKind.LAST_ACTIVITY),
        end_of_legal_obligation=latest.get(LifecycleKind.LEGAL_OBLIGATION_ENDED),
    )
