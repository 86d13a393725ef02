"""Correction requests answered through the corrections service (ACC-9, ACC-6, ACC-11)."""

from __future__ import annotations

import re

import pytest
from requests_support import add_subject

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.errors import ValidationFailed
from confide.domain.requests.errors import NotVerified
from confide.domain.requests.model import Outcome, RequestState
from confide.services.requests import RequestService, SubmitRequest
from confide.services.subjects import RecordInformation
from confide.testing import FakeMailer


def correction(value: str) -> SubmitRequest:
    return SubmitRequest(
        kind="correction",
        channel="email",
        identifier_kind="email",
        identifier="alice@example.test",
        correction_category="name",
        correction_value=value,
    )


@pytest.fixture
def corrections_service(container: Container, service: RequestService) -> RequestService:
    assert container.corrections is not None
    return service  # built with the container's corrections service


def verify(service: RequestService, mailer: FakeMailer, request_id: str) -> None:
    service.send_code(OFFICER, request_id)
    found = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert found
    service.verify_code(request_id, found.group(1))


def test_acc_9_an_accepted_correction_request_is_applied(
    container: Container, corrections_service: RequestService, mailer: FakeMailer
) -> None:
    subject = add_subject(container)
    container.subjects.record_information(
        OFFICER,
        RecordInformation(
            subject.id, "name", "Alise Martin", "from_individual", ("provide_service",)
        ),
    )
    request = corrections_service.submit(OFFICER, correction("Alice Martin"))
    with pytest.raises(NotVerified):
        corrections_service.respond(OFFICER, request.id, accept=True)
    verify(corrections_service, mailer, request.id)
    done = corrections_service.respond(OFFICER, request.id, accept=True)
    assert (done.state, done.outcome) == (RequestState.RESPONDED, Outcome.CORRECTED)
    names = [r.value for r in container.subjects.file(OFFICER, subject.id).information]
    assert names == ["Alice Martin"]


def test_acc_9_a_refused_correction_keeps_the_statement_and_answers_in_writing(
    container: Container, corrections_service: RequestService, mailer: FakeMailer
) -> None:
    subject = add_subject(container)
    container.subjects.record_information(
        OFFICER,
        RecordInformation(
            subject.id, "name", "Alice Martin", "from_individual", ("provide_service",)
        ),
    )
    request = corrections_service.submit(OFFICER, correction("Alice Queen of Hearts"))
    verify(corrections_service, mailer, request.id)
    with pytest.raises(ValidationFailed):
        corrections_service.respond(OFFICER, request.id, accept=False, statement="I am a queen")
    done = corrections_service.respond(
        OFFICER,
        request.id,
        accept=False,
        statement="My name is Alice Queen of Hearts",
        reasons=["The name on file matches the identity documents provided"],
    )
    assert (done.outcome, done.reasons) == (
        Outcome.REFUSED,
        ("The name on file matches the identity documents provided",),
    )
    letter = mailer.sent[-1]
    assert letter.to == "alice@example.test" and "Privacy Commissioner" in letter.text
    assert container.corrections is not None
    [kept] = container.corrections.disagreements(OFFICER, subject.id)
    assert (kept.statement, kept.request_id) == ("My name is Alice Queen of Hearts", request.id)
    assert [r.value for r in container.subjects.file(OFFICER, subject.id).information] == [
        "Alice Martin"
    ]
