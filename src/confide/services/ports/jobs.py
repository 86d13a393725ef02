"""Background jobs: the task queue and what it reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class JobInfo:
    """What the task queue knows about one job: never its payload, so it can be shown and logged.

    ``state`` is ``queued`` (waiting, possibly until ``run_at``), ``running``, ``done`` or
    ``dead`` (it kept failing: the dead-letter list). ``last_error`` names an error code or
    an exception type, never the values the job carried.
    """

    job_id: str
    name: str
    state: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime
    run_at: datetime | None = None
    finished_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class WorkerHeartbeat:
    """The last tick of the periodic ``system.heartbeat`` job: when, and which worker ran it."""

    at: datetime
    worker: str


class TaskQueue(Protocol):
    """Background jobs: persisted, idempotent, retried with backoff, dead-lettered when they keep failing.

    ``enqueue`` returns the job id. With an ``idempotency_key`` the same key always names
    the same job, so enqueuing it twice runs it once (within the queue's retention).
    """

    def enqueue(
        self,
        name: str,
        payload: dict[str, object] | None = None,
        *,
        run_at: datetime | None = None,
        delay_seconds: float | None = None,
        idempotency_key: str | None = None,
    ) -> str: ...

    def job(self, job_id: str) -> JobInfo | None: ...

    def dead_letters(self) -> list[JobInfo]:
        """Jobs that failed every attempt, oldest first; they stay until retried or discarded."""
        ...

    def retry_dead(self, job_id: str) -> JobInfo:
        """Queue a dead-lettered job again with a fresh set of attempts."""
        ...

    def discard_dead(self, job_id: str) -> JobInfo:
        """Remove a dead-lettered job from the list (it stays recorded as discarded until purged)."""
        ...

    def record_heartbeat(self, beat: WorkerHeartbeat) -> None: ...

    def last_heartbeat(self) -> WorkerHeartbeat | None: ...
