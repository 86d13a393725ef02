"""Issue 18, finding 11: answers that carry personal information are not stored by browsers
or shared caches, and Strict-Transport-Security is sent when the deployment asks for it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.conftest import AUDIT_SIGNING_KEY

from confide.api.app import create_app
from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR, Role


def _settings(tmp_path: Path, keys_json: str, **more: object) -> Settings:
    return Settings(
        data_dir=tmp_path,
        keys=keys_json,  # type: ignore[arg-type]
        audit_signing_key=AUDIT_SIGNING_KEY,  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )


def test_api_answers_are_not_cached_and_hsts_is_off_by_default(
    tmp_path: Path, keys_json: str
) -> None:
    c = build(_settings(tmp_path, keys_json), migrate_db=True)
    try:
        c.staff.ensure_user(LOCAL_OPERATOR, "officer", [Role.PRIVACY_OFFICER.value])
        token = c.staff.create_token(LOCAL_OPERATOR, "officer", "test").token
        with TestClient(create_app(c)) as client:
            me = client.get("/v1/staff/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200
            assert me.headers["cache-control"] == "no-store"
            assert me.headers["x-content-type-options"] == "nosniff"
            denied = client.get("/v1/subjects")
            assert denied.status_code == 401 and denied.headers["cache-control"] == "no-store"
            intake = client.post("/requests", json={})
            assert intake.headers["cache-control"] == "no-store"
            assert "strict-transport-security" not in me.headers
    finally:
        c.close()


def test_hsts_is_sent_everywhere_when_configured(tmp_path: Path, keys_json: str) -> None:
    c = build(_settings(tmp_path, keys_json, hsts_seconds=31_536_000), migrate_db=True)
    try:
        with TestClient(create_app(c)) as client:
            for path in ("/health", "/portal/en/", "/console/login", "/openapi.json"):
                answer = client.get(path)
                assert answer.headers["strict-transport-security"] == (
                    "max-age=31536000; includeSubDomains"
                ), path
    finally:
        c.close()
