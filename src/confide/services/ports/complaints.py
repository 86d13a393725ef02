"""The complaints register's store (CMP-1, CMP-2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from confide.domain.complaints import Complaint, ComplaintAction, ComplaintNote


@dataclass(frozen=True)
class ComplaintFilter:
    status: str | None = None
    level: str | None = None
    topic: str | None = None
    outcome: str | None = None
    overdue_on: date | None = None
    """Only complaints still open whose target date passed before this day."""


class ComplaintRepository(Protocol):
    def next_reference(self, year: int) -> str:
        """``CMP-<year>-<n>``: one more than the highest of that year."""
        ...

    def add(self, complaint: Complaint) -> None: ...

    def save(self, complaint: Complaint) -> None: ...

    def get(self, complaint_id: str, *, for_update: bool = False) -> Complaint | None:
        """By id or by reference."""
        ...

    def listing(
        self, flt: ComplaintFilter, *, offset: int = 0, limit: int = 100
    ) -> list[Complaint]:
        """Newest first."""
        ...

    def add_note(self, note: ComplaintNote) -> None: ...

    def notes(self, complaint_id: str) -> list[ComplaintNote]: ...

    def add_action(self, action: ComplaintAction) -> None: ...

    def save_action(self, action: ComplaintAction) -> None: ...

    def actions(self, complaint_id: str) -> list[ComplaintAction]: ...

    def open_actions(self) -> list[ComplaintAction]:
        """Actions not yet done, due first."""
        ...

    def monthly(self, year: int) -> list[tuple[int, str, str | None, int]]:
        """(month, topic, outcome, count) of the complaints received in ``year``."""
        ...
