"""Complaints (CMP-1, CMP-2): the register, the handlers' notes, and the actions justified
complaints led to. The complainant's contact, the summary, the answer's reasons, the notes and
an action's description may name people: sealed per row (the table, row id and ``sealed`` as
associated data)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, LargeBinary, String, Table

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

complaints = Table(
    "complaints",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("reference", String(20), nullable=False, unique=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("language", String(2), nullable=False),
    Column("topic", String(20), nullable=False, index=True),
    Column("about_id", String(ID), nullable=True),
    Column("subject_id", String(ID), nullable=True, index=True),
    Column("quebec", Boolean, nullable=False),
    Column("level", String(10), nullable=False),
    Column("status", String(10), nullable=False, index=True),
    Column("assigned_to", String(170), nullable=True),
    Column("target_on", Date, nullable=False),
    Column("recorded_by", String(170), nullable=False),
    Column("escalated_at", UtcDateTime, nullable=True),
    Column("escalated_by", String(170), nullable=True),
    Column("outcome", String(20), nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("answered_by", String(170), nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(170), nullable=True),
    Column("sealed", LargeBinary, nullable=False),
)

complaint_notes = Table(
    "complaint_notes",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("complaint_id", String(ID), ForeignKey("complaints.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("by", String(170), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Index("ix_complaint_notes_complaint_id_at", "complaint_id", "at"),
)

complaint_actions = Table(
    "complaint_actions",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("complaint_id", String(ID), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("correction_id", String(ID), nullable=True),
    Column("policy_version", String(200), nullable=True),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("done_on", Date, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(170), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)
