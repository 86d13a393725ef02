"""Retention and disposal (RET-1..3): subjects' lifecycle events, disposal runs with their lists
(in chunks) and source steps, anonymized records, the officer's approval schedule; on personal
information, the tombstone columns of a disposed record and an index by category and
collection time, which plans read.

Revision ID: 0011_retention
Revises: 0010_legal_holds
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0011_retention"
down_revision = "0010_legal_holds"
branch_labels = None
depends_on = None

_Time = confide.adapters.db.types.UtcDateTime


def upgrade() -> None:
    with op.batch_alter_table("personal_info") as batch:
        batch.add_column(sa.Column("disposed_at", _Time(), nullable=True))
        batch.add_column(sa.Column("disposal_run", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("disposal_method", sa.String(length=20), nullable=True))
    op.create_index(
        "ix_personal_info_disposal_run",
        "personal_info",
        ["disposal_run"],
        unique=False,
        sqlite_where=sa.text("disposal_run IS NOT NULL"),
        postgresql_where=sa.text("disposal_run IS NOT NULL"),
    )
    op.create_index(
        "ix_personal_info_category_collected_at",
        "personal_info",
        ["category", "collected_at"],
        unique=False,
    )
    op.create_table(
        "subject_events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", _Time(), nullable=False),
        sa.Column("recorded_at", _Time(), nullable=False),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name="fk_subject_events_subject_id_subjects"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subject_events"),
    )
    op.create_index(
        "ix_subject_events_subject_id_kind", "subject_events", ["subject_id", "kind"], unique=False
    )
    op.create_table(
        "disposal_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("planned_at", _Time(), nullable=False),
        sa.Column("planned_by", sa.String(length=170), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("approved_at", _Time(), nullable=True),
        sa.Column("approved_by", sa.String(length=170), nullable=True),
        sa.Column("approval", sa.String(length=20), nullable=True),
        sa.Column("started_at", _Time(), nullable=True),
        sa.Column("finished_at", _Time(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("certificate", sa.JSON(), nullable=True),
        sa.Column("certificate_digest", sa.String(length=64), nullable=True),
        sa.Column("certificate_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_disposal_runs"),
    )
    op.create_index("ix_disposal_runs_status", "disposal_runs", ["status"], unique=False)
    op.create_table(
        "disposal_chunks",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("ids", sa.Text(), nullable=False),
        sa.Column("disposed", sa.Integer(), nullable=True),
        sa.Column("done_at", _Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["disposal_runs.id"], name="fk_disposal_chunks_run_id_disposal_runs"
        ),
        sa.PrimaryKeyConstraint("run_id", "seq", name="pk_disposal_chunks"),
    )
    op.create_table(
        "disposal_steps",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("table_name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("cutoff", _Time(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("done_at", _Time(), nullable=True),
        sa.Column("closed_by", sa.String(length=170), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["disposal_runs.id"], name="fk_disposal_steps_run_id_disposal_runs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_disposal_steps"),
    )
    op.create_index("ix_disposal_steps_run_id", "disposal_steps", ["run_id"], unique=False)
    op.create_table(
        "anonymized_records",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["disposal_runs.id"], name="fk_anonymized_records_run_id_disposal_runs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_anonymized_records"),
    )
    op.create_index("ix_anonymized_records_run_id", "anonymized_records", ["run_id"], unique=False)
    op.create_table(
        "retention_schedule",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("set_by", sa.String(length=170), nullable=False),
        sa.Column("set_at", _Time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_schedule"),
    )


def downgrade() -> None:
    op.drop_table("retention_schedule")
    op.drop_index("ix_anonymized_records_run_id", table_name="anonymized_records")
    op.drop_table("anonymized_records")
    op.drop_index("ix_disposal_steps_run_id", table_name="disposal_steps")
    op.drop_table("disposal_steps")
    op.drop_table("disposal_chunks")
    op.drop_index("ix_disposal_runs_status", table_name="disposal_runs")
    op.drop_table("disposal_runs")
    op.drop_index("ix_subject_events_subject_id_kind", table_name="subject_events")
    op.drop_table("subject_events")
    op.drop_index("ix_personal_info_category_collected_at", table_name="personal_info")
    op.drop_index("ix_personal_info_disposal_run", table_name="personal_info")
    with op.batch_alter_table("personal_info") as batch:
        batch.drop_column("disposal_method")
        batch.drop_column("disposal_run")
        batch.drop_column("disposed_at")
