"""The task queue: Huey, on a SQLite file (one machine) or Redis (workers on several machines).

Huey moves messages; this module adds what Confide promises about a job on top of it,
keeping its own record of every job in Huey's key-value store (the same SQLite file
or Redis server, so nothing else has to be running):

* **Persisted.** ``enqueue`` writes the job record (name, sealed payload, state) before
  the message; a message lost in a crash is sent again by recovery.
* **Idempotent.** With an idempotency key, the job id is derived from the key and the
  record is written only if absent: the same key enqueued twice is one job, run once.
* **Exactly one runner.** A worker runs a job only while it holds the job's claim
  (an atomic put-if-empty); every change to a record after enqueue is made under it.
  A job already ``done`` is never run again.
* **Survives a restart.** A worker that dies mid-job leaves its claim behind. Recovery
  (at worker start, then every half lease) takes over claims of dead workers: a worker
  is dead when its liveness record is older than the lease, or at once when it ran on
  this host and its process is gone. The job runs again; its handler sees ``attempt``.
* **Retried, then dead-lettered.** A failing job is scheduled again with exponential
  backoff; after its last attempt it is ``dead``: listed by ``dead_letters()`` (and
  ``confide jobs failed``) until a privacy officer retries or discards it.

Huey's messages are sealed JSON, never pickles (:mod:`confide.adapters.queue_messages`):
writing to Redis does not let anyone run code in the workers. Job payloads are sealed with
the key ring (AES-GCM, bound to the job id) when a cipher
is given, so mail addresses and one-time codes are not readable in Redis or the file.
Nothing here logs a payload; errors are recorded by code or exception type only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab  # type: ignore[import-untyped]
from huey.constants import EmptyData  # type: ignore[import-untyped]
from huey.consumer import Consumer  # type: ignore[import-untyped]

from confide.adapters.files import private_sqlite
from confide.adapters.queue_messages import SealedJsonSerializer
from confide.config import Settings
from confide.domain.errors import ConfideError, Conflict, NotFound, ValidationFailed
from confide.services.ports.common import Cipher
from confide.services.ports.jobs import JobInfo, WorkerHeartbeat

log = logging.getLogger("confide.jobs")

JOB = "confide:job:"
CLAIM = "confide:claim:"
WORKER = "confide:worker:"
HEARTBEAT = "confide:heartbeat"
RECOVERY_LOCK = "confide:recovery"

QUEUED, RUNNING, DONE, DEAD, DISCARDED = "queued", "running", "done", "dead", "discarded"
FINISHED = frozenset({DONE, DEAD, DISCARDED})
DEFAULT_MAX_ATTEMPTS = 5


class UnknownJob(ConfideError):
    code = "unknown_job"
    title = "No handler for this job"


class JobInterrupted(ConfideError):
    code = "job_interrupted"
    title = "The worker running the job stopped"


@dataclass(frozen=True)
class JobRun:
    """One attempt at a job, as its handler sees it."""

    job_id: str
    name: str
    attempt: int
    payload: dict[str, object]


Handler = Callable[[JobRun], None]


@dataclass(frozen=True)
class JobSpec:
    """How a worker runs one kind of job: the handler, how many attempts, the backoff."""

    name: str
    handler: Handler
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_seconds: float = 30.0
    max_backoff_seconds: float = 3600.0

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before ``attempt`` (2, 3, ...): doubling, capped, with 10% jitter."""
        base = min(self.backoff_seconds * 2 ** max(attempt - 2, 0), self.max_backoff_seconds)
        return float(base * random.uniform(0.9, 1.1))


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _dt(text: object) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


