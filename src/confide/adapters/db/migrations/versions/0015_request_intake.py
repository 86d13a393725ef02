"""Requests: an individual's own request is matched off the request path. Until the intake job
has matched it, its identifier and the language it asked for are kept sealed on the request
(``intake_sealed``), then disposed of.

Revision ID: 0015_request_intake
Revises: 0014_rate_limits
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_request_intake"
down_revision = "0014_rate_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intake_sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.drop_column("intake_sealed")
