"""The data_sources table and repository, on SQLite and PostgreSQL: sealed connections."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from confide.adapters.crypto import DecryptionFailed
from confide.adapters.db import migrate
from confide.adapters.db.repositories.sources import SqlAlchemyDataSourceRepository
from confide.adapters.db.tables import data_sources, metadata
from confide.bootstrap import Container
from confide.domain.sources import (
    CategoryColumn,
    DataSource,
    IdentifierColumn,
    SourceIdentifierKind,
    SourceKind,
    TableMapping,
)

PASSWORD = "pa55-W0rd-never-in-clear"
URL = f"postgresql+psycopg://crm_reader:{PASSWORD}@db.internal:5432/crm"


def a_source(source_id: str = "src_01", name: str = "crm") -> DataSource:
    return DataSource(
        id=source_id,
        name=name,
        kind=SourceKind.SQL,
        connection=URL,
        owner_system="Salesforce export",
        country="CA",
        province="QC",
        writable=True,
        mappings=(
            TableMapping(
                "crm.customers",
                (
                    IdentifierColumn("email", SourceIdentifierKind.EMAIL),
                    IdentifierColumn("cust_no", SourceIdentifierKind.EXTERNAL_REF),
                ),
                (CategoryColumn("name", "name"), CategoryColumn("addr", "mailing_address")),
                retention_from="closed_at",
            ),
        ),
        created_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
    )


def test_migration_0002_creates_exactly_the_declared_data_sources_table(
    container: Container,
) -> None:
    assert migrate.current_revision(container.engine) == migrate.head_revision()
    with container.engine.connect() as conn:
        assert "data_sources" in sa.inspect(conn).get_table_names()
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_source_reads_back_as_it_was_added(container: Container) -> None:
    source = a_source()
    with container.engine.begin() as conn:
        SqlAlchemyDataSourceRepository(conn, container.keyring).add(source)
    with container.engine.connect() as conn:
        repo = SqlAlchemyDataSourceRepository(conn, container.keyring)
        assert repo.get("src_01") == source
        assert repo.by_name("crm") == source
        assert repo.by_name("other") is None
        assert repo.all() == [source]


def test_the_connection_url_is_never_stored_in_clear(container: Container) -> None:
    with container.engine.begin() as conn:
        SqlAlchemyDataSourceRepository(conn, container.keyring).add(a_source())
    with container.engine.connect() as conn:
        raw = conn.execute(sa.select(data_sources)).one()
    dumped = repr(tuple(raw)).encode() + bytes(raw.connection_sealed)
    assert PASSWORD.encode() not in dumped
    assert b"crm_reader" not in dumped
    assert b"db.internal" not in dumped


def test_a_sealed_url_copied_to_another_source_does_not_open(container: Container) -> None:
    with container.engine.begin() as conn:
        repo = SqlAlchemyDataSourceRepository(conn, container.keyring)
        repo.add(a_source("src_01", "crm"))
        repo.add(a_source("src_02", "billing"))
        sealed = conn.execute(
            sa.select(data_sources.c.connection_sealed).where(data_sources.c.id == "src_01")
        ).scalar_one()
        conn.execute(
            sa.update(data_sources)
            .where(data_sources.c.id == "src_02")
            .values(connection_sealed=sealed)
        )
    with container.engine.connect() as conn:
        repo = SqlAlchemyDataSourceRepository(conn, container.keyring)
        with pytest.raises(DecryptionFailed):
            repo.get("src_02")


def test_a_removed_source_is_gone(container: Container) -> None:
    with container.engine.begin() as conn:
        repo = SqlAlchemyDataSourceRepository(conn, container.keyring)
        repo.add(a_source())
        assert repo.remove("src_01") is True
        assert repo.remove("src_01") is False
        assert repo.all() == []


def test_the_repr_of_a_source_hides_its_connection() -> None:
    assert PASSWORD not in repr(a_source())
    assert a_source().redacted_connection == "postgresql+psycopg://***@db.internal:5432/crm"
