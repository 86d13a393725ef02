"""The same scan on a Dask cluster: many files, or a large table, split across workers.

Each task builds its scanner from :class:`ScannerOptions` (patterns compiled once per
worker process) and runs exactly the in-process code, so the results are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from confide.scanner.files import ScannerOptions, expand, scan_file, scanner_for
from confide.scanner.model import Finding, ScanResult

CellFinding = tuple[int, str, Finding]  # (row index, column, finding in that cell)


def _scan_path_task(options: ScannerOptions, path: str) -> ScanResult:
    return scan_file(scanner_for(options), Path(path))


def scan_table(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    options: ScannerOptions | None = None,
    first_row: int = 0,
) -> list[CellFinding]:
    """Findings in each cell of ``columns`` (in-process)."""
    scanner = scanner_for(options or ScannerOptions())
    out: list[CellFinding] = []
    for i, row in enumerate(rows, start=first_row):
        for column in columns:
            value = row.get(column)
            if value:
                out.extend((i, column, f) for f in scanner.findings_in(str(value)))
    return out


def _table_task(
    options: ScannerOptions, rows: list[dict[str, str]], columns: list[str], first_row: int
) -> list[CellFinding]:
    return scan_table(rows, columns, options, first_row)


def _client(scheduler: str | Any | None) -> tuple[Any, bool]:
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster), True  # type: ignore[no-untyped-call]
    if isinstance(scheduler, str):
        return Client(scheduler), True  # type: ignore[no-untyped-call]
    return scheduler, False  # a Client the caller owns


def _close(client: Any) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def scan_paths_dask(
    paths: Iterable[Path | str],
    scheduler: str | Any | None = None,
    options: ScannerOptions | None = None,
) -> list[ScanResult]:
    """Scan files on Dask: ``scheduler`` is an address, a ``Client``, or None for a local cluster."""
    options = options or ScannerOptions()
    files = [str(p) for p in expand(paths)]
    client, owned = _client(scheduler)
    try:
        futures = client.map(_scan_path_task, [options] * len(files), files, pure=False)
        return list(client.gather(futures))
    finally:
        if owned:
            _close(client)


def scan_table_dask(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    scheduler: str | Any | None = None,
    options: ScannerOptions | None = None,
    partition_rows: int = 10_000,
) -> list[CellFinding]:
    """Scan a large table on Dask, in partitions of ``partition_rows`` rows."""
    options = options or ScannerOptions()
    client, owned = _client(scheduler)
    try:
        futures = [
            client.submit(
                _table_task,
                options,
                [dict(r) for r in rows[lo : lo + partition_rows]],
                list(columns),
                lo,
                pure=False,
            )
            for lo in range(0, len(rows), partition_rows)
        ]
        out: list[CellFinding] = []
        for part in client.gather(futures):
            out.extend(part)
        return out
    finally:
        if owned:
            _close(client)
