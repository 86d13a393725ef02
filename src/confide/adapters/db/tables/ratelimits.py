"""Rate-limit counters shared by every serving process (issue 18): one row per limit, caller
and fixed window. The caller is an HMAC of its address, never the address itself."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table

from confide.adapters.db.tables.base import metadata

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("caller", String(64), primary_key=True),
    Column("window_start", BigInteger, primary_key=True, index=True),
    Column("hits", Integer, nullable=False),
)
