"""``confide requests`` in-process against a real SQLite store: submit, queue, verify, extend,
refuse, close (ACC-1, ACC-2, ACC-6, ACC-8, ACC-11)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from confide.bootstrap import build
from confide.cli.main import app
from confide.config import load_settings
from confide.services.requests import SubmitRequest

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def subject(email: str, province: str, language: str = "en") -> str:
    code, out = run(
        "subjects", "add", "--type", "customer", "--province", province,
        "--language", language, "--email", email,
    )  # fmt: skip
    assert code == 0, out
    return out.split("Registered subject ")[1].split()[0]


def submitted(out: str) -> str:
    return out.split("request ")[1].split()[0]


def test_acc_1_phone_request_through_the_cli_from_intake_to_close(cli_env: Path) -> None:
    run("db", "upgrade")
    subject("alice@example.test", "ON")
    code, out = run(
        "requests", "submit", "access", "--channel", "phone", "--email", "alice@example.test"
    )
    assert code == 1 and "note" in out  # a phone request needs the agent's written record
    code, out = run(
        "requests", "submit", "access", "--channel", "phone", "--email", "alice@example.test",
        "--note", "Caller asked for her file",
    )  # fmt: skip
    assert code == 0, out
    rid = submitted(out)
    code, out = run("requests", "list", "--due-within", "30")
    assert code == 0 and rid in out and "received" in out and "30" in out
    code, out = run("requests", "list", "--overdue")
    assert code == 0 and rid not in out
    code, out = run("requests", "release", rid)
    assert code == 1 and "not verified" in out  # ACC-11
    code, out = run("requests", "verify", rid, "--checked", "asked account number and postcode")
    assert code == 0 and "verified" in out
    code, out = run(
        "requests", "extend", rid, "--reason", "archives to search", "--days", "20", "--by-letter"
    )
    assert code == 0 and "Privacy Commissioner of Canada" in out
    code, out = run("requests", "extend", rid, "--reason", "again", "--days", "5", "--by-letter")
    assert code == 1 and "already extended" in out  # ACC-2
    code, out = run("requests", "refuse", rid, "--reason", "The file is under litigation privilege")
    assert code == 0 and "Privacy Commissioner of Canada" in out  # ACC-6
    code, out = run("requests", "show", rid)
    assert code == 0 and "outcome: refused" in out
    code, out = run("requests", "close", rid)
    assert code == 0 and "closed" in out
    code, out = run("requests", "list")
    assert code == 0 and rid not in out


def test_acc_2_quebec_request_cannot_be_extended_from_the_cli(cli_env: Path) -> None:
    run("db", "upgrade")
    subject("gaetan@example.test", "QC", "fr")
    code, out = run(
        "requests", "submit", "access", "--channel", "letter", "--email", "gaetan@example.test"
    )
    assert code == 0, out
    code, out = run("requests", "extend", submitted(out), "--reason", "volume", "--by-letter")
    assert code == 1 and "Québec" in out


def test_unknown_subject_is_recorded_as_unmatched(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "requests", "submit", "access", "--channel", "letter", "--email", "nobody@example.test"
    )
    assert code == 0 and "(unmatched)" in out


def test_acc_11_requests_awaiting_identity_are_listed_apart_from_the_queue(cli_env: Path) -> None:
    run("db", "upgrade")
    subject("alice@example.test", "ON")
    c = build(load_settings(), create_key=True)
    try:  # the individual's own request, as the portal records it
        reference = c.requests.submit_public(
            SubmitRequest("access", "portal", "email", "alice@example.test")
        ).reference
    finally:
        c.close()
    code, out = run("requests", "list", "--json")
    assert code == 0 and reference not in out
    code, out = run("requests", "list", "--awaiting-identity", "--json")
    assert code == 0 and reference in out and "awaiting_identity" in out


def test_acc_4_letter_request_from_intake_to_a_pdf_response(cli_env: Path) -> None:
    run("db", "upgrade")
    sid = subject("anne@example.test", "QC", "fr")
    code, out = run(
        "subjects", "record", sid, "--category", "mailing_address", "--value", "12 rue Principale",
        "--source", "from_individual", "--purpose", "provide_service",
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "requests", "submit", "access", "--channel", "letter", "--email", "anne@example.test"
    )
    rid = submitted(out)
    code, out = run("requests", "prepare", rid)
    assert code == 1 and "not verified" in out
    run("requests", "verify", rid, "--checked", "signature compared with the file")
    code, out = run("requests", "fee", rid, "--estimate", "1500")
    assert code == 0 and "waiting for acceptance" in out
    code, out = run("requests", "prepare", rid)
    assert code == 1 and "not accepted" in out  # ACC-7
    code, out = run("requests", "fee", rid, "--accepted")
    assert code == 0 and "accepted" in out
    prepared = cli_env / "prepared.json"
    code, out = run("requests", "prepare", rid, "--output", str(prepared))
    assert code == 0, out
    assert "12 rue Principale" in prepared.read_text(encoding="utf-8")
    pdf = cli_env / "response.pdf"
    code, out = run("requests", "release", rid, "--output", str(pdf), "--format", "pdf")
    assert code == 0 and "released" in out, out
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out = run("requests", "show", rid)
    assert "outcome: released" in out
