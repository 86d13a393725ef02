"""Legal holds as their own register (ACC-8, RET-2): kind, scope (subject, category, system),
who opened and closed them and why (sealed), and what caused them.

The table of 0005 held only requests' holds, opened at intake. It is replaced; its rows are
carried over for the requests whose requester is known — verified, or recorded by staff — so
behaviour is unchanged for existing data, except that an individual's own request that was never
verified holds nothing (its row is dropped; verification will open the hold). A request that is
not closed and holds nothing yet gets its hold. Carried-over rows have no reason (their cause,
the request, says why); rows closed before the upgrade are marked closed by ``migration-0010``.

Revision ID: 0010_legal_holds
Revises: 0009_outbox_messages
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import confide.adapters.db.types
from confide.domain.ids import new_id

revision = "0010_legal_holds"
down_revision = "0009_outbox_messages"
branch_labels = None
depends_on = None

_Time = confide.adapters.db.types.UtcDateTime
MIGRATION = "migration-0010"
INDIVIDUAL = "individual"  # who records an individual's own request (services.requests.INDIVIDUAL)

_old = sa.table(
    "legal_holds",
    sa.column("id", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("reference", sa.String),
    sa.column("opened_at", _Time()),
    sa.column("closed_at", _Time()),
)
_new = sa.table(
    "legal_holds",
    sa.column("id", sa.String),
    sa.column("kind", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("category", sa.String),
    sa.column("system", sa.String),
    sa.column("cause", sa.String),
    sa.column("opened_at", _Time()),
    sa.column("opened_by", sa.String),
    sa.column("closed_at", _Time()),
    sa.column("closed_by", sa.String),
)
_requests = sa.table(
    "access_requests",
    sa.column("id", sa.String),
    sa.column("kind", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("state", sa.String),
    sa.column("recorded_by", sa.String),
    sa.column("verification", sa.JSON),
    sa.column("received_at", _Time()),
)


def _drop_old_shape() -> None:
    op.drop_index("ix_legal_holds_subject_id", table_name="legal_holds")
    op.drop_table("legal_holds")


def _create_new_shape() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("system", sa.String(length=100), nullable=True),
        sa.Column("cause", sa.String(length=100), nullable=True),
        sa.Column("opened_at", _Time(), nullable=False),
        sa.Column("opened_by", sa.String(length=170), nullable=False),
        sa.Column("reason_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("closed_at", _Time(), nullable=True),
        sa.Column("closed_by", sa.String(length=170), nullable=True),
        sa.Column("closed_reason_sealed", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "subject_id IS NOT NULL OR category IS NOT NULL OR system IS NOT NULL",
            name=op.f("ck_legal_holds_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_legal_holds_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index("ix_legal_holds_subject_id", "legal_holds", ["subject_id"], unique=False)
    op.create_index("ix_legal_holds_cause", "legal_holds", ["cause"], unique=False)
    op.create_index("ix_legal_holds_closed_at", "legal_holds", ["closed_at"], unique=False)


def _hold_kind(request_kind: str) -> str:
    return "correction_request" if request_kind == "correction" else "access_request"


def upgrade() -> None:
    bind = op.get_bind()
    old_rows = [dict(r) for r in bind.execute(sa.select(_old)).mappings()]
    requests = {r["id"]: dict(r) for r in bind.execute(sa.select(_requests)).mappings()}
    _drop_old_shape()
    _create_new_shape()

    def known(request: dict[str, Any]) -> bool:
        return request["verification"] is not None or request["recorded_by"] != INDIVIDUAL

    rows: list[dict[str, Any]] = []
    held: set[str] = set()
    for old in old_rows:
        request = requests.get(old["reference"]) if old["kind"] == "request" else None
        if old["kind"] == "request" and (request is None or not known(request)):
            continue  # an unverified individual's request holds nothing
        held.add(old["reference"])
        rows.append(
            {
                "id": old["id"],
                "kind": _hold_kind(request["kind"]) if request else "complaint",
                "subject_id": old["subject_id"],
                "category": None,
                "system": None,
                "cause": old["reference"],
                "opened_at": old["opened_at"],
                "opened_by": request["recorded_by"] if request else MIGRATION,
                "closed_at": old["closed_at"],
                "closed_by": MIGRATION if old["closed_at"] is not None else None,
            }
        )
    now = datetime.now(UTC)
    for request in requests.values():
        if (
            request["id"] in held
            or request["subject_id"] is None
            or request["state"] == "closed"
            or not known(request)
        ):
            continue
        verification = request["verification"] or {}
        at = verification.get("at")
        rows.append(
            {
                "id": new_id("hold", now),
                "kind": _hold_kind(request["kind"]),
                "subject_id": request["subject_id"],
                "category": None,
                "system": None,
                "cause": request["id"],
                "opened_at": datetime.fromisoformat(at) if at else request["received_at"],
                "opened_by": request["recorded_by"],
                "closed_at": None,
                "closed_by": None,
            }
        )
    if rows:
        op.bulk_insert(_new, rows)


def downgrade() -> None:
    """Back to 0005's shape: the holds of requests and of complaints on a subject; holds on a
    category or system, and other kinds, cannot be represented there and are dropped."""
    bind = op.get_bind()
    rows = [
        {
            "id": r["id"],
            "subject_id": r["subject_id"],
            "kind": "complaint" if r["kind"] == "complaint" else "request",
            "reference": r["cause"] or r["id"],
            "opened_at": r["opened_at"],
            "closed_at": r["closed_at"],
        }
        for r in bind.execute(sa.select(_new)).mappings()
        if r["subject_id"] is not None
        and r["kind"] in ("access_request", "correction_request", "complaint")
    ]
    op.drop_index("ix_legal_holds_closed_at", table_name="legal_holds")
    op.drop_index("ix_legal_holds_cause", table_name="legal_holds")
    _drop_old_shape()
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
    op.create_index("ix_legal_holds_subject_id", "legal_holds", ["subject_id"], unique=False)
    if rows:
        op.bulk_insert(_old, rows)
