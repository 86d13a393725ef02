"""Stored policy versions (POL-1)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from confide.adapters.db.tables import policy_versions
from confide.domain.policy_version import PolicyVersion


class SqlAlchemyPolicyVersionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, version: PolicyVersion) -> None:
        self._conn.execute(
            insert(policy_versions),
            {
                "id": version.id,
                "policy_id": version.policy_id,
                "version": version.version,
                "content_hash": version.content_hash,
                "effective_date": version.effective_date,
                "loaded_at": version.loaded_at,
                "source": version.source,
                "purposes": list(version.purposes),
            },
        )

    def get(self, version_id: str) -> PolicyVersion | None:
        return self._one(policy_versions.c.id == version_id)

    def by_hash(self, content_hash: str) -> PolicyVersion | None:
        return self._one(policy_versions.c.content_hash == content_hash)

    def latest(self) -> PolicyVersion | None:
        row = (
            self._conn.execute(
                select(policy_versions).order_by(
                    policy_versions.c.loaded_at.desc(), policy_versions.c.id.desc()
                )
            )
            .mappings()
            .first()
        )
        return _version(row) if row else None

    def all_versions(self) -> list[PolicyVersion]:
        rows = self._conn.execute(
            select(policy_versions).order_by(policy_versions.c.loaded_at)
        ).mappings()
        return [_version(r) for r in rows]

    def _one(self, cond: Any) -> PolicyVersion | None:
        row = self._conn.execute(select(policy_versions).where(cond)).mappings().first()
        return _version(row) if row else None


def _version(row: Any) -> PolicyVersion:
    return PolicyVersion(
        id=row["id"],
        policy_id=row["policy_id"],
        version=row["version"],
        content_hash=row["content_hash"],
        effective_date=row["effective_date"],
        loaded_at=row["loaded_at"],
        source=row["source"],
        purposes=tuple(row["purposes"] or ()),
    )
