"""A job interrupted by a restart completes exactly once: the worker process is killed
with SIGKILL in the middle of the job, a new worker starts, and the job is run again
and completes, its effect recorded once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from jobs_support import open_queue, wait_until

from confide.adapters.queue import DONE, RUNNING
from confide.config import Settings

pytestmark = pytest.mark.slow
WORKER = Path(__file__).with_name("worker_process.py")


def env_for(settings: Settings) -> dict[str, str]:
    assert settings.keys is not None and settings.queue_url is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env.update(
        CONFIDE_DATA_DIR=str(settings.data_dir),
        CONFIDE_KEYS=settings.keys.get_secret_value(),
        CONFIDE_QUEUE_URL=settings.queue_url,
        CONFIDE_QUEUE_NAME=settings.queue_name,
        CONFIDE_JOB_LEASE_SECONDS=str(settings.job_lease_seconds),
    )
    return env


@contextmanager
def worker_process(settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER)], env=env_for(settings), stdout=out, stderr=out
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def alive(proc: subprocess.Popen[bytes], log: Path) -> bool:
    if proc.poll() is not None:
        raise AssertionError(f"the worker exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
    return True


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return list(con.execute(sql))


def test_a_job_interrupted_by_killing_its_worker_completes_exactly_once_after_restart(
    queue_settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "effects.db"
    with sqlite3.connect(db) as con:
        con.execute("create table starts (job_id text, attempt integer)")
        con.execute("create table effects (job_id text primary key)")
    log = tmp_path / "worker.log"
    queue = open_queue(queue_settings)
    job_id = queue.enqueue("test.effect", {"db": str(db), "hold": 60})

    with worker_process(queue_settings, log) as first:
        wait_until(lambda: alive(first, log) and len(rows(db, "select * from starts")) == 1,
                   timeout=60, what="the first attempt to start")  # fmt: skip
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    job = queue.job(job_id)
    assert job is not None and job.state == RUNNING  # left behind by the dead worker
    assert rows(db, "select * from effects") == []

    with worker_process(queue_settings, log) as second:
        wait_until(lambda: alive(second, log) and queue.job(job_id).state == DONE,  # type: ignore[union-attr]
                   timeout=60, what="the job to complete after the restart")  # fmt: skip
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=40) == 0  # a graceful stop

    assert rows(db, "select job_id from effects") == [(job_id,)]
    assert rows(db, "select job_id, attempt from starts order by attempt") == [
        (job_id, 1),
        (job_id, 2),
    ]
    job = queue.job(job_id)
    assert job is not None and (job.attempts, job.last_error) == (2, "job_interrupted")
    assert queue.dead_letters() == []
    assert b"Traceback" not in log.read_bytes()
