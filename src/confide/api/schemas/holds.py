"""Bodies of the legal holds routes (ACC-8)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from confide.domain.holds import LegalHold


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OpenHoldIn(_In):
    """A hold the privacy officer opens: its kind, why, and what it keeps (at least one of
    subject, category, system)."""

    kind: str = Field(max_length=30, examples=["litigation"])
    reason: str = Field(max_length=2000, examples=["Court file 500-17-123456-241"])
    subject_id: str | None = Field(default=None, max_length=40)
    category: str | None = Field(default=None, max_length=100)
    system: str | None = Field(default=None, max_length=100)
    cause: str | None = Field(default=None, max_length=100)


class CloseHoldIn(_In):
    reason: str = Field(max_length=2000, examples=["Settled; the court file is closed"])


class LegalHoldOut(BaseModel):
    id: str
    kind: str
    subject_id: str | None
    category: str | None
    system: str | None
    cause: str | None
    opened_at: datetime
    opened_by: str
    reason: str
    closed_at: datetime | None
    closed_by: str | None
    closed_reason: str | None
    active: bool

    @classmethod
    def of(cls, h: LegalHold) -> LegalHoldOut:
        return cls(
            id=h.id,
            kind=h.kind.value,
            subject_id=h.scope.subject_id,
            category=h.scope.category,
            system=h.scope.system,
            cause=h.cause,
            opened_at=h.opened_at,
            opened_by=h.opened_by,
            reason=h.reason,
            closed_at=h.closed_at,
            closed_by=h.closed_by,
            closed_reason=h.closed_reason,
            active=h.active,
        )
