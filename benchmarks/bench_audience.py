"""The email audience (issue 4): who may receive a commercial email now, over the demo organization,
on SQLite and PostgreSQL, with peak memory.

Anchor: a bare scan streaming every subject id of the same table (``SELECT id FROM subjects``)
to the same output, in the same run. Target: <= 1 s and within 3x the bare scan at 1M
subjects, peak memory <= 300 MB. ``CONFIDE_BENCH_SUBJECTS`` overrides the full size (the 1M
demo takes many minutes to generate on 2 cores).
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.verifier import CheckpointSigner

SIZES = {
    "small": {"subjects": 3_000},
    "full": {"subjects": int(os.environ.get("CONFIDE_BENCH_SUBJECTS", 1_000_000))},
}
PG_ADMIN = os.environ.get(
    "CONFIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
AT = datetime(2026, 11, 1, 15, tzinfo=UTC)


def _measure(c: Container, name: str, n: int, size: str) -> list[Result]:
    sink = io.StringIO()
    with timer() as bare, c.engine.connect() as conn:
        for (sid,) in conn.execution_options(stream_results=True, yield_per=10_000).execute(
            sa.text("SELECT id FROM subjects")
        ):
            sink.write(sid + "\n")
    sink = io.StringIO()
    members = 0
    with timer() as audience:
        for m in c.audience.stream(LOCAL_OPERATOR, "marketing_communications", "email", AT):
            sink.write(f"{m.subject_id},{m.relied_on}\n")
            members += 1
    return [
        Result(
            f"email audience ({name}, {n:,} subjects)",
            audience(),
            "s",
            size,
            target="<= 1 s and <= 3x the bare scan at 1M",
            notes=f"{members} members",
        ).against("bare scan of subject ids", bare(), "s"),
    ]


def _build(data_dir: Path, url: str | None) -> Container:
    settings = Settings(
        data_dir=data_dir,
        database_url=url,
        keys=KeyRing.generate().to_json(),  # type: ignore[arg-type]
        audit_signing_key=CheckpointSigner.generate("bench").to_text(),
    )  # type: ignore[arg-type]
    return build(settings, migrate_db=True)


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n = int(params["subjects"])
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        c = _build(Path(tmp), None)
        try:
            c.demo.generate(LOCAL_OPERATOR, n, seed=42, as_of=date(2026, 11, 1))
            results += _measure(c, "SQLite", n, size)
        finally:
            c.close()
        name = f"confide_bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.OperationalError:
            return results
        try:
            c = _build(Path(tmp), PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
            try:
                c.demo.generate(LOCAL_OPERATOR, n, seed=42, as_of=date(2026, 11, 1))
                results += _measure(c, "PostgreSQL", n, size)
            finally:
                c.close()
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
    return results
