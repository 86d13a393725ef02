"""Several writers, and a crash: the audit log keeps one total order and loses nothing (issue 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, subjects
from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR

WRITER = Path(__file__).with_name("writer.py")
OP = LOCAL_OPERATOR


def _spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_appending_10k_entries_each_give_one_valid_tree(
    pg_url: str, tmp_path: Path, keys_json: str, audit_signing_key: str
) -> None:
    env = writer_env(tmp_path, keys_json, pg_url, audit_signing_key)
    c = build(_settings(env), migrate_db=True)
    try:
        base = c.audit.size(OP)  # activating the policy already wrote its entry
        procs = [_spawn(env, "appends", "10000", "25", tag) for tag in ("a", "b")]
        for p in procs:
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-2000:]
        with c.engine.connect() as conn:
            seqs = [
                r[0]
                for r in conn.execute(sa.select(audit_entries.c.seq).order_by(audit_entries.c.seq))
            ]
        assert seqs == list(range(base + 20_000))  # no two entries at one position, no gap
        c.audit.checkpoint(OP)
        report = c.audit.verify(OP)
        assert report.ok, report.summary()
        assert report.entries == base + 20_000
    finally:
        c.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_killed_writer_leaves_every_committed_change_with_its_entry(
    backend: str,
    tmp_path: Path,
    keys_json: str,
    audit_signing_key: str,
    request: pytest.FixtureRequest,
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'crash.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    env = writer_env(tmp_path, keys_json, url, audit_signing_key)
    c = build(_settings(env), migrate_db=True)
    try:
        proc = _spawn(env, "subjects", "100000")
        committed = []
        assert proc.stdout is not None
        for line in proc.stdout:
            committed.append(line.strip())
            if len(committed) >= 150:
                break
        os.kill(proc.pid, signal.SIGKILL)  # in the middle of a burst of writes
        proc.wait()
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
        with c.engine.connect() as conn:
            stored = {r[0] for r in conn.execute(sa.select(subjects.c.id))}
            registered = {
                r[0]
                for r in conn.execute(
                    sa.select(audit_entries.c.object_id).where(
                        audit_entries.c.action == "subject.registered"
                    )
                )
            }
        assert set(committed) <= stored  # every change reported committed survived
        assert stored == registered  # no change without its entry, no entry without its change
        c.audit.checkpoint(OP)
        report = c.audit.verify(OP)
        assert report.ok, report.summary()
        # And the log goes on after the restart.
        c.audit.checkpoint(OP)
    finally:
        c.close()


def writer_env(tmp_path: Path, keys_json: str, url: str, signing_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env.update(
        {
            "CONFIDE_DATABASE_URL": url,
            "CONFIDE_KEYS": keys_json,
            "CONFIDE_AUDIT_SIGNING_KEY": signing_key,
            "CONFIDE_DATA_DIR": str(tmp_path),
        }
    )
    return env


def _settings(env: dict[str, str]) -> Settings:
    return Settings(
        database_url=env["CONFIDE_DATABASE_URL"],
        keys=env["CONFIDE_KEYS"],  # type: ignore[arg-type]
        audit_signing_key=env["CONFIDE_AUDIT_SIGNING_KEY"],
        data_dir=Path(env["CONFIDE_DATA_DIR"]),  # type: ignore[arg-type]
    )
