"""``confide sources`` on a local Typer app, against a real store and real sources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from confide.cli import sources as sources_cli
from confide.services.sources import SourceService
from confide.testing.sources import make_sql_source, write_parquet_source

runner = CliRunner()

MAP = """\
owner_system: CRM
country: CA
province: QC
writable: false
tables:
  - table: customers
    identifiers: {email: email, phone: phone, account_no: account}
    categories: {full_name: name, street: mailing_address}
    retention_from: last_activity
"""


@pytest.fixture
def app(sources: SourceService, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("CONFIDE_SOURCE_URL", raising=False)

    @contextmanager
    def opener(ctx: typer.Context) -> Iterator[SourceService]:
        yield sources

    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test app."""

    sources_cli.register(app, opener)
    return app


def run(app: typer.Typer, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


@pytest.fixture
def crm(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    make_sql_source(url, 10)
    mapping = tmp_path / "crm.yaml"
    mapping.write_text(MAP)
    return url, mapping


def test_add_then_list_shows_the_source_without_its_secrets(
    app: typer.Typer, crm: tuple[str, Path]
) -> None:
    url, mapping = crm
    code, out = run(app, "sources", "add", "crm", "--url", url, "--map", str(mapping))
    assert code == 0, out
    assert "Registered data source crm (sql, 1 table(s))" in out
    code, out = run(app, "sources", "list")
    assert code == 0, out
    assert "crm" in out and "CA-QC" in out and "customers" in out


def test_a_password_in_the_url_is_never_printed(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "m.yaml").write_text(MAP)
    monkeypatch.setenv(
        "CONFIDE_SOURCE_URL", "postgresql+psycopg://app:Hunter2-Secret@127.0.0.1:1/crm"
    )
    code, out = run(app, "sources", "add", "crm", "--map", str(tmp_path / "m.yaml"))
    assert code == 1
    assert "'crm' is unavailable" in out
    assert "Hunter2-Secret" not in out


def test_the_url_can_be_typed_at_a_hidden_prompt(app: typer.Typer, crm: tuple[str, Path]) -> None:
    url, mapping = crm
    code, out = run(app, "sources", "add", "crm", "--map", str(mapping), input=url + "\n")
    assert code == 0, out
    assert url not in out.split("Registered")[0]


def test_add_lists_every_problem_of_the_mapping_file(
    app: typer.Typer, crm: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = crm
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "tables:\n"
        "  - table: customers\n"
        "    identifiers: {email: e-mail-address}\n"
        "    categories: {full_name: name}\n"
        "  - table: orders\n"
        "colour: blue\n"
    )
    code, out = run(app, "sources", "add", "crm", "--url", url, "--map", str(bad))
    assert code == 1
    assert "tables[0].identifiers.email: is not an identifier kind" in out
    assert "colour: is not a mapping file key" in out


def test_add_refuses_a_map_that_does_not_match_the_source(
    app: typer.Typer, crm: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = crm
    bad = tmp_path / "bad.yaml"
    bad.write_text(MAP.replace("street: mailing_address", "sin: credit_information"))
    code, out = run(app, "sources", "add", "crm", "--url", url, "--map", str(bad))
    assert code == 1
    assert "customers.sin: column does not exist in the table" in out
    assert run(app, "sources", "list")[1].strip() == "No data sources registered."


def test_invalid_yaml_is_reported_with_its_line(
    app: typer.Typer, crm: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = crm
    bad = tmp_path / "bad.yaml"
    bad.write_text("tables:\n  - table: [unclosed\n")
    code, out = run(app, "sources", "add", "crm", "--url", url, "--map", str(bad))
    assert code == 1
    assert "not valid YAML" in out


def test_test_reports_each_problem_and_exits_1(app: typer.Typer, crm: tuple[str, Path]) -> None:
    url, mapping = crm
    assert run(app, "sources", "add", "crm", "--url", url, "--map", str(mapping))[0] == 0
    assert run(app, "sources", "test", "crm") == (0, "Data source crm matches its map.\n")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE customers DROP COLUMN street"))
    engine.dispose()
    code, out = run(app, "sources", "test", "crm")
    assert code == 1
    assert "customers.street: column does not exist in the table" in out


def test_a_parquet_folder_is_added_with_kind_parquet(app: typer.Typer, tmp_path: Path) -> None:
    write_parquet_source(tmp_path / "customers.parquet", 10)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAP.replace("table: customers", "table: customers.parquet"))
    code, out = run(
        app,
        "sources",
        "add",
        "lake",
        "--kind",
        "parquet",
        "--url",
        str(tmp_path),
        "--map",
        str(mapping),
        "--owner",
        "Data lake",
    )
    assert code == 0, out
    assert "Data lake" in run(app, "sources", "list")[1]


def test_remove_asks_and_forgets_the_source(app: typer.Typer, crm: tuple[str, Path]) -> None:
    url, mapping = crm
    run(app, "sources", "add", "crm", "--url", url, "--map", str(mapping))
    code, _ = run(app, "sources", "remove", "crm", input="n\n")
    assert code == 1
    assert "crm" in run(app, "sources", "list")[1]
    assert run(app, "sources", "remove", "crm", "--yes")[0] == 0
    code, out = run(app, "sources", "remove", "crm", "--yes")
    assert code == 1 and "data source crm does not exist" in out


@pytest.mark.postgres
def test_list_shows_a_postgresql_url_redacted(
    app: typer.Typer, pg_url: str, tmp_path: Path
) -> None:
    # The local server trusts loopback connections, so the password is accepted and ignored.
    make_sql_source(pg_url, 5)
    with_password = pg_url.replace("postgres@", "postgres:Tr0ub4dor-Secret@", 1)
    assert with_password != pg_url
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAP)
    code, out = run(app, "sources", "add", "billing", "--url", with_password, "--map", str(mapping))
    assert code == 0, out
    code, listing = run(app, "sources", "list", "--json")
    assert code == 0
    listed = json.loads(listing)
    assert (
        listed[0]["connection"]
        == "postgresql+psycopg://***@127.0.0.1:5432/" + pg_url.rsplit("/", 1)[1]
    )
    assert listed[0]["tables"][0]["identifiers"] == {
        "email": "email",
        "phone": "phone",
        "account_no": "account",
    }
    code, table = run(app, "sources", "list")
    assert code == 0
    assert "Tr0ub4dor-Secret" not in out + listing + table
