"""Fixtures of the request tests: the service with an outbox that delivers at once to a mailer
that keeps what it sends (for the store tests), a stand-in access file, and a real SMTP server
(the mail tests' aiosmtpd server)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mail"))

from aiosmtpd.controller import Controller
from requests_support import OFFICER_EMAIL, StandInAssembler, StandInFile, render
from smtp_testserver import Collector, SmtpServer, free_port

from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.services.requests import RequestService, RequestSettings
from confide.testing import FakeMailer, InlineOutbox


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def inline(container: Container, mailer: FakeMailer) -> InlineOutbox:
    """The outbox, delivering what a call added before it returns, to the fake mailer."""
    return InlineOutbox.over(container.outbox, RecipientDelivery(mailer))


@pytest.fixture
def assembler() -> StandInAssembler:
    return StandInAssembler()


@pytest.fixture
def service(
    container: Container, inline: InlineOutbox, assembler: StandInAssembler
) -> RequestService:
    """The request service over the stand-in access file and the container's corrections."""
    return stand_in_service(container, inline, assembler)


def stand_in_service(
    container: Container, inline: InlineOutbox, assembler: StandInAssembler
) -> RequestService:
    return RequestService(
        container.ctx,
        inline,
        RequestSettings(officer_email=OFFICER_EMAIL),
        holds=container.holds,
        queue=container.queue,
        assembler=assembler,
        load_file=StandInFile.from_json,
        render=render,
        corrections=container.corrections,
    )


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    collector, port = Collector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, collector)
    finally:
        controller.stop()
