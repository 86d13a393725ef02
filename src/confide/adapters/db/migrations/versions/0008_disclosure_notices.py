"""Written notices after an emergency disclosure can be closed: when, how and by whom the notice
was sent (issue 5, DIS-2). ``done_at`` (already there) is when it was sent.

Revision ID: 0008_disclosure_notices
Revises: 0007_consent_state
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_disclosure_notices"
down_revision = "0007_consent_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_via", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("sent_by", sa.String(length=170), nullable=True))
        batch_op.add_column(sa.Column("sent_reference", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_notices_open_due", ["done_at", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_open_due")
        batch_op.drop_column("sent_reference")
        batch_op.drop_column("sent_by")
        batch_op.drop_column("sent_via")
