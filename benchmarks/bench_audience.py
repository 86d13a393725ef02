"""The email audience (issue 4): who may receive a commercial email now, over the demo organization,
on SQLite and PostgreSQL, with peak memory.

Anchor: a bare scan streaming every subject id of the same table (``SELECT id FROM subjects``)
to the same output, in the same run. Target: <= 1 s and within 3x the bare scan at 1M
subjects, peak memory <= 300 MB. ``CONFIDE_BENCH_SUBJECTS`` overrides the full size (the 1M
demo takes many minutes to generate on 2 cores).

The audience is asked for now (the consent read model answers for now or later; the demo's
history ends on 2026-11-01). Each figure is the best of three runs, the anchor too. A demo
database kept from an earlier run can be reused instead of generating one:
``CONFIDE_BENCH_AUDIENCE_SQLITE=<data dir holding confide.db and its keys>`` and
``CONFIDE_BENCH_AUDIENCE_PG=<database URL>`` with ``CONFIDE_BENCH_AUDIENCE_PG_DIR=<keys dir>``
(it is not dropped). A kept database whose read model is not built for the active policy
version is rebuilt first, and the rebuild is reported.
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.services.audience import AudienceSummary
from confide.verifier import CheckpointSigner

SIZES = {
    "small": {"subjects": 3_000},
    "full": {"subjects": int(os.environ.get("CONFIDE_BENCH_SUBJECTS", 1_000_000))},
}
PG_ADMIN = os.environ.get(
    "CONFIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REPEATS = 3


def _bare(c: Container) -> float:
    sink = io.StringIO()
    with timer() as bare, c.engine.connect() as conn:
        for (sid,) in conn.execution_options(stream_results=True, yield_per=10_000).execute(
            sa.text("SELECT id FROM subjects")
        ):
            sink.write(sid + "\n")
    return bare()


def _audience(c: Container, summary: AudienceSummary) -> float:
    sink = io.StringIO()
    with timer() as audience:
        for m in c.audience.stream(
            LOCAL_OPERATOR, "marketing_communications", "email", None, summary
        ):
            sink.write(f"{m.subject_id},{m.relied_on}\n")
    return audience()


def _measure(c: Container, name: str, size: str) -> list[Result]:
    results: list[Result] = []
    if not c.consent.state_is_current():
        with timer() as rebuild:
            c.consent.rebuild_state(LOCAL_OPERATOR, 5000)
        results.append(Result(f"consent read model rebuild ({name})", rebuild(), "s", size))
    with c.engine.connect() as conn:
        n = int(conn.execute(sa.text("SELECT count(*) FROM subjects")).scalar_one())
    bare = min(_bare(c) for _ in range(REPEATS))
    summaries = [AudienceSummary() for _ in range(REPEATS)]
    audience = min(_audience(c, s) for s in summaries)
    s = summaries[-1]
    results.append(
        Result(
            f"email audience ({name}, {n:,} subjects)",
            audience,
            "s",
            size,
            target="<= 1 s and <= 3x the bare scan at 1M",
            notes=f"{s.members} members; {s.candidates - s.members} re-checked by the engine "
            "from the ledger; from the consent read model"
            if c.consent.state_is_current()
            else f"{s.members} members of {s.candidates} candidates decided from the ledger",
        ).against("bare scan of subject ids", bare, "s")
    )
    return results


def _build(data_dir: Path, url: str | None) -> Container:
    settings = Settings(
        data_dir=data_dir,
        database_url=url,
        keys=KeyRing.generate().to_json(),  # type: ignore[arg-type]
        audit_signing_key=CheckpointSigner.generate("bench").to_text(),
    )  # type: ignore[arg-type]
    return build(settings, migrate_db=True)


def _kept(data_dir: str, url: str | None) -> Container:
    return build(Settings(data_dir=Path(data_dir), database_url=url), migrate_db=True)  # type: ignore[call-arg]


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n = int(params["subjects"])
    results: list[Result] = []
    kept_sqlite = os.environ.get("CONFIDE_BENCH_AUDIENCE_SQLITE")
    kept_pg = os.environ.get("CONFIDE_BENCH_AUDIENCE_PG")
    if kept_sqlite or kept_pg:
        if kept_sqlite:
            c = _kept(kept_sqlite, None)
            try:
                results += _measure(c, "SQLite", size)
            finally:
                c.close()
        if kept_pg:
            c = _kept(os.environ.get("CONFIDE_BENCH_AUDIENCE_PG_DIR", "."), kept_pg)
            try:
                results += _measure(c, "PostgreSQL", size)
            finally:
                c.close()
        results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
        return results
    with tempfile.TemporaryDirectory() as tmp:
        c = _build(Path(tmp), None)
        try:
            c.demo.generate(LOCAL_OPERATOR, n, seed=42, as_of=date(2026, 11, 1))
            results += _measure(c, "SQLite", size)
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
                results += _measure(c, "PostgreSQL", size)
            finally:
                c.close()
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
    return results
