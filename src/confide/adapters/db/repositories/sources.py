"""Registered data sources; the connection reference is sealed with the Cipher port."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select

from confide.adapters.db.tables import data_sources
from confide.domain.sources import (
    CategoryColumn,
    DataSource,
    IdentifierColumn,
    SourceIdentifierKind,
    SourceKind,
    TableMapping,
)
from confide.services.ports.common import Cipher


class SqlAlchemyDataSourceRepository:
    """Implements ``DataSourceRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    def add(self, source: DataSource) -> None:
        self._conn.execute(
            insert(data_sources),
            {
                "id": source.id,
                "name": source.name,
                "kind": source.kind.value,
                "connection_sealed": self._cipher.encrypt(
                    source.connection.encode(), _aad(source.id)
                ),
                "owner_system": source.owner_system,
                "country": source.country,
                "province": source.province,
                "writable": source.writable,
                "mappings": [_mapping_json(m) for m in source.mappings],
                "created_at": source.created_at,
            },
        )

    def get(self, source_id: str) -> DataSource | None:
        row = (
            self._conn.execute(select(data_sources).where(data_sources.c.id == source_id))
            .mappings()
            .first()
        )
        return self._source(row) if row else None

    def by_name(self, name: str) -> DataSource | None:
        row = (
            self._conn.execute(select(data_sources).where(data_sources.c.name == name))
            .mappings()
            .first()
        )
        return self._source(row) if row else None

    def all(self) -> list[DataSource]:
        return [
            self._source(r)
            for r in self._conn.execute(
                select(data_sources).order_by(data_sources.c.name)
            ).mappings()
        ]

    def remove(self, source_id: str) -> bool:
        result = self._conn.execute(delete(data_sources).where(data_sources.c.id == source_id))
        return bool(result.rowcount)

    def _source(self, row: RowMapping) -> DataSource:
        connection = self._cipher.decrypt(bytes(row["connection_sealed"]), _aad(row["id"]))
        return DataSource(
            id=row["id"],
            name=row["name"],
            kind=SourceKind(row["kind"]),
            connection=connection.decode(),
            owner_system=row["owner_system"],
            country=row["country"],
            province=row["province"],
            writable=bool(row["writable"]),
            mappings=tuple(_mapping(m) for m in row["mappings"]),
            created_at=row["created_at"],
        )


def _aad(source_id: str) -> bytes:
    # Binding the sealed URL to its row: a sealed value copied onto another source fails to open.
    return b"data_source:" + source_id.encode()


def _mapping_json(m: TableMapping) -> dict[str, object]:
    return {
        "table": m.table,
        "identifiers": [[i.column, i.kind.value] for i in m.identifiers],
        "categories": [[c.column, c.category] for c in m.categories],
        "retention_from": m.retention_from,
    }


def _mapping(d: Mapping[str, Any]) -> TableMapping:
    return TableMapping(
        table=d["table"],
        identifiers=tuple(
            IdentifierColumn(c, SourceIdentifierKind(k)) for c, k in d["identifiers"]
        ),
        categories=tuple(CategoryColumn(c, cat) for c, cat in d["categories"]),
        retention_from=d.get("retention_from"),
    )
