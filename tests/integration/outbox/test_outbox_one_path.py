"""One outbox for every message (issue 11), on SQLite and PostgreSQL: a message is written in the
transaction of the change that causes it (a rollback leaves none), sealed at rest, added once per
idempotency key, claimed by one worker at a time, sent at least once and at most once more per
expired claim, backed off and failed like a webhook, and a letter waits for staff to post it."""

from __future__ import annotations

import logging
import re
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "requests"))

from requests_support import OFFICER_EMAIL, add_subject

from confide.adapters.db.tables import outbox_attempts, outbox_messages
from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OP
from confide.domain.access import Principal, Role
from confide.domain.errors import Conflict
from confide.domain.outbox import (
    Channel,
    Composed,
    DeliveryState,
    OutboxKind,
    OutboxMessage,
    RetrySchedule,
    TargetType,
    compose,
)
from confide.domain.requests.model import RequestState
from confide.services.outbox import CLAIM_LEASE, OutboxService
from confide.services.ports.mail import OutgoingMail
from confide.services.requests import RequestSettings, SubmitRequest
from confide.services.requests.shared import RequestMail
from confide.testing import FakeClock, FakeMailer

SYSTEM = Principal(user_id="system", username="system", roles=frozenset({Role.INTEGRATION}))


class WorkerKilled(BaseException):
    """The process dies: not an ``Exception``, so nothing records the attempt."""


class KilledAfterSending(FakeMailer):
    def __init__(self, kills: int) -> None:
        super().__init__()
        self.kills = kills

    def send(self, mail: OutgoingMail) -> str:
        message_id = super().send(mail)
        if self.kills:
            self.kills -= 1
            raise WorkerKilled()
        return message_id


def outbox_with(
    c: Container, mailer: FakeMailer, schedule: RetrySchedule | None = None
) -> OutboxService:
    return OutboxService(c.ctx, c.sources, RecipientDelivery(mailer), schedule or c.outbox.schedule)


def message(
    c: Container, key: str, to: str | None = "alice@example.test", max_attempts: int = 8
) -> OutboxMessage:
    return compose(
        id=c.ctx.new_id("obx"),
        kind=OutboxKind.REFUSAL,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_1",
        content=Composed("Your request is refused", "Reason: frivolous. Code 314159.", "en", to),
        key=key,
        at=c.ctx.now(),
        max_attempts=max_attempts,
    )


def add(c: Container, m: OutboxMessage) -> bool:
    with c.ctx.uow() as uow:
        added = uow.outbox.add(m)
        uow.commit()
    return added


def rows(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(outbox_messages)).scalar_one()
        )


def test_the_same_idempotency_key_added_in_two_transactions_is_one_message(
    container: Container,
) -> None:
    assert add(container, message(container, "deemed.req_1"))
    assert not add(container, message(container, "deemed.req_1"))
    assert add(container, message(container, "deemed.req_2"))
    assert rows(container) == 2


def test_subject_line_body_and_address_are_sealed_at_rest(container: Container) -> None:
    m = message(container, "response.req_1")
    add(container, m)
    with container.engine.connect() as conn:
        row = conn.execute(sa.select(outbox_messages)).mappings().one()
    raw = b"".join(
        v if isinstance(v, bytes) else str(v).encode() for v in row.values() if v is not None
    )
    for secret in (b"Your request is refused", b"314159", b"alice@example.test"):
        assert secret not in raw
    with container.ctx.uow(readonly=True) as uow:
        back = uow.outbox.get(m.id)
    assert back is not None and back.payload["text"] == "Reason: frivolous. Code 314159."


