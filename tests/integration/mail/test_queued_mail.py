"""Mail through the queue: a service's message is enqueued, the embedded worker (as started
by ``confide serve``) sends it to a real SMTP server; a refused message is dead-lettered."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from smtp_testserver import SmtpServer

from confide.adapters.mail import MAIL_JOB, QueuedMailer
from confide.adapters.queue import DEAD, DONE, HueyTaskQueue, make_queue
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.jobs.worker import start_embedded_worker
from confide.services.ports import OutgoingMail


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


def queue_for(c: Container) -> HueyTaskQueue:
    return make_queue(c.settings, cipher=c.keyring)


def wait_for(predicate: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_queued_message_is_sent_by_the_embedded_worker_once(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    queue = queue_for(mail_container)
    mailer = QueuedMailer(queue, mail_container.settings.mail_from)
    mail = OutgoingMail(
        to="gaetan@example.test",
        subject="Prolongation du délai de réponse",
        text="Le délai est prolongé jusqu’au 15 juillet.",
        html="<p>Le délai est prolongé jusqu’au <b>15 juillet</b>.</p>",
        language="fr",
        message_id="ext-req9@example.test",
    )
    message_id = mailer.send(mail)
    assert mailer.send(mail) == message_id  # the same message queued twice is sent once
    assert smtp_server.messages == []  # nothing is sent before a worker runs

    stop = start_embedded_worker(mail_container)
    try:
        wait_for(lambda: len(smtp_server.messages) == 1)
        ids = [k.removeprefix("confide:job:") for k in queue.storage.result_items()]
        [mail_job] = [j for j in ids if (info := queue.job(j)) and info.name == MAIL_JOB]
        wait_for(lambda: queue.job(mail_job).state == DONE)  # type: ignore[union-attr]
        time.sleep(0.5)
    finally:
        stop()
        stop()  # stopping twice is harmless

    [msg] = smtp_server.messages
    assert msg["Message-ID"] == "<ext-req9@example.test>"
    assert msg["Subject"] == "Prolongation du délai de réponse"
    body = msg.get_body(("plain",))
    assert body is not None and "prolongé jusqu’au 15 juillet" in body.get_content()


def test_a_message_the_server_refuses_lands_in_the_dead_letter_list(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    queue = queue_for(mail_container)
    QueuedMailer(queue, mail_container.settings.mail_from).send(
        OutgoingMail(to="refuse@example.test", subject="Code", text="Votre code : 123456")
    )
    stop = start_embedded_worker(mail_container)
    try:
        wait_for(lambda: len(queue.dead_letters()) == 1)
    finally:
        stop()
    [dead] = queue.dead_letters()
    assert (dead.name, dead.state, dead.attempts) == (MAIL_JOB, DEAD, 1)
    assert dead.last_error == "mail_rejected: SMTP server refused the recipient (code 550)"
    assert smtp_server.messages == []
