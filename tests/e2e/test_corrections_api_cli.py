"""Corrections and the outbox through the HTTP API and the command line (ACC-9): an agent
accepts a correction, the recipient's real HTTP endpoint keeps failing until the message is
failed, the privacy officer sees it (API and CLI) and retries it; statements of disagreement."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "corrections"))

from corrections_support import (
    OP,
    SYSTEM,
    Receiver,
    disclose,
    receiver_handler,
    recipient,
    subject,
)

from confide.bootstrap import Container, build
from confide.cli.main import app
from confide.config import load_settings
from confide.domain.access import Role
from confide.testing import FakeClock


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver_handler(rec))
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def auth(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_acc_9_correction_outbox_failed_visible_and_retried_through_the_api(
    client: TestClient,
    tokens: dict[Role, str],
    sqlite_container: Container,
    receiver: Receiver,
    clock: FakeClock,
) -> None:
    c = sqlite_container
    assert c.outbox is not None
    sid = subject(c)
    rid = recipient(c)
    disclose(c, sid, rid, ("name",))
    officer, agent = auth(tokens, Role.PRIVACY_OFFICER), auth(tokens, Role.AGENT)

    r = client.put(
        f"/v1/recipients/{rid}/correction-endpoint",
        json={"webhook_url": "http://example.com/hook"},
        headers=officer,
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_failed"  # plain http elsewhere
    r = client.put(
        f"/v1/recipients/{rid}/correction-endpoint",
        json={"webhook_url": receiver.url},
        headers=officer,
    )
    assert r.status_code == 200 and r.json()["webhook_url"] == receiver.url
    secret = r.json()["signing_secret"]
    assert secret.startswith("whsec_")
    r = client.get(f"/v1/recipients/{rid}/correction-endpoint", headers=officer)
    assert r.json() == {"recipient_id": rid, "webhook_url": receiver.url, "signing_secret": secret}
    assert client.get(f"/v1/recipients/{rid}/correction-endpoint", headers=agent).status_code == 403
    # A misspelt key is refused, not read as "remove the webhook" (issue 18).
    r = client.put(
        f"/v1/recipients/{rid}/correction-endpoint", json={"webhook": None}, headers=officer
    )
    assert r.status_code == 422
    assert (
        client.get(f"/v1/recipients/{rid}/correction-endpoint", headers=officer).json()[
            "webhook_url"
        ]
        == receiver.url
    )

    r = client.post(
        f"/v1/subjects/{sid}/corrections",
        json={"category": "name", "value": "Marie-Ève Roy", "reason": "typo"},
        headers=agent,
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["recipients_queued"] == [rid] and len(out["applied"]) == 1
    [mid] = out["messages"]

    receiver.fail_next = 1000
    for _ in range(c.outbox.schedule.max_attempts):
        c.outbox.deliver_due(SYSTEM)
        clock.advance(hours=1)
    assert client.get("/v1/outbox?state=failed", headers=agent).status_code == 403
    r = client.get("/v1/outbox?state=failed", headers=officer)
    assert [m["id"] for m in r.json()] == [mid]
    failed = r.json()[0]
    assert failed["last_error"] == "http_503" and "Marie" not in r.text

    receiver.fail_next = 0
    r = client.post(f"/v1/outbox/{mid}/retry", headers=officer)
    assert r.status_code == 200 and r.json()["state"] == "pending"
    assert client.post(f"/v1/outbox/{mid}/retry", headers=officer).status_code == 409
    c.outbox.deliver_due(SYSTEM)
    r = client.get(f"/v1/outbox/{mid}", headers=officer)
    body = r.json()
    assert body["state"] == "delivered"
    assert [a["delivered"] for a in body["history"]] == [False] * 8 + [True]
    assert receiver.taken()[0]["value"] == "Marie-Ève Roy"

    r = client.post(
        f"/v1/subjects/{sid}/disagreements",
        json={"category": "name", "statement": "My name is spelled Marie-Eve, without accent."},
        headers=agent,
    )
    assert r.status_code == 201 and r.json()["recipients_queued"] == [rid]
    r = client.get(f"/v1/subjects/{sid}/disagreements", headers=agent)
    assert [d["statement"] for d in r.json()] == ["My name is spelled Marie-Eve, without accent."]
    assert (
        client.get(
            f"/v1/subjects/{sid}/disagreements", headers=auth(tokens, Role.AUDITOR)
        ).status_code
        == 403
    )


def test_bad_correction_input_is_a_clear_problem_without_the_value(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    agent = auth(tokens, Role.AGENT)
    r = client.post(
        "/v1/subjects/sub_nobody/corrections",
        json={"category": "name", "value": "Secret Value"},
        headers=agent,
    )
    assert r.status_code == 404 and "Secret" not in r.text
    sid = subject(sqlite_container, on_file=("name",))
    r = client.post(
        f"/v1/subjects/{sid}/corrections",
        json={"category": "billing_records", "value": "Secret Value"},
        headers=agent,
    )
    assert r.status_code == 422 and "Secret" not in r.text
    assert r.json()["code"] == "validation_failed"
    r = client.post(
        f"/v1/subjects/{sid}/corrections",
        json={"category": "no_such_category", "value": "Secret Value"},
        headers=agent,
    )
    assert r.status_code == 422 and "Secret" not in r.text
    r = client.get("/v1/outbox/obx_missing", headers=auth(tokens, Role.PRIVACY_OFFICER))
    assert r.status_code == 404


def test_a_recipient_is_registered_with_its_correction_webhook_through_the_api(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    officer = auth(tokens, Role.PRIVACY_OFFICER)
    body = {
        "name": "Webhook Agency",
        "class_id": "collection_agency",
        "country": "CA",
        "province": "QC",
        "agreement_ref": "AGR-9",
        "agreement_signed": "2025-01-01",
    }
    r = client.post(
        "/v1/recipients",
        json={**body, "correction_endpoint": "http://agency.example/hook"},
        headers=officer,
    )
    assert r.status_code == 422
    assert [e["location"] for e in r.json()["errors"]] == ["correction_endpoint"]
    r = client.post(
        "/v1/recipients",
        json={**body, "correction_endpoint": "https://agency.example/hook"},
        headers=officer,
    )
    assert r.status_code == 201, r.text
    assert sqlite_container.outbox is not None
    assert sqlite_container.outbox.endpoint(OP, r.json()["id"]) == "https://agency.example/hook"


runner = CliRunner()


def test_acc_9_outbox_and_corrections_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    # The receiver runs on this machine: allowed as a deployment allows a local relay.
    monkeypatch.setenv("CONFIDE_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1,localhost")
    for var in ("CONFIDE_DATABASE_URL", "CONFIDE_KEYS", "CONFIDE_KEY_FILE", "CONFIDE_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    c = build(load_settings(), create_key=True, migrate_db=True)
    try:
        sid = subject(c)
        rid = recipient(c)
        disclose(c, sid, rid, ("name",))
    finally:
        c.close()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    code, out = run("outbox", "endpoint", rid, receiver.url)
    assert code == 0 and "Signing secret (give it to the recipient): whsec_" in out, out
    secret = out.split("recipient): ")[1].split()[0]
    code, out = run("outbox", "endpoint", rid, "--show")
    assert code == 0 and secret in out, out
    code, out = run("corrections", "accept", sid, "name", "--value", "Luc Bélanger")
    assert code == 0, out
    assert "queued to 1 recipient(s)" in out
    receiver.fail_next, receiver.fail_status = 1, 410  # gone: a refusal no retry fixes
    code, out = run("outbox", "deliver")
    assert code == 0 and "1 failed" in out, out
    code, out = run("outbox", "list", "--state", "failed")
    assert code == 0 and "http_410" in out and "Luc" not in out, out
    mid = out.split()[0]
    code, out = run("outbox", "retry", mid)
    assert code == 0 and "pending again" in out, out
    code, out = run("outbox", "deliver")
    assert code == 0 and "1 delivered" in out, out
    code, out = run("outbox", "show", mid)
    assert code == 0 and '"state": "delivered"' in out
    code, out = run("corrections", "refuse", sid, "name", "--statement", "I disagree.")
    assert code == 0 and "queued to 1 recipient(s)" in out, out
    code, out = run("corrections", "disagreements", sid)
    assert code == 0 and "I disagree." in out
    code, out = run(
        "recipients",
        "add",
        "Hooked Agency",
        "--class",
        "collection_agency",
        "--province",
        "QC",
        "--agreement-ref",
        "AGR-2",
        "--agreement-signed",
        "2025-01-01",
        "--correction-endpoint",
        receiver.url,
    )
    assert code == 0, out
    hooked = out.split("Registered recipient ")[1].split()[0]
    code, out = run(
        "recipients",
        "add",
        "Plain Agency",
        "--class",
        "collection_agency",
        "--correction-endpoint",
        "http://agency.example/hook",
    )
    assert code == 1 and "correction_endpoint" in out, out
    c = build(load_settings())
    try:
        assert c.outbox is not None
        assert c.outbox.endpoint(OP, hooked) == receiver.url
    finally:
        c.close()
    code, out = run("outbox", "retry", "obx_nothing")
    assert code == 1 and "does not exist" in out
    code, out = run("corrections", "accept", sid, "email", "--value", "x@example.ca")
    assert code == 1 and "x@example.ca" not in out
