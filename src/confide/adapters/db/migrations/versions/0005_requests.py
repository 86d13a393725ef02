"""Access, correction and portability requests: intake, identity checks, clocks, legal holds (issue 6, ACC-1..11).

Revision ID: 0005_requests
Revises: 0004_disclosures
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0005_requests"
down_revision = "0004_disclosures"
branch_labels = None
depends_on = None

_Time = confide.adapters.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "access_requests",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=True),
        sa.Column("identifier_kind", sa.String(length=20), nullable=False),
        sa.Column("received_at", _Time(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.Column("representative_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("correction_category", sa.String(length=100), nullable=True),
        sa.Column("correction_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("note_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("fee", sa.JSON(), nullable=False),
        sa.Column("verification", sa.JSON(), nullable=True),
        sa.Column("extension", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("reasons_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("released_incomplete", sa.Boolean(), nullable=False),
        sa.Column("responded_at", _Time(), nullable=True),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("escalated_at", _Time(), nullable=True),
        sa.Column("closed_at", _Time(), nullable=True),
        sa.Column("file_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("file_prepared_at", _Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_access_requests_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    op.create_index(
        "ix_access_requests_state_due", "access_requests", ["state", "due_on"], unique=False
    )
    op.create_index(
        op.f("ix_access_requests_subject_id"), "access_requests", ["subject_id"], unique=False
    )
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("request_id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _Time(), nullable=False),
        sa.Column("expires_at", _Time(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", _Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_requests.id"],
            name=op.f("fk_verification_codes_request_id_access_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_codes")),
    )
    op.create_index(
        "ix_verification_codes_address_created",
        "verification_codes",
        ["address_hash", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_verification_codes_request_id"),
        "verification_codes",
        ["request_id"],
        unique=False,
    )
    op.create_index(
        "ix_verification_codes_subject_created",
        "verification_codes",
        ["subject_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("opened_at", _Time(), nullable=False),
        sa.Column("closed_at", _Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_legal_holds_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(op.f("ix_legal_holds_subject_id"), "legal_holds", ["subject_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_legal_holds_subject_id"), table_name="legal_holds")
    op.drop_table("legal_holds")
    op.drop_index("ix_verification_codes_subject_created", table_name="verification_codes")
    op.drop_index(op.f("ix_verification_codes_request_id"), table_name="verification_codes")
    op.drop_index("ix_verification_codes_address_created", table_name="verification_codes")
    op.drop_table("verification_codes")
    op.drop_index(op.f("ix_access_requests_subject_id"), table_name="access_requests")
    op.drop_index("ix_access_requests_state_due", table_name="access_requests")
    op.drop_table("access_requests")
