"""The schema: SQLAlchemy Core tables (one metadata for SQLite and PostgreSQL).

Repositories map rows to domain objects; nothing outside ``adapters.db`` sees a row.
Changing a table means adding an Alembic revision in ``migrations/versions``
(a test checks that the migrations produce exactly this metadata).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from confide.adapters.db.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 40  # "<prefix>_<26>" ids with room to spare

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("policy_id", String(100), nullable=False),
    Column("version", String(50), nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("effective_date", Date, nullable=False),
    Column("loaded_at", UtcDateTime, nullable=False),
    Column("source", Text, nullable=False),
    # The purpose ids of this version: what a later version added is not covered by earlier consents (CON-4).
    Column("purposes", JSON, nullable=True),
)

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
    Index("ix_personal_info_subject_category", "subject_id", "category"),
)

# --- the consent ledger ---------------------------------------------------------------------

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

staff_users = Table(
    "staff_users",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("roles", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("user_id", String(ID), ForeignKey("staff_users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

# --- the audit log (see confide.adapters.db.repositories.audit for its invariants) -----------

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("actor", String(170), nullable=False),
    Column("action", String(100), nullable=False),
    Column("object_type", String(64), nullable=False),
    Column("object_id", String(128), nullable=False),
    Column("policy_version", String(128), nullable=True),
    # Not part of the leaf: lets erasure find the entries whose payload key to destroy.
    Column("subject_id", String(ID), nullable=True, index=True),
    Column("key_id", String(128), nullable=True),
    Column("payload_digest", LargeBinary(32), nullable=True),
    Column("payload", LargeBinary, nullable=True),
)

audit_nodes = Table(
    "audit_nodes",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("note", Text, nullable=False),
)

payload_keys = Table(
    "payload_keys",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), nullable=True, unique=True),
    Column("wrapped", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("destroyed_at", UtcDateTime, nullable=True),
)
