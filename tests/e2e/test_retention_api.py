"""Retention and disposal over HTTP (RET-1, RET-2): lifecycle events, end of life, what is due,
a run planned and approved by the privacy officer only, executed, its certificate (JSON, PDF,
records, an inclusion proof the standalone verifier accepts); bad input named, states refused."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.verifier import verify_inclusion_proof


def bearer(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_ret_2_plan_approve_execute_and_certify_over_http(
    client: TestClient, tokens: dict[Role, str], sqlite_container: Container
) -> None:
    officer, agent = bearer(tokens, Role.PRIVACY_OFFICER), bearer(tokens, Role.AGENT)
    auditor, system = bearer(tokens, Role.AUDITOR), bearer(tokens, Role.INTEGRATION)
    sid = client.post(
        "/v1/subjects",
        headers=agent,
        json={"subject_type": "customer", "province": "ON", "email": "old@example.ca"},
    ).json()["id"]
    made = client.post(
        f"/v1/subjects/{sid}/information",
        headers=system,
        json={
            "category": "location_data",
            "value": "43.65,-79.38",
            "source": "from_individual",
            "purposes": ["location_services"],
            "system": "mobile-app",
            "collected_at": "2024-01-10T12:00:00Z",
        },
    )
    assert made.status_code == 201, made.text
    # Lifecycle events: any system that acts on people's information records them.
    bad = client.post(
        f"/v1/subjects/{sid}/lifecycle-events", headers=system, json={"kind": "moved"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["location"] == "kind", bad.text
    event = client.post(
        f"/v1/subjects/{sid}/lifecycle-events",
        headers=system,
        json={"kind": "service_ended", "occurred_at": "2025-06-30T17:00:00-04:00"},
    )
    assert event.status_code == 201 and event.json()["kind"] == "service_ended", event.text
    life = client.get(f"/v1/subjects/{sid}/end-of-life", headers=agent).json()
    [location] = [r for r in life["records"] if r["category"] == "location_data"]
    assert location["latest"] == "2024-04-09" and location["due"] is True
    due = client.get("/v1/retention/due", headers=auditor, params={"category": "location_data"})
    assert due.status_code == 200 and due.json()["total"] == 1 and due.json()["id"] is None
    assert (
        client.get("/v1/retention/due", headers=officer, params={"before": "soon"}).status_code
        == 422
    )
    # Only the privacy officer plans and approves.
    for who in (agent, auditor, system):
        assert client.post("/v1/retention/runs", headers=who, json={}).status_code == 403
    unknown = client.post("/v1/retention/runs", headers=officer, json={"categories": ["shoes"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["location"] == "category"
    planned = client.post(
        "/v1/retention/runs", headers=officer, json={"categories": ["location_data"]}
    )
    assert planned.status_code == 201, planned.text
    run = planned.json()
    assert (run["status"], run["total"]) == ("planned", 1)
    listed = client.get(f"/v1/retention/runs/{run['id']}/items", headers=auditor).json()
    assert [(i["category"], i["system"], i["state"]) for i in listed] == [
        ("location_data", "mobile-app", "due")
    ]
    runs_url = f"/v1/retention/runs/{run['id']}"
    early = client.post(f"{runs_url}/execute", headers=officer)
    assert early.status_code == 409 and "approve" in early.json()["detail"]
    for who in (agent, auditor, system):
        assert client.post(f"{runs_url}/approve", headers=who).status_code == 403
    approved = client.post(f"{runs_url}/approve", headers=officer)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert client.post(f"{runs_url}/approve", headers=officer).status_code == 409
    done = client.post(f"{runs_url}/execute", headers=system)
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    # The certificate: JSON, its records, the PDF, and the proof of its audit entry.
    assert client.get(f"{runs_url}/certificate", headers=agent).status_code == 403
    cert = client.get(f"{runs_url}/certificate", headers=auditor)
    assert cert.status_code == 200 and cert.headers["content-type"] == "application/json"
    body = cert.json()
    records = client.get(f"{runs_url}/certificate/records", headers=auditor).text
    assert hashlib.sha256(records.encode()).hexdigest() == body["records_sha256"]
    assert body["total"] == 1 and body["lines"][0]["system"] == "mobile-app"
    pdf = client.get(f"{runs_url}/certificate.pdf", headers=auditor, params={"lang": "fr"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "certificate-" in pdf.headers["content-disposition"]
    sqlite_container.audit.checkpoint(LOCAL_OPERATOR)
    proof = client.get(f"{runs_url}/certificate/proof", headers=auditor)
    assert proof.status_code == 200, proof.text
    doc = proof.json()
    verdict = verify_inclusion_proof(
        sqlite_container.audit.verifier,
        doc["checkpoint"],
        doc["index"],
        bytes.fromhex(doc["leaf_hash"]),
        [bytes.fromhex(p) for p in doc["proof"]],
    )
    assert verdict.ok and doc["index"] == body["audit"]["seq"]
    life = client.get(f"/v1/subjects/{sid}/end-of-life", headers=agent).json()
    assert life["disposed"][0]["category"] == "location_data"
    assert "43.65" not in str(life)


def test_ret_2_the_schedule_is_the_officers_to_set(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer, auditor = bearer(tokens, Role.PRIVACY_OFFICER), bearer(tokens, Role.AUDITOR)
    assert client.get("/v1/retention/schedule", headers=auditor).json()["enabled"] is False
    body = {"enabled": True, "categories": ["location_data"]}
    assert client.put("/v1/retention/schedule", headers=auditor, json=body).status_code == 403
    got = client.put("/v1/retention/schedule", headers=officer, json=body)
    assert got.status_code == 200 and got.json()["categories"] == ["location_data"]
