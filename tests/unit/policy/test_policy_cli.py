"""`confide policy validate|show|diff|schema` through a local Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from policy_support import copy_default_policy, edit, position
from typer.testing import CliRunner

from confide.cli.policy import register
from confide.policy import default_policy_path
from confide.policy.schema import schema_document


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()

    @application.callback()
    def root() -> None:
        """Test root."""

    register(application)
    return application


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_a_valid_file_exits_0(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "validate", str(default_policy_path())])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout and "2026.1" in result.stdout


def test_validate_an_invalid_file_exits_1_with_file_line_col(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    main = copy_default_policy(tmp_path)
    edit(main, "  access_response_days: 30\n", "  access_response_days: 45\n")
    edit(
        main,
        "categories: [name, mailing_address, credit_information]",
        "categories: [name, mailing_address, credit_information, x1]",
    )
    result = runner.invoke(app, ["policy", "validate", str(main)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    line, column = position(main, "x1]")
    assert lines[0].startswith(f"{main}:{line}:{column}: unknown category 'x1' (")
    line, column = position(main, "access_response_days: 45", len("access_response_days: "))
    assert lines[1].startswith(f"{main}:{line}:{column}: [ACC-1] ")
    assert "2 problems" in result.stderr


def test_validate_a_missing_file_is_a_usage_error(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["policy", "validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2


def test_show_defaults_to_the_packaged_policy_in_english(
    app: typer.Typer, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["policy", "show"])
    assert result.exit_code == 0, result.output
    assert "Privacy Policy" in result.stdout
    assert "Jean-Christophe Blais-Crépeau" in result.stdout
    assert "credit_check [consent: express]" in result.stdout


def test_show_in_french(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "show", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Politique de confidentialité" in result.stdout
    assert "Pour effectuer une vérification de crédit" in result.stdout


def test_show_as_json(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["content_hash"]) == 64
    assert data["products"] == ["travel"]
    purposes = {p["id"]: p for p in data["policy"]["purposes"]}
    assert purposes["credit_check"]["consent"] == "express"


def test_show_an_invalid_file_exits_1_with_its_problems(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    main = copy_default_policy(tmp_path)
    edit(main, "  access_response_days: 30\n", "  access_response_days: 45\n")
    result = runner.invoke(app, ["policy", "show", str(main)])
    assert result.exit_code == 1
    assert "[ACC-1]" in result.stderr
    assert result.stdout == ""


def test_diff_shows_added_purposes_and_reconsent(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    old = copy_default_policy(tmp_path / "old")
    new = copy_default_policy(tmp_path / "new")
    edit(new, 'version: "2026.1"', 'version: "2026.2"')
    edit(
        new,
        "# Optional features:",
        "- id: research\n    consent: express\n    categories: [usage_data]\n"
        "    description: {en: Research., fr: Recherche.}\n  # Optional features:",
    )
    result = runner.invoke(app, ["policy", "diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "Policy 2026.1 -> 2026.2" in result.stdout
    assert "Purposes:\n  + added research" in result.stdout
    assert "Re-consent required (POL-3)" in result.stdout


def test_schema_prints_the_json_schema(app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["policy", "schema"])
    assert result.exit_code == 0
    assert result.stdout == schema_document()


def test_diff_as_json(app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    old = copy_default_policy(tmp_path / "old")
    new = copy_default_policy(tmp_path / "new")
    edit(new, "    max_days: 90\n", "    max_days: 60\n")
    result = runner.invoke(app, ["policy", "diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sections"]["retention"]["changed"][0]["changes"] == [
        {"field": "max_days", "old": "90", "new": "60"}
    ]
    assert data["requires_reconsent"] is False


def test_diff_of_an_invalid_file_exits_1(
    app: typer.Typer, runner: CliRunner, tmp_path: Path
) -> None:
    old = copy_default_policy(tmp_path / "old")
    new = copy_default_policy(tmp_path / "new")
    edit(new, "  access_response_days: 30\n", "  access_response_days: 45\n")
    result = runner.invoke(app, ["policy", "diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "[ACC-1]" in result.stderr
