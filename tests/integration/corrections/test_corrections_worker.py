"""The ``outbox.deliver`` job on a real worker (Huey on the embedded SQLite queue): accepting a
correction wakes the worker, which delivers to the recipient's real HTTP endpoint (ACC-9)."""

from __future__ import annotations

import time

from corrections_support import OP, Receiver, disclose, recipient, subject

from confide.bootstrap import Container
from confide.domain.outbox import DeliveryState
from confide.jobs.catalog import PERIODIC, default_registry
from confide.jobs.worker import prepare_worker


def test_the_delivery_job_is_registered_and_runs_every_minute() -> None:
    assert ("outbox.deliver", "* * * * *") in [(p.name, p.cron) for p in PERIODIC]
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
