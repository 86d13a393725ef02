"""Audit jobs: sign a checkpoint of the log periodically, so auditors always have a recent one."""

from __future__ import annotations

from confide.domain.access import WORKER
from confide.jobs.registry import JobContext, JobRegistry

# The worker acts as the system; checkpoints it signs are attributed to it in the log.


def checkpoint(ctx: JobContext, payload: dict[str, object]) -> None:
    """Sign the current tree head (idempotent: a size already checkpointed is kept as is)."""
    ctx.container.audit.checkpoint(WORKER)


def register(registry: JobRegistry) -> None:
    registry.job("audit.checkpoint", max_attempts=3, backoff_seconds=30.0)(checkpoint)