@dataclass
class _Record:
    job_id: str
    name: str
    state: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime
    run_at: datetime
    payload: str
    sent_at: datetime
    finished_at: datetime | None = None
    last_error: str | None = None
    worker: str | None = None

    def dump(self) -> bytes:
        data = {
            "job_id": self.job_id,
            "name": self.name,
            "state": self.state,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "enqueued_at": _iso(self.enqueued_at),
            "run_at": _iso(self.run_at),
            "payload": self.payload,
            "sent_at": _iso(self.sent_at),
            "finished_at": _iso(self.finished_at),
            "last_error": self.last_error,
            "worker": self.worker,
        }
        return json.dumps(data, separators=(",", ":")).encode()

    @classmethod
    def load(cls, raw: bytes) -> _Record:
        d = json.loads(bytes(raw))
        enqueued = _dt(d["enqueued_at"]) or datetime.now(UTC)
        return cls(
            job_id=d["job_id"],
            name=d["name"],
            state=d["state"],
            attempts=int(d["attempts"]),
            max_attempts=int(d["max_attempts"]),
            enqueued_at=enqueued,
            run_at=_dt(d["run_at"]) or enqueued,
            payload=d["payload"],
            sent_at=_dt(d["sent_at"]) or enqueued,
            finished_at=_dt(d.get("finished_at")),
            last_error=d.get("last_error"),
            worker=d.get("worker"),
        )

    def info(self) -> JobInfo:
        return JobInfo(
            job_id=self.job_id,
            name=self.name,
            state=self.state,
            attempts=self.attempts,
            max_attempts=self.max_attempts,
            enqueued_at=self.enqueued_at,
            run_at=self.run_at,
            finished_at=self.finished_at,
            last_error=self.last_error,
        )


def describe_error(exc: BaseException) -> str:
    """What a dead letter says about a failure: a Confide error's code and message, else a type."""
    if isinstance(exc, ConfideError):
        return f"{exc.code}: {exc.message}"
    return type(exc).__qualname__


