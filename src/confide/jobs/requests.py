"""Request jobs: the intake of an individual's own request (matched off the request path), the
legal clocks' tick (reminders before the deadline, deemed refusal and escalation after it,
ACC-1..3) and the expiry of requests not verified in time (ACC-11).

Safe to run again: each request moves once (compare-and-set on its state) and each mail carries
a Message-ID naming the request, so it is queued once."""

from __future__ import annotations

import logging

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry
from confide.services.requests.shared import INTAKE_JOB

log = logging.getLogger("confide.jobs.requests")

# The worker acts as the system; its changes are attributed to it in the audit trail.


def intake(ctx: JobContext, payload: dict[str, object]) -> None:
    """Match an individual's own request and send its code (queued by the intake)."""
    ctx.container.requests.match(WORKER, str(payload["request_id"]))


def tick(ctx: JobContext, payload: dict[str, object]) -> None:
    """Match requests whose intake job was lost, send due reminders and deem overdue requests
    refused, escalating them to the officer."""
    caught_up = ctx.container.requests.match_pending(WORKER)
    report = ctx.container.requests.tick(WORKER)
    if caught_up:
        log.info("requests tick: %d request(s) matched late", caught_up)
    if report.reminded or report.deemed_refused:
        log.info(
            "requests tick: %d reminded, %d deemed refused", report.reminded, report.deemed_refused
        )


def expire(ctx: JobContext, payload: dict[str, object]) -> None:
    """Expire individuals' requests not verified in time and dispose of what they carried."""
    expired = ctx.container.requests.expire_unverified(WORKER)
    if expired:
        log.info("requests expire: %d unverified request(s) expired", expired)


def register(registry: JobRegistry) -> None:
    registry.job(INTAKE_JOB, max_attempts=5, backoff_seconds=10.0)(intake)
    registry.job("requests.tick", max_attempts=3, backoff_seconds=60.0)(tick)
    registry.job("requests.expire", max_attempts=3, backoff_seconds=60.0)(expire)
