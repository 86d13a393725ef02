"""``confide scan`` / ``confide anonymize`` from the command line, and scanning over HTTP."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import typer
from fastapi.testclient import TestClient
from pycanon import anonymity
from typer.testing import CliRunner

from confide.api.app import create_app
from confide.api.routers import scan as scan_router
from confide.bootstrap import Container
from confide.cli import scan as scan_cli
from confide.scanner.corpus import generate
from confide.scanner.corpus.values import postal_code

NOTE = "Client Jean Roy, NAS 130 692 544, courriel jean.roy@videotron.ca, tél. (514) 872-1234\n"


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root (so that commands keep their names)."""

    scan_cli.register(app)
    return app


def test_scan_prints_counts_per_file_and_notes_skipped_files(
    tmp_path: Path, cli: typer.Typer
) -> None:
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01" * 50)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "note.txt" in result.output and "SIN 1" in result.output
    assert "binary" in result.output


def test_scan_json_lists_findings_without_values_unless_asked(
    tmp_path: Path, cli: typer.Typer
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(path), "--format", "json", "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[0]["counts"] == {"EMAIL": 1, "PERSON": 1, "PHONE": 1, "SIN": 1}
    assert "130 692 544" not in result.stdout
    shown = CliRunner().invoke(cli, ["scan", str(path), "--format", "json", "--show-values"])
    assert "130 692 544" in shown.stdout


def test_scan_without_paths_or_source_is_refused(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["scan"])
    assert result.exit_code == 1
    assert "--source" in result.output


def test_anonymize_writes_a_copy_with_every_value_replaced(
    tmp_path: Path, cli: typer.Typer
) -> None:
    src, out = tmp_path / "note.txt", tmp_path / "safe.txt"
    src.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["anonymize", str(src), "--out", str(out), "--operator", "replace"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (
        "Client <PERSON>, NAS <SIN>, courriel <EMAIL>, tél. <PHONE>\n"
    )


def test_anonymize_with_pseudonyms_reads_the_key_from_the_environment(
    tmp_path: Path, cli: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "note.txt"
    src.write_text(NOTE + NOTE, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["anonymize", str(src), "--operator", "pseudonym"])
    assert refused.exit_code == 1 and "key" in refused.output
    monkeypatch.setenv("CONFIDE_ANONYMIZE_KEY", "00" * 32)
    result = CliRunner().invoke(cli, ["anonymize", str(src), "--operator", "pseudonym"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == lines[1] and "SIN_" in lines[0] and "130 692 544" not in result.stdout


def test_anonymize_generalizes_a_csv_table_to_the_k_asked(tmp_path: Path, cli: typer.Typer) -> None:
    rng = random.Random(5)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["postal_code", "age", "plan"])
    for _ in range(200):
        writer.writerow(
            [postal_code(rng, "QC"), rng.randint(18, 90), rng.choice(["basic", "plus"])]
        )
    src, out = tmp_path / "customers.csv", tmp_path / "safe.csv"
    src.write_text(buffer.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "anonymize",
            str(src),
            "--quasi",
            "postal_code,age",
            "--k",
            "5",
            "--sensitive",
            "plan",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out, dtype=str)
    assert anonymity.k_anonymity(df, ["postal_code", "age"]) >= 5


@pytest.fixture
def api(sqlite_container: Container) -> Iterator[TestClient]:
    app = create_app(sqlite_container)
    app.include_router(scan_router.router)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_scanning_text_over_http_returns_findings_with_explanations(
    api: TestClient, officer_headers: dict[str, str]
) -> None:
    text = generate(6, 1)[0].text + NOTE
    response = api.post("/v1/scan", json={"text": text}, headers=officer_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"]["SIN"] >= 1
    for f in body["findings"]:
        assert f["explanation"] and text[f["start"] : f["end"]] not in f["explanation"]


def test_anonymizing_text_over_http(api: TestClient, officer_headers: dict[str, str]) -> None:
    response = api.post(
        "/v1/scan/anonymize",
        json={"text": NOTE, "operator": "mask", "keep_last": 2},
        headers=officer_headers,
    )
    assert response.status_code == 200, response.text
    assert "130 692 544" not in response.json()["text"] and "*** *** *44" in response.json()["text"]


def test_scanning_over_http_needs_a_token(api: TestClient) -> None:
    assert api.post("/v1/scan", json={"text": NOTE}).status_code == 401
