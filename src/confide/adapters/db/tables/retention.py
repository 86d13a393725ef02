"""Retention and disposal (RET-1..3): subjects' lifecycle events, disposal runs, their items
(which double as the record that a value was disposed of, and when), their steps in connected
sources, the anonymized records kept, and the officer's approval schedule."""

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

disposal_items = Table(
    "disposal_items",
    metadata,
    Column("run_id", String(ID), ForeignKey("disposal_runs.id"), primary_key=True),
    Column("record_id", String(ID), primary_key=True),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("category", String(100), nullable=False),
    Column("system", String(100), nullable=False),
    Column("method", String(20), nullable=False),
    Column("state", String(10), nullable=False),
    Column("reason", String(60), nullable=True),
    Column("done_at", UtcDateTime, nullable=True),
    Index("ix_disposal_items_run_id_state_record_id", "run_id", "state", "record_id"),
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
