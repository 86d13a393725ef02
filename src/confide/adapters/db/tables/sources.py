"""The ``data_sources`` table: registered connected data sources (the data map).

The connection reference (a URL that may carry a password) is
stored only sealed with the Cipher port, bound to the row id as associated data.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, LargeBinary, String, Table

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

data_sources = Table(
    "data_sources",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("connection_sealed", LargeBinary, nullable=False),
    Column("owner_system", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("province", String(2), nullable=True),
    Column("writable", Boolean, nullable=False),
    Column("mappings", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