def is_permanent(exc: BaseException) -> bool:
    """A failure no retry can fix: invalid input, or an error marked ``permanent = True``."""
    return isinstance(exc, ValidationFailed) or bool(getattr(exc, "permanent", False))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class HueyTaskQueue:
    """The :class:`~confide.services.ports.TaskQueue` on a Huey instance (see the module docstring)."""

    def __init__(
        self,
        huey: Any,
        *,
        cipher: Cipher | None = None,
        lease_seconds: float = 60.0,
        retention: timedelta = timedelta(days=7),
    ) -> None:
        self.huey = huey
        self.storage = huey.storage
        self.cipher = cipher
        self.lease_seconds = lease_seconds
        self.retention = retention
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._specs: dict[str, JobSpec] = {}
        self._periodic: set[str] = set()
        self._run = huey.task(name="confide_run")(self._dispatch)

    # --- enqueue side ---------------------------------------------------------------------
    def enqueue(
        self,
        name: str,
        payload: dict[str, object] | None = None,
        *,
        run_at: datetime | None = None,
        delay_seconds: float | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        if not name or len(name) > 100:
            raise ValidationFailed.single("name", "a job name of 1 to 100 characters is required")
        if run_at is not None and run_at.tzinfo is None:
            raise ValidationFailed.single("run_at", "must be timezone-aware")
        now = self._now()
        due = run_at or (now + timedelta(seconds=delay_seconds or 0))
        if idempotency_key is not None:
            digest = hashlib.sha256(f"{name}\x00{idempotency_key}".encode()).hexdigest()
            job_id = f"job_{digest[:32]}"
        else:
            job_id = f"job_{uuid.uuid4().hex}"
        spec = self._specs.get(name)
        record = _Record(
            job_id=job_id,
            name=name,
            state=QUEUED,
            attempts=0,
            max_attempts=spec.max_attempts if spec else DEFAULT_MAX_ATTEMPTS,
            enqueued_at=now,
            run_at=due,
            payload=self._seal(job_id, payload or {}),
            sent_at=now,
        )
        if idempotency_key is not None:
            if not self.storage.put_if_empty(JOB + job_id, record.dump()):
                return job_id  # the same key names the same job: already enqueued
        else:
            self.storage.put_data(JOB + job_id, record.dump())
        self._send(job_id, due)
        return job_id

    def job(self, job_id: str) -> JobInfo | None:
        record = self._get(job_id)
        return record.info() if record else None

    def dead_letters(self) -> list[JobInfo]:
        dead = [r for r in self._records() if r.state == DEAD]
        return [r.info() for r in sorted(dead, key=lambda r: r.finished_at or r.enqueued_at)]

    def retry_dead(self, job_id: str) -> JobInfo:
        with self._claimed(job_id) as record:
            if record.state != DEAD:
                raise Conflict(f"job {job_id} is {record.state}, not in the dead-letter list")
            now = self._now()
            record = replace(
                record, state=QUEUED, attempts=0, run_at=now, sent_at=now, finished_at=None
            )
            self._put(record)
        self._send(job_id, record.run_at)
        log.info("job %s (%s) taken off the dead-letter list and queued again", job_id, record.name)
        return record.info()

    def discard_dead(self, job_id: str) -> JobInfo:
        with self._claimed(job_id) as record:
            if record.state != DEAD:
                raise Conflict(f"job {job_id} is {record.state}, not in the dead-letter list")
            record = replace(record, state=DISCARDED, finished_at=self._now())
            self._put(record)
        return record.info()

    def record_heartbeat(self, beat: WorkerHeartbeat) -> None:
        data = {"at": beat.at.isoformat(), "worker": beat.worker}
        self.storage.put_data(HEARTBEAT, json.dumps(data).encode())

    def last_heartbeat(self) -> WorkerHeartbeat | None:
        raw = self.storage.peek_data(HEARTBEAT)
        if raw is EmptyData:
            return None
        data = json.loads(bytes(raw))
        return WorkerHeartbeat(at=datetime.fromisoformat(data["at"]), worker=data["worker"])

    def counts(self) -> dict[str, int]:
        """Jobs by state (for ``confide jobs status``)."""
        out: dict[str, int] = {}
        for r in self._records():
            out[r.state] = out.get(r.state, 0) + 1
        return out

    # --- worker side ----------------------------------------------------------------------
    def add_job(self, spec: JobSpec) -> None:
        """Let this process's workers run jobs named ``spec.name``."""
        self._specs[spec.name] = spec

    def add_periodic(self, name: str, cron: str) -> None:
        """Enqueue job ``name`` on a cron schedule (``minute hour day month day-of-week``, UTC).

        Every consumer with periodic tasks enabled enqueues the tick; the idempotency key
        (job name and minute) makes it one job however many machines run consumers.
        """
        if name in self._periodic:
            return
        fields = cron.split()
        if len(fields) != 5:
            raise ValidationFailed.single(
                "cron", "needs five fields: minute hour day month weekday"
            )
        minute, hour, day, month, weekday = fields
        validate = crontab(minute, hour, day, month, weekday, strict=True)

        def tick() -> None:
            minute_key = self._now().strftime("%Y-%m-%dT%H:%M")
            self.enqueue(name, {}, idempotency_key=f"tick:{minute_key}")

        task_name = "confide_tick_" + "".join(c if c.isalnum() else "_" for c in name)
        self.huey.periodic_task(validate, name=task_name)(tick)
        self._periodic.add(name)

    def periodic_due(self, at: datetime) -> list[str]:
        """Names of the Huey periodic tasks due at ``at`` (what the scheduler enqueues then)."""
        naive = at.astimezone(UTC).replace(tzinfo=None)
        return [type(task).__name__ for task in self.huey.read_periodic(naive)]

    def run_periodic(self, at: datetime) -> int:
        """Enqueue the periodic tasks due at ``at``, as the consumer's scheduler does each minute."""
        naive = at.astimezone(UTC).replace(tzinfo=None)
        tasks = self.huey.read_periodic(naive)
        for task in tasks:
            self.huey.enqueue(task)
        return len(tasks)

    def touch_worker(self) -> None:
        """Say this worker process is alive (its liveness record, renewed well within the lease)."""
        data = {"host": socket.gethostname(), "pid": os.getpid(), "seen": time.time()}
        self.storage.put_data(WORKER + self.worker_id, json.dumps(data).encode())

    def forget_worker(self) -> None:
        self.storage.delete_data(WORKER + self.worker_id)

    def workers(self) -> list[str]:
        """Ids of workers whose liveness record is within the lease."""
        return sorted(w for w, _ in self._worker_records() if self._worker_alive(w))

    def recover(self) -> int:
        """Take over jobs of dead workers and resend lost messages; purge old records.

        Runs under a recovery lock so that two workers never recover at once. Returns the
        number of jobs queued again.
        """
        if not self._take_recovery_lock():
            return 0
        requeued = 0
        try:
            now = self._now()
            for record in self._records():
                if record.state in FINISHED:
                    purgeable = record.state != DEAD  # dead letters wait for the officer
                    old = record.finished_at and now - record.finished_at > self.retention
                    if purgeable and old:
                        self.storage.delete_data(JOB + record.job_id)
                    continue
                requeued += self._recover_one(record, now)
            for worker, _ in self._worker_records():
                if not self._worker_alive(worker):
                    self.storage.delete_data(WORKER + worker)
        finally:
            self.storage.delete_data(RECOVERY_LOCK)
        return requeued

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.storage.close()

    # --- internals ------------------------------------------------------------------------
    @staticmethod
    def _now() -> datetime:
        return datetime.now(UTC)

    def _seal(self, job_id: str, payload: dict[str, object]) -> str:
        text = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        if self.cipher is None:
            return "plain:" + text.decode()
        return "sealed:" + base64.b64encode(self.cipher.encrypt(text, job_id.encode())).decode()

    def _unseal(self, job_id: str, sealed: str) -> dict[str, object]:
        kind, _, body = sealed.partition(":")
        if kind == "sealed":
            if self.cipher is None:
                raise ConfideError("a sealed job payload needs the key ring to be opened")
            data = self.cipher.decrypt(base64.b64decode(body), job_id.encode())
            loaded = json.loads(data)
        else:
            loaded = json.loads(body)
        return dict(loaded) if isinstance(loaded, dict) else {}

    def _send(self, job_id: str, due: datetime) -> None:
        if due > self._now():
            self._run.schedule(args=(job_id,), eta=due)
        else:
            self.huey.enqueue(self._run.s(job_id))

    def _get(self, job_id: str) -> _Record | None:
        raw = self.storage.peek_data(JOB + job_id)
        return None if raw is EmptyData else _Record.load(raw)

    def _put(self, record: _Record) -> None:
        self.storage.put_data(JOB + record.job_id, record.dump())

    def _records(self) -> Iterator[_Record]:
        for key, raw in self.storage.result_items().items():
            if key.startswith(JOB):
                yield _Record.load(raw)

    def _worker_records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for key, raw in self.storage.result_items().items():
            if key.startswith(WORKER):
                yield key[len(WORKER) :], json.loads(bytes(raw))

    def _worker_alive(self, worker_id: str) -> bool:
        if worker_id == self.worker_id:
            return True
        raw = self.storage.peek_data(WORKER + worker_id)
        if raw is EmptyData:
            return False
        data = json.loads(bytes(raw))
        if data.get("host") == socket.gethostname() and not _pid_alive(int(data["pid"])):
            return False
        return bool(time.time() - float(data["seen"]) <= self.lease_seconds)

    def _claim_holder(self, job_id: str) -> str | None:
        raw = self.storage.peek_data(CLAIM + job_id)
        return None if raw is EmptyData else bytes(raw).decode()

    def _claim(self, job_id: str) -> bool:
        return bool(self.storage.put_if_empty(CLAIM + job_id, self.worker_id.encode()))

    def _release(self, job_id: str) -> None:
        self.storage.delete_data(CLAIM + job_id)

    @contextlib.contextmanager
    def _claimed(self, job_id: str) -> Iterator[_Record]:
        if self._get(job_id) is None:
            raise NotFound("job", job_id)
        deadline = time.monotonic() + 2.0  # a worker may be just releasing it
        while not self._claim(job_id):
            if time.monotonic() > deadline:
                raise Conflict(f"job {job_id} is running or being changed; try again shortly")
            time.sleep(0.02)
        try:
            record = self._get(job_id)
            if record is None:
                raise NotFound("job", job_id)
            yield record
        finally:
            self._release(job_id)

    def _take_recovery_lock(self) -> bool:
        value = json.dumps({"worker": self.worker_id, "at": time.time()}).encode()
        if self.storage.put_if_empty(RECOVERY_LOCK, value):
            return True
        raw = self.storage.peek_data(RECOVERY_LOCK)
        if raw is not EmptyData:
            held = json.loads(bytes(raw))
            if time.time() - float(held["at"]) < 2 * self.lease_seconds:
                return False
            self.storage.delete_data(RECOVERY_LOCK)  # left by a worker that died while recovering
        return bool(self.storage.put_if_empty(RECOVERY_LOCK, value))

    def _recover_one(self, record: _Record, now: datetime) -> int:
        holder = self._claim_holder(record.job_id)
        if holder is not None:
            if self._worker_alive(holder):
                return 0
            self._release(record.job_id)  # the dead worker's claim: only recovery removes it
            interrupted = True
        elif record.state == RUNNING:
            interrupted = True
        else:
            due = max(record.run_at, record.sent_at)
            if now - due < timedelta(seconds=self.lease_seconds):
                return 0
            interrupted = False  # its message was lost (or is behind a long queue): send again
        if not self._claim(record.job_id):
            return 0
        try:
            current = self._get(record.job_id)
            if current is None or current.state in FINISHED:
                return 0
            if interrupted and current.attempts >= current.max_attempts:
                error = JobInterrupted("the worker stopped during the last attempt")
                self._put(
                    replace(current, state=DEAD, finished_at=now, last_error=describe_error(error))
                )
                log.warning("job %s (%s) dead-lettered after an interrupted last attempt",
                            current.job_id, current.name)  # fmt: skip
                return 0
            last_error = "job_interrupted" if interrupted else current.last_error
            current = replace(current, state=QUEUED, sent_at=now, last_error=last_error)
            self._put(current)
        finally:
            self._release(record.job_id)
        log.warning("job %s (%s) queued again by recovery", record.job_id, record.name)
        self._send(record.job_id, max(current.run_at, now))
        return 1

    def _dispatch(self, job_id: str) -> None:
        """Run one job under its claim; called by Huey on a worker thread."""
        record = self._get(job_id)
        if record is None or record.state in FINISHED:
            return
        if not self._claim(job_id):
            return  # another worker runs it; if that worker dies, recovery sends it again
        try:
            record = self._get(job_id)
            if record is None or record.state in FINISHED:
                return
            if record.run_at > self._now() + timedelta(seconds=1):
                return  # an early duplicate message; the scheduled one will come
            self._run_claimed(record)
        finally:
            self._release(job_id)

    def _run_claimed(self, record: _Record) -> None:
        spec = self._specs.get(record.name)
        now = self._now()
        if spec is None:
            error = UnknownJob(f"no handler for job {record.name!r} in this worker")
            self._put(
                replace(record, state=DEAD, finished_at=now, last_error=describe_error(error))
            )
            log.error("job %s: no handler for %s; dead-lettered", record.job_id, record.name)
            return
        attempt = record.attempts + 1
        record = replace(
            record,
            state=RUNNING,
            attempts=attempt,
            max_attempts=spec.max_attempts,
            worker=self.worker_id,
        )
        self._put(record)
        try:
            payload = self._unseal(record.job_id, record.payload)
            spec.handler(JobRun(record.job_id, record.name, attempt, payload))
        except Exception as exc:
            self._after_failure(record, spec, exc)
            return
        self._put(replace(record, state=DONE, finished_at=self._now()))
        log.info("job %s (%s) done, attempt %d", record.job_id, record.name, attempt)

    def _after_failure(self, record: _Record, spec: JobSpec, exc: Exception) -> None:
        error = describe_error(exc)
        now = self._now()
        if record.attempts >= record.max_attempts or is_permanent(exc):
            self._put(replace(record, state=DEAD, finished_at=now, last_error=error))
            log.error("job %s (%s) failed %d times and is dead-lettered: %s",
                      record.job_id, record.name, record.attempts, error)  # fmt: skip
            return
        due = now + timedelta(seconds=spec.delay_before(record.attempts + 1))
        self._put(replace(record, state=QUEUED, run_at=due, sent_at=now, last_error=error))
        log.warning("job %s (%s) attempt %d failed (%s); retrying at %s",
                    record.job_id, record.name, record.attempts, error, due.isoformat())  # fmt: skip
        self._send(record.job_id, due)


class _QuietConsumer(Consumer):  # type: ignore[misc]
    """A Huey consumer that leaves signal handling to its host process (``confide serve``)."""

    def _set_signal_handlers(self) -> None:
        pass


@dataclass
class QueueWorker:
    """A consumer of the queue: Huey's worker threads and scheduler, plus liveness and recovery."""

    queue: HueyTaskQueue
    threads: int = 2
    periodic: bool = True
    max_poll_delay: float = 1.0
    _consumer: Any = field(init=False, default=None)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _keeper: threading.Thread | None = field(init=False, default=None)

    def _make_consumer(self, quiet: bool) -> Any:
        cls = _QuietConsumer if quiet else Consumer
        return cls(
            self.queue.huey,
            workers=self.threads,
            periodic=self.periodic,
            max_delay=self.max_poll_delay,
            worker_type="thread",
            graceful_signal="TERM",
            shutdown_timeout=30,
        )

    def _keep_alive(self) -> None:
        interval = max(min(self.queue.lease_seconds / 4, 15.0), 0.2)
        recover_every = max(self.queue.lease_seconds / 2, 0.5)
        next_recovery = time.monotonic() + recover_every
        while not self._stop.wait(interval):
            try:
                self.queue.touch_worker()
                if time.monotonic() >= next_recovery:
                    next_recovery = time.monotonic() + recover_every
                    self.queue.recover()
            except Exception as exc:  # the store may be briefly unreachable; keep trying
                log.warning("worker liveness or recovery failed: %s", type(exc).__name__)

    def _begin(self, quiet: bool) -> None:
        self.queue.touch_worker()
        recovered = self.queue.recover()
        if recovered:
            log.warning("recovered %d job(s) left by stopped workers", recovered)
        self._consumer = self._make_consumer(quiet)
        self._keeper = threading.Thread(target=self._keep_alive, name="confide-liveness")
        self._keeper.daemon = True
        self._keeper.start()

    def start(self) -> None:
        """Start in the background (threads) without touching signal handlers."""
        self._begin(quiet=True)
        self._consumer.start()

    def run(self) -> None:
        """Run in the foreground until SIGTERM (graceful) or SIGINT."""
        self._begin(quiet=False)
        try:
            self._consumer.run()
        finally:
            self._end()

    def stop(self, graceful: bool = True) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=graceful)
        self._end()

    def _end(self) -> None:
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=5)
        with contextlib.suppress(Exception):
            self.queue.forget_worker()


def make_queue(settings: Settings, cipher: Cipher | None = None) -> HueyTaskQueue:
    """The queue named by ``settings.effective_queue_url``: ``sqlite:///path``, ``redis://...``,
    or ``memory://`` (one process only, for tests)."""
    url = settings.effective_queue_url
    name = settings.queue_name
    huey: Any
    serializer = SealedJsonSerializer(cipher)  # data only, sealed: never pickles
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        private_sqlite(Path(path).absolute())  # job payloads name people: owner-only
        huey = SqliteHuey(name, filename=path, results=False, serializer=serializer)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(name, url=url, results=False, serializer=serializer)
    elif url == "memory://":
        huey = MemoryHuey(name, results=False, serializer=serializer)
    else:
        raise ValidationFailed.single(
            "queue_url", "must start with sqlite:///, redis://, rediss:// or unix://"
        )
    return HueyTaskQueue(
        huey,
        cipher=cipher,
        lease_seconds=settings.job_lease_seconds,
        retention=timedelta(days=settings.job_retention_days),
    )
