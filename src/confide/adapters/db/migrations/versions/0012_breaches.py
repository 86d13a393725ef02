"""The breach register (BRE-1..5): incidents, their risk assessments, the people affected, and
the reports, notices and notifications owed or sent.

Revision ID: 0012_breaches
Revises: 0011_retention
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types

revision = "0012_breaches"
down_revision = "0011_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reported_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("reported_by", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.String(length=170), nullable=False),
        sa.Column("aware_on", sa.Date(), nullable=False),
        sa.Column("occurred_from", sa.Date(), nullable=True),
        sa.Column("occurred_to", sa.Date(), nullable=True),
        sa.Column("occurred_approximate", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("affected_estimate", sa.Integer(), nullable=True),
        sa.Column("affected_approximate", sa.Boolean(), nullable=False),
        sa.Column("quebec", sa.Boolean(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("closed_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=170), nullable=True),
        sa.Column("determined_on", sa.Date(), nullable=True),
        sa.Column("keep_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("reference", name=op.f("uq_incidents_reference")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_status"), ["status"], unique=False)

    op.create_table(
        "incident_assessments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("sensitivity", sa.String(length=10), nullable=False),
        sa.Column("probability", sa.String(length=10), nullable=False),
        sa.Column("likelihood", sa.String(length=10), nullable=True),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("proposed_real_risk", sa.Boolean(), nullable=False),
        sa.Column("proposed_serious_injury", sa.Boolean(), nullable=True),
        sa.Column("proposed_reasons", sa.JSON(), nullable=False),
        sa.Column("real_risk", sa.Boolean(), nullable=False),
        sa.Column("serious_injury", sa.Boolean(), nullable=True),
        sa.Column("determined_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=170), nullable=False),
        sa.Column("decided_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_assessments_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_assessments")),
    )
    with op.batch_alter_table("incident_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_assessments_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_notices",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_by", sa.String(length=170), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=170), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_notices_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_notices")),
        sa.UniqueConstraint("incident_id", "kind", "party", name="uq_incident_notices_kind_party"),
    )
    with op.batch_alter_table("incident_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_notices_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_subjects",
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("linked_at", confide.adapters.db.types.UtcDateTime(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("notified_at", confide.adapters.db.types.UtcDateTime(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_subjects_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("incident_id", "subject_id", name=op.f("pk_incident_subjects")),
        # Room for HOT updates when each person's notice is recorded (PostgreSQL only).
        postgresql_with={"fillfactor": 45},
    )
    with op.batch_alter_table("incident_subjects", schema=None) as batch_op:
        batch_op.create_index("ix_incident_subjects_subject_id", ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident_subjects", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_subjects_subject_id")

    op.drop_table("incident_subjects")
    with op.batch_alter_table("incident_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_notices_incident_id"))

    op.drop_table("incident_notices")
    with op.batch_alter_table("incident_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_assessments_incident_id"))

    op.drop_table("incident_assessments")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_status"))

    op.drop_table("incidents")
