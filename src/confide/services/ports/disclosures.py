"""Recipients, the disclosure ledger, notices owed after emergency disclosures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from confide.domain.decisions import StoredDecision
from confide.domain.disclosure.recipients import Recipient
from confide.domain.disclosure.records import DisclosureFacts, DisclosureNotice, StoredDisclosure


class DisclosureRepository(Protocol):
    """The recipients register, the disclosure ledger (append-only), notices owed, and the
    subject facts a batch of decisions needs."""

    def add_recipient(self, recipient: Recipient, created_at: datetime) -> None: ...

    def recipient(self, recipient_id: str) -> Recipient | None: ...

    def recipient_by_name(self, name: str) -> Recipient | None: ...

    def recipients(self) -> list[Recipient]: ...

    def subject_facts(
        self, subject_ids: Sequence[str], categories: Sequence[str] | None = None
    ) -> dict[str, DisclosureFacts]:
        """Profiles and categories on file (only those among ``categories`` when given)."""
        ...

    def existing_subjects(self, subject_ids: Sequence[str]) -> set[str]:
        """Which of ``subject_ids`` name a subject."""
        ...

    def add_decisions(self, items: Sequence[StoredDecision]) -> None:
        """Record disclosure decisions in the shared decisions table (bulk fast path)."""
        ...

    def add_disclosures(self, items: Sequence[StoredDisclosure]) -> None: ...

    def for_subject(self, subject_id: str) -> list[StoredDisclosure]:
        """The subject's ledger rows in time order (ties: order of recording)."""
        ...

    def count(self, bulk_id: str | None = None) -> int: ...

    def add_notices(self, items: Sequence[DisclosureNotice]) -> None: ...

    def notices(
        self,
        subject_id: str | None = None,
        *,
        open_only: bool = False,
        due_before: datetime | None = None,
        sent_only: bool = False,
    ) -> list[DisclosureNotice]:
        """Notices by deadline; ``open_only``: not yet sent; ``due_before``: deadline before."""
        ...

    def notice(self, notice_id: str) -> DisclosureNotice | None: ...

    def close_notice(
        self,
        notice_id: str,
        sent_at: datetime,
        sent_via: str,
        sent_by: str,
        sent_reference: str | None,
    ) -> bool:
        """Mark an open notice sent; False if it was already closed (no row changed)."""
        ...
