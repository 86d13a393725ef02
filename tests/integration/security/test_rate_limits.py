"""Issue 18, finding 10: rate limits are shared by every serving process and keyed on the
real client, and forwarded headers are believed only from configured proxies.

Two applications built on the same store stand for two server processes; the store's
counters are tested on SQLite and PostgreSQL, Redis's on the real server.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import AUDIT_SIGNING_KEY

from confide.adapters.ratelimits import RedisRateLimits, StoreRateLimits
from confide.api.app import create_app
from confide.bootstrap import Container, build
from confide.config import Settings

BODY = {"kind": "access", "identifier_kind": "email", "identifier": "nobody@example.test"}
INTAKE_LIMIT = 10  # POST /requests: 10 per address in 10 minutes


def _container(tmp_path: Path, keys_json: str, db_url: str, **more: object) -> Container:
    settings = Settings(
        data_dir=tmp_path,
        database_url=db_url,
        keys=keys_json,  # type: ignore[arg-type]
        audit_signing_key=AUDIT_SIGNING_KEY,  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )
    return build(settings, migrate_db=True)


@pytest.fixture
def two_processes(tmp_path: Path, keys_json: str, db_url: str) -> Iterator[list[TestClient]]:
    first = _container(tmp_path, keys_json, db_url)
    second = _container(tmp_path, keys_json, db_url)
    try:
        with (
            TestClient(create_app(first), client=("203.0.113.7", 50000)) as a,
            TestClient(create_app(second), client=("203.0.113.7", 50001)) as b,
        ):
            yield [a, b]
    finally:
        first.close()
        second.close()


def test_two_processes_share_one_allowance(two_processes: list[TestClient]) -> None:
    statuses = [
        two_processes[i % 2].post("/requests", json=BODY).status_code
        for i in range(INTAKE_LIMIT + 1)
    ]
    assert statuses == [202] * INTAKE_LIMIT + [429]


def test_a_forwarded_header_from_an_untrusted_peer_changes_nothing(
    two_processes: list[TestClient],
) -> None:
    # Loopback included: without CONFIDE_TRUSTED_PROXIES no peer is a proxy.
    statuses = [
        two_processes[0]
        .post("/requests", json=BODY, headers={"X-Forwarded-For": f"198.51.100.{i}"})
        .status_code
        for i in range(INTAKE_LIMIT + 5)
    ]
    assert statuses[INTAKE_LIMIT:] == [429] * 5


def test_a_trusted_proxy_names_the_client(tmp_path: Path, keys_json: str) -> None:
    url = f"sqlite:///{tmp_path / 'confide.db'}"
    c = _container(tmp_path, keys_json, url, trusted_proxies="10.0.0.5, 10.1.0.0/16")
    try:
        with (
            TestClient(create_app(c), client=("10.1.2.3", 50000)) as proxied,
            TestClient(create_app(c), client=("192.0.2.9", 50000)) as direct,
        ):
            # Through the proxy, each forwarded client has its own allowance ...
            for i in range(INTAKE_LIMIT + 2):
                answer = proxied.post(
                    "/requests", json=BODY, headers={"X-Forwarded-For": f"198.51.100.{i}"}
                )
                assert answer.status_code == 202
            # ... and one client behind it is limited like any other.
            same = [
                proxied.post(
                    "/requests", json=BODY, headers={"X-Forwarded-For": "198.51.100.200"}
                ).status_code
                for _ in range(INTAKE_LIMIT + 1)
            ]
            assert same == [202] * INTAKE_LIMIT + [429]
            # A peer that is not a configured proxy cannot borrow that client's allowance.
            forged = [
                direct.post(
                    "/requests", json=BODY, headers={"X-Forwarded-For": f"198.51.100.{i}"}
                ).status_code
                for i in range(INTAKE_LIMIT + 1)
            ]
            assert forged == [202] * INTAKE_LIMIT + [429]
    finally:
        c.close()


def test_the_store_keeps_no_address_in_clear(tmp_path: Path, keys_json: str, db_url: str) -> None:
    import sqlalchemy as sa

    c = _container(tmp_path, keys_json, db_url)
    try:
        assert isinstance(c.rate_limits, StoreRateLimits)
        assert c.rate_limits.hit("public.intake", "203.0.113.7", 2, 600)
        with c.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, caller FROM rate_limit_hits")).all()
        assert len(rows) == 1 and "203.0.113.7" not in rows[0].caller
    finally:
        c.close()


def test_redis_counts_are_shared(redis_server: str) -> None:
    secret = secrets.token_bytes(32)
    name = f"test.{secrets.token_hex(4)}"
    a, b = RedisRateLimits(redis_server, secret), RedisRateLimits(redis_server, secret)
    try:
        allowed = [(a if i % 2 else b).hit(name, "203.0.113.7", 3, 600) for i in range(5)]
        assert allowed == [True, True, True, False, False]
        assert a.hit(name, "203.0.113.8", 3, 600)  # another caller, its own count
    finally:
        a.close()
        b.close()
