"""The job registry: every job a worker can run, by name, and the periodic ticks.

A job is a function ``(JobContext, payload) -> None`` that calls one service. It must be
safe to run again: a worker that dies mid-job leaves it to be run by another, so a job
either makes its effect idempotent (keyed by ``ctx.job_id``) or checks whether it is done.
Raising fails the attempt: the queue retries with backoff, then dead-letters it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from confide.bootstrap import Container
from confide.domain.errors import Conflict
from confide.services.ports.common import Clock
from confide.services.ports.jobs import TaskQueue
from confide.services.ports.mail import Mailer


@dataclass(frozen=True)
class JobContext:
    """What a job receives: the services (through the container), the queue, the mailer,
    and which attempt of which job this is."""

    container: Container
    queue: TaskQueue
    mailer: Mailer
    job_id: str
    name: str
    attempt: int
    worker_id: str

    @property
    def clock(self) -> Clock:
        return self.container.ctx.clock


JobHandler = Callable[[JobContext, dict[str, object]], None]


@dataclass(frozen=True)
class JobDefinition:
    name: str
    handler: JobHandler
    max_attempts: int = 5
    backoff_seconds: float = 30.0
    description: str = ""


@dataclass(frozen=True)
class PeriodicJob:
    """Run job ``name`` on a cron schedule (``minute hour day month weekday``, UTC)."""

    name: str
    cron: str
    description: str = ""


class JobRegistry:
    """Jobs by name, and the periodic schedule; adding a job touches its area module only."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobDefinition] = {}
        self._periodic: list[PeriodicJob] = []

    def add(self, definition: JobDefinition) -> None:
        if definition.name in self._jobs:
            raise Conflict(f"job {definition.name!r} is registered twice")
        if definition.max_attempts < 1:
            raise Conflict(f"job {definition.name!r} needs at least one attempt")
        self._jobs[definition.name] = definition

    def job(
        self,
        name: str,
        *,
        max_attempts: int = 5,
        backoff_seconds: float = 30.0,
    ) -> Callable[[JobHandler], JobHandler]:
        """Decorator: register ``fn`` as job ``name`` (its docstring describes it)."""

        def decorator(fn: JobHandler) -> JobHandler:
            self.add(
                JobDefinition(name, fn, max_attempts, backoff_seconds, (fn.__doc__ or "").strip())
            )
            return fn

        return decorator

    def every(self, periodic: PeriodicJob) -> None:
        if periodic.name not in self._jobs:
            raise Conflict(f"periodic job {periodic.name!r} is not a registered job")
        self._periodic.append(periodic)

    @property
    def jobs(self) -> list[JobDefinition]:
        return sorted(self._jobs.values(), key=lambda d: d.name)

    @property
    def periodic(self) -> list[PeriodicJob]:
        return list(self._periodic)

    def __contains__(self, name: object) -> bool:
        return name in self._jobs
