"""The privacy officer's work list: a correction that could not be delivered (ACC-9) is shown and
retried; a notice owed after an emergency disclosure (DIS-2) is shown, overdue, and recorded as
sent; other roles get a 403 page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.outbox import Composed, DeliveryState, OutboxKind, TargetType, compose
from confide.services.disclosures import DisclosureRequest, RecipientInput
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR
SYSTEM = Principal(user_id="system", username="system", roles=frozenset({Role.INTEGRATION}))
AGREEMENT = {"agreement_ref": "AGR-1", "agreement_signed": date(2025, 1, 1)}


def person(c: Container, email: str) -> str:
    sid = c.subjects.register(OP, RegisterSubject("customer", "ON", "en", email=email)).id
    for category, value in (("name", "Old Name"), ("telephone_number", "+14165550100")):
        c.subjects.record_information(
            OP, RecordInformation(sid, category, value, "from_individual", ("provide_service",))
        )
    return sid


def recipient(c: Container, class_id: str, name: str) -> str:
    data = RecipientInput(name, class_id, "CA", "QC", contact="by phone only", **AGREEMENT)  # type: ignore[arg-type]
    return c.disclosures.add_recipient(OP, data).id


@pytest.fixture
def failed_message(sqlite_container: Container) -> str:
    c = sqlite_container
    sid = person(c, "jo@example.ca")
    rid = recipient(c, "collection_agency", "Agency without an endpoint")
    c.disclosures.disclose(
        OP,
        DisclosureRequest(
            sid,
            rid,
            "billing",
            ("name",),
            "debt_collection",
            {"debt_reference": "INV-1", "owed_to_company": True},
        ),
    )
    assert c.corrections is not None and c.outbox is not None
    [mid] = c.corrections.accept(OP, sid, "name", "New Name").messages
    assert c.outbox.deliver_due(SYSTEM).failed == [mid]  # no endpoint, no email: failed at once
    return mid


@pytest.fixture
def owed_notice(sqlite_container: Container) -> str:
    c = sqlite_container
    sid = person(c, "em@example.ca")
    rid = recipient(c, "emergency_authority", "Ambulance service")
    out = c.disclosures.disclose(
        OP,
        DisclosureRequest(
            sid,
            rid,
            "legal_compliance",
            ("name", "telephone_number"),
            "emergency",
            {"description": "Caller reported a person unconscious at the service address"},
        ),
    )
    [notice] = out.notices
    return notice.id


def sign_in(client: TestClient, token: str) -> str:
    r = post_login(client, token)
    assert r.status_code == 303
    page = client.get("/console/work").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    return found.group(1) if found else ""


def test_acc_9_a_failed_correction_delivery_is_shown_and_retried(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], failed_message: str
) -> None:
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get("/console/work").text
    assert f'data-message="{failed_message}"' in page and "no_endpoint" in page
    r = client.post(
        "/console/work",
        data={"action": "retry", "message_id": failed_message, "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/work?done=retried"
    assert sqlite_container.outbox is not None
    message = sqlite_container.outbox.message(OP, failed_message).message
    assert message.state is DeliveryState.PENDING
    assert f'data-message="{failed_message}"' not in client.get("/console/work").text


def test_dis_2_an_overdue_notice_is_shown_and_recorded_as_sent(
    client: TestClient,
    sqlite_container: Container,
    tokens: dict[Role, str],
    owed_notice: str,
    clock: FakeClock,
) -> None:
    clock.advance(days=60)  # past any deadline the policy sets
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get("/console/work").text
    assert re.search(rf'data-notice="{owed_notice}" class="overdue"', page)
    bad = client.post(
        "/console/work",
        data={"action": "notice_sent", "notice_id": owed_notice, "method": "pigeon", "csrf": csrf},
    )
    assert bad.status_code == 422 and 'id="problems"' in bad.text
    r = client.post(
        "/console/work",
        data={
            "action": "notice_sent",
            "notice_id": owed_notice,
            "method": "mail",
            "reference": "CP 123",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    [sent] = sqlite_container.disclosures.notices(OP, status="sent")
    assert sent.id == owed_notice and sent.sent_via == "mail" and sent.sent_reference == "CP 123"
    assert f'data-notice="{owed_notice}"' not in client.get("/console/work").text


@pytest.mark.parametrize("role", [Role.AGENT, Role.AUDITOR])
def test_the_work_list_is_the_privacy_officers(
    client: TestClient, tokens: dict[Role, str], role: Role
) -> None:
    sign_in(client, tokens[role])
    assert client.get("/console/work").status_code == 403


def failed_mail(c: Container) -> str:
    """A refusal mail that failed its only attempt (no SMTP server in this app)."""
    m = compose(
        id=c.ctx.new_id("obx"),
        kind=OutboxKind.REFUSAL,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_x",
        content=Composed("Refused", "Reasons.", "en", "jo@example.ca"),
        key="response.req_x",
        at=c.ctx.now(),
        max_attempts=1,
    )
    with c.ctx.uow() as uow:
        uow.outbox.add(m)
        uow.commit()
    assert c.outbox.deliver_due(SYSTEM).failed == [m.id]
    return m.id


def test_a_failed_mail_to_an_individual_is_named_in_words_in_english_and_french(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    mid = failed_mail(sqlite_container)
    sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get("/console/work").text
    assert f'data-message="{mid}"' in page
    assert "Refusal in writing to the individual" in page and "refusal →" not in page
    client.get("/console/language/fr", follow_redirects=False)
    page = client.get("/console/work").text
    assert "Refus par écrit à la personne concernée" in page
    assert "Messages qui n&#39;ont pas pu être transmis" in page or "Messages qui n'ont" in page


def test_a_letter_to_post_is_listed_and_recorded_as_sent(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    letter = compose(
        id=c.ctx.new_id("obx"),
        kind=OutboxKind.EXTENSION_NOTICE,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_x",
        content=Composed("Extension", "New date: July 15."),
        key="extension.req_x",
        at=c.ctx.now(),
    )
    with c.ctx.uow() as uow:
        uow.outbox.add(letter)
        uow.commit()
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get("/console/work").text
    assert f'data-letter="{letter.id}"' in page
    assert "Notice of a time extension to the individual, by letter" in page
    assert "New date: July 15." not in page  # the letter's text is read on purpose, not listed
    r = client.post(
        "/console/work",
        data={"action": "posted", "message_id": letter.id, "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/work?done=posted"
    assert c.outbox.message(OP, letter.id).message.state is DeliveryState.DELIVERED
    assert f'data-letter="{letter.id}"' not in client.get("/console/work").text


def test_the_api_names_messages_in_words_in_both_languages(
    client: TestClient, sqlite_container: Container, officer_headers: dict[str, str]
) -> None:
    mid = failed_mail(sqlite_container)
    [out] = client.get("/v1/outbox?state=failed", headers=officer_headers).json()
    assert out["id"] == mid and out["channel"] == "email" and out["subject_id"] is None
    assert out["labels"] == {
        "en": "Refusal in writing to the individual",
        "fr": "Refus par écrit à la personne concernée",
    }
