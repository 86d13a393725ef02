"""The ``outbox.deliver`` job on a real worker (Huey on the embedded SQLite queue): accepting a
correction wakes the worker, which delivers to the recipient's real HTTP endpoint (ACC-9)."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

from corrections_support import OP, SYSTEM, Receiver, disclose, recipient, subject

from confide.bootstrap import Container
from confide.domain.outbox import DeliveryState
from confide.jobs.catalog import PERIODIC, default_registry
from confide.jobs.outbox import deliver
from confide.jobs.worker import prepare_worker
from confide.testing import FakeClock


def test_the_delivery_job_is_registered_with_a_periodic_safety_net() -> None:
    assert ("outbox.deliver", "*/5 * * * *") in [(p.name, p.cron) for p in PERIODIC]
    assert "outbox.deliver" in default_registry()


def test_acc_9_an_accepted_correction_wakes_the_worker_which_delivers_it(
    sqlite_container: Container, receiver: Receiver
) -> None:
    c = sqlite_container
    assert c.corrections is not None and c.outbox is not None
    sid = subject(c, on_file=("name",))
    rid = recipient(c, endpoint=receiver.url)
    disclose(c, sid, rid, ("name",))
    worker = prepare_worker(c, periodic=False, max_poll_delay=0.1, threads=1)
    worker.start()
    try:
        [mid] = c.corrections.accept(OP, sid, "name", "Awake Worker").messages
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not receiver.requests:
            time.sleep(0.05)
    finally:
        worker.stop(graceful=True)
    assert [r["body"]["message_id"] for r in receiver.requests] == [mid]
    view = c.outbox.message(OP, mid)
    assert view.message.state is DeliveryState.DELIVERED
    assert len(view.attempts) == 1


def test_acc_9_after_a_failed_attempt_the_next_run_is_scheduled_for_the_backoff_time(
    sqlite_container: Container, receiver: Receiver, clock: FakeClock
) -> None:
    c = sqlite_container
    assert c.corrections is not None and c.outbox is not None and c.queue is not None
    sid = subject(c, on_file=("name",))
    rid = recipient(c, endpoint=receiver.url)
    disclose(c, sid, rid, ("name",))
    [mid] = c.corrections.accept(OP, sid, "name", "Later Name").messages
    receiver.fail_next = 1
    deliver(SimpleNamespace(container=c, worker_id="w1"), {})  # type: ignore[arg-type]
    due = c.outbox.message(OP, mid).message.next_attempt_at
    assert due == clock.now() + timedelta(minutes=1)
    job = c.outbox.wake_at_next(SYSTEM)
    assert job is not None
    info = c.queue.job(job)
    assert info is not None and info.name == "outbox.deliver" and info.run_at == due
    # Nothing pending: nothing scheduled.
    clock.advance(minutes=1)
    deliver(SimpleNamespace(container=c, worker_id="w1"), {})  # type: ignore[arg-type]
    assert c.outbox.message(OP, mid).message.state is DeliveryState.DELIVERED
    assert c.outbox.wake_at_next(SYSTEM) is None
