"""The audit log's store side: entries appended in the caller's transaction.

(The audit-trail issue adds the Merkle tree, signed checkpoints and encrypted payloads.)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, insert, select

from confide.adapters.db.tables import audit_entries
from confide.services.ports import AuditRecord


class SqlAlchemyAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, entry: AuditRecord) -> None:
        self.record_many([entry])

    def record_many(self, entries: Sequence[AuditRecord]) -> None:
        if entries:
            self._conn.execute(
                insert(audit_entries),
                [
                    {
                        "at": e.at,
                        "actor": e.actor,
                        "action": e.action,
                        "object_type": e.object_type,
                        "object_id": e.object_id,
                        "subject_id": e.subject_id,
                        "policy_version": e.policy_version,
                        "details": e.details,
                    }
                    for e in entries
                ],
            )

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(audit_entries)).scalar_one())
