"""System jobs: the heartbeat that shows an operator the workers are alive."""

from __future__ import annotations

from confide.jobs.registry import JobContext, JobRegistry
from confide.services.ports.jobs import WorkerHeartbeat


def heartbeat(ctx: JobContext, payload: dict[str, object]) -> None:
    """Record the time of this tick and the worker that ran it (``confide jobs status``)."""
    ctx.queue.record_heartbeat(WorkerHeartbeat(at=ctx.clock.now(), worker=ctx.worker_id))


def register(registry: JobRegistry) -> None:
    registry.job("system.heartbeat", max_attempts=2, backoff_seconds=5.0)(heartbeat)
