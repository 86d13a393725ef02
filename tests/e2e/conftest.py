"""An API client over a real store, with one token per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from confide.api.app import create_app
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role


@pytest.fixture
def tokens(sqlite_container: Container) -> dict[Role, str]:
    out = {}
    for role in Role:
        sqlite_container.staff.add_user(
            LOCAL_OPERATOR, f"user-{role.value.replace('_', '-')}", [role.value]
        )
        out[role] = sqlite_container.staff.create_token(
            LOCAL_OPERATOR, f"user-{role.value.replace('_', '-')}"
        ).token
    return out


@pytest.fixture
def client(sqlite_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_container), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def officer_headers(tokens: dict[Role, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[Role.PRIVACY_OFFICER]}"}


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI on a fresh data directory (its embedded SQLite store and key file)."""
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    for var in ("CONFIDE_DATABASE_URL", "CONFIDE_KEYS", "CONFIDE_KEY_FILE", "CONFIDE_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path
