"""Legal holds through HTTP and the command line (ACC-8, RET-2): the officer opens and closes,
agents and auditors read, ``confide audit erase-subject`` waits for the hold to close."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from confide.cli.holds import ON_HOLD_EXIT
from confide.cli.main import app
from confide.domain.access import Role

runner = CliRunner()


def bearer(tokens: dict[Role, str], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_acc_8_the_officer_opens_and_closes_a_hold_over_http_others_read(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer = bearer(tokens, Role.PRIVACY_OFFICER)
    created = client.post(
        "/v1/subjects",
        headers=officer,
        json={"subject_type": "customer", "province": "QC", "email": "held@example.ca"},
    )
    subject_id = created.json()["id"]
    body = {"kind": "litigation", "reason": "Court file 500-17-1", "subject_id": subject_id}
    assert (
        client.post("/v1/holds", headers=bearer(tokens, Role.AGENT), json=body).status_code == 403
    )
    opened = client.post("/v1/holds", headers=officer, json=body)
    assert opened.status_code == 201, opened.text
    hold = opened.json()
    assert (hold["kind"], hold["subject_id"], hold["active"]) == ("litigation", subject_id, True)
    for role in (Role.AGENT, Role.AUDITOR):
        listed = client.get(
            "/v1/holds", params={"subject_id": subject_id}, headers=bearer(tokens, role)
        )
        assert [h["id"] for h in listed.json()] == [hold["id"]]
    assert client.get("/v1/holds", headers=bearer(tokens, Role.INTEGRATION)).status_code == 403
    # The requests area shows it on the subject too, in its usual shape.
    shown = client.get(f"/v1/subjects/{subject_id}/holds", headers=bearer(tokens, Role.AUDITOR))
    assert [(h["kind"], h["reference"], h["active"]) for h in shown.json()] == [
        ("litigation", hold["id"], True)
    ]
    bad = client.post("/v1/holds", headers=officer, json={"kind": "access_request", "reason": "x"})
    assert bad.status_code == 422
    assert {e["location"] for e in bad.json()["errors"]} == {"kind", "scope"}
    closing = f"/v1/holds/{hold['id']}/close"
    assert (
        client.post(
            closing, headers=bearer(tokens, Role.AUDITOR), json={"reason": "no"}
        ).status_code
        == 403
    )
    closed = client.post(closing, headers=officer, json={"reason": "Settled"})
    assert closed.status_code == 200 and closed.json()["closed_reason"] == "Settled"
    again = client.post(closing, headers=officer, json={"reason": "Settled"})
    assert again.status_code == 409 and again.headers["content-type"].startswith(
        "application/problem"
    )
    got = client.get(f"/v1/holds/{hold['id']}", headers=bearer(tokens, Role.AUDITOR)).json()
    assert got["active"] is False
    active = client.get("/v1/holds", params={"active": True}, headers=officer).json()
    assert active == []
    assert client.get("/v1/holds/hold_nothing", headers=officer).status_code == 404


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_ret_2_erase_subject_waits_for_the_hold_opened_on_the_cli(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "subjects", "add", "--type", "customer", "--province", "ON", "--email", "held@example.ca"
    )
    assert code == 0, out
    subject_id = out.split("Registered subject ")[1].split()[0]
    code, out = run("holds", "open", "--kind", "litigation", "--reason", "Court file 500-17-1")
    assert code == 1 and "scope" in out  # a hold names what it keeps
    code, out = run(
        "holds", "open", "--kind", "litigation", "--reason", "Court file 500-17-1",
        "--subject", subject_id,
    )  # fmt: skip
    assert code == 0, out
    hold_id = out.split("hold ")[1].split()[0]
    code, out = run("holds", "list", "--subject", subject_id)
    assert code == 0 and hold_id in out and "1 hold(s)" in out
    code, out = run("audit", "erase-subject", subject_id)
    assert code == ON_HOLD_EXIT and hold_id in out and "legal hold" in out
    code, out = run("holds", "close", hold_id, "--reason", "Judgment final")
    assert code == 0 and "closed" in out
    code, out = run("holds", "list", "--active", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out = run("audit", "erase-subject", subject_id)
    assert code == 0 and "Destroyed" in out
