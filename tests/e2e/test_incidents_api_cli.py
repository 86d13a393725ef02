"""The breach register through HTTP and the command line (BRE-1..5): an agent records, the
officer runs the incident to closed, the auditor reads and exports; reports as JSON and PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from confide.cli.main import app
from confide.domain.access import Role

runner = CliRunner()


def bearer(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_bre_1_to_4_an_incident_from_report_to_closed_over_http(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer = bearer(tokens, Role.PRIVACY_OFFICER)
    auditor = bearer(tokens, Role.AUDITOR)
    subject = client.post(
        "/v1/subjects",
        headers=officer,
        json={"subject_type": "customer", "province": "ON", "email": "hit@example.ca"},
    ).json()["id"]
    recorded = client.post(
        "/v1/incidents", headers=bearer(tokens, Role.AGENT), json={"title": "Lost binder"}
    )
    assert recorded.status_code == 201, recorded.text
    ref = recorded.json()["reference"]
    # The agent records; only the officer and the auditor read the register.
    assert client.get("/v1/incidents", headers=bearer(tokens, Role.AGENT)).status_code == 403
    assert client.post("/v1/incidents", headers=auditor, json={"title": "x"}).status_code == 403
    page = client.get(f"/v1/incidents/{ref}", headers=auditor).json()
    assert "circumstances" in page["missing"]
    bad = client.patch(f"/v1/incidents/{ref}", headers=officer, json={"categories": ["horoscope"]})
    assert bad.status_code == 422
    assert [e["location"] for e in bad.json()["errors"]] == ["categories"]
    amended = client.patch(
        f"/v1/incidents/{ref}",
        headers=officer,
        json={
            "circumstances": "A binder of printed invoices was left on a bus.",
            "occurred_from": "2026-05-30",
            "categories": ["billing_records"],
            "systems": ["paper"],
            "measures": "Transit lost and found contacted; binder not found.",
            "individual_steps": "Watch for calls claiming to be us about your bill.",
        },
    )
    assert amended.status_code == 200, amended.text
    linked = client.post(
        f"/v1/incidents/{ref}/affected",
        headers=officer,
        json={"identifiers": "email:hit@example.ca\nemail:ghost@example.ca"},
    )
    assert linked.status_code == 422
    assert [e["location"] for e in linked.json()["errors"]] == ["line 2"]
    linked = client.post(
        f"/v1/incidents/{ref}/affected",
        headers=officer,
        json={"identifiers": "email:hit@example.ca"},
    )
    assert linked.json() == {"added": 1}
    people = client.get(f"/v1/incidents/{ref}/affected", headers=auditor).json()
    assert [(p["subject_id"], p["province"], p["method"]) for p in people] == [
        (subject, "ON", "list")
    ]
    closing = client.post(f"/v1/incidents/{ref}/close", headers=officer)
    assert closing.status_code == 422, closing.text
    assert closing.json()["rule"] == "BRE-2"
    proposal = client.get(
        f"/v1/incidents/{ref}/proposal",
        headers=auditor,
        params={"factors": ["exposed_to_unknown", "not_recovered"]},
    ).json()
    assert proposal["probability"] == "high"
    assessed = client.post(
        f"/v1/incidents/{ref}/assessments",
        headers=officer,
        json={
            "factors": ["exposed_to_unknown", "not_recovered"],
            "real_risk": True,
            "decision_reason": "Names, addresses and amounts owed in public hands.",
        },
    )
    assert assessed.status_code == 201, assessed.text
    plan = client.post(
        f"/v1/incidents/{ref}/notices",
        headers=officer,
        json={"kind": "opc_report", "target_on": "2026-06-03"},
    )
    assert plan.status_code == 201, plan.text
    report = client.get(f"/v1/incidents/{ref}/reports/opc_report", headers=auditor).json()
    assert report["missing"] == []
    pdf = client.get(
        f"/v1/incidents/{ref}/reports/opc_report",
        headers=auditor,
        params={"format": "pdf", "lang": "fr"},
    )
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lost binder" in text or ref in text
    sent = client.post(
        f"/v1/incidents/{ref}/notices/opc_report/sent",
        headers=officer,
        json={"reference": "PIPEDA-2026-7"},
    )
    assert sent.status_code == 200, sent.text
    no_reason = client.post(
        f"/v1/incidents/{ref}/public-notice",
        headers=officer,
        json={"reason": "", "explanation": "", "how": ""},
    )
    assert no_reason.status_code == 422
    notified = client.post(f"/v1/incidents/{ref}/notify-individuals", headers=officer, json={})
    assert notified.json()["count"] == 1
    closed = client.post(f"/v1/incidents/{ref}/close", headers=officer)
    assert closed.status_code == 200, closed.text
    assert closed.json()["keep_until"] is not None
    refused = client.delete(f"/v1/incidents/{ref}", headers=officer)
    assert refused.status_code == 422 and refused.json()["rule"] == "BRE-5"
    csv_text = client.get("/v1/incidents/export", headers=auditor, params={"format": "csv"}).text
    assert ref in csv_text and "PIPEDA" not in csv_text.splitlines()[0]
    graph = json.loads(
        client.get("/v1/incidents/export", headers=auditor, params={"format": "jsonld"}).content
    )
    assert graph["@context"]["dpv"] == "https://w3id.org/dpv#"
    assert [n["@id"] for n in graph["@graph"]] == [f"urn:confide:incident:{ref}"]


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_bre_1_and_bre_2_the_officer_runs_an_incident_on_the_command_line(
    cli_env: Path,
) -> None:
    run("db", "upgrade")
    code, out = run(
        "incidents",
        "record",
        "--title",
        "Misdirected fax",
        "--circumstances",
        "A fax with an account statement went to a wrong number.",
        "--occurred-from",
        "2026-01-10",
        "--categories",
        "billing_records",
        "--systems",
        "fax",
        "--affected",
        "1",
        "--measures",
        "The recipient shredded it and confirmed in writing.",
    )
    assert code == 0, out
    ref = out.split()[1]
    code, out = run("incidents", "show", ref)
    assert "missing from the register: nothing" in out
    code, out = run("incidents", "close", ref)
    assert code != 0 and "BRE-2" in out
    code, out = run(
        "incidents",
        "assess",
        ref,
        "--factors",
        "trusted_recipient",
        "--reason",
        "Shredded by a known recipient.",
        "--no-real-risk",
    )
    assert code == 0, out
    code, out = run("incidents", "close", ref)
    assert code == 0 and "kept until" in out, out
    csv_file = cli_env / "register.csv"
    code, out = run("incidents", "export", str(csv_file))
    assert code == 0 and ref in csv_file.read_text("utf-8")
    code, out = run("incidents", "dispose", ref)
    assert code != 0 and "BRE-5" in out
