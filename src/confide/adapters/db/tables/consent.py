"""The consent ledger, recorded decisions, downstream systems' withdrawal acknowledgements
and do-not-call lists."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

consent_events = Table(
    "consent_events",
    metadata,
    # One append-only table for every event of a subject's consent history (CON-1): consents
    # given, withdrawn, expired, renewed; relationship events that imply consent; GPC signals;
    # channel opt-outs and opt-ins; do-not-call requests. Rows are never updated.
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False),
    Column("type", String(30), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(170), nullable=True),
    Column("purpose_id", String(100), nullable=True),
    Column("channel", String(50), nullable=True),
    Column("consent_kind", String(10), nullable=True),
    Column("method", String(30), nullable=True),
    Column("policy_version", String(128), nullable=True),
    Column("language", String(2), nullable=True),
    Column("evidence_ref", String(200), nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("by_guardian", Boolean, nullable=True),
    Column("ref_id", String(ID), nullable=True),
    Column("relationship_kind", String(30), nullable=True),
    Column("phone", String(20), nullable=True),
    Column("added_at", UtcDateTime, nullable=True),
    Index("ix_consent_events_subject_at", "subject_id", "at"),
    Index("ix_consent_events_type_purpose", "type", "purpose_id", "channel"),
    Index("ix_consent_events_type_relationship", "type", "relationship_kind", "at"),
)

decisions = Table(
    "decisions",
    metadata,
    # Every answer of the decision engine, with its inputs and policy version (CON-1, POL-1).
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), nullable=False, index=True),
    Column("action", String(10), nullable=False),
    Column("purpose_id", String(100), nullable=False),
    Column("channel", String(50), nullable=True),
    Column("recipient_id", String(ID), nullable=True),
    Column("categories", JSON, nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("allowed", Boolean, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("rule", String(20), nullable=False),
    Column("relied_on", String(200), nullable=True),
    Column("valid_until", UtcDateTime, nullable=True),
    Column("policy_version", String(128), nullable=False),
    Column("requested_by", String(170), nullable=False),
    Column("language", String(2), nullable=False),
)

downstream_systems = Table(
    "downstream_systems",
    metadata,
    # Systems that must act on a withdrawal (CON-5): each withdrawal waits for their acknowledgement.
    Column("id", String(ID), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("purposes", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("active", Boolean, nullable=False),
)

withdrawal_acks = Table(
    "withdrawal_acks",
    metadata,
    Column("withdrawal_id", String(ID), ForeignKey("consent_events.id"), primary_key=True),
    Column("system_id", String(ID), ForeignKey("downstream_systems.id"), primary_key=True),
    Column("acknowledged_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(170), nullable=False),
)

national_dnc_copies = Table(
    "national_dnc_copies",
    metadata,
    # The copy of the national do-not-call list in use (CEM-4: no more than 31 days old).
    Column("id", String(ID), primary_key=True),
    Column("taken_at", UtcDateTime, nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    Column("numbers", Integer, nullable=False),
)

national_dnc_numbers = Table(
    "national_dnc_numbers",
    metadata,
    Column("copy_id", String(ID), ForeignKey("national_dnc_copies.id"), primary_key=True),
    Column("phone", String(20), primary_key=True),
)
