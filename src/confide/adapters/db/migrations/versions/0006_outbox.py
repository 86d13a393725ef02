"""Corrections sent to recipients through an outbox with retries; statements of disagreement (issue 6, ACC-9).

Revision ID: 0006_outbox
Revises: 0005_requests
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "0006_outbox"
down_revision = "0005_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
