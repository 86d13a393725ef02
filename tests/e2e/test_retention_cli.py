"""Retention and disposal on the command line (RET-1, RET-2): a lifecycle event makes an email
due, the officer plans, approves and runs the disposal, and the certificate, its ids and its
audit proof come out."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from confide.cli.main import app
from confide.domain.retention.certificate import records_sha256
from confide.verifier import CheckpointVerifier, verify_inclusion_proof
from confide.verifier.proofs import verify_proof_document

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_ret_2_plan_approve_run_and_certify_on_the_command_line(cli_env: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    code, out = run(
        "subjects", "add", "--type", "customer", "--province", "QC", "--email", "gone@example.ca"
    )
    assert code == 0, out
    sid = out.split("Registered subject ")[1].split()[0]
    code, out = run(
        "subjects", "record", sid, "--category", "email", "--value", "gone@example.ca",
        "--source", "from_individual", "--purpose", "provide_service",
    )  # fmt: skip
    assert code == 0, out
    code, out = run("retention", "event", sid, "closed_account")
    assert code == 1 and "kind" in out  # not a lifecycle event: the field is named
    code, out = run("retention", "event", sid, "service_ended", "--at", "2021-03-31T17:00:00-04:00")
    assert code == 0 and "service_ended recorded" in out, out
    code, out = run("retention", "due", "--format", "json")
    assert code == 0, out
    due = json.loads(out)
    assert due["due"] == 1 and due["lines"][0]["category"] == "email"
    code, out = run("retention", "due", "--before", "31-12-2026")
    assert code != 0 and "before" in out
    code, out = run("retention", "plan")
    assert code == 0 and "1 record(s) due" in out, out
    run_id = out.split("confide retention approve ")[1].split()[0]
    code, out = run("retention", "run", run_id)
    assert code == 1 and "approve" in out  # a plan is never executed before its approval
    code, out = run("retention", "approve", run_id)
    assert code == 0 and "approved" in out, out
    code, out = run("retention", "run", run_id)
    assert code == 0 and "completed: 1 of 1 disposed of" in out, out
    code, out = run("retention", "runs", "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "completed"
    code, out = run("retention", "certificate", run_id, "--ids")
    assert code == 0
    ids = out.split()
    assert len(ids) == 1
    code, out = run("retention", "certificate", run_id)
    assert code == 0, out
    cert = json.loads(out)
    assert cert["total"] == 1 and cert["records_sha256"] == records_sha256(ids)
    code, out = run("audit", "checkpoint")
    assert code == 0, out
    code, out = run("retention", "certificate", run_id, "--proof")
    assert code == 0, out
    proof = json.loads(out)
    # The proof carries its entry: the certificate's digest is the entry's object id.
    assert proof["entry"]["object_id"] == f"{run_id}:{cert['audit']['digest']}"
    code, key = run("audit", "public-key")
    assert code == 0
    verdict = verify_inclusion_proof(
        CheckpointVerifier.from_text(key.strip()),
        proof["checkpoint"],
        proof["index"],
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(p) for p in proof["proof"]],
    )
    assert verdict.ok, verdict
    # The whole document, entry included, as the standalone verifier checks it.
    assert verify_proof_document(CheckpointVerifier.from_text(key.strip()), proof).ok
    tampered = {**proof, "entry": {**proof["entry"], "object_id": f"{run_id}:{'0' * 64}"}}
    assert not verify_proof_document(CheckpointVerifier.from_text(key.strip()), tampered).ok
    pdf = cli_env / "certificate-fr.pdf"
    code, out = run(
        "retention", "certificate", run_id, "--format", "pdf", "--lang", "fr", "-o", str(pdf)
    )
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF"), out
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Certificat de destruction" in text and "Adresse courriel" in text
    code, out = run("subjects", "show", sid)
    assert code == 0 and "gone@example.ca" not in out