def test_a_refusal_that_fails_after_composing_its_mail_sends_nothing_and_leaves_no_row(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailer = FakeMailer()
    service = container.requests_over(
        outbox_with(container, mailer), RequestSettings(officer_email=OFFICER_EMAIL)
    )
    add_subject(container)
    request = service.submit(OP, SubmitRequest("access", "letter", "email", "alice@example.test"))
    composed = RequestMail.to_subject

    def compose_then_fail(self: RequestMail, *args: object, **kw: object) -> None:
        composed(self, *args, **kw)  # type: ignore[arg-type]
        raise RuntimeError("the store went away after the mail was composed")

    monkeypatch.setattr(RequestMail, "to_subject", compose_then_fail)
    with pytest.raises(RuntimeError):
        service.refuse(OP, request.id, ["frivolous"])
    assert rows(container) == 0
    assert service.outbox is not None
    outbox = service.outbox
    assert isinstance(outbox, OutboxService)
    assert outbox.deliver_due(SYSTEM).attempted == 0 and mailer.sent == []
    assert service.get(OP, request.id).request.state is RequestState.RECEIVED


def test_a_worker_killed_after_sending_leaves_one_more_send_with_the_same_message_id(
    container: Container, clock: FakeClock
) -> None:
    mailer = KilledAfterSending(kills=1)
    outbox = outbox_with(container, mailer)
    m = message(container, "ready.req_1")
    add(container, m)
    with pytest.raises(WorkerKilled):
        outbox.deliver_due(SYSTEM, worker="dies")
    assert len(mailer.sent) == 1  # sent, but the attempt was never recorded
    assert outbox.deliver_due(SYSTEM, worker="alive").attempted == 0  # the claim still holds
    clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert outbox.deliver_due(SYSTEM, worker="alive").delivered == [m.id]
    for _ in range(3):  # nothing more, however often the job runs
        clock.advance(minutes=10)
        assert outbox.deliver_due(SYSTEM, worker="alive").attempted == 0
    assert len(mailer.sent) == 2  # at least once, at most twice for one expired claim
    assert {s.message_id for s in mailer.sent} == {f"{m.id}@outbox.confide"}
    view = outbox.message(OP, m.id)
    assert view.message.state is DeliveryState.DELIVERED and len(view.attempts) == 1


def test_two_workers_never_send_the_same_mail(container: Container) -> None:
    mailer = FakeMailer()
    outbox = outbox_with(container, mailer)
    ids = []
    for i in range(8):
        m = message(container, f"code.vc_{i}")
        add(container, m)
        ids.append(m.id)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            outbox.deliver_due(SYSTEM, worker=name)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    sent = sorted(s.message_id or "" for s in mailer.sent)
    assert sent == sorted(f"{i}@outbox.confide" for i in ids)  # each exactly once
    with container.engine.connect() as conn:
        attempts = conn.execute(
            sa.select(sa.func.count()).select_from(outbox_attempts)
        ).scalar_one()
    assert attempts == len(ids)


def test_mail_backs_off_then_fails_after_its_attempts_and_is_retried_by_the_officer(
    container: Container, clock: FakeClock
) -> None:
    mailer = FakeMailer()
    outbox = outbox_with(container, mailer, RetrySchedule(max_attempts=3, base_seconds=60))
    m = message(container, "extension.req_1", max_attempts=3)
    add(container, m)
    mailer.fail_next(3)
    assert outbox.deliver_due(SYSTEM).retrying == [m.id]
    assert outbox.message(OP, m.id).message.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert outbox.deliver_due(SYSTEM).attempted == 0  # not due yet
    clock.advance(minutes=1)
    assert outbox.deliver_due(SYSTEM).retrying == [m.id]
    assert outbox.message(OP, m.id).message.next_attempt_at == clock.now() + timedelta(minutes=2)
    clock.advance(minutes=2)
    assert outbox.deliver_due(SYSTEM).failed == [m.id]
    failed = outbox.messages(OP, state=DeliveryState.FAILED)
    assert [(f.id, f.attempts, f.last_error) for f in failed] == [(m.id, 3, "mail_not_sent")]
    outbox.retry(OP, m.id)
    assert outbox.deliver_due(SYSTEM).delivered == [m.id]
    assert len(mailer.sent) == 1


def test_an_extension_notice_by_letter_waits_for_staff_to_post_it(
    container: Container, clock: FakeClock
) -> None:
    mailer = FakeMailer()
    outbox = outbox_with(container, mailer)
    service = container.requests_over(outbox, RequestSettings())
    add_subject(container)
    request = service.submit(OP, SubmitRequest("access", "letter", "email", "alice@example.test"))
    _, text = service.extend(OP, request.id, "many archives to search", notice_by_letter=True)
    [letter] = outbox.letters(OP)
    assert (letter.kind, letter.channel, letter.request_id) == (
        OutboxKind.EXTENSION_NOTICE,
        Channel.LETTER,
        request.id,
    )
    assert letter.next_attempt_at is None and "to" not in letter.payload
    clock.advance(days=1)
    assert outbox.deliver_due(SYSTEM).attempted == 0 and mailer.sent == []  # no worker posts it
    assert outbox.letter(OP, letter.id).text == text
    posted = outbox.mark_posted(OP, letter.id)
    assert posted.state is DeliveryState.DELIVERED and outbox.letters(OP) == []
    [attempt] = outbox.message(OP, letter.id).attempts
    assert (attempt.channel, attempt.delivered) == (Channel.LETTER, True)
    with pytest.raises(Conflict):
        outbox.mark_posted(OP, letter.id)
    with container.ctx.uow(readonly=True) as uow:
        actions = [e.action for e, _ in uow.audit.entries()]
    assert {"outbox.letter_read", "outbox.letter_posted"} <= set(actions)


def test_reminders_and_escalation_are_one_outbox_message_each_however_often_the_tick_runs(
    container: Container, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mailer = FakeMailer()
    outbox = outbox_with(container, mailer)
    service = container.requests_over(outbox, RequestSettings(officer_email=OFFICER_EMAIL))
    add_subject(container)
    receipt = service.submit_public(
        SubmitRequest("access", "portal", "email", "alice@example.test")
    )
    service.match(SYSTEM, receipt.reference)  # the intake job: the code is added to the outbox
    # Only a verified request runs the clocks (one awaiting identity is nobody's work yet).
    service.verify_by_agent(OP, receipt.reference, "called back the number on file")
    clock.advance(days=24)
    for _ in range(3):
        service.tick(SYSTEM)
    clock.advance(days=5)
    for _ in range(3):
        service.tick(SYSTEM)
    clock.advance(days=3)
    for _ in range(3):
        service.tick(SYSTEM)
    with container.ctx.uow(readonly=True) as uow:
        kinds = sorted(m.kind.value for m in uow.outbox.messages())
    assert kinds == ["escalation", "one_time_code", "reminder", "reminder"]
    outbox.deliver_due(SYSTEM)
    assert len(mailer.to(OFFICER_EMAIL)) == 3
    [code_mail] = mailer.to("alice@example.test")
    found = re.search(r"\b(\d{6})\b", code_mail.text)
    assert found
    for secret in ("alice@example.test", code_mail.subject, found.group(1)):
        assert secret not in caplog.text  # never logged
