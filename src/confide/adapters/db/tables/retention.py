"""Retention and disposal (RET-1..3): subjects' lifecycle events, disposal runs and their exact
lists (in chunks), their steps in connected sources, the anonymized records kept, and the
officer's approval schedule. A disposed record itself stays in ``personal_info`` as a
tombstone without its value (``disposed_at``, ``disposal_run``, ``disposal_method``)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

subject_events = Table(
    "subject_events",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(170), nullable=False),
    Index("ix_subject_events_subject_id_kind", "subject_id", "kind"),
)

disposal_runs = Table(
    "disposal_runs",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("status", String(20), nullable=False, index=True),
    Column("as_of", Date, nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("categories", JSON, nullable=False),
    Column("planned_at", UtcDateTime, nullable=False),
    Column("planned_by", String(170), nullable=False),
    Column("summary", JSON, nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("approved_at", UtcDateTime, nullable=True),
    Column("approved_by", String(170), nullable=True),
    Column("approval", String(20), nullable=True),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("error", Text, nullable=True),
    Column("certificate", JSON, nullable=True),
    Column("certificate_digest", String(64), nullable=True),
    Column("certificate_seq", Integer, nullable=True),
)

disposal_chunks = Table(
    "disposal_chunks",
    metadata,
    # A run's exact list, in chunks of record ids (one per line, sorted) of one category, method
    # and state: the list is written and read as a few large rows, not one row per record.
    Column("run_id", String(ID), ForeignKey("disposal_runs.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("category", String(100), nullable=False),
    Column("method", String(20), nullable=False),
    Column("state", String(10), nullable=False),
    Column("reason", String(60), nullable=True),
    Column("count", Integer, nullable=False),
    Column("ids", Text, nullable=False),
    Column("disposed", Integer, nullable=True),
    Column("done_at", UtcDateTime, nullable=True),
)

disposal_steps = Table(
    "disposal_steps",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("run_id", String(ID), ForeignKey("disposal_runs.id"), nullable=False, index=True),
    Column("source", String(100), nullable=False),
    Column("table_name", String(200), nullable=False),
    Column("category", String(100), nullable=False),
    Column("columns", JSON, nullable=False),
    Column("method", String(20), nullable=False),
    Column("cutoff", UtcDateTime, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("done_at", UtcDateTime, nullable=True),
    Column("closed_by", String(170), nullable=True),
    Column("error", Text, nullable=True),
)

anonymized_records = Table(
    "anonymized_records",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("run_id", String(ID), ForeignKey("disposal_runs.id"), nullable=False, index=True),
    Column("category", String(100), nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("value_text", Text, nullable=True),
)

retention_schedule = Table(
    "retention_schedule",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("set_by", String(170), nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
)
