"""The requests tables (issue 6, ACC-1..11): access/correction/portability requests, one-time
verification codes (hashed). Legal holds have their own table (``holds.py``).

What holds personal information (the representative, the requested correction, an agent's record of a call,
the prepared file, the identifier of a request not matched yet) is sealed with the key ring, the
row id as associated data. Codes are stored only as an HMAC-SHA256 under a per-code key, itself
sealed.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

access_requests = Table(
    "access_requests",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("channel", String(20), nullable=False),
    # Null when no subject matched the identifier given (the request is "unmatched").
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=True, index=True),
    Column("identifier_kind", String(20), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("province", String(2), nullable=True),
    Column("language", String(2), nullable=False),
    Column("state", String(20), nullable=False),
    Column("recorded_by", String(170), nullable=False),
    Column("representative_sealed", LargeBinary, nullable=True),
    Column("correction_category", String(100), nullable=True),
    Column("correction_sealed", LargeBinary, nullable=True),
    Column("note_sealed", LargeBinary, nullable=True),
    Column("fee", JSON, nullable=False),
    Column("verification", JSON, nullable=True),
    Column("extension", JSON, nullable=True),
    Column("outcome", String(30), nullable=True),
    Column("reasons_sealed", LargeBinary, nullable=True),
    Column("released_incomplete", Boolean, nullable=False),
    Column("responded_at", UtcDateTime, nullable=True),
    Column("reminders", JSON, nullable=False),
    Column("escalated_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("file_sealed", LargeBinary, nullable=True),
    Column("file_prepared_at", UtcDateTime, nullable=True),
    # An individual's own request until the intake job matched it: the identifier typed and the
    # language asked for, sealed; disposed of once matched, or when the request expires.
    Column("intake_sealed", LargeBinary, nullable=True),
    Index("ix_access_requests_state_due", "state", "due_on"),
)

verification_codes = Table(
    "verification_codes",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("request_id", String(ID), ForeignKey("access_requests.id"), nullable=False, index=True),
    Column("subject_id", String(ID), nullable=False),
    Column("address_hash", String(64), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("key_sealed", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Index("ix_verification_codes_subject_created", "subject_id", "created_at"),
    Index("ix_verification_codes_address_created", "address_hash", "created_at"),
)
