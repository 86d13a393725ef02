"""Complaints (CMP-1, CMP-2): rows of ``complaints``, ``complaint_notes`` and
``complaint_actions`` as domain records; what may name people sealed per row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, or_, select, update

from confide.adapters.db.repositories.registers import next_reference, open_fields, seal_fields
from confide.adapters.db.tables import complaint_actions, complaint_notes, complaints
from confide.domain.complaints import (
    ActionKind,
    Complaint,
    ComplaintAction,
    ComplaintChannel,
    ComplaintLevel,
    ComplaintNote,
    ComplaintStatus,
    ComplaintTopic,
    Outcome,
)
from confide.services.ports.common import Cipher
from confide.services.ports.complaints import ComplaintFilter

_c, _n, _a = complaints.c, complaint_notes.c, complaint_actions.c
_SEALED = ("contact", "summary", "answer_reasons", "account_ref")


class SqlAlchemyComplaintRepository:
    """Implements ``ComplaintRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    def _seal(self, table: str, row_id: str, values: dict[str, str]) -> bytes:
        return seal_fields(self._cipher, table, row_id, values)

    def _open(self, table: str, row_id: str, blob: Any) -> dict[str, str]:
        return open_fields(self._cipher, table, row_id, blob)

    # --- the register ---------------------------------------------------------------------------
    def next_reference(self, year: int) -> str:
        return next_reference(self._conn, _c.reference, "CMP", year)

    def _row(self, c: Complaint) -> dict[str, Any]:
        return {
            "id": c.id,
            "reference": c.reference,
            "received_at": c.received_at,
            "channel": c.channel.value,
            "language": c.language,
            "topic": c.topic.value,
            "about_id": c.about_id,
            "subject_id": c.subject_id,
            "quebec": c.quebec,
            "level": c.level.value,
            "status": c.status.value,
            "assigned_to": c.assigned_to,
            "target_on": c.target_on,
            "recorded_by": c.recorded_by,
            "escalated_at": c.escalated_at,
            "escalated_by": c.escalated_by,
            "outcome": c.outcome.value if c.outcome else None,
            "answered_at": c.answered_at,
            "answered_by": c.answered_by,
            "closed_at": c.closed_at,
            "closed_by": c.closed_by,
            "sealed": self._seal("complaints", c.id, {k: getattr(c, k) for k in _SEALED}),
        }

    def _complaint(self, r: RowMapping) -> Complaint:
        sealed = self._open("complaints", r["id"], r["sealed"])
        return Complaint(
            id=r["id"],
            reference=r["reference"],
            received_at=r["received_at"],
            channel=ComplaintChannel(r["channel"]),
            language=r["language"],
            topic=ComplaintTopic(r["topic"]),
            target_on=r["target_on"],
            recorded_by=r["recorded_by"],
            subject_id=r["subject_id"],
            about_id=r["about_id"],
            quebec=bool(r["quebec"]),
            level=ComplaintLevel(r["level"]),
            status=ComplaintStatus(r["status"]),
            assigned_to=r["assigned_to"],
            escalated_at=r["escalated_at"],
            escalated_by=r["escalated_by"],
            outcome=Outcome(r["outcome"]) if r["outcome"] else None,
            answered_at=r["answered_at"],
            answered_by=r["answered_by"],
            closed_at=r["closed_at"],
            closed_by=r["closed_by"],
            **{k: sealed.get(k, "") for k in _SEALED},
        )

    def add(self, complaint: Complaint) -> None:
        self._conn.execute(insert(complaints), self._row(complaint))

    def save(self, complaint: Complaint) -> None:
        values = self._row(complaint)
        del values["id"]
        self._conn.execute(update(complaints).where(_c.id == complaint.id).values(**values))

    def get(self, complaint_id: str, *, for_update: bool = False) -> Complaint | None:
        q = select(complaints).where(
            or_(_c.id == complaint_id, _c.reference == complaint_id.upper())
        )
        if for_update:
            q = q.with_for_update()
        row = self._conn.execute(q).mappings().first()
        return self._complaint(row) if row else None

    def listing(
        self, flt: ComplaintFilter, *, offset: int = 0, limit: int = 100
    ) -> list[Complaint]:
        q = select(complaints)
        for column, value in (
            (_c.status, flt.status),
            (_c.level, flt.level),
            (_c.topic, flt.topic),
            (_c.outcome, flt.outcome),
        ):
            if value:
                q = q.where(column == value)
        if flt.overdue_on:
            q = q.where(_c.status == ComplaintStatus.OPEN.value, _c.target_on < flt.overdue_on)
        q = q.order_by(_c.received_at.desc(), _c.id.desc()).offset(offset).limit(limit)
        return [self._complaint(r) for r in self._conn.execute(q).mappings()]

    def monthly(self, year: int) -> list[tuple[int, str, str | None, int]]:
        rows = self._conn.execute(
            select(_c.received_at, _c.topic, _c.outcome).where(
                _c.received_at >= datetime(year, 1, 1, tzinfo=UTC),
                _c.received_at < datetime(year + 1, 1, 1, tzinfo=UTC),
            )
        ).all()
        counts: dict[tuple[int, str, str | None], int] = {}
        for received_at, topic, outcome in rows:
            key = (received_at.month, topic, outcome)
            counts[key] = counts.get(key, 0) + 1
        return sorted(
            ((m, t, o, n) for (m, t, o), n in counts.items()),
            key=lambda x: (x[0], x[1], x[2] or ""),
        )

    # --- notes ------------------------------------------------------------------------------------
    def add_note(self, note: ComplaintNote) -> None:
        self._conn.execute(
            insert(complaint_notes),
            {
                "id": note.id,
                "complaint_id": note.complaint_id,
                "at": note.at,
                "by": note.by,
                "sealed": self._seal("complaint_notes", note.id, {"text": note.text}),
            },
        )

    def notes(self, complaint_id: str) -> list[ComplaintNote]:
        rows = self._conn.execute(
            select(complaint_notes).where(_n.complaint_id == complaint_id).order_by(_n.at, _n.id)
        ).mappings()
        return [
            ComplaintNote(
                r["id"],
                r["complaint_id"],
                r["at"],
                r["by"],
                self._open("complaint_notes", r["id"], r["sealed"]).get("text", ""),
            )
            for r in rows
        ]

    # --- actions ----------------------------------------------------------------------------------
    def _action_row(self, a: ComplaintAction) -> dict[str, Any]:
        return {
            "id": a.id,
            "complaint_id": a.complaint_id,
            "kind": a.kind.value,
            "correction_id": a.correction_id,
            "policy_version": a.policy_version,
            "owner": a.owner,
            "due_on": a.due_on,
            "done_on": a.done_on,
            "recorded_at": a.recorded_at,
            "recorded_by": a.recorded_by,
            "sealed": self._seal("complaint_actions", a.id, {"description": a.description}),
        }

    def _action(self, r: RowMapping) -> ComplaintAction:
        return ComplaintAction(
            id=r["id"],
            complaint_id=r["complaint_id"],
            kind=ActionKind(r["kind"]),
            recorded_at=r["recorded_at"],
            recorded_by=r["recorded_by"],
            correction_id=r["correction_id"],
            description=self._open("complaint_actions", r["id"], r["sealed"]).get(
                "description", ""
            ),
            owner=r["owner"],
            due_on=r["due_on"],
            policy_version=r["policy_version"],
            done_on=r["done_on"],
        )

    def add_action(self, action: ComplaintAction) -> None:
        self._conn.execute(insert(complaint_actions), self._action_row(action))

    def save_action(self, action: ComplaintAction) -> None:
        values = self._action_row(action)
        del values["id"]
        self._conn.execute(update(complaint_actions).where(_a.id == action.id).values(**values))

    def actions(self, complaint_id: str) -> list[ComplaintAction]:
        rows = self._conn.execute(
            select(complaint_actions)
            .where(_a.complaint_id == complaint_id)
            .order_by(_a.recorded_at, _a.id)
        ).mappings()
        return [self._action(r) for r in rows]

    def open_actions(self) -> list[ComplaintAction]:
        rows = self._conn.execute(
            select(complaint_actions)
            .where(_a.done_on.is_(None))
            .order_by(_a.due_on.is_(None), _a.due_on, _a.recorded_at)
        ).mappings()
        return [self._action(r) for r in rows]
