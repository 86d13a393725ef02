"""Complaint jobs: the tick that escalates complaints not resolved at the first level by the
company's own target date (CMP-1). Safe to run again: an escalated complaint is not again."""

from __future__ import annotations

import logging

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry

log = logging.getLogger("confide.jobs.complaints")


def tick(ctx: JobContext, payload: dict[str, object]) -> None:
    escalated = ctx.container.complaints.tick(WORKER)
    if escalated:
        log.info("complaint tick: %d complaint(s) escalated", len(escalated))


def register(registry: JobRegistry) -> None:
    registry.job("complaints.tick", max_attempts=3, backoff_seconds=60.0)(tick)
