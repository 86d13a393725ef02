"""The holds of requests on SQLite and PostgreSQL (ACC-8, ACC-11): an individual's own request
holds nothing until its identity is verified; closing the request closes its hold; erasure
waits for it."""

from __future__ import annotations

import re

import pytest
from requests_support import add_subject

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER
from confide.domain.holds import HoldKind, OnHold
from confide.domain.requests.errors import VerificationFailed
from confide.services.holds import OpenHold
from confide.services.requests import INDIVIDUAL, RequestService, SubmitRequest
from confide.testing import FakeMailer


def portal(kind: str = "access", **more: str) -> SubmitRequest:
    return SubmitRequest(kind, "portal", "email", "alice@example.test", **more)


def code_in(mailer: FakeMailer) -> str:
    found = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert found
    return found.group(1)


def test_acc_8_an_unverified_individuals_request_holds_nothing_verification_opens_the_hold(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    subject = add_subject(container)
    receipt = service.submit_public(portal())
    assert not service.is_on_hold(subject.id)
    assert service.match(WORKER, receipt.reference)  # the intake job: matched, code mailed
    assert service.holds_for(OFFICER, subject.id) == []
    assert container.holds.listing(OFFICER) == []
    wrong = "000000" if code_in(mailer) != "000000" else "111111"
    with pytest.raises(VerificationFailed):
        service.verify_code(receipt.reference, wrong)
    assert not service.is_on_hold(subject.id)  # a wrong code verifies nothing
    service.verify_code(receipt.reference, code_in(mailer))
    assert service.is_on_hold(subject.id)
    [hold] = container.holds.listing(OFFICER, subject_id=subject.id)
    assert (hold.kind, hold.cause, hold.opened_by, hold.scope.subject_id) == (
        HoldKind.ACCESS_REQUEST,
        receipt.reference,
        INDIVIDUAL.user_id,
        subject.id,
    )
    [shown] = service.holds_for(OFFICER, subject.id)
    assert (shown.kind.value, shown.reference, shown.active) == ("request", receipt.reference, True)


def test_acc_8_an_agents_check_opens_a_correction_requests_hold_once(
    container: Container, service: RequestService
) -> None:
    subject = add_subject(container)
    receipt = service.submit_public(
        portal("correction", correction_category="mailing_address", correction_value="1 Main St")
    )
    assert not service.is_on_hold(subject.id)
    assert service.match(WORKER, receipt.reference)  # the intake job
    assert not service.is_on_hold(subject.id)
    service.verify_by_agent(OFFICER, receipt.reference, "account number and date of birth")
    [hold] = container.holds.listing(OFFICER, subject_id=subject.id)
    assert (hold.kind, hold.cause) == (HoldKind.CORRECTION_REQUEST, receipt.reference)


def test_acc_8_a_staff_record_holds_from_intake_and_verifying_it_opens_no_second_hold(
    container: Container, service: RequestService
) -> None:
    subject = add_subject(container)
    request = service.submit(
        OFFICER, SubmitRequest("access", "email", "email", "alice@example.test")
    )
    service.verify_by_agent(OFFICER, request.id, "called back the number on file")
    assert [h.cause for h in container.holds.listing(OFFICER, subject_id=subject.id)] == [
        request.id
    ]


def test_acc_8_closing_the_request_closes_its_hold_and_lets_erasure_proceed(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    subject = add_subject(container)
    receipt = service.submit_public(portal())
    service.match(WORKER, receipt.reference)  # the intake job
    service.verify_code(receipt.reference, code_in(mailer))
    [hold] = container.holds.listing(OFFICER, subject_id=subject.id, active_only=True)
    with pytest.raises(OnHold) as held:
        container.audit.erase_subject_payloads(OFFICER, subject.id)
    assert held.value.hold_ids == (hold.id,)
    service.refuse(OFFICER, receipt.reference, ["No information held"])
    assert service.is_on_hold(subject.id)  # a refusal may still be complained about
    service.close(OFFICER, receipt.reference)
    assert not service.is_on_hold(subject.id)
    [closed] = container.holds.listing(OFFICER, subject_id=subject.id)
    assert (closed.id, closed.closed_by, closed.closed_reason) == (
        hold.id,
        OFFICER.user_id,
        "request closed",
    )
    size = container.audit.size(OFFICER)
    actions = [container.audit.entry(OFFICER, seq).action for seq in range(size - 2, size)]
    assert actions == ["hold.closed", "request.closed"]
    assert container.audit.erase_subject_payloads(OFFICER, subject.id) >= 1


def test_acc_8_another_hold_on_the_subject_shows_with_the_requests_and_outlives_it(
    container: Container, service: RequestService
) -> None:
    subject = add_subject(container)
    request = service.submit(
        OFFICER, SubmitRequest("access", "email", "email", "alice@example.test")
    )
    other = container.holds.open(
        OFFICER, OpenHold("complaint", "Complaint C-12 to the Commission", subject_id=subject.id)
    )
    shown = {(h.kind.value, h.reference) for h in service.holds_for(OFFICER, subject.id)}
    assert shown == {("request", request.id), ("complaint", other.id)}
    service.refuse(OFFICER, request.id, ["No information held"])
    service.close(OFFICER, request.id)
    assert service.is_on_hold(subject.id)  # the complaint still holds
    assert container.holds.get(OFFICER, other.id).active
