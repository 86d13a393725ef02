"""Running the jobs: bind the registry to a queue and start Huey's consumer.

* ``confide worker`` calls :func:`run_worker` (foreground; SIGTERM stops it gracefully).
* ``confide serve`` calls :func:`start_embedded_worker` before the HTTP server starts,
  and the returned callable when it stops: the embedded default runs jobs in the same
  process, on the SQLite queue file in the data directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from confide.adapters.mail import make_mailer
from confide.adapters.queue import HueyTaskQueue, JobRun, JobSpec, QueueWorker, make_queue
from confide.bootstrap import Container
from confide.jobs.catalog import default_registry
from confide.jobs.registry import JobContext, JobDefinition, JobRegistry
from confide.services.ports.mail import Mailer


def queue_of(container: Container) -> HueyTaskQueue:
    """The container's queue when it has one (after wiring), else one from its settings."""
    existing = getattr(container, "queue", None)
    if isinstance(existing, HueyTaskQueue):
        return existing
    return make_queue(container.settings, cipher=container.keyring)


def mailer_of(container: Container) -> Mailer:
    """The mailer jobs send with: SMTP (the container's, else one from its settings)."""
    existing: Mailer | None = getattr(container, "smtp_mailer", None)
    return existing if existing is not None else make_mailer(container.settings)


@dataclass(frozen=True)
class _BoundJob:
    definition: JobDefinition
    container: Container
    queue: HueyTaskQueue
    mailer: Mailer

    def __call__(self, run: JobRun) -> None:
        ctx = JobContext(
            container=self.container,
            queue=self.queue,
            mailer=self.mailer,
            job_id=run.job_id,
            name=run.name,
            attempt=run.attempt,
            worker_id=self.queue.worker_id,
        )
        self.definition.handler(ctx, run.payload)


def bind(queue: HueyTaskQueue, registry: JobRegistry, container: Container, mailer: Mailer) -> None:
    """Let ``queue``'s workers run every job of ``registry``, and schedule its periodic ticks."""
    for definition in registry.jobs:
        queue.add_job(
            JobSpec(
                definition.name,
                _BoundJob(definition, container, queue, mailer),
                max_attempts=definition.max_attempts,
                backoff_seconds=definition.backoff_seconds,
            )
        )
    for periodic in registry.periodic:
        queue.add_periodic(periodic.name, periodic.cron)


def prepare_worker(
    container: Container,
    *,
    queue: HueyTaskQueue | None = None,
    mailer: Mailer | None = None,
    registry: JobRegistry | None = None,
    threads: int | None = None,
    periodic: bool = True,
    max_poll_delay: float = 1.0,
) -> QueueWorker:
    queue = queue or queue_of(container)
    mailer = mailer or mailer_of(container)
    bind(queue, registry or default_registry(), container, mailer)
    return QueueWorker(
        queue,
        threads=threads or container.settings.worker_threads,
        periodic=periodic,
        max_poll_delay=max_poll_delay,
    )


def run_worker(container: Container, *, threads: int | None = None, periodic: bool = True) -> None:
    """Run a worker in the foreground until SIGTERM (graceful) or SIGINT."""
    prepare_worker(container, threads=threads, periodic=periodic).run()


def start_embedded_worker(container: Container) -> Callable[[], None]:
    """Start a worker in this process (threads, no signal handlers); returns ``stop``.

    ``stop()`` lets running jobs finish (up to 30 s) and is safe to call twice.
    """
    worker = prepare_worker(container)
    worker.start()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            worker.stop(graceful=True)

    return stop
