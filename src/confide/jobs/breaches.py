"""Breach register jobs: the tick that reminds the privacy officer of reports and notices past
their target date (BRE-3). Safe to run again: each reminder is added once per target date."""

from __future__ import annotations

import logging

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry

log = logging.getLogger("confide.jobs.breaches")


def tick(ctx: JobContext, payload: dict[str, object]) -> None:
    added = ctx.container.breaches.tick(WORKER)
    if added:
        log.info("breach tick: %d late report(s) or notice(s) reminded", added)


def register(registry: JobRegistry) -> None:
    registry.job("incidents.tick", max_attempts=3, backoff_seconds=60.0)(tick)
