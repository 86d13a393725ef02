"""Corrections sent to recipients through an outbox with retries; statements of disagreement (issue 6, ACC-9).

Revision ID: 0006_outbox
Revises: 0005_requests
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0006_outbox"
down_revision = "0005_requests"
branch_labels = None
depends_on = None

_UTC = confide.adapters.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("correction_id", sa.String(length=40), nullable=True),
        sa.Column("request_id", sa.String(length=40), nullable=True),
        sa.Column("payload_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _UTC(), nullable=True),
        sa.Column("last_error", sa.String(length=80), nullable=True),
        sa.Column("last_attempt_at", _UTC(), nullable=True),
        sa.Column("delivered_at", _UTC(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("claim_until", _UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_outbox_messages_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_state_next", ["state", "next_attempt_at"], unique=False
        )

    op.create_table(
        "outbox_attempts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", _UTC(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=80), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("worker", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_outbox_attempts_message_id_outbox_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempts")),
    )
    with op.batch_alter_table("outbox_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attempts_message_id"), ["message_id"], unique=False
        )

    op.create_table(
        "disagreements",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("statement_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("request_id", sa.String(length=40), nullable=True),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.Column("recorded_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_disagreements_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disagreements")),
    )
    with op.batch_alter_table("disagreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disagreements_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "correction_endpoints",
        sa.Column("recipient_id", sa.String(length=40), nullable=False),
        sa.Column("webhook_url", sa.String(length=2000), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["recipients.id"],
            name=op.f("fk_correction_endpoints_recipient_id_recipients"),
        ),
        sa.PrimaryKeyConstraint("recipient_id", name=op.f("pk_correction_endpoints")),
    )


def downgrade() -> None:
    op.drop_table("correction_endpoints")
    with op.batch_alter_table("disagreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disagreements_subject_id"))
    op.drop_table("disagreements")
    with op.batch_alter_table("outbox_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attempts_message_id"))
    op.drop_table("outbox_attempts")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_state_next")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_subject_id"))
    op.drop_table("outbox_messages")
