"""Discovery against real registered sources: a SQLite file and a PostgreSQL table.

The source is registered through the data-source service into a real store (its map names
only the e-mail column), then sampled by ``DiscoveryService.discover_source`` and by
``confide scan --source NAME``: the report must propose the unmapped columns holding
personal information, with their policy category, and nothing for the other columns
(plan names, amounts, order numbers that look like a SIN but fail its check, creation dates).
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from confide.bootstrap import Container
from confide.cli.main import app
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.sources import IdentifierColumn, SourceIdentifierKind, TableMapping
from confide.scanner.corpus import values
from confide.scanner.discovery import DiscoveryReport
from confide.scanner.model import Entity
from confide.services.discovery import DiscoveryService
from confide.services.sources import RegisterSource

ROWS = 60

# column -> (entity, policy category) the report must give; None: not personal information
EXPECTED: dict[str, tuple[Entity, str] | None] = {
    "member_id": None,
    "courriel": (Entity.EMAIL, "email"),
    "nas": (Entity.SIN, "credit_information"),
    "telephone": (Entity.PHONE, "telephone_number"),
    "code_postal": (Entity.POSTAL_CODE, "mailing_address"),
    "plan": None,
    "amount_cents": None,
    "order_no": None,
    "created_on": None,
}
MAPPED = {"courriel"}  # already in the data map: classified, never proposed


def _make_members(url: str) -> None:
    rng = random.Random(7)
    meta = sa.MetaData()
    members = sa.Table(
        "members",
        meta,
        sa.Column("member_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("courriel", sa.String(200), nullable=False),
        sa.Column("nas", sa.String(20)),
        sa.Column("telephone", sa.String(30)),
        sa.Column("code_postal", sa.String(10)),
        sa.Column("plan", sa.String(20)),
        sa.Column("amount_cents", sa.Integer),
        sa.Column("order_no", sa.String(20)),
        sa.Column("created_on", sa.Date),
    )
    rows = []
    for i in range(ROWS):
        first, last = rng.choice(["Anne", "Marc", "Lina"]), rng.choice(["Roy", "Tremblay"])
        rows.append(
            {
                "member_id": i + 1,
                "courriel": values.email(rng, first, last),
                "nas": values.sin(rng),
                "telephone": values.phone(rng),
                "code_postal": values.postal_code(rng),
                "plan": rng.choice(["gold", "silver", "bronze"]),
                "amount_cents": rng.randint(100, 999_999_999),
                "order_no": values.failing_nine_digits(rng),
                "created_on": date(2024, 1, 1) + timedelta(days=i),
            }
        )
    engine = sa.create_engine(url)
    try:
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(members.insert(), rows)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def members_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real source database holding the ``members`` table: a SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "members.db"
        sqlite3.connect(path).close()
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
    _make_members(url)
    return url


@pytest.fixture
def registered(sqlite_container: Container, members_url: str) -> Container:
    email = IdentifierColumn("courriel", SourceIdentifierKind.EMAIL)
    sqlite_container.sources.register(
        LOCAL_OPERATOR,
        RegisterSource(
            name="members",
            kind="sql",
            connection=members_url,
            owner_system="Membership",
            mappings=(TableMapping("members", (email,)),),
            province="QC",
        ),
    )
    return sqlite_container


def _check(report_columns: list[dict[str, object]]) -> None:
    got = {c["column"]: c for c in report_columns}
    assert set(got) == set(EXPECTED)
    for column, expected in EXPECTED.items():
        c = got[column]
        assert c["source"] == "members.members"
        if expected is None:
            assert (c["entity"], c["category"], c["proposed"]) == (None, None, False), c
            continue
        entity, category = expected
        assert (c["entity"], c["category"]) == (entity.value, category), c
        assert c["share"] == 1.0 and c["sampled"] == ROWS, c
        assert c["proposed"] is (column not in MAPPED), c


def _as_rows(report: DiscoveryReport) -> list[dict[str, object]]:
    proposed = {(c.source, c.column) for c in report.proposals()}
    return [
        {
            "source": c.source,
            "column": c.column,
            "entity": c.entity.value if c.entity else None,
            "category": c.category,
            "share": c.share,
            "sampled": c.sampled,
            "proposed": (c.source, c.column) in proposed,
        }
        for c in report.columns
    ]


def test_discovery_service_proposes_the_unmapped_pii_columns_of_a_real_source(
    registered: Container,
) -> None:
    report = DiscoveryService(registered.sources).discover_source(
        LOCAL_OPERATOR, "members", sample_rows=ROWS
    )
    _check(_as_rows(report))
    assert [c.column for c in report.proposals()] == ["nas", "telephone", "code_postal"]


def test_confide_scan_source_reports_the_same_proposals_as_json_and_as_a_table(
    registered: Container,
    tmp_path: Path,
    keys_json: str,
    audit_signing_key: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The CLI opens the store the source was registered in (same data dir and keys).
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONFIDE_KEYS", keys_json)
    monkeypatch.setenv("CONFIDE_AUDIT_SIGNING_KEY", audit_signing_key)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    result = runner.invoke(app, ["scan", "--source", "members", "--format", "json"])
    assert result.exit_code == 0, result.output
    _check(json.loads(result.stdout))

    result = runner.invoke(app, ["scan", "--source", "members"])
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[2].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "yes" in lines["nas"] and "SIN" in lines["nas"]
    assert "yes" in lines["code_postal"] and "mailing_address" in lines["code_postal"]
    assert "yes" not in lines["courriel"] and "EMAIL" in lines["courriel"]
    assert "yes" not in lines["order_no"] and "SIN" not in lines["order_no"]


def test_an_unknown_source_name_is_refused_by_the_cli(
    registered: Container,
    tmp_path: Path,
    keys_json: str,
    audit_signing_key: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONFIDE_KEYS", keys_json)
    monkeypatch.setenv("CONFIDE_AUDIT_SIGNING_KEY", audit_signing_key)
    result = CliRunner().invoke(app, ["scan", "--source", "nope", "--format", "json"])
    assert result.exit_code == 1
    assert "data source nope does not exist" in result.output
