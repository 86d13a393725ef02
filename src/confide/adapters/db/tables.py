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

relationship_events = Table(
    "relationship_events",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("reference", String(100), nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_relationship_events_subject_kind", "subject_id", "kind", "occurred_at"),
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
