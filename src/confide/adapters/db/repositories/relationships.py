"""Relationship events (registration, purchases, inquiries...) that drive implied consent."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from confide.adapters.db.tables import relationship_events
from confide.domain.subjects import RelationshipEvent, RelationshipEventKind


class SqlAlchemyRelationshipEventRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, events: Sequence[RelationshipEvent]) -> None:
        if events:
            self._conn.execute(
                insert(relationship_events),
                [
                    {
                        "id": e.id,
                        "subject_id": e.subject_id,
                        "kind": e.kind.value,
                        "occurred_at": e.occurred_at,
                        "reference": e.reference,
                        "recorded_at": e.recorded_at,
                    }
                    for e in events
                ],
            )

    def for_subject(self, subject_id: str) -> list[RelationshipEvent]:
        rows = self._conn.execute(
            select(relationship_events)
            .where(relationship_events.c.subject_id == subject_id)
            .order_by(relationship_events.c.occurred_at, relationship_events.c.id)
        ).mappings()
        return [
            RelationshipEvent(
                id=r["id"],
                subject_id=r["subject_id"],
                kind=RelationshipEventKind(r["kind"]),
                occurred_at=r["occurred_at"],
                recorded_at=r["recorded_at"],
                reference=r["reference"],
            )
            for r in rows
        ]
