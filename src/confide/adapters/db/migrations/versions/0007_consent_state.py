"""The consent read model: the engine's current answer per subject, purpose and channel (issue 4).

Revision ID: 0007_consent_state
Revises: 0006_outbox
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "0007_consent_state"
down_revision = "0006_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
