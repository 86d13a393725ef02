"""Disclosures as recorded: ledger rows, the notices they owe, and the facts a decision reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from confide.domain.disclosure.ledger import DisclosureRecord


@dataclass(frozen=True)
class StoredDisclosure:
    """A row of the disclosure ledger: the domain record (DIS-1), its own id, who recorded it
    and, for a bulk disclosure, the bulk's id."""

    id: str
    record: DisclosureRecord
    recorded_by: str
    bulk_id: str | None = None


@dataclass(frozen=True)
class DisclosureNotice:
    """A written notice owed to the individual after a disclosure (an emergency, DIS-2)."""

    id: str
    subject_id: str
    disclosure_id: str
    due_at: datetime
    done_at: datetime | None = None
    """When it was sent (None: still owed)."""
    sent_via: str | None = None
    sent_by: str | None = None
    sent_reference: str | None = None
    disclosed_at: datetime | None = None
    """When the disclosure it is about happened (filled when read from the store)."""


@dataclass(frozen=True)
class DisclosureFacts:
    """What a disclosure decision needs about a subject, read in one go for many subjects:
    its profile and the categories of personal information on file (not superseded)."""

    subject_id: str
    subject_type: str
    province: str
    language: str
    birth_date: date | None
    categories_on_file: frozenset[str]
