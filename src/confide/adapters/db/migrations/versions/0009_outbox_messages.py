"""One outbox for every outgoing message (issue 11): messages to individuals, the privacy officer
and regulators join the corrections. A message may be about no subject and no category; it has a
channel (email, letter) when composed in full, and an idempotency key that is unique.

Existing rows are kept (their new columns are NULL: a correction's channel is its recipient's).

Revision ID: 0009_outbox_messages
Revises: 0008_disclosure_notices
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_outbox_messages"
down_revision = "0008_disclosure_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.alter_column("subject_id", existing_type=sa.String(length=40), nullable=True)
        batch_op.alter_column("category", existing_type=sa.String(length=100), nullable=True)
        batch_op.create_index(
            "ux_outbox_messages_idempotency_key", ["idempotency_key"], unique=True
        )


def downgrade() -> None:
    # Messages about no subject or category cannot be kept by the older schema.
    op.execute(
        "DELETE FROM outbox_attempts WHERE message_id IN (SELECT id FROM outbox_messages "
        "WHERE subject_id IS NULL OR category IS NULL)"
    )
    op.execute("DELETE FROM outbox_messages WHERE subject_id IS NULL OR category IS NULL")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ux_outbox_messages_idempotency_key")
        batch_op.alter_column("category", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("subject_id", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_column("idempotency_key")
        batch_op.drop_column("channel")
