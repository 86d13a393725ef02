"""The task queue on the embedded default (SQLite) and on Redis: persisted, idempotent,
retried with backoff, dead-lettered when a job keeps failing, one runner per job."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from jobs_support import Recorder, open_queue, running_worker, wait_until

from confide.adapters.mail import MailRejected
from confide.adapters.queue import DEAD, DISCARDED, DONE, QUEUED, JobRun, JobSpec
from confide.config import Settings
from confide.domain.errors import Conflict, NotFound, ValidationFailed


def state_of(settings: Settings, job_id: str) -> str | None:
    queue = open_queue(settings)
    try:
        job = queue.job(job_id)
        return job.state if job else None
    finally:
        queue.close()


def test_a_job_runs_once_with_its_payload_which_is_sealed_at_rest(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.record", rec.ok))
    payload = {"to": "élodie@example.test", "code": "482915"}

    job_id = queue.enqueue("test.record", payload)
    stored = b"".join(queue.storage.result_items().values())
    assert b"482915" not in stored and "élodie".encode() not in stored
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DONE, what="the job to finish")  # type: ignore[union-attr]

    assert [(r.job_id, r.payload, r.attempt) for r in rec.runs] == [(job_id, payload, 1)]
    job = queue.job(job_id)
    assert job is not None and job.attempts == 1 and job.finished_at is not None


def test_the_same_idempotency_key_enqueued_twice_is_one_job_that_runs_once(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.record", rec.ok))

    first = queue.enqueue("test.record", {"n": 1}, idempotency_key="request-7/notice")
    second = queue.enqueue("test.record", {"n": 2}, idempotency_key="request-7/notice")
    with running_worker(queue):
        wait_until(lambda: rec.count(first) == 1)
        third = queue.enqueue("test.record", {"n": 3}, idempotency_key="request-7/notice")
        time.sleep(1.0)  # time enough for a duplicate to run, if there were one

    assert first == second == third
    assert [r.payload for r in rec.runs] == [{"n": 1}]


def test_the_same_key_under_another_job_name_is_another_job(queue_settings: Settings) -> None:
    queue = open_queue(queue_settings)
    a = queue.enqueue("test.a", {}, idempotency_key="k")
    b = queue.enqueue("test.b", {}, idempotency_key="k")
    c = queue.enqueue("test.a", {}, idempotency_key="k2")
    assert len({a, b, c}) == 3


def test_jobs_enqueued_while_no_worker_runs_are_kept_and_run_by_a_worker_started_later(
    queue_settings: Settings,
) -> None:
    producer = open_queue(queue_settings)
    ids = [producer.enqueue("test.record", {"i": i}) for i in range(5)]
    producer.close()  # the process that enqueued is gone

    consumer, rec = open_queue(queue_settings), Recorder()  # a new process, same store
    consumer.add_job(JobSpec("test.record", rec.ok))
    with running_worker(consumer):
        wait_until(lambda: all(rec.count(i) == 1 for i in ids), what="every job")
    assert sorted(r.payload["i"] for r in rec.runs) == [0, 1, 2, 3, 4]  # type: ignore[type-var]


def test_a_job_scheduled_for_later_waits_for_its_time(queue_settings: Settings) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.record", rec.ok))
    job_id = queue.enqueue("test.record", {}, delay_seconds=2.5)
    job = queue.job(job_id)
    assert job is not None and job.run_at is not None
    assert job.run_at - job.enqueued_at == timedelta(seconds=2.5)

    started = time.monotonic()
    with running_worker(queue):
        time.sleep(1.0)
        assert rec.count(job_id) == 0
        wait_until(lambda: rec.count(job_id) == 1, what="the scheduled job")
    assert rec.times[0] - started >= 2.0


def test_run_at_must_be_timezone_aware(queue_settings: Settings) -> None:
    from datetime import datetime

    with pytest.raises(ValidationFailed):
        open_queue(queue_settings).enqueue("test.x", {}, run_at=datetime(2030, 1, 1))


def test_a_failing_job_is_retried_with_growing_delays_then_dead_lettered(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(
        JobSpec("test.fail", rec.failing(RuntimeError("down")), max_attempts=3, backoff_seconds=1)
    )
    job_id = queue.enqueue("test.fail", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DEAD, timeout=20, what="dead letter")  # type: ignore[union-attr]

    assert [r.attempt for r in rec.runs] == [1, 2, 3]
    first_gap, second_gap = rec.times[1] - rec.times[0], rec.times[2] - rec.times[1]
    # The schedule doubles (1 s, then 2 s, each +-10%); a worker picks a due job up on its next
    # poll, so the observed gaps are at least the schedule (their order can blur by one poll).
    assert first_gap >= 0.9 and second_gap >= 1.8
    [dead] = queue.dead_letters()
    assert (dead.job_id, dead.name, dead.attempts, dead.max_attempts) == (job_id, "test.fail", 3, 3)
    assert dead.last_error == "RuntimeError"


def test_a_job_that_fails_once_then_succeeds_is_done_on_its_second_attempt(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    handler = rec.failing(RuntimeError("blip"), until_attempt=1)
    queue.add_job(JobSpec("test.flaky", handler, max_attempts=3, backoff_seconds=0.5))
    job_id = queue.enqueue("test.flaky", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DONE, what="done")  # type: ignore[union-attr]
    job = queue.job(job_id)
    assert job is not None and job.attempts == 2 and job.last_error == "RuntimeError"
    assert queue.dead_letters() == []


def test_a_dead_letter_records_error_codes_never_the_values_the_job_carried(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    leaky = ValueError("cannot parse élodie@example.test")
    queue.add_job(JobSpec("test.leaky", rec.failing(leaky), max_attempts=1))
    confide_error = Conflict("subject subj_1 already has an open request")
    queue.add_job(JobSpec("test.conflict", rec.failing(confide_error), max_attempts=1))
    a = queue.enqueue("test.leaky", {"email": "élodie@example.test"})
    b = queue.enqueue("test.conflict", {})
    with running_worker(queue):
        wait_until(lambda: len(queue.dead_letters()) == 2, what="two dead letters")
    errors = {j.job_id: j.last_error for j in queue.dead_letters()}
    assert errors == {a: "ValueError", b: "conflict: subject subj_1 already has an open request"}


def test_a_permanent_failure_is_dead_lettered_without_retrying(queue_settings: Settings) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    rejected = MailRejected("SMTP server refused the recipient (code 550)", smtp_code=550)
    queue.add_job(JobSpec("test.rejected", rec.failing(rejected), max_attempts=5))
    job_id = queue.enqueue("test.rejected", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DEAD, what="dead letter")  # type: ignore[union-attr]
    assert rec.count(job_id) == 1


def test_a_job_no_worker_knows_is_dead_lettered_not_lost(queue_settings: Settings) -> None:
    queue = open_queue(queue_settings)
    job_id = queue.enqueue("test.unknown", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DEAD, what="dead letter")  # type: ignore[union-attr]
    assert queue.dead_letters()[0].last_error is not None
    assert queue.dead_letters()[0].last_error.startswith("unknown_job")  # type: ignore[union-attr]


def test_the_officer_retries_a_dead_letter_and_it_runs_again_with_fresh_attempts(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    broken = {"on": True}

    def handler(run: JobRun) -> None:
        rec.ok(run)
        if broken["on"]:
            raise RuntimeError("down")

    queue.add_job(JobSpec("test.flaky", handler, max_attempts=1))
    job_id = queue.enqueue("test.flaky", {"x": 1})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DEAD, what="dead letter")  # type: ignore[union-attr]
        broken["on"] = False  # the cause is fixed; the officer retries
        retried = queue.retry_dead(job_id)
        assert (retried.state, retried.attempts) == (QUEUED, 0)
        with pytest.raises(Conflict):
            queue.retry_dead(job_id)  # no longer in the dead-letter list
        wait_until(lambda: queue.job(job_id).state == DONE, what="done after the retry")  # type: ignore[union-attr]
    assert [(r.payload, r.attempt) for r in rec.runs] == [({"x": 1}, 1), ({"x": 1}, 1)]
    assert queue.dead_letters() == []


def test_a_discarded_dead_letter_leaves_the_list_and_never_runs(queue_settings: Settings) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.fail", rec.failing(RuntimeError("down")), max_attempts=1))
    job_id = queue.enqueue("test.fail", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(job_id).state == DEAD, what="dead letter")  # type: ignore[union-attr]
        assert queue.discard_dead(job_id).state == DISCARDED
        time.sleep(0.5)
    assert queue.dead_letters() == []
    assert rec.count(job_id) == 1
    with pytest.raises(NotFound):
        queue.retry_dead("job_unknown")
    with pytest.raises(Conflict):
        queue.retry_dead(job_id)


def test_two_workers_on_the_same_queue_run_each_job_exactly_once(queue_settings: Settings) -> None:
    rec = Recorder()
    queues = [open_queue(queue_settings) for _ in range(2)]
    for q in queues:
        q.add_job(JobSpec("test.record", rec.ok))
    ids = [queues[0].enqueue("test.record", {"i": i}) for i in range(40)]
    # duplicate messages (as recovery may send) must not make a job run twice
    for job_id in ids[:10]:
        queues[1].huey.enqueue(queues[1]._run.s(job_id))
    with running_worker(queues[0], threads=3), running_worker(queues[1], threads=3):
        wait_until(lambda: all(rec.count(i) >= 1 for i in ids), timeout=30, what="all jobs")
        time.sleep(0.5)
    assert all(rec.count(i) == 1 for i in ids)
    assert {q.job(i).state for q in queues for i in ids} == {DONE}  # type: ignore[union-attr]


def test_a_new_job_is_queued_until_a_worker_takes_it(queue_settings: Settings) -> None:
    queue = open_queue(queue_settings)
    job_id = queue.enqueue("test.record", {})
    job = queue.job(job_id)
    assert job is not None and (job.state, job.attempts) == (QUEUED, 0)
    assert queue.counts() == {QUEUED: 1}


def test_a_job_whose_message_was_lost_is_sent_again_by_recovery(queue_settings: Settings) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.record", rec.ok))
    job_id = queue.enqueue("test.record", {})
    queue.storage.flush_queue()  # the message is gone (a crash between record and message)
    assert queue.recover() == 0  # within the lease (2 s here) it may still be on its way

    time.sleep(queue_settings.job_lease_seconds + 0.2)
    with running_worker(queue):  # a worker recovers at start
        wait_until(lambda: rec.count(job_id) == 1, what="the recovered job")
    job = queue.job(job_id)
    assert job is not None and job.state == DONE and job.attempts == 1


def test_finished_jobs_are_purged_after_the_retention_but_dead_letters_stay(
    queue_settings: Settings,
) -> None:
    queue, rec = open_queue(queue_settings), Recorder()
    queue.add_job(JobSpec("test.record", rec.ok))
    queue.add_job(JobSpec("test.fail", rec.failing(RuntimeError("x")), max_attempts=1))
    done = queue.enqueue("test.record", {}, idempotency_key="once")
    dead = queue.enqueue("test.fail", {})
    with running_worker(queue):
        wait_until(lambda: queue.job(done).state == DONE and queue.job(dead).state == DEAD)  # type: ignore[union-attr]

    queue.retention = timedelta(0)
    time.sleep(0.01)
    queue.recover()
    assert queue.job(done) is None  # forgotten, and with it the idempotency key
    assert [j.job_id for j in queue.dead_letters()] == [dead]
