"""Outbox jobs: deliver the correction messages that are due (ACC-9).

``outbox.deliver`` is enqueued right after a correction is accepted or refused (and after an
officer's retry), and each run schedules the next one for when the earliest pending message is
due, so retries follow their backoff. A periodic tick every five minutes is the safety net.
It is idempotent: each message is claimed before it is sent and carries the same message id on
every attempt; the outbox keeps its own attempts and backoff, so this job fails only when the
store itself cannot be reached.
"""

from __future__ import annotations

from confide.domain.access import WORKER
from confide.domain.errors import Conflict
from confide.jobs.registry import JobContext, JobRegistry

# The worker acts as the system; attempts it records are attributed to it in the audit log.


def deliver(ctx: JobContext, payload: dict[str, object]) -> None:
    """Attempt every outbox message whose next attempt is due."""
    outbox = ctx.container.outbox
    if outbox is None:
        raise Conflict("the correction outbox is not configured in this process")
    outbox.deliver_due(WORKER, worker=ctx.worker_id)
    outbox.wake_at_next(WORKER)  # the next retry runs on its backoff time, not the next tick


def register(registry: JobRegistry) -> None:
    registry.job("outbox.deliver", max_attempts=3, backoff_seconds=30.0)(deliver)
