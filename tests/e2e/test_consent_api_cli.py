"""Consents, decisions, receipts and audiences through HTTP and the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from confide.cli.main import app
from confide.domain.access import Role


def _subject(client: TestClient, headers: dict[str, str], province: str = "QC") -> str:
    r = client.post(
        "/v1/subjects",
        headers=headers,
        json={
            "subject_type": "customer",
            "province": province,
            "language": "fr",
            "email": f"api-{province.lower()}@example.ca",
        },
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_agent_records_consent_and_integration_asks_for_a_decision(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    system = {"Authorization": f"Bearer {tokens[Role.INTEGRATION]}"}
    sid = _subject(client, agent)
    r = client.post(
        f"/v1/subjects/{sid}/consents",
        headers=agent,
        json={
            "purposes": ["individual_marketing"],
            "kind": "express",
            "method": "verbal",
            "channel": "email",
            "evidence_ref": "call-2291",
        },
    )
    assert r.status_code == 201, r.text
    consent_id = r.json()[0]["id"]
    d = client.post(
        "/v1/decisions",
        headers=system,
        json={
            "subject_id": sid,
            "purpose": "individual_marketing",
            "categories": ["email"],
            "channel": "email",
        },
    ).json()
    assert d["allowed"] is True and d["relied_on"] == f"consent:{consent_id}"
    assert d["explanation"] == d["explanation_fr"]  # the subject's language
    stored = client.get(f"/v1/decisions/{d['id']}", headers=system).json()
    assert stored["allowed"] is True and stored["requested_by"]
    page = client.get(
        f"/v1/consents/{consent_id}/receipt", params={"format": "html"}, headers=agent
    )
    assert page.status_code == 200 and "Votre registre de consentement" in page.text
    kantara = client.get(
        f"/v1/consents/{consent_id}/receipt", params={"format": "kantara"}, headers=agent
    ).json()
    assert kantara["version"] == "KI-CR-v1.1.0"


def test_con_10_sec_gpc_header_is_recorded_with_the_interaction(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    sid = _subject(client, agent, "ON")
    r = client.post(
        f"/v1/subjects/{sid}/consents",
        headers={**agent, "Sec-GPC": "1"},
        json={
            "purposes": ["individual_marketing"],
            "kind": "express",
            "method": "checkbox",
            "channel": "email",
        },
    )
    assert [e["type"] for e in r.json()] == ["GpcSignalReceived", "ConsentGiven"]
    history = client.get(f"/v1/subjects/{sid}/consents", headers=agent).json()
    assert "GpcSignalReceived" in [e["type"] for e in history]


def test_con_6_opting_out_of_the_service_is_refused_with_the_policy_explanation(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    sid = _subject(client, agent, "ON")
    r = client.post(
        f"/v1/subjects/{sid}/consents/withdrawals",
        headers=agent,
        json={"purpose": "provide_service"},
    )
    assert r.status_code == 422
    body = r.json()
    assert body["rule"] == "CON-6" and "terminat" in body["detail"].lower()


def test_audience_over_http_is_a_csv_stream(client: TestClient, tokens: dict[Role, str]) -> None:
    officer = {"Authorization": f"Bearer {tokens[Role.PRIVACY_OFFICER]}"}
    sid = _subject(client, officer, "ON")
    client.post(f"/v1/subjects/{sid}/events", headers=officer, json={"kind": "purchase"})
    r = client.get(
        "/v1/audiences",
        params={"purpose": "marketing_communications", "channel": "email"},
        headers=officer,
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["subject_id"] for row in rows] == [sid]
    assert (
        client.get(
            "/v1/audiences", params={"purpose": "nope", "channel": "email"}, headers=officer
        ).status_code
        == 404
    )
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    assert (
        client.get(
            "/v1/audiences",
            params={"purpose": "marketing_communications", "channel": "email"},
            headers=agent,
        ).status_code
        == 403
    )


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    for var in (
        "CONFIDE_DATABASE_URL",
        "CONFIDE_KEYS",
        "CONFIDE_KEY_FILE",
        "CONFIDE_AUDIT_SIGNING_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_cli_consent_decide_and_audience(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    out = runner.invoke(
        app,
        ["subjects", "add", "--type", "customer", "--province", "ON", "--email", "cli@example.ca"],
    ).output
    sid = out.split("Registered subject ")[1].split()[0]
    refused = runner.invoke(app, ["decide", sid, "individual_marketing", "--channel", "email"])
    assert refused.exit_code == 3 and "REFUSED" in refused.output
    given = runner.invoke(
        app,
        [
            "consent",
            "give",
            sid,
            "--purpose",
            "individual_marketing",
            "--method",
            "verbal",
            "--channel",
            "email",
            "--evidence",
            "call-1",
        ],
    )
    assert given.exit_code == 0, given.output
    allowed = runner.invoke(
        app, ["decide", sid, "individual_marketing", "--channel", "email", "--json"]
    )
    assert allowed.exit_code == 0 and json.loads(allowed.output)["allowed"] is True
    target = cli_env / "audience.csv"
    result = runner.invoke(
        app,
        [
            "audience",
            "--purpose",
            "individual_marketing",
            "--channel",
            "email",
            "--out",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sid in target.read_text()
    history = runner.invoke(app, ["consent", "history", sid])
    assert "ConsentGiven" in history.output
    bad = runner.invoke(app, ["decide", sid, "individual_marketing", "--at", "2026-01-01T10:00:00"])
    assert bad.exit_code == 2 and "zone" in bad.output
