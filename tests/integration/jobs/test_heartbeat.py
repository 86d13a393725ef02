"""The periodic heartbeat: declared every minute in the one registry, run by a worker,
recording the time of the last tick (from the container's clock) and who ran it."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs_support import open_queue, wait_until

from confide.bootstrap import Container
from confide.config import Settings
from confide.jobs.catalog import PERIODIC
from confide.jobs.worker import prepare_worker
from confide.testing import FakeClock
from confide.testing.mail import FakeMailer

TICK = "confide_tick_system_heartbeat"


def test_the_heartbeat_is_declared_to_run_every_minute(
    queue_settings: Settings, sqlite_container: Container
) -> None:
    assert ("system.heartbeat", "* * * * *") in [(p.name, p.cron) for p in PERIODIC]
    queue = open_queue(queue_settings)
    prepare_worker(sqlite_container, queue=queue, mailer=FakeMailer())  # binds, does not start
    for hour, minute in [(0, 0), (10, 1), (13, 37), (23, 59)]:
        assert TICK in queue.periodic_due(datetime(2026, 6, 1, hour, minute, tzinfo=UTC))


def test_a_tick_runs_the_heartbeat_which_records_the_clock_time_and_the_worker(
    queue_settings: Settings, sqlite_container: Container, clock: FakeClock
) -> None:
    queue = open_queue(queue_settings)
    assert queue.last_heartbeat() is None
    worker = prepare_worker(
        sqlite_container, queue=queue, mailer=FakeMailer(), periodic=False, max_poll_delay=0.1
    )
    worker.start()
    try:
        clock.set(datetime(2026, 6, 1, 9, 30, 5, tzinfo=UTC))
        # Minute 31: only the every-minute heartbeat is due (the others run every 5 or 10).
        assert queue.run_periodic(datetime(2026, 6, 1, 9, 31, 5, tzinfo=UTC)) == 1
        wait_until(lambda: queue.last_heartbeat() is not None, what="the first heartbeat")
        first = queue.last_heartbeat()
        assert first is not None
        assert first.at == clock.now()
        assert first.worker == queue.worker_id

        clock.advance(minutes=1)
        # the next minute's tick is a new job; the one of this minute ran already
        queue.enqueue("system.heartbeat", {}, idempotency_key="tick:manual-next-minute")
        wait_until(lambda: queue.last_heartbeat() != first, what="the second heartbeat")
    finally:
        worker.stop()
    second = queue.last_heartbeat()
    assert second is not None and second.at == datetime(2026, 6, 1, 9, 31, 5, tzinfo=UTC)


def test_ticks_from_two_machines_in_the_same_minute_make_one_heartbeat_job(
    queue_settings: Settings, sqlite_container: Container
) -> None:
    machines = [open_queue(queue_settings) for _ in range(2)]
    workers = [
        prepare_worker(
            sqlite_container, queue=q, mailer=FakeMailer(), periodic=False, max_poll_delay=0.1
        )
        for q in machines
    ]
    for w in workers:
        w.start()
    try:
        # Both machines tick in the same minute, one in which only the heartbeat is due.
        now = datetime(2026, 6, 1, 9, 31, 5, tzinfo=UTC)
        for q in machines:
            q.run_periodic(now)
        wait_until(lambda: machines[0].counts().get("done", 0) >= 1, what="the heartbeat job")
        wait_until(lambda: machines[0].huey.pending_count() == 0, what="an empty queue")
    finally:
        for w in workers:
            w.stop()
    assert machines[0].counts() == {"done": 1}
