"""The audit trail through HTTP and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from confide.cli.main import app
from confide.domain.access import Role


def test_auditor_checkpoints_proves_and_verifies_over_http(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer = {"Authorization": f"Bearer {tokens[Role.PRIVACY_OFFICER]}"}
    auditor = {"Authorization": f"Bearer {tokens[Role.AUDITOR]}"}
    assert (
        client.post(
            "/v1/subjects",
            headers=officer,
            json={"subject_type": "customer", "province": "QC", "email": "z@example.ca"},
        ).status_code
        == 201
    )
    cp = client.post("/v1/audit/checkpoints", headers=auditor)
    assert cp.status_code == 201
    size = cp.json()["size"]
    proof = client.get(f"/v1/audit/entries/{size - 1}/proof", headers=auditor).json()
    assert proof["type"] == "inclusion" and proof["size"] == size
    key = client.get("/v1/audit/public-key", headers=auditor).text
    from confide.verifier import CheckpointVerifier, verify_inclusion_proof

    verdict = verify_inclusion_proof(
        CheckpointVerifier.from_text(key),
        proof["checkpoint"],
        proof["index"],
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(p) for p in proof["proof"]],
    )
    assert verdict.ok
    result = client.post("/v1/audit/verify", headers=auditor).json()
    assert result["ok"] is True and result["entries"] == size
    assert client.get(f"/v1/audit/entries/{size + 50}/proof", headers=auditor).status_code == 422
    # An agent may not read entries' details.
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    assert client.get("/v1/audit/entries/0", headers=agent).status_code == 403


def test_cli_export_is_verified_by_the_standalone_verifier(
    tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    mp.setenv("COLUMNS", "200")
    for var in (
        "CONFIDE_DATABASE_URL",
        "CONFIDE_KEYS",
        "CONFIDE_KEY_FILE",
        "CONFIDE_AUDIT_SIGNING_KEY",
    ):
        mp.delenv(var, raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (
        runner.invoke(
            app,
            [
                "subjects",
                "add",
                "--type",
                "customer",
                "--province",
                "ON",
                "--email",
                "v@example.ca",
            ],
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    key = runner.invoke(app, ["audit", "public-key"]).output.strip()
    export = tmp_path / "audit.jsonl"
    assert runner.invoke(app, ["audit", "export", str(export)]).exit_code == 0
    (tmp_path / "key.txt").write_text(key)
    # The auditor's side: no service, no database, just the export and the public key.
    done = subprocess.run(
        [sys.executable, "-m", "confide.verifier", str(export), "--key", str(tmp_path / "key.txt")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "OK" in result.output
    proof = json.loads(runner.invoke(app, ["audit", "prove", "1"]).output)
    assert proof["index"] == 1


def test_jobs_routes_are_for_the_privacy_officer(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    officer = {"Authorization": f"Bearer {tokens[Role.PRIVACY_OFFICER]}"}
    assert client.get("/v1/jobs/failed", headers=officer).json() == []
    assert client.get("/v1/jobs/heartbeat", headers=officer).json() == {"at": None, "worker": None}
    assert client.post("/v1/jobs/job_missing/retry", headers=officer).status_code == 404
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    assert client.get("/v1/jobs/failed", headers=agent).status_code == 403
