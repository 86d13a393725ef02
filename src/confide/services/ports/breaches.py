"""The breach register's store (BRE-1..5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from confide.domain.breaches.model import AffectedCount, Assessment, Incident, Notice


@dataclass(frozen=True)
class AffectedQuery:
    """Who an incident affected, by what Confide knows: the subjects holding information of
    these categories, in these systems, from these sources, held at some time in this window
    (collected before its end, not disposed of before its start). A criterion left empty
    matches everything; at least one is set."""

    categories: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    held_from: datetime | None = None
    held_to: datetime | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.categories or self.systems or self.sources or self.held_from or self.held_to
        )


@dataclass(frozen=True)
class AffectedPerson:
    subject_id: str
    province: str
    linked_at: datetime
    method: str
    notified_at: datetime | None
    channel: str | None


@dataclass(frozen=True)
class RegisterFilter:
    status: str | None = None
    quebec: bool | None = None
    real_risk: bool | None = None
    late_on: date | None = None
    """Only incidents with a report or notice whose target date passed before this day."""
    aware_from: date | None = None
    aware_to: date | None = None


class BreachRepository(Protocol):
    def next_reference(self, year: int) -> str:
        """``INC-<year>-<n>``: one more than the highest of that year."""
        ...

    def add(self, incident: Incident) -> None: ...

    def save(self, incident: Incident) -> None: ...

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None:
        """By id or by reference."""
        ...

    def listing(self, flt: RegisterFilter, *, offset: int = 0, limit: int = 100) -> list[Incident]:
        """Newest first."""
        ...

    def add_assessment(self, assessment: Assessment) -> None: ...

    def assessments(self, incident_id: str) -> list[Assessment]:
        """Oldest first (the last one stands)."""
        ...

    def latest_assessments(self, incident_ids: Sequence[str]) -> dict[str, Assessment]: ...

    def link_query(self, incident_id: str, query: AffectedQuery, at: datetime, method: str) -> int:
        """Link every subject the query finds and not yet linked; how many were added."""
        ...

    def link_subjects(
        self, incident_id: str, subject_ids: Sequence[str], at: datetime, method: str
    ) -> int: ...

    def counts(self, incident_id: str) -> list[AffectedCount]:
        """People linked, per province, and how many were sent a notice."""
        ...

    def affected(
        self, incident_id: str, *, offset: int = 0, limit: int = 100
    ) -> list[AffectedPerson]: ...

    def pending_notices(
        self, incident_id: str, after: str, limit: int
    ) -> list[tuple[str, str, str, str | None]]:
        """People linked and not yet sent a notice, after ``after`` in id order: (subject id,
        language, province, email on file or None)."""
        ...

    def mark_notified(
        self, incident_id: str, channel: str, subject_ids: Sequence[str], at: datetime
    ) -> None:
        """Mark these linked people as notified at ``at`` through ``channel`` (``email`` or
        ``letter``)."""
        ...

    def add_notice(self, notice: Notice) -> None: ...

    def save_notice(self, notice: Notice) -> None: ...

    def notices(self, incident_id: str) -> list[Notice]: ...

    def notices_of(self, incident_ids: Sequence[str]) -> dict[str, list[Notice]]: ...

    def keeping(self, subject_ids: Sequence[str], today: date) -> dict[str, str]:
        """Of ``subject_ids``, those linked to an incident whose records are still kept
        (BRE-5), each with one such incident's id."""
        ...

    def delete(self, incident_id: str) -> None:
        """Remove the incident and everything recorded under it."""
        ...
