"""``confide jobs``: the privacy officer sees the dead-letter list, retries or discards a job,
and sees the worker's heartbeat."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from jobs_support import Recorder, open_queue, running_worker, wait_until
from tests.conftest import AUDIT_SIGNING_KEY
from typer.testing import CliRunner

from confide.adapters.queue import DEAD, JobSpec
from confide.cli import worker as worker_cli
from confide.config import Settings
from confide.services.ports.jobs import WorkerHeartbeat


@pytest.fixture
def cli(
    queue_settings: Settings, monkeypatch: pytest.MonkeyPatch, audit_signing_key: str
) -> typer.Typer:
    assert queue_settings.keys is not None and queue_settings.queue_url is not None
    # `confide jobs` goes through the service layer (roles, audit trail): a whole deployment.
    monkeypatch.setenv("CONFIDE_AUDIT_SIGNING_KEY", audit_signing_key)
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(queue_settings.data_dir))
    monkeypatch.setenv("CONFIDE_KEYS", queue_settings.keys.get_secret_value())
    monkeypatch.setenv("CONFIDE_QUEUE_URL", queue_settings.queue_url)
    monkeypatch.setenv("CONFIDE_QUEUE_NAME", queue_settings.queue_name)
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Confide (test root)."""

    worker_cli.register(app)
    return app


def test_the_officer_lists_retries_and_discards_failed_jobs(
    cli: typer.Typer, queue_settings: Settings
) -> None:
    runner = CliRunner()
    assert "No failed jobs." in runner.invoke(cli, ["jobs", "failed"]).output

    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.fail", rec.failing(RuntimeError("x")), max_attempts=1))
    first = queue.enqueue("test.fail", {"email": "secret@example.test"})
    second = queue.enqueue("test.fail", {})
    with running_worker(queue):
        wait_until(lambda: len(queue.dead_letters()) == 2, what="two dead letters")

    table = runner.invoke(cli, ["jobs", "failed"])
    assert table.exit_code == 0, table.output
    assert first in table.output and second in table.output and "RuntimeError" in table.output
    assert "secret@example.test" not in table.output
    listed = json.loads(runner.invoke(cli, ["jobs", "failed", "--format", "json"]).output)
    assert {j["job_id"] for j in listed} == {first, second}
    assert {j["state"] for j in listed} == {DEAD}

    assert runner.invoke(cli, ["jobs", "discard", first]).exit_code == 0
    retried = runner.invoke(cli, ["jobs", "retry", second])
    assert retried.exit_code == 0 and "queued again" in retried.output
    assert queue.dead_letters() == []
    assert json.loads(runner.invoke(cli, ["jobs", "show", second]).output)["state"] == "queued"

    again = runner.invoke(cli, ["jobs", "retry", second])
    assert again.exit_code == 1 and "not in the dead-letter list" in " ".join(again.output.split())
    unknown = runner.invoke(cli, ["jobs", "show", "job_nope"])
    assert unknown.exit_code == 1 and "does not exist" in unknown.output


def test_status_shows_the_last_heartbeat_and_jobs_by_state(
    cli: typer.Typer, queue_settings: Settings
) -> None:
    runner = CliRunner()
    assert "never" in runner.invoke(cli, ["jobs", "status"]).output

    queue = open_queue(queue_settings)
    queue.record_heartbeat(WorkerHeartbeat(at=datetime.now(UTC), worker="host:123:abc"))
    queue.enqueue("test.waiting", {})
    out = runner.invoke(cli, ["jobs", "status"]).output
    assert "host:123:abc" in out
    assert "1 queued" in out


WORKER_COMMAND = """
import typer
from confide.cli import worker

app = typer.Typer()


@app.callback()
def root() -> None:
    "Confide (test root)."


worker.register(app)
app(["worker", "--threads", "1"])
"""


def test_the_worker_command_runs_jobs_and_stops_gracefully_on_sigterm(
    queue_settings: Settings, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    assert queue_settings.queue_url is not None and queue_settings.keys is not None
    env.update(
        CONFIDE_DATA_DIR=str(tmp_path / "embedded"),  # the embedded default store
        # The worker shares the key ring of whoever enqueues: queue messages are sealed with
        # it, and a worker refuses a message it cannot open (issue 18).
        CONFIDE_KEYS=queue_settings.keys.get_secret_value(),
        CONFIDE_AUDIT_SIGNING_KEY=AUDIT_SIGNING_KEY,
        CONFIDE_QUEUE_URL=queue_settings.queue_url,
        CONFIDE_QUEUE_NAME=queue_settings.queue_name,
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER_COMMAND], env=env, stdout=out, stderr=out
        )
    try:
        queue = open_queue(queue_settings)
        queue.enqueue("system.heartbeat", {}, idempotency_key="cli-test")
        wait_until(lambda: proc.poll() is None and queue.last_heartbeat() is not None,
                   timeout=60, what="a heartbeat from the worker command")  # fmt: skip
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=40) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = log.read_text()
    assert "system.heartbeat" in output and "Traceback" not in output
