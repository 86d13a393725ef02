"""The scan on a local Dask cluster gives exactly the results of the in-process run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from confide.scanner.corpus import generate
from confide.scanner.distributed import scan_paths_dask, scan_table, scan_table_dask
from confide.scanner.files import ScannerOptions, scan_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_files_scanned_on_dask_match_the_in_process_scan(tmp_path: Path, client: Any) -> None:
    for i, doc in enumerate(generate(21, 30)):
        (tmp_path / f"ticket{i:02d}.txt").write_text(doc.text, encoding="utf-8")
    options = ScannerOptions()
    local = scan_paths([tmp_path], options)
    remote = scan_paths_dask([tmp_path], client, options)
    assert [r.source for r in remote] == [r.source for r in local]
    assert [r.findings for r in remote] == [r.findings for r in local]
    assert sum(len(r.findings) for r in local) > 100


def test_a_table_scanned_on_dask_in_partitions_matches_the_in_process_scan(client: Any) -> None:
    rows: list[dict[str, str]] = []
    for doc in generate(22, 40):
        if doc.kind == "csv":
            rows.extend(csv.DictReader(io.StringIO(doc.text.strip())))
    columns = ["name", "email", "phone", "postal_code", "sin", "card_number", "notes"]
    local = scan_table(rows, columns)
    remote = scan_table_dask(rows, columns, client, partition_rows=7)
    assert len(rows) > 30 and len(local) > 100
    assert remote == local
