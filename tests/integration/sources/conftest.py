"""Fixtures for the data-source tests: the service over a real store, and real source databases.

MariaDB tests create and drop their own database on 127.0.0.1:3306 (root, no password).
Like PostgreSQL, a missing server skips on a developer's machine and fails when ``CI=true``.

Until ``uow.py`` declares ``sources``, the unit of work used here adds the repository on
its own connection (the one-line change the integrator makes).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import pytest
import sqlalchemy as sa

from confide.adapters.connectors.registry import ConnectorRegistry
from confide.adapters.db.repositories.sources import SqlAlchemyDataSourceRepository
from confide.adapters.db.uow import SqlAlchemyUnitOfWork
from confide.bootstrap import Container
from confide.domain.sources import DataSource, SourceKind, TableMapping
from confide.services.context import ServiceContext
from confide.services.sources import SourceService
from confide.testing import FakeClock

MARIADB_ADMIN_URL = os.environ.get(
    "CONFIDE_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


class UnitOfWorkWithSources(SqlAlchemyUnitOfWork):
    """The store's unit of work plus the data-source repository on the same connection."""

    sources: SqlAlchemyDataSourceRepository

    def __enter__(self) -> Self:
        super().__enter__()
        self.sources = SqlAlchemyDataSourceRepository(self.connection, self._cipher)
        return self


def service_for(container: Container, clock: FakeClock) -> SourceService:
    def uow(*, readonly: bool = False) -> UnitOfWorkWithSources:
        return UnitOfWorkWithSources(container.engine, container.keyring, readonly=readonly)

    ctx = ServiceContext(uow=uow, clock=clock, active=container.ctx.active)
    return SourceService(ctx, ConnectorRegistry())


@pytest.fixture
def sources(sqlite_container: Container, clock: FakeClock) -> Iterator[SourceService]:
    """The source service over a SQLite store with the packaged policy active."""
    service = service_for(sqlite_container, clock)
    try:
        yield service
    finally:
        assert isinstance(service.connectors, ConnectorRegistry)
        service.connectors.close()


def _mariadb_problem() -> str | None:
    try:
        engine = sa.create_engine(MARIADB_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to reach the server
        return type(exc).__name__


@pytest.fixture(scope="session")
def mariadb_server() -> str:
    problem = _mariadb_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"MariaDB is required when CI=true and is not reachable ({problem})")
        pytest.skip(f"MariaDB not reachable at 127.0.0.1:3306 ({problem})")
    return MARIADB_ADMIN_URL


@pytest.fixture
def mariadb_url(mariadb_server: str) -> Iterator[str]:
    """A fresh, empty MariaDB database for one test, dropped afterwards."""
    name = f"confide_src_{secrets.token_hex(6)}"
    admin = sa.create_engine(mariadb_server)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{name}`"))
    try:
        yield mariadb_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        "mariadb",
    ]
)
def source_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database to hold a source's tables: a SQLite file, PostgreSQL, MariaDB."""
    if request.param == "sqlite":
        path = tmp_path / "source.db"
        sqlite3.connect(path).close()  # the connector refuses a database file that does not exist
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url" if request.param == "postgresql" else "mariadb_url")
    return url


def data_source(
    connection: str,
    *mappings: TableMapping,
    kind: SourceKind = SourceKind.SQL,
    name: str = "crm",
    writable: bool = False,
) -> DataSource:
    """A source description as the service would build it (for testing connectors directly)."""
    return DataSource(
        id=f"src_{secrets.token_hex(8)}",
        name=name,
        kind=kind,
        connection=connection,
        owner_system="crm",
        country="CA",
        province="QC",
        writable=writable,
        mappings=mappings,
        created_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


@pytest.fixture
def make_source() -> Callable[..., DataSource]:
    return data_source
