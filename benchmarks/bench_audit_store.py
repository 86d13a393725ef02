"""Audit appends through the store (issue 3): entries/s in batches and one per transaction,
on SQLite and PostgreSQL, with the Merkle tree maintained and payloads sealed.

Anchor: SHA-256 (hashlib) over the same entries' canonical bytes, in the same run.
Target: >= 20,000 entries/s in batches; one-per-transaction is reported.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import Result, timer
from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.audit.records import AuditRecord
from confide.verifier import CheckpointSigner

SIZES = {
    "small": {"batch_entries": 5_000, "batch": 1_000, "single": 200},
    "full": {"batch_entries": 200_000, "batch": 5_000, "single": 5_000},
}
PG_ADMIN = os.environ.get(
    "CONFIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _records(n: int, start: int) -> list[AuditRecord]:
    at = datetime.now(UTC)
    return [
        AuditRecord(
            "consent.given",
            "staff:usr_bench",
            "consent",
            f"con_{start + i:012d}",
            at,
            "confide-privacy-policy:2026.1:abc",
            f"sub_{(start + i) % 50_000:08d}",
            {"purpose": "marketing_communications", "channel": "email", "kind": "express"},
        )
        for i in range(n)
    ]


def _append(c: Container, total: int, batch: int, start: int = 0) -> float:
    with timer() as t:
        done = 0
        while done < total:
            k = min(batch, total - done)
            with c.ctx.uow() as uow:
                uow.audit.record_many(_records(k, start + done))
                uow.commit()
            done += k
    return t()


def _anchor(c: Container, n: int) -> float:
    """SHA-256 over the canonical bytes of n entries like the ones appended (leaf + one node each)."""
    with c.ctx.uow(readonly=True) as uow:
        blobs = [e.canonical_bytes() for e, _ in uow.audit.entries(0, n)]
    with timer() as t:
        for b in blobs:
            hashlib.sha256(b"\x00" + b).digest()
            hashlib.sha256(b"\x01" + b[:64]).digest()
    return t()


def _run_backend(name: str, url: str, data_dir: Path, p: dict[str, Any], size: str) -> list[Result]:
    settings = Settings(
        data_dir=data_dir,
        database_url=url,
        keys=KeyRing.generate().to_json(),  # type: ignore[arg-type]
        audit_signing_key=CheckpointSigner.generate("bench").to_text(),
    )  # type: ignore[arg-type]
    c = build(settings, migrate_db=True, activate=False)
    try:
        n, batch, single = int(p["batch_entries"]), int(p["batch"]), int(p["single"])
        t_batch = _append(c, n, batch)
        t_single = _append(c, single, 1, start=n)
        anchor = _anchor(c, min(n, 50_000))
        anchor_rate = min(n, 50_000) / anchor
        return [
            Result(
                f"audit append in batches of {batch} ({name})",
                n / t_batch,
                "entries/s",
                size,
                target=">= 20,000 entries/s",
            ).against("SHA-256 of the same bytes", anchor_rate, "entries/s"),
            Result(
                f"audit append, one per transaction ({name})",
                single / t_single,
                "entries/s",
                size,
                notes="reported; each append locks the head, reads the frontier, writes entry + nodes",
            ).against("SHA-256 of the same bytes", anchor_rate, "entries/s"),
        ]
    finally:
        c.close()


def run(size: str, params: dict[str, Any]) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += _run_backend("SQLite", f"sqlite:///{tmp}/bench.db", Path(tmp), params, size)
        name = f"confide_bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.OperationalError:
            return results  # no PostgreSQL here: SQLite figures only (the table says so)
        try:
            results += _run_backend(
                "PostgreSQL", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", Path(tmp), params, size
            )
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return results
