"""Subjects and their identifiers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from confide.adapters.db.bulk import db_date, db_time, insert_rows
from confide.adapters.db.tables import subject_identifiers, subjects
from confide.domain.subjects import Identifier, IdentifierKind, Subject

_SUBJECT_COLUMNS = (
    "id",
    "subject_type",
    "province",
    "language",
    "acts_for",
    "external_ref",
    "birth_date",
    "display_name",
    "created_at",
)


class SqlAlchemySubjectRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, subject: Subject) -> None:
        self.add_many([subject])

    def add_many(self, items: Sequence[Subject]) -> None:
        if not items:
            return
        # Driver-level bulk inserts: imports and the demo write many subjects at a time.
        c = self._conn
        insert_rows(
            c,
            subjects,
            _SUBJECT_COLUMNS,
            [
                (
                    s.id,
                    s.subject_type,
                    s.province,
                    s.language,
                    s.acts_for,
                    s.external_ref,
                    db_date(c, s.birth_date),
                    s.display_name,
                    db_time(c, s.created_at),
                )
                for s in items
            ],
        )
        insert_rows(
            c,
            subject_identifiers,
            ("subject_id", "kind", "value"),
            [(s.id, i.kind.value, i.value) for s in items for i in s.identifiers],
        )

    def get(self, subject_id: str) -> Subject | None:
        row = (
            self._conn.execute(select(subjects).where(subjects.c.id == subject_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return self._with_identifiers([row])[0]

    def get_many(self, subject_ids: Sequence[str]) -> list[Subject]:
        out: list[Subject] = []
        for start in range(0, len(subject_ids), 900):
            rows = (
                self._conn.execute(
                    select(subjects).where(subjects.c.id.in_(subject_ids[start : start + 900]))
                )
                .mappings()
                .all()
            )
            out.extend(self._with_identifiers(rows))
        return out

    def find_by_identifier(self, kind: IdentifierKind, value: str) -> Subject | None:
        sid = self._conn.execute(
            select(subject_identifiers.c.subject_id).where(
                subject_identifiers.c.kind == kind.value, subject_identifiers.c.value == value
            )
        ).scalar()
        return self.get(sid) if sid else None

    def find_by_external_ref(self, external_ref: str) -> Subject | None:
        sid = self._conn.execute(
            select(subjects.c.id).where(subjects.c.external_ref == external_ref)
        ).scalar()
        return self.get(sid) if sid else None

    def existing_identifiers(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> set[tuple[IdentifierKind, str]]:
        # One "kind = ? AND value IN (...)" per kind and chunk: it uses the (kind, value)
        # unique index on both databases, where a row-value IN list does not on PostgreSQL.
        by_kind: dict[IdentifierKind, list[str]] = defaultdict(list)
        for kind, value in pairs:
            by_kind[kind].append(value)
        found: set[tuple[IdentifierKind, str]] = set()
        for kind, values in by_kind.items():
            for start in range(0, len(values), 900):
                chunk = values[start : start + 900]
                for (value,) in self._conn.execute(
                    select(subject_identifiers.c.value).where(
                        subject_identifiers.c.kind == kind.value,
                        subject_identifiers.c.value.in_(chunk),
                    )
                ):
                    found.add((kind, value))
        return found

    def ids_by_identifier(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> dict[tuple[IdentifierKind, str], str]:
        by_kind: dict[IdentifierKind, list[str]] = defaultdict(list)
        for kind, value in pairs:
            by_kind[kind].append(value)
        found: dict[tuple[IdentifierKind, str], str] = {}
        i = subject_identifiers.c
        for kind, values in by_kind.items():
            for start in range(0, len(values), 900):
                rows = self._conn.execute(
                    select(i.value, i.subject_id).where(
                        i.kind == kind.value, i.value.in_(values[start : start + 900])
                    )
                )
                found.update({(kind, value): sid for value, sid in rows})
        return found

    def ids_by_external_ref(self, refs: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(refs))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 900):
            rows = self._conn.execute(
                select(subjects.c.external_ref, subjects.c.id).where(
                    subjects.c.external_ref.in_(wanted[start : start + 900])
                )
            )
            found.update({ref: sid for ref, sid in rows})
        return found

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(subjects)).scalar_one())

    def page(self, *, offset: int = 0, limit: int = 50) -> list[Subject]:
        rows = (
            self._conn.execute(select(subjects).order_by(subjects.c.id).offset(offset).limit(limit))
            .mappings()
            .all()
        )
        return self._with_identifiers(rows)

    def _with_identifiers(self, rows: Sequence[Any]) -> list[Subject]:
        ids = [r["id"] for r in rows]
        idents: dict[str, list[Identifier]] = defaultdict(list)
        if ids:
            for sid, kind, value in self._conn.execute(
                select(
                    subject_identifiers.c.subject_id,
                    subject_identifiers.c.kind,
                    subject_identifiers.c.value,
                )
                .where(subject_identifiers.c.subject_id.in_(ids))
                .order_by(subject_identifiers.c.kind)
            ):
                idents[sid].append(Identifier(IdentifierKind(kind), value))
        return [
            Subject(
                id=r["id"],
                subject_type=r["subject_type"],
                province=r["province"],
                language=r["language"],
                created_at=r["created_at"],
                identifiers=tuple(idents[r["id"]]),
                acts_for=r["acts_for"],
                external_ref=r["external_ref"],
                birth_date=r["birth_date"],
                display_name=r["display_name"],
            )
            for r in rows
        ]
