"""Complaints through HTTP (CMP-1, CMP-2): an agent records and answers at the first level,
the privacy officer handles an escalated one, records its action and closes it; the auditor
reads; bad input is refused by field."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from confide.domain.access import Role


def bearer(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_cmp_1_and_2_a_complaint_from_intake_to_closed_action_over_http(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer = bearer(tokens, Role.PRIVACY_OFFICER)
    agent = bearer(tokens, Role.AGENT)
    auditor = bearer(tokens, Role.AUDITOR)
    client.post(
        "/v1/subjects",
        headers=officer,
        json={"subject_type": "customer", "province": "ON", "account": "A-77"},
    )
    bad = client.post(
        "/v1/complaints",
        headers=agent,
        json={"channel": "phone", "topic": "marketing", "summary": "x", "contact": ""},
    )
    assert bad.status_code == 422
    assert [e["location"] for e in bad.json()["errors"]] == ["contact"]
    made = client.post(
        "/v1/complaints",
        headers=agent,
        json={
            "channel": "phone",
            "topic": "disclosure",
            "summary": "My address was given to a collection agency.",
            "contact": "+1 416 555 0142",
            "account_ref": "A-77",
        },
    )
    assert made.status_code == 201, made.text
    ref = made.json()["reference"]
    assert made.json()["subject_id"] is not None  # matched by the account number
    assert client.post("/v1/complaints", headers=auditor, json={}).status_code == 403
    assert client.post(f"/v1/complaints/{ref}/escalate", headers=agent).status_code == 200
    again = client.post(f"/v1/complaints/{ref}/escalate", headers=agent)
    assert again.status_code == 409
    answer = {"outcome": "justified", "reasons": "The disclosure had no legal basis."}
    assert (
        client.post(f"/v1/complaints/{ref}/answer", headers=agent, json=answer).status_code == 403
    )
    assert (
        client.post(f"/v1/complaints/{ref}/answer", headers=officer, json=answer).status_code == 200
    )
    closing = client.post(f"/v1/complaints/{ref}/close", headers=officer)
    assert closing.status_code == 422 and closing.json()["rule"] == "CMP-2"
    action = client.post(
        f"/v1/complaints/{ref}/actions",
        headers=officer,
        json={
            "kind": "practice_change",
            "description": "Disclosures to agencies now checked by the privacy office.",
            "owner": "Collections",
            "due_on": "2026-07-15",
        },
    )
    assert action.status_code == 201, action.text
    assert [a["kind"] for a in client.get("/v1/complaints/actions", headers=auditor).json()] == [
        "practice_change"
    ]
    assert client.post(f"/v1/complaints/{ref}/close", headers=officer).json()["status"] == "closed"
    page = client.get(f"/v1/complaints/{ref}", headers=auditor).json()
    assert page["complaint"]["outcome"] == "justified" and len(page["actions"]) == 1
    csv_text = client.get("/v1/complaints/export", headers=auditor).text
    assert ref in csv_text and "collection agency" not in csv_text
    monthly = client.get("/v1/complaints/monthly", headers=auditor).json()
    assert monthly == [
        {"month": monthly[0]["month"], "topic": "disclosure", "outcome": "justified", "count": 1}
    ]


def test_cmp_2_the_officer_handles_a_letter_on_the_command_line(cli_env: object) -> None:
    from typer.testing import CliRunner

    from confide.cli.main import app

    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    run("db", "upgrade")
    code, out = run(
        "complaints", "record", "--channel", "letter", "--topic", "use",
        "--summary", "My usage data was used for ads.", "--contact", "12 rue Principale, Laval",
        "--language", "fr",
    )  # fmt: skip
    assert code == 0, out
    ref = out.split()[1]
    code, out = run("complaints", "answer", ref, "--outcome", "justified", "--reasons", "Yes.")
    assert code == 0, out
    code, out = run("complaints", "close", ref)
    assert code != 0 and "CMP-2" in out
    code, out = run(
        "complaints", "action", ref, "--kind", "practice_change", "--description",
        "Ad targeting no longer reads usage data.", "--owner", "Marketing", "--due", "2026-12-31",
    )  # fmt: skip
    assert code == 0, out
    code, out = run("complaints", "close", ref)
    assert code == 0 and "closed" in out, out
    code, out = run("complaints", "list", "--format", "json")
    assert json.loads(out)[0]["status"] == "closed"
