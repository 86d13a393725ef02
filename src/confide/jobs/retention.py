"""Retention jobs: the tick that executes approved disposal runs, resumes interrupted ones and,
when the privacy officer set a schedule, plans and approves the day's run (RET-2).

Safe to run again and to kill at any point: a run's batches are transactions, and the next
tick goes on from the first record not yet disposed of."""

from __future__ import annotations

import logging

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry

log = logging.getLogger("confide.jobs.retention")


def tick(ctx: JobContext, payload: dict[str, object]) -> None:
    touched = ctx.container.retention.tick(WORKER)
    if touched:
        log.info("retention tick: %d run(s) executed", len(touched))


def execute(ctx: JobContext, payload: dict[str, object]) -> None:
    """Execute one approved run now (enqueued when the officer approves it)."""
    ctx.container.retention.execute(WORKER, str(payload["run_id"]))


def register(registry: JobRegistry) -> None:
    registry.job("retention.tick", max_attempts=3, backoff_seconds=60.0)(tick)
    registry.job("retention.execute", max_attempts=5, backoff_seconds=60.0)(execute)
