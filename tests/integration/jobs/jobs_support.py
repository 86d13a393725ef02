"""Helpers of the job tests: a queue with recording handlers, a worker in threads, waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from confide.adapters.crypto import KeyRing
from confide.adapters.queue import HueyTaskQueue, JobRun, QueueWorker, make_queue
from confide.config import Settings


def open_queue(settings: Settings) -> HueyTaskQueue:
    assert settings.keys is not None
    return make_queue(settings, cipher=KeyRing.from_json(settings.keys.get_secret_value()))


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


@dataclass
class Recorder:
    """Handlers that record every run (thread-safe) and can fail on chosen attempts."""

    runs: list[JobRun] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, run: JobRun) -> None:
        with self.lock:
            self.runs.append(run)
            self.times.append(time.monotonic())

    def failing(self, exc: Exception, until_attempt: int = 10**6) -> Callable[[JobRun], None]:
        def handler(run: JobRun) -> None:
            self.ok(run)
            if run.attempt <= until_attempt:
                raise exc

        return handler

    def count(self, job_id: str) -> int:
        with self.lock:
            return sum(1 for r in self.runs if r.job_id == job_id)


@contextmanager
def running_worker(queue: HueyTaskQueue, threads: int = 2) -> Iterator[QueueWorker]:
    worker = QueueWorker(queue, threads=threads, periodic=False, max_poll_delay=0.1)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop(graceful=True)
