"""Consent jobs: upkeep of the consent read model (issue 4).

Every 10 minutes: rebuild the read model if it is not built for the active policy version
(after a new version is activated), otherwise recompute the subjects whose stored answers ran
out since, so audiences read almost everything from the read model.
"""

from __future__ import annotations

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry


def maintain_state(ctx: JobContext, payload: dict[str, object]) -> None:
    ctx.container.consent.maintain_state(WORKER)


def register(registry: JobRegistry) -> None:
    registry.job("consent.maintain_state", max_attempts=3, backoff_seconds=60.0)(maintain_state)
