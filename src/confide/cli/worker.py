"""``confide worker`` (run background jobs) and ``confide jobs`` (dead letters, heartbeat, status)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Annotated

import typer

from confide.adapters.queue import HueyTaskQueue, make_queue
from confide.cli.common import console, container, handles_errors, state
from confide.domain.access import LOCAL_OPERATOR
from confide.jobs.worker import run_worker
from confide.services.ports.jobs import JobInfo


def _when(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if at else "-"


def _as_dict(job: JobInfo) -> dict[str, object]:
    return {
        "job_id": job.job_id,
        "name": job.name,
        "state": job.state,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "enqueued_at": job.enqueued_at.isoformat(),
        "run_at": job.run_at.isoformat() if job.run_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "last_error": job.last_error,
    }


def _queue(ctx: typer.Context) -> HueyTaskQueue:
    return make_queue(state(ctx).settings())


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def worker(
        ctx: typer.Context,
        threads: Annotated[
            int | None, typer.Option(help="Jobs run at once (default: CONFIDE_WORKER_THREADS).")
        ] = None,
        periodic: Annotated[
            bool, typer.Option(help="Also enqueue the periodic ticks (heartbeat, clocks).")
        ] = True,
        log_level: Annotated[
            str,
            typer.Option(help="Log level of the worker's log (job ids and names, no payloads)."),
        ] = "info",
    ) -> None:
        """Run background jobs from the queue (SQLite file by default, Redis with CONFIDE_QUEUE_URL)."""
        level = logging.getLevelName(log_level.upper())
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if level != logging.DEBUG:  # Huey's own lines repeat ours, by task uuid
            logging.getLogger("huey").setLevel(logging.WARNING)
        settings = state(ctx).settings()
        embedded = settings.database_url is None and settings.keys is None  # as `confide serve`
        with container(ctx, create_key=embedded) as c:
            console.print(
                f"Worker on queue [bold]{c.settings.queue_name}[/] "
                f"({c.settings.effective_queue_url.partition('://')[0]}); SIGTERM stops it gracefully."
            )
            run_worker(c, threads=threads, periodic=periodic)

    jobs = typer.Typer(
        help="Background jobs: the dead-letter list, retries, the worker's heartbeat.",
        no_args_is_help=True,
    )
    app.add_typer(jobs, name="jobs")

    @jobs.command("failed")
    @handles_errors
    def failed(
        ctx: typer.Context,
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Jobs that failed every attempt (the dead-letter list), oldest first."""
        with container(ctx) as c:
            dead = c.jobs.failed(LOCAL_OPERATOR)
        if output == "json":
            console.print_json(json.dumps([_as_dict(j) for j in dead]))
            return
        if not dead:
            console.print("No failed jobs.")
            return
        for j in dead:
            console.print(
                f"{j.job_id}  {j.name}  attempts {j.attempts}/{j.max_attempts}  "
                f"failed {_when(j.finished_at)} UTC  {j.last_error or '-'}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
        console.print(f"{len(dead)} failed job(s): `confide jobs retry ID` queues one again.")

    @jobs.command("retry")
    @handles_errors
    def retry(ctx: typer.Context, job_id: str) -> None:
        """Queue a failed job again, with a fresh set of attempts."""
        with container(ctx) as c:
            job = c.jobs.retry(LOCAL_OPERATOR, job_id)
        console.print(f"Job {job.job_id} ({job.name}) queued again.")

    @jobs.command("discard")
    @handles_errors
    def discard(ctx: typer.Context, job_id: str) -> None:
        """Take a failed job off the dead-letter list without running it."""
        with container(ctx) as c:
            job = c.jobs.discard(LOCAL_OPERATOR, job_id)
        console.print(f"Job {job.job_id} ({job.name}) discarded.")

    @jobs.command("show")
    @handles_errors
    def show(ctx: typer.Context, job_id: str) -> None:
        """One job's state, attempts and last error (never its payload)."""
        with container(ctx) as c:
            job = c.jobs.job(LOCAL_OPERATOR, job_id)
        console.print_json(json.dumps(_as_dict(job)))

    @jobs.command("status")
    @handles_errors
    def status(ctx: typer.Context) -> None:
        """The last heartbeat, live workers and jobs by state."""
        q = _queue(ctx)
        try:
            beat, workers, counts = q.last_heartbeat(), q.workers(), q.counts()
        finally:
            q.close()
        if beat is None:
            console.print("Heartbeat: [red]never[/] (is a worker running? `confide worker`)")
        else:
            age = (datetime.now(UTC) - beat.at).total_seconds()
            colour = "green" if age < 150 else "red"
            console.print(
                f"Heartbeat: [{colour}]{_when(beat.at)} UTC[/] ({age:.0f} s ago, {beat.worker})"
            )
        console.print(f"Live workers: {len(workers)}")
        for w in workers:
            console.print(f"  {w}")
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"
        console.print(f"Jobs: {summary}")
