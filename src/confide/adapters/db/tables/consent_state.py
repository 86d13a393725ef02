"""The consent read model (issue 4): the engine's answer per subject, purpose and channel.

Rows are derived data: the ledger (``consent_events``) stays the record. A row holds the
answer of the pure engine (``domain.consent.readmodel``) computed at ``valid_from`` under
``policy_version``, which holds until ``valid_until`` (NULL: until the subject's ledger
changes). Only answers an audience can use are stored: allowed ones, and refused ones that
may lift by themselves (``valid_until`` set); no row means refused until the next ledger
write for the subject. ``consent_state_builds`` records, per policy version, when a full
rebuild started and completed: readers use the rows only under a completed build.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, String, Table

from confide.adapters.db.tables.base import ID, metadata
from confide.adapters.db.types import UtcDateTime

consent_state = Table(
    "consent_state",
    metadata,
    Column("subject_id", String(ID), primary_key=True),
    Column("purpose", String(100), primary_key=True),
    Column("channel", String(50), primary_key=True),  # '' when the purpose has no channel
    Column("allowed", Boolean, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=True),
    Column("answer_until", UtcDateTime, nullable=True),  # the engine's "until when" (shown)
    Column("relied_on", String(200), nullable=True),
    Column("rule", String(20), nullable=True),
    Column("reasons", JSON, nullable=False),
    Column("policy_version", String(128), nullable=False),
    # The audience scan reads only this index (covering: no table look-up per member).
    Index(
        "ix_consent_state_audience",
        "purpose",
        "channel",
        "allowed",
        "valid_until",
        "subject_id",
        "relied_on",
        "answer_until",
        "valid_from",
        "policy_version",
    ),
)

consent_state_builds = Table(
    "consent_state_builds",
    metadata,
    Column("policy_version", String(128), primary_key=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
)
