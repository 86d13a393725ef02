"""Access, correction and portability requests: intake, identity checks, clocks, legal holds (issue 6, ACC-1..11).

Revision ID: 0005_requests
Revises: 0004_disclosures
Create Date: 2026-11-30
"""

from __future__ import annotations

revision = "0005_requests"
down_revision = "0004_disclosures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
