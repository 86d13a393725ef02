"""Request jobs: the legal clocks' tick (reminders before the deadline, deemed refusal and
escalation after it, ACC-1..3). Safe to run again: each request moves once (compare-and-set on
its state) and each mail carries a Message-ID naming the request, so it is queued once."""

from __future__ import annotations

import logging

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry

log = logging.getLogger("confide.jobs.requests")

# The worker acts as the system; its changes are attributed to it in the audit trail.


def tick(ctx: JobContext, payload: dict[str, object]) -> None:
    """Send due reminders and deem overdue requests refused, escalating them to the officer."""
    report = ctx.container.requests.tick(WORKER)
    if report.reminded or report.deemed_refused:
        log.info(
            "requests tick: %d reminded, %d deemed refused", report.reminded, report.deemed_refused
        )


def register(registry: JobRegistry) -> None:
    registry.job("requests.tick", max_attempts=3, backoff_seconds=60.0)(tick)
