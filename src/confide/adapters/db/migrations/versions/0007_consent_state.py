"""The consent read model: the engine's current answer per subject, purpose and channel (issue 4).

Revision ID: 0007_consent_state
Revises: 0006_outbox
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0007_consent_state"
down_revision = "0006_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_state",
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("valid_from", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("valid_until", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("answer_until", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("relied_on", sa.String(length=200), nullable=True),
        sa.Column("rule", sa.String(length=20), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("policy_version", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", "purpose", "channel", name=op.f("pk_consent_state")),
    )
    op.create_index(
        "ix_consent_state_audience",
        "consent_state",
        [
            "purpose",
            "channel",
            "allowed",
            "valid_until",
            "subject_id",
            "relied_on",
            "answer_until",
            "valid_from",
            "policy_version",
        ],
        unique=False,
    )
    op.create_table(
        "consent_state_builds",
        sa.Column("policy_version", sa.String(length=128), nullable=False),
        sa.Column("started_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("completed_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("policy_version", name=op.f("pk_consent_state_builds")),
    )


def downgrade() -> None:
    op.drop_table("consent_state_builds")
    op.drop_index("ix_consent_state_audience", table_name="consent_state")
    op.drop_table("consent_state")
