"""The audit log: entries, the Merkle tree's nodes, its head, signed checkpoints and the
per-subject payload keys (erasure destroys a key)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

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
