"""Identity verification over real SMTP (ACC-11): the code is queued, the embedded worker sends
it to an in-process SMTP server, and the code read from the received message verifies the
request; escalations reach the privacy officer the same way (ACC-3)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from requests_support import OFFICER_EMAIL, add_subject
from smtp_testserver import SmtpServer

from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER as SYSTEM
from confide.domain.requests.errors import VerificationFailed
from confide.domain.requests.model import RequestState
from confide.jobs.worker import start_embedded_worker
from confide.services.requests import RequestService, SubmitRequest
from confide.testing import FakeClock


@pytest.fixture
def mail_container(
    tmp_path: Path, keys_json: str, smtp_server: SmtpServer, clock: FakeClock
) -> Iterator[Container]:
    settings = Settings(
        data_dir=tmp_path,
        keys=keys_json,  # type: ignore[arg-type]
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_tls="none",
        mail_from="Confide <privacy@example.test>",
        privacy_officer_email=OFFICER_EMAIL,
    )
    c = build(settings, migrate_db=True, create_key=True, clock=clock)
    try:
        yield c
    finally:
        c.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def requests_of(c: Container) -> RequestService:
    assert c.requests is not None
    return c.requests


def test_acc_11_code_sent_over_smtp_to_the_email_on_file_verifies_the_request(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    add_subject(mail_container, email="alice@example.test", language="fr", province="QC")
    service = requests_of(mail_container)
    receipt = service.submit_public(
        SubmitRequest("access", "portal", "email", "alice@example.test")
    )
    stop = start_embedded_worker(mail_container)
    try:
        wait_for(lambda: len(smtp_server.messages) == 1)
    finally:
        stop()
    [msg] = smtp_server.messages
    assert msg["To"] == "alice@example.test"
    assert msg["Subject"] == "Votre code de vérification"
    body = msg.get_body(("plain",))
    assert body is not None
    found = re.search(r"\b(\d{6})\b", body.get_content())
    assert found
    code = found.group(1)
    with pytest.raises(VerificationFailed):
        service.verify_code(receipt.reference, "999999" if code != "999999" else "888888")
    assert service.verify_code(receipt.reference, code).state is RequestState.VERIFIED
    with pytest.raises(VerificationFailed):
        service.verify_code(receipt.reference, code)  # a code works once


def test_acc_3_escalation_reaches_the_privacy_officer_once_over_smtp(
    mail_container: Container, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    add_subject(mail_container)
    service = requests_of(mail_container)
    request = service.submit(
        OFFICER, SubmitRequest("access", "letter", "email", "alice@example.test")
    )
    clock.advance(days=31)
    assert service.tick(SYSTEM).deemed_refused == 1
    assert service.tick(SYSTEM).deemed_refused == 0
    stop = start_embedded_worker(mail_container)
    try:
        wait_for(lambda: len(smtp_server.messages) >= 1)
        time.sleep(1.0)  # give a duplicate, if there were one, the time to arrive
    finally:
        stop()
    [msg] = smtp_server.messages
    assert msg["To"] == OFFICER_EMAIL
    assert request.id in msg["Subject"] and "deemed refused" in msg["Subject"]


def test_acc_3_the_periodic_job_deems_refused_once_across_runs(
    mail_container: Container, clock: FakeClock
) -> None:
    from confide.jobs.catalog import default_registry
    from confide.jobs.registry import JobContext
    from confide.jobs.requests import tick
    from confide.testing import FakeMailer

    registry = default_registry()
    assert "requests.tick" in registry
    assert any(p.name == "requests.tick" for p in registry.periodic)
    add_subject(mail_container)
    service = requests_of(mail_container)
    request = service.submit(
        OFFICER, SubmitRequest("access", "email", "email", "alice@example.test")
    )
    clock.advance(days=40)
    assert mail_container.queue is not None
    for attempt in (1, 2, 3):  # e.g. a worker killed after its first run, the job run again
        tick(
            JobContext(
                mail_container,
                mail_container.queue,
                FakeMailer(),
                "job_1",
                "requests.tick",
                attempt,
                "w1",
            ),
            {},
        )
    with mail_container.ctx.uow(readonly=True) as uow:
        actions = [e.action for e, _ in uow.audit.entries()]
        stored = uow.requests.get(request.id)
    assert actions.count("request.deemed_refused") == 1
    assert stored is not None and stored.state is RequestState.DEEMED_REFUSED
