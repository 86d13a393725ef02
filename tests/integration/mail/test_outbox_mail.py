"""Mail through the outbox: a message a use case added in its transaction is sent by the embedded
worker (as started by ``confide serve``) to a real SMTP server, once, with the Message-ID it was
given; a message the server refuses is failed in the outbox for the privacy officer.

(Until issue 11 these went through the queued mailer and the ``mail.send`` job; a refused message
then landed in the queue's dead-letter list. The outbox keeps it instead, with its attempt.)"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from smtp_testserver import SmtpServer

from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.outbox import (
    Channel,
    Composed,
    DeliveryState,
    OutboxKind,
    OutboxMessage,
    TargetType,
    compose,
)
from confide.jobs.worker import start_embedded_worker


@pytest.fixture
def mail_container(tmp_path: Path, keys_json: str, smtp_server: SmtpServer) -> Iterator[Container]:
    settings = Settings(
        data_dir=tmp_path,
        keys=keys_json,  # type: ignore[arg-type]
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_tls="none",
        mail_from="Confide <privacy@example.test>",
    )
    c = build(settings, migrate_db=True, create_key=True)  # creates the audit signing key too
    try:
        yield c
    finally:
        c.close()


def wait_for(predicate: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def notice(c: Container, to: str, key: str, message_id: str | None = None) -> OutboxMessage:
    return compose(
        id=c.ctx.new_id("obx"),
        kind=OutboxKind.EXTENSION_NOTICE,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_x",
        content=Composed(
            "Prolongation du délai de réponse",
            "Le délai est prolongé jusqu’au 15 juillet.",
            "fr",
            to,
            message_id,
        ),
        key=key,
        at=c.ctx.now(),
    )


def add(c: Container, message: OutboxMessage) -> bool:
    """What a use case does: add the message in its unit of work, nudge once committed."""
    with c.ctx.uow() as uow:
        added = uow.outbox.add(message)
        if added:
            uow.after_commit(lambda: c.outbox.nudge([message.id]))
        uow.commit()
    return added


def test_a_message_in_the_outbox_is_sent_by_the_embedded_worker_once(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    c = mail_container
    first = notice(c, "gaetan@example.test", "extension.req9", "ext-req9@example.test")
    assert add(c, first)
    # The same message added again (a job run twice) is not added: it is sent once.
    assert not add(c, notice(c, "gaetan@example.test", "extension.req9", "ext-req9@example.test"))
    assert smtp_server.messages == []  # nothing is sent before a worker runs

    stop = start_embedded_worker(c)
    try:
        wait_for(lambda: len(smtp_server.messages) == 1)
        wait_for(
            lambda: (
                c.outbox.message(LOCAL_OPERATOR, first.id).message.state is DeliveryState.DELIVERED
            )
        )
        time.sleep(0.5)
    finally:
        stop()
        stop()  # stopping twice is harmless

    [msg] = smtp_server.messages
    assert msg["Message-ID"] == "<ext-req9@example.test>"
    assert msg["Subject"] == "Prolongation du délai de réponse"
    assert msg["Content-Language"] == "fr"
    body = msg.get_body(("plain",))
    assert body is not None and "prolongé jusqu’au 15 juillet" in body.get_content()
    view = c.outbox.message(LOCAL_OPERATOR, first.id)
    assert [(a.channel, a.delivered) for a in view.attempts] == [(Channel.EMAIL, True)]


def test_a_message_the_server_refuses_is_failed_in_the_outbox_for_the_officer(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    c = mail_container
    refused = notice(c, "refuse@example.test", "code.vc1")
    assert add(c, refused)
    stop = start_embedded_worker(c)
    try:
        wait_for(
            lambda: (
                c.outbox.message(LOCAL_OPERATOR, refused.id).message.state is DeliveryState.FAILED
            )
        )
    finally:
        stop()
    view = c.outbox.message(LOCAL_OPERATOR, refused.id)
    assert (view.message.attempts, view.message.last_error) == (1, "mail_rejected")
    [attempt] = view.attempts
    assert (attempt.channel, attempt.delivered, attempt.status) == (Channel.EMAIL, False, 550)
    assert [m.id for m in c.outbox.messages(LOCAL_OPERATOR, state=DeliveryState.FAILED)] == [
        refused.id
    ]
    assert smtp_server.messages == []
    assert c.queue.dead_letters() == []  # the outbox keeps it, not the job queue
