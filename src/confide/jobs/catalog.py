"""Every job area, and every periodic tick, in one place.

To add a job area: write ``confide/jobs/<area>.py`` with ``register(registry)`` and
list it in ``AREAS``. To run a job on a clock, add a line to ``PERIODIC``
(e.g. ``PeriodicJob("requests.tick", "* * * * *", "legal clocks, reminders, escalation")``).
"""

from __future__ import annotations

from collections.abc import Callable

from confide.jobs import audit, mail, outbox, system
from confide.jobs import breaches as breach_jobs
from confide.jobs import complaints as complaint_jobs
from confide.jobs import consent as consent_jobs
from confide.jobs import requests as request_jobs
from confide.jobs import retention as retention_jobs
from confide.jobs.registry import JobRegistry, PeriodicJob

AREAS: tuple[Callable[[JobRegistry], None], ...] = (
    system.register,
    mail.register,
    audit.register,
    request_jobs.register,
    outbox.register,
    consent_jobs.register,
    retention_jobs.register,
    breach_jobs.register,
    complaint_jobs.register,
)

PERIODIC: tuple[PeriodicJob, ...] = (
    PeriodicJob("system.heartbeat", "* * * * *", "the worker is alive: time of the last tick"),
    PeriodicJob(
        "audit.checkpoint", "*/10 * * * *", "sign a checkpoint of the audit log every 10 minutes"
    ),
    PeriodicJob(
        "requests.tick",
        "*/5 * * * *",
        "legal clocks of requests: reminders, deemed refusals and escalation (ACC-1..3); "
        "individuals' requests whose intake job was lost are matched",
    ),
    PeriodicJob(
        "requests.expire",
        "20 * * * *",
        "individuals' requests not verified in time expire; what they carried is disposed of",
    ),
    PeriodicJob("outbox.deliver", "*/5 * * * *", "deliver the correction messages that are due"),
    PeriodicJob(
        "consent.maintain_state",
        "*/10 * * * *",
        "consent read model: rebuild after a policy change, recompute answers that ran out",
    ),
    PeriodicJob(
        "retention.tick",
        "*/15 * * * *",
        "disposal: execute approved runs, resume interrupted ones, the officer's daily schedule",
    ),
    PeriodicJob(
        "incidents.tick",
        "0 * * * *",
        "breach register: remind the privacy officer of reports and notices past their target",
    ),
    PeriodicJob(
        "complaints.tick",
        "30 * * * *",
        "complaints: escalate those not resolved at the first level by their target (CMP-1)",
    ),
)


def default_registry() -> JobRegistry:
    registry = JobRegistry()
    for register in AREAS:
        register(registry)
    for periodic in PERIODIC:
        registry.every(periodic)
    return registry
