"""The legal holds table (ACC-8, RET-2): one row per hold, whatever opened it.

The scope is
a subject, a policy category, a system or their intersection; the database refuses a row that
names none. Reasons are free text an officer types (a docket, a regulator's file) and may name
people: they are sealed with the key ring, the row id and field as associated data. Holds that
migration 0010 carried over from requests have no reason (their cause says why).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, LargeBinary, String, Table

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

legal_holds = Table(
    "legal_holds",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=True, index=True),
    Column("category", String(100), nullable=True),
    Column("system", String(100), nullable=True),
    Column("cause", String(100), nullable=True, index=True),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("opened_by", String(170), nullable=False),
    Column("reason_sealed", LargeBinary, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(170), nullable=True),
    Column("closed_reason_sealed", LargeBinary, nullable=True),
    CheckConstraint(
        "subject_id IS NOT NULL OR category IS NOT NULL OR system IS NOT NULL", name="scope"
    ),
    Index("ix_legal_holds_closed_at", "closed_at"),
)
