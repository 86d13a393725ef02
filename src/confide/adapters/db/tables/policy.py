"""The policy versions loaded (POL-1): the source text and the purposes each version added."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    String,
    Table,
    Text,
)

from confide.adapters.db.tables.base import metadata
from confide.adapters.db.types import UtcDateTime

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
