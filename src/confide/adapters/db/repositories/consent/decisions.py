"""Recorded decisions (CON-1, POL-1): every answer the engine gave, with what it relied on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select

from confide.adapters.db.repositories.consent._driver import Store
from confide.adapters.db.tables import decisions
from confide.domain.decisions import StoredDecision


class SqlAlchemyDecisionRecords(Store):
    """The ``decisions`` rows of use decisions (written by the decision recorder)."""

    def add_decisions(self, items: Sequence[StoredDecision]) -> None:
        if items:
            self._conn.execute(insert(decisions), [_decision_row(d) for d in items])

    def decision(self, decision_id: str) -> StoredDecision | None:
        r = (
            self._conn.execute(select(decisions).where(decisions.c.id == decision_id))
            .mappings()
            .first()
        )
        if r is None:
            return None
        return StoredDecision(
            id=r["id"],
            subject_id=r["subject_id"],
            action=r["action"],
            purpose_id=r["purpose_id"],
            channel=r["channel"],
            recipient_id=r["recipient_id"],
            categories=tuple(r["categories"]),
            asked_at=r["asked_at"],
            decided_at=r["decided_at"],
            allowed=bool(r["allowed"]),
            reasons=tuple(r["reasons"]),
            rule=r["rule"],
            relied_on=r["relied_on"],
            valid_until=r["valid_until"],
            policy_version=r["policy_version"],
            requested_by=r["requested_by"],
            language=r["language"],
        )


def _decision_row(d: StoredDecision) -> dict[str, Any]:
    return {
        "id": d.id,
        "subject_id": d.subject_id,
        "action": d.action,
        "purpose_id": d.purpose_id,
        "channel": d.channel,
        "recipient_id": d.recipient_id,
        "categories": list(d.categories),
        "asked_at": d.asked_at,
        "decided_at": d.decided_at,
        "allowed": d.allowed,
        "reasons": list(d.reasons),
        "rule": d.rule,
        "relied_on": d.relied_on,
        "valid_until": d.valid_until,
        "policy_version": d.policy_version,
        "requested_by": d.requested_by,
        "language": d.language,
    }
