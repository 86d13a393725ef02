"""The periodic audit checkpoint job signs the current tree head, once per size."""

from __future__ import annotations

from types import SimpleNamespace

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.jobs.audit import checkpoint
from confide.jobs.catalog import PERIODIC, default_registry
from confide.services.subjects import RegisterSubject


def test_audit_checkpoint_is_declared_every_ten_minutes() -> None:
    assert ("audit.checkpoint", "*/10 * * * *") in [(p.name, p.cron) for p in PERIODIC]
    assert "audit.checkpoint" in default_registry()


def test_the_job_signs_a_checkpoint_that_verifies(sqlite_container: Container) -> None:
    c = sqlite_container
    c.subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="j@example.ca"))
    ctx = SimpleNamespace(container=c)
    checkpoint(ctx, {})  # type: ignore[arg-type]
    checkpoint(ctx, {})  # type: ignore[arg-type]
    cps = c.audit.checkpoints(LOCAL_OPERATOR)
    assert len(cps) == 1 and cps[0].size == c.audit.size(LOCAL_OPERATOR)
    assert c.audit.verify(LOCAL_OPERATOR).ok
