"""Personal information records; sensitive values are sealed (AES-GCM) before they reach the table.

A record disposed of at the end of its retention stays as a tombstone without its value
(``disposed_at`` set, see the retention repository); it is not personal information any more and
this repository never returns it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from confide.adapters.db.bulk import db_json, db_time, insert_rows
from confide.adapters.db.tables import personal_info
from confide.domain.subjects import PersonalInfoRecord
from confide.services.ports.common import Cipher

# Sealing binds the ciphertext to its record, so a sealed value copied onto another
# record fails authentication instead of decrypting silently.
_AAD = b"personal_info:"


class SqlAlchemyPersonalInfoRepository:
    """Stores values in clear unless the record is marked sensitive (``extra['sealed'] == '1'``)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    def add(self, record: PersonalInfoRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Sequence[PersonalInfoRecord]) -> None:
        if records:
            rows = [self._row(r) for r in records]
            insert_rows(
                self._conn, personal_info, tuple(rows[0]), [tuple(r.values()) for r in rows]
            )

    def get(self, record_id: str) -> PersonalInfoRecord | None:
        row = (
            self._conn.execute(
                select(personal_info).where(
                    personal_info.c.id == record_id, personal_info.c.disposed_at.is_(None)
                )
            )
            .mappings()
            .first()
        )
        return self._record(row) if row else None

    def for_subject(self, subject_id: str, *, history: bool = False) -> list[PersonalInfoRecord]:
        q = select(personal_info).where(
            personal_info.c.subject_id == subject_id, personal_info.c.disposed_at.is_(None)
        )
        if not history:
            q = q.where(personal_info.c.superseded_at.is_(None))
        q = q.order_by(personal_info.c.category, personal_info.c.collected_at, personal_info.c.id)
        return [self._record(r) for r in self._conn.execute(q).mappings()]

    def mark_superseded(self, record_id: str, at: datetime) -> None:
        self._conn.execute(
            update(personal_info).where(personal_info.c.id == record_id).values(superseded_at=at)
        )

    def reseal_all(
        self, on_progress: Callable[[int], None] | None = None, batch_size: int = 1000
    ) -> int:
        done = 0
        last = ""
        while True:
            rows = self._conn.execute(
                select(personal_info.c.id, personal_info.c.value_sealed)
                .where(personal_info.c.value_sealed.is_not(None), personal_info.c.id > last)
                .order_by(personal_info.c.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return done
            for rid, sealed in rows:
                blob = bytes(sealed)
                if self._cipher.needs_rotation(blob):
                    aad = _AAD + rid.encode()
                    fresh = self._cipher.encrypt(self._cipher.decrypt(blob, aad), aad)
                    self._conn.execute(
                        update(personal_info)
                        .where(personal_info.c.id == rid)
                        .values(value_sealed=fresh)
                    )
                    done += 1
            last = rows[-1][0]
            if on_progress:
                on_progress(done)

    def _row(self, r: PersonalInfoRecord) -> dict[str, Any]:
        sealed = r.extra.get("sealed") == "1"
        return {
            "id": r.id,
            "subject_id": r.subject_id,
            "category": r.category,
            "value_text": None if sealed else r.value,
            "value_sealed": self._cipher.encrypt(r.value.encode(), _AAD + r.id.encode())
            if sealed
            else None,
            "source": r.source,
            "purposes": db_json(list(r.purposes)),
            "system": r.system,
            "country": r.country,
            "province": r.province,
            "collected_at": db_time(self._conn, r.collected_at),
            "policy_version": r.policy_version,
            "supersedes": r.supersedes,
            "superseded_at": None
            if r.superseded_at is None
            else db_time(self._conn, r.superseded_at),
            "correction_reason": r.correction_reason,
        }

    def _record(self, row: Any) -> PersonalInfoRecord:
        sealed = row["value_sealed"]
        value = (
            self._cipher.decrypt(bytes(sealed), _AAD + row["id"].encode()).decode()
            if sealed is not None
            else row["value_text"]
        )
        return PersonalInfoRecord(
            id=row["id"],
            subject_id=row["subject_id"],
            category=row["category"],
            value=value,
            source=row["source"],
            purposes=tuple(row["purposes"]),
            system=row["system"],
            country=row["country"],
            province=row["province"],
            collected_at=row["collected_at"],
            policy_version=row["policy_version"],
            supersedes=row["supersedes"],
            superseded_at=row["superseded_at"],
            correction_reason=row["correction_reason"],
            extra={"sealed": "1"} if sealed is not None else {},
        )
