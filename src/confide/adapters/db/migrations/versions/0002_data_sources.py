"""Connected data sources (the data map).

Revision ID: 0002_sources
Revises: 0001
Create Date: 2026-11-29 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0002_sources"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_sources",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("connection_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("owner_system", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("writable", sa.Boolean(), nullable=False),
        sa.Column("mappings", sa.JSON(), nullable=False),
        sa.Column("created_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_data_sources_name")),
    )


def downgrade() -> None:
    op.drop_table("data_sources")
