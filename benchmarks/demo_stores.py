"""The demo organization in a fresh store, on SQLite and on PostgreSQL, for benchmarks that
measure a use case over it (disposal, breach notices).

The demo is generated in a child process, so the peak memory a benchmark reports is its own
use case's. PostgreSQL is the server at ``CONFIDE_BENCH_PG`` (default: the local one); a
benchmark reports it as not measured when it is not reachable.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks.harness import Result
from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.verifier import CheckpointSigner

PG_ADMIN = os.environ.get(
    "CONFIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class DemoStore:
    """A store holding the demo organization: its data directory, URL (None: SQLite in the
    data directory) and keys."""

    def __init__(self, data_dir: Path, url: str | None, name: str) -> None:
        self.data_dir, self.url, self.name = data_dir, url, name
        self.keys = KeyRing.generate().to_json()
        self.signing = CheckpointSigner.generate("bench").to_text()

    @property
    def database_url(self) -> str:
        return self.url or f"sqlite:///{self.data_dir / 'confide.db'}"

    def settings(self, **more: object) -> Settings:
        return Settings(
            data_dir=self.data_dir,
            database_url=self.url,
            keys=self.keys,  # type: ignore[arg-type]
            audit_signing_key=self.signing,  # type: ignore[arg-type]
            **more,  # type: ignore[arg-type]
        )

    def container(self, **more: object) -> Container:
        return build(self.settings(**more), migrate_db=True)

    def generate(self, subjects: int) -> None:
        """The demo organization (seed 42, as of today), in a child process."""
        child = multiprocessing.get_context("spawn").Process(
            target=_generate,
            args=(str(self.data_dir), self.url, self.keys, self.signing, subjects),
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"demo generation failed ({self.name})")


def _generate(data_dir: str, url: str | None, keys: str, signing: str, n: int) -> None:
    store = DemoStore(Path(data_dir), url, "child")
    store.keys, store.signing = keys, signing
    c = store.container()
    try:
        c.demo.generate(LOCAL_OPERATOR, n, seed=42, as_of=datetime.now(UTC).date())
    finally:
        c.close()


def on_both_databases(size: str, measure: Callable[[DemoStore], list[Result]]) -> list[Result]:
    """``measure`` on a fresh SQLite store, then on a fresh PostgreSQL database (dropped
    after)."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        sqlite_dir.mkdir()
        results += measure(DemoStore(sqlite_dir, None, "SQLite"))
        db = f"confide_bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{db}"'))
        except sa.exc.OperationalError:
            results.append(Result("PostgreSQL not reachable: not measured", 0, "", size))
        else:
            try:
                pg_dir = Path(tmp) / "pg"
                pg_dir.mkdir()
                url = PG_ADMIN.rsplit("/", 1)[0] + f"/{db}"
                results += measure(DemoStore(pg_dir, url, "PostgreSQL"))
            finally:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
                admin.dispose()
    return results
