"""Fixtures shared by every test: settings in a temporary directory, real databases.

PostgreSQL tests create and drop their own database on 127.0.0.1:5432 (user
postgres). Without a server they skip on a developer's machine, but when
``CI=true`` a missing server fails the run: it never passes by skipping.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR, Principal
from confide.testing import FakeClock
from confide.verifier import CheckpointSigner

# One Hypothesis profile for the whole suite: no per-example wall-clock deadline (a busy machine
# makes examples slow, not wrong) and no "too slow" health check; the example counts stay each
# test's own. CI prints the seed of a failure so it can be replayed.
settings.register_profile(
    "confide",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=os.environ.get("CI", "").lower() == "true",
)
settings.load_profile("confide")

PG_ADMIN_URL = os.environ.get(
    "CONFIDE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_available() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to reach the server
        return f"{type(exc).__name__}"


REDIS_URL = os.environ.get("CONFIDE_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _redis_problem() -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
        return None
    except Exception as exc:  # any failure to reach the server
        return type(exc).__name__


@pytest.fixture(scope="session")
def redis_server() -> str:
    problem = _redis_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"Redis is required when CI=true and is not reachable ({problem})")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({problem})")
    return REDIS_URL


@pytest.fixture(scope="session")
def pg_server() -> str:
    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required when CI=true and is not reachable ({problem})")
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432 ({problem})")
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import sqlalchemy as sa

    name = f"confide_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def keys_json() -> str:
    return KeyRing.generate().to_json()


AUDIT_SIGNING_KEY = CheckpointSigner.generate("confide-audit").to_text()


@pytest.fixture
def audit_signing_key() -> str:
    return AUDIT_SIGNING_KEY


LOCAL_RECEIVERS = "127.0.0.1,localhost,::1"
"""Tests' webhook receivers run on this machine: allowed as a deployment would allow a relay."""


def make_settings(tmp_path: Path, keys_json: str, database_url: str | None = None) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        keys=keys_json,
        audit_signing_key=AUDIT_SIGNING_KEY,
        webhook_allowed_hosts=LOCAL_RECEIVERS,
    )  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'confide.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def container(tmp_path: Path, keys_json: str, db_url: str, clock: FakeClock) -> Iterator[Container]:
    c = build(make_settings(tmp_path, keys_json, db_url), migrate_db=True, clock=clock)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def sqlite_container(tmp_path: Path, keys_json: str, clock: FakeClock) -> Iterator[Container]:
    c = build(make_settings(tmp_path, keys_json), migrate_db=True, clock=clock)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def officer() -> Principal:
    return LOCAL_OPERATOR
