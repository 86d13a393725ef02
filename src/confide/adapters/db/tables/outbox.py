"""The outbox tables (issue 6, ACC-9; issue 11): every message owed, each delivery attempt,
statements of disagreement, and the recipients' correction endpoints.

Payloads and statements hold personal information: they are sealed with the key ring
(AES-GCM, the row id as associated data) before they reach the table.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

import confide.adapters.db.tables.disclosures  # noqa: F401  (recipients, for the foreign key)
from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

outbox_messages = Table(
    "outbox_messages",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("target_type", String(20), nullable=False),
    # A recipient id or a data source id (no foreign key: a source may be removed later and the
    # row must stay as the record of what was owed to it).
    Column("target_id", String(ID), nullable=False),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=True, index=True),
    Column("category", String(100), nullable=True),
    Column("correction_id", String(ID), nullable=True),
    Column("request_id", String(ID), nullable=True),
    Column("payload_sealed", LargeBinary, nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_error", String(80), nullable=True),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # The claim: a worker sets it (compare-and-set) before sending, so two workers never send
    # the same message at once; an expired claim (a worker died) can be taken over.
    Column("claimed_by", String(80), nullable=True),
    Column("claim_until", UtcDateTime, nullable=True),
    # email or letter for a message composed in full; NULL: the recipient's endpoint decides.
    Column("channel", String(10), nullable=True),
    # What the message is for ("deemed.<request>"): unique, so adding it twice adds it once.
    Column("idempotency_key", String(200), nullable=True),
    Index("ix_outbox_messages_state_next", "state", "next_attempt_at"),
    Index("ux_outbox_messages_idempotency_key", "idempotency_key", unique=True),
)

outbox_attempts = Table(
    "outbox_attempts",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("message_id", String(ID), ForeignKey("outbox_messages.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("error", String(80), nullable=True),
    Column("status", Integer, nullable=True),
    Column("worker", String(80), nullable=True),
)

disagreements = Table(
    "disagreements",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("subject_id", String(ID), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("category", String(100), nullable=False),
    Column("statement_sealed", LargeBinary, nullable=False),
    Column("request_id", String(ID), nullable=True),
    Column("recorded_by", String(170), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

correction_endpoints = Table(
    "correction_endpoints",
    metadata,
    # Where a recipient takes corrections: a webhook URL (JSON POST), and the secret every POST
    # is signed with (HMAC-SHA256; sealed: it must be read to sign, so it cannot be hashed).
    # Without a webhook, the recipient's contact address is used when it is an email address.
    Column("recipient_id", String(ID), ForeignKey("recipients.id"), primary_key=True),
    Column("webhook_url", String(2000), nullable=False),
    Column("secret_sealed", LargeBinary, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
