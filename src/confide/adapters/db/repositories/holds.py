"""Legal holds (ACC-8, RET-2): rows of ``legal_holds`` as :class:`LegalHold`; reasons sealed.

Closing is a compare-and-set on ``closed_at IS NULL``: two officers closing the same hold at
once cannot both record their reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, insert, or_, select, update

from confide.adapters.db.tables import legal_holds
from confide.domain.holds import HoldKind, HoldScope, LegalHold
from confide.services.ports.common import Cipher

_t = legal_holds.c


def _dimension(column: Any, asked: str | None) -> ColumnElement[bool] | None:
    """A hold that leaves the dimension open matches; so does any hold when the action covers
    the whole dimension (``asked`` is None)."""
    return None if asked is None else or_(column.is_(None), column == asked)


class SqlAlchemyHoldRepository:
    """Implements ``HoldRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    def _seal(self, hold_id: str, field: str, value: str | None) -> bytes | None:
        if value is None:
            return None
        return self._cipher.encrypt(value.encode(), f"legal_holds:{hold_id}:{field}".encode())

    def _open(self, hold_id: str, field: str, blob: Any) -> str | None:
        if blob is None:
            return None
        aad = f"legal_holds:{hold_id}:{field}".encode()
        return self._cipher.decrypt(bytes(blob), aad).decode()

    def add(self, hold: LegalHold) -> None:
        self._conn.execute(
            insert(legal_holds),
            {
                "id": hold.id,
                "kind": hold.kind.value,
                "subject_id": hold.scope.subject_id,
                "category": hold.scope.category,
                "system": hold.scope.system,
                "cause": hold.cause,
                "opened_at": hold.opened_at,
                "opened_by": hold.opened_by,
                "reason_sealed": self._seal(hold.id, "reason", hold.reason),
                "closed_at": hold.closed_at,
                "closed_by": hold.closed_by,
                "closed_reason_sealed": self._seal(hold.id, "closed_reason", hold.closed_reason),
            },
        )

    def close(self, hold: LegalHold) -> bool:
        assert hold.closed_at is not None, "close() stores a closed hold"
        result = self._conn.execute(
            update(legal_holds)
            .where(_t.id == hold.id, _t.closed_at.is_(None))
            .values(
                closed_at=hold.closed_at,
                closed_by=hold.closed_by,
                closed_reason_sealed=self._seal(hold.id, "closed_reason", hold.closed_reason),
            )
        )
        return bool(result.rowcount)

    def get(self, hold_id: str) -> LegalHold | None:
        row = self._conn.execute(select(legal_holds).where(_t.id == hold_id)).mappings().first()
        return self._hold(row) if row else None

    def listing(
        self,
        *,
        subject_id: str | None = None,
        cause: str | None = None,
        active_only: bool = False,
        limit: int = 500,
    ) -> list[LegalHold]:
        q = select(legal_holds)
        if subject_id is not None:
            q = q.where(_t.subject_id == subject_id)
        if cause is not None:
            q = q.where(_t.cause == cause)
        if active_only:
            q = q.where(_t.closed_at.is_(None))
        q = q.order_by(_t.opened_at, _t.id).limit(limit)
        return [self._hold(r) for r in self._conn.execute(q).mappings()]

    def covering(
        self,
        subject_id: str | None,
        category: str | None,
        system: str | None,
        *,
        active_only: bool = True,
    ) -> list[LegalHold]:
        conditions = [
            c
            for c in (
                _dimension(_t.subject_id, subject_id),
                _dimension(_t.category, category),
                _dimension(_t.system, system),
            )
            if c is not None
        ]
        if active_only:
            conditions.append(_t.closed_at.is_(None))
        q = select(legal_holds)
        if conditions:
            q = q.where(and_(*conditions))
        q = q.order_by(_t.opened_at, _t.id)
        return [self._hold(r) for r in self._conn.execute(q).mappings()]

    def _hold(self, r: Any) -> LegalHold:
        return LegalHold(
            id=r["id"],
            kind=HoldKind(r["kind"]),
            scope=HoldScope(r["subject_id"], r["category"], r["system"]),
            opened_at=r["opened_at"],
            opened_by=r["opened_by"],
            reason=self._open(r["id"], "reason", r["reason_sealed"]) or "",
            cause=r["cause"],
            closed_at=r["closed_at"],
            closed_by=r["closed_by"],
            closed_reason=self._open(r["id"], "closed_reason", r["closed_reason_sealed"]),
        )
