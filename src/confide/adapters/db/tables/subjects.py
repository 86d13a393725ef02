"""Subjects, their identifiers and the personal information held on them (sealed values)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_type", String(50), nullable=False),
    Column("province", String(2), nullable=False),
    Column("language", String(2), nullable=False),
    Column("acts_for", String(ID), ForeignKey("subjects.id"), nullable=True),
    Column("external_ref", String(100), nullable=True, unique=True),
    Column("birth_date", Date, nullable=True),
    Column("display_name", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

subject_identifiers = Table(
    "subject_identifiers",
    metadata,
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("value", String(320), nullable=False),
    UniqueConstraint("kind", "value"),
)

personal_info = Table(
    "personal_info",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False),
    Column("category", String(100), nullable=False),
    Column("value_text", Text, nullable=True),
    Column("value_sealed", LargeBinary, nullable=True),
    Column("source", String(100), nullable=False),
    Column("purposes", JSON, nullable=False),
    Column("system", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("province", String(2), nullable=True),
    Column("collected_at", UtcDateTime, nullable=False),
    Column("policy_version", String(200), nullable=True),
    Column("supersedes", String(ID), nullable=True),
    Column("superseded_at", UtcDateTime, nullable=True),
    Column("correction_reason", Text, nullable=True),
    # A disposed record keeps no value: only that it was disposed of, when, how, by which run.
    Column("disposed_at", UtcDateTime, nullable=True),
    Column("disposal_run", String(ID), nullable=True),
    Column("disposal_method", String(20), nullable=True),
    Index("ix_personal_info_subject_category", "subject_id", "category"),
    Index("ix_personal_info_category_collected_at", "category", "collected_at"),
    # Only tombstones are indexed: what a disposal run disposed of, read for its certificate.
    Index(
        "ix_personal_info_disposal_run",
        "disposal_run",
        sqlite_where=text("disposal_run IS NOT NULL"),
        postgresql_where=text("disposal_run IS NOT NULL"),
    ),
)

# --- the consent ledger ---------------------------------------------------------------------
