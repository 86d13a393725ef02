"""The ``confide`` command line, run in-process against a real SQLite store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confide.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_db_upgrade_creates_the_store_and_an_owner_only_key(cli_env: Path) -> None:
    code, out = run("db", "upgrade")
    assert code == 0, out
    assert (cli_env / "confide.db").exists()
    assert oct((cli_env / "confide.key").stat().st_mode & 0o777) == "0o600"
    assert "head" in out


def test_subjects_add_show_find_and_record(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "subjects",
        "add",
        "--type",
        "customer",
        "--province",
        "QC",
        "--language",
        "fr",
        "--email",
        "anne@example.ca",
        "--name",
        "Anne Roy",
    )
    assert code == 0, out
    sid = out.split("Registered subject ")[1].split()[0]
    code, out = run("subjects", "find", "email", "ANNE@example.ca")
    assert code == 0 and out.strip() == sid
    code, out = run(
        "subjects",
        "record",
        sid,
        "--category",
        "credit_information",
        "--value",
        "score 640",
        "--source",
        "third_party",
        "--purpose",
        "credit_check",
    )
    assert code == 0 and "encrypted at rest" in out
    code, out = run("subjects", "show", sid, "--json")
    assert code == 0 and "score 640" in out


def test_invalid_input_exits_1_with_the_field_named_and_no_traceback(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run(
        "subjects", "add", "--type", "customer", "--province", "ZZ", "--email", "x@example.ca"
    )
    assert code == 1
    assert "province" in out and "Traceback" not in out


def test_import_reports_lines_and_imports_nothing_on_error(cli_env: Path) -> None:
    run("db", "upgrade")
    bad = cli_env / "bad.csv"
    bad.write_text("subject_type,province,email\ncustomer,ON,a@example.ca\ncustomer,ON\n")
    code, out = run("subjects", "import", str(bad))
    assert code == 1 and "line 3" in out
    good = cli_env / "good.csv"
    good.write_text(
        "subject_type,province,email\ncustomer,ON,a@example.ca\ncustomer,QC,b@example.ca\n"
    )
    code, out = run("subjects", "import", str(good))
    assert code == 0 and "Imported 2 subject(s)" in out
    code, out = run("subjects", "import", str(cli_env / "missing.csv"))
    assert code == 2


def test_users_and_tokens(cli_env: Path) -> None:
    run("db", "upgrade")
    code, out = run("users", "add", "amy", "--role", "agent", "--role", "auditor")
    assert code == 0, out
    code, out = run("tokens", "create", "amy", "--name", "laptop")
    assert code == 0 and "cfd_" in out
    code, out = run("users", "add", "bob", "--role", "janitor")
    assert code == 2  # not a role: a usage error


def test_demo_generate(cli_env: Path) -> None:
    code, out = run("demo", "generate", "--subjects", "50", "--seed", "3", "--as-of", "2026-11-01")
    assert code == 0, out
    assert "Generated 50 subjects" in out
    code, out = run("demo", "generate", "--subjects", "5")
    assert code == 1 and "empty database" in out


def test_missing_key_with_an_explicit_database_is_a_clear_error(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDE_DATABASE_URL", f"sqlite:///{cli_env / 'other.db'}")
    monkeypatch.setenv("CONFIDE_KEY_FILE", str(cli_env / "absent.key"))
    code, out = run("subjects", "list-does-not-exist")
    assert code == 2
    code, out = run("subjects", "find", "email", "a@example.ca")
    assert code == 1 and "key file" in out and "Traceback" not in out
    assert not os.path.exists(cli_env / "absent.key")
