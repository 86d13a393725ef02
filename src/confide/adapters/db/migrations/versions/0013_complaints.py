"""Complaints (CMP-1, CMP-2): the register, the handlers' notes, and the actions justified
complaints led to.

Revision ID: 0013_complaints
Revises: 0012_breaches
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0013_complaints"
down_revision = "0012_breaches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("received_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("about_id", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.String(length=40), nullable=True),
        sa.Column("quebec", sa.Boolean(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("assigned_to", sa.String(length=170), nullable=True),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.Column("escalated_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("escalated_by", sa.String(length=170), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("answered_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=170), nullable=True),
        sa.Column("closed_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=170), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaints_reference")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_topic"), ["topic"], unique=False)

    op.create_table(
        "complaint_actions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("complaint_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("correction_id", sa.String(length=40), nullable=True),
        sa.Column("policy_version", sa.String(length=200), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_actions_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_actions")),
    )
    with op.batch_alter_table("complaint_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_actions_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_notes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("complaint_id", sa.String(length=40), nullable=False),
        sa.Column("at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("by", sa.String(length=170), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_notes_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_notes")),
    )
    with op.batch_alter_table("complaint_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaint_notes_complaint_id_at", ["complaint_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_notes_complaint_id_at")

    op.drop_table("complaint_notes")
    with op.batch_alter_table("complaint_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_actions_complaint_id"))

    op.drop_table("complaint_actions")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_topic"))
        batch_op.drop_index(batch_op.f("ix_complaints_subject_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_status"))

    op.drop_table("complaints")
