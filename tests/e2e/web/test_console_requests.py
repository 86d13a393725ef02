"""The console's request queue: ACC-1 (due dates and days left), ACC-3 (overdue first and
flagged), ACC-11 (an agent's recorded identity check), ACC-2 (the one federal extension with its
notice; refused for Québec), roles (an auditor gets a 403 page; an agent cannot extend)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.requests import RequestSettings, SubmitRequest
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock, FakeMailer, InlineOutbox


@pytest.fixture
def mailer(sqlite_container: Container) -> FakeMailer:
    fake = FakeMailer()
    inline = InlineOutbox.over(sqlite_container.outbox, RecipientDelivery(fake))
    sqlite_container.requests = sqlite_container.requests_over(inline, RequestSettings())
    return fake


def phone_request(c: Container, email: str, province: str) -> str:
    c.subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", province, email=email))
    assert c.requests is not None
    return c.requests.submit(
        LOCAL_OPERATOR,
        SubmitRequest(
            kind="access",
            channel="phone",
            identifier_kind="email",
            identifier=email,
            note="caller asked for a copy of their file",
        ),
    ).id


def sign_in(client: TestClient, token: str) -> None:
    assert post_login(client, token).status_code == 303


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_acc_1_acc_3_the_queue_shows_due_dates_and_puts_overdue_requests_first(
    client: TestClient,
    sqlite_container: Container,
    tokens: dict[Role, str],
    clock: FakeClock,
    mailer: FakeMailer,
) -> None:
    late = phone_request(sqlite_container, "late@example.ca", "ON")
    clock.advance(days=25)
    fresh = phone_request(sqlite_container, "fresh@example.ca", "ON")
    clock.advance(days=6)  # the first is now 31 days old: overdue
    sign_in(client, tokens[Role.AGENT])
    page = client.get("/console/requests").text
    assert page.index(late) < page.index(fresh)
    assert re.search(rf'data-request="{late}" class="overdue"', page)
    overdue = client.get("/console/requests?show=overdue").text
    assert late in overdue and fresh not in overdue
    due7 = client.get("/console/requests?show=due7").text
    assert fresh not in due7  # 24 days left


def test_acc_11_an_agent_records_the_identity_check_of_a_phone_request(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], mailer: FakeMailer
) -> None:
    rid = phone_request(sqlite_container, "caller@example.ca", "ON")
    sign_in(client, tokens[Role.AGENT])
    page = client.get(f"/console/requests/{rid}").text
    assert 'id="form-extend"' not in page  # extensions are the privacy officer's
    empty = client.post(
        f"/console/requests/{rid}/act", data={"action": "verify", "how": " ", "csrf": csrf(page)}
    )
    assert empty.status_code == 422 and "how" in empty.text
    r = client.post(
        f"/console/requests/{rid}/act",
        data={
            "action": "verify",
            "how": "date of birth and last invoice amount",
            "csrf": csrf(page),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert sqlite_container.requests.get(LOCAL_OPERATOR, rid).request.state.value == "verified"  # type: ignore[union-attr]


def test_acc_2_the_officer_extends_a_federal_request_once_and_not_a_quebec_one(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], mailer: FakeMailer
) -> None:
    federal = phone_request(sqlite_container, "on@example.ca", "ON")
    quebec = phone_request(sqlite_container, "qc@example.ca", "QC")
    sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get(f"/console/requests/{federal}").text
    r = client.post(
        f"/console/requests/{federal}/act",
        data={
            "action": "extend",
            "reason": "records held by a supplier",
            "days": "30",
            "csrf": csrf(page),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    row = sqlite_container.requests.get(LOCAL_OPERATOR, federal)  # type: ignore[union-attr]
    assert row.request.extension is not None
    assert mailer.to("on@example.ca"), "the extension notice was not sent"
    assert 'id="form-extend"' not in client.get(f"/console/requests/{federal}").text

    page = client.get(f"/console/requests/{quebec}").text
    refused = client.post(
        f"/console/requests/{quebec}/act",
        data={"action": "extend", "reason": "busy", "days": "30", "csrf": csrf(page)},
    )
    assert refused.status_code == 422 and 'id="problems"' in refused.text
    assert sqlite_container.requests.get(LOCAL_OPERATOR, quebec).request.extension is None  # type: ignore[union-attr]


def test_an_auditor_gets_a_403_page_for_the_queue(
    client: TestClient, tokens: dict[Role, str], mailer: FakeMailer
) -> None:
    sign_in(client, tokens[Role.AUDITOR])
    assert client.get("/console/requests").status_code == 403


def test_acc_8_the_legal_hold_is_visible_on_the_subject_while_the_request_is_open(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], mailer: FakeMailer
) -> None:
    rid = phone_request(sqlite_container, "held@example.ca", "ON")
    request = sqlite_container.requests.get(LOCAL_OPERATOR, rid).request  # type: ignore[union-attr]
    sign_in(client, tokens[Role.AGENT])
    page = client.get(f"/console/subjects/{request.subject_id}").text
    assert 'id="holds"' in page and rid in page
    service = sqlite_container.requests
    assert service is not None
    service.verify_by_agent(LOCAL_OPERATOR, rid, "account number and date of birth")
    service.refuse(LOCAL_OPERATOR, rid, ["the file is the subject of a court order"])
    service.close(LOCAL_OPERATOR, rid)
    assert 'id="holds"' not in client.get(f"/console/subjects/{request.subject_id}").text
