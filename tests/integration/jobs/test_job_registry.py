"""The job registry and catalog: one name per job, periodic ticks only for registered jobs,
backoff that doubles up to its cap."""

from __future__ import annotations

import pytest

from confide.adapters.queue import JobSpec, make_queue
from confide.bootstrap import Container
from confide.domain.errors import Conflict, ValidationFailed
from confide.jobs.catalog import AREAS, PERIODIC, default_registry
from confide.jobs.registry import JobContext, JobRegistry, PeriodicJob


def noop(ctx: JobContext, payload: dict[str, object]) -> None:
    """Does nothing."""


def test_the_default_registry_has_the_mail_and_heartbeat_jobs_and_every_tick_is_a_job() -> None:
    registry = default_registry()
    assert {"mail.send", "system.heartbeat"} <= {d.name for d in registry.jobs}
    assert all(p.name in registry for p in PERIODIC)
    assert len(AREAS) == len(set(AREAS))
    mail = next(d for d in registry.jobs if d.name == "mail.send")
    assert (mail.max_attempts, mail.backoff_seconds) == (8, 60.0)
    assert mail.description


def test_a_job_name_is_registered_once() -> None:
    registry = JobRegistry()
    registry.job("area.thing")(noop)
    with pytest.raises(Conflict):
        registry.job("area.thing")(noop)


def test_a_periodic_tick_needs_a_registered_job() -> None:
    with pytest.raises(Conflict):
        JobRegistry().every(PeriodicJob("requests.tick", "* * * * *"))


def test_a_job_needs_at_least_one_attempt() -> None:
    with pytest.raises(Conflict):
        JobRegistry().job("area.never", max_attempts=0)(noop)


def test_a_cron_schedule_needs_five_fields(sqlite_container: Container) -> None:
    queue = make_queue(sqlite_container.settings)
    with pytest.raises(ValidationFailed):
        queue.add_periodic("system.heartbeat", "* * * *")


def test_backoff_doubles_from_its_base_up_to_its_cap_with_a_little_jitter() -> None:
    spec = JobSpec("x", lambda run: None, backoff_seconds=60, max_backoff_seconds=3600)
    for attempt, expected in [(2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (12, 3600)]:
        delay = spec.delay_before(attempt)
        assert expected * 0.9 <= delay <= expected * 1.1
