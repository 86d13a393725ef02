"""The portal's request pages: ACC-1 (a written request through the portal), ACC-11 (identity
confirmed by a code sent to a contact on file; the answer reveals nothing), rate limits, and the
same path in a real browser, in French."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, WORKER
from confide.services.subjects import RegisterSubject
from confide.testing import FakeMailer, InlineOutbox


@pytest.fixture
def mailer(sqlite_container: Container) -> FakeMailer:
    """The request service of the app under test sends its mail to a fake we can read."""
    fake = FakeMailer()
    service = sqlite_container.requests
    assert service is not None
    sqlite_container.requests = sqlite_container.requests_over(
        InlineOutbox.over(sqlite_container.outbox, RecipientDelivery(fake)),
        replace(service.settings, portal_url="https://privacy.example.test"),
    )
    return fake


@pytest.fixture
def known(sqlite_container: Container) -> str:
    return sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", language="fr", email="lea@example.ca")
    ).id


def code_in(mailer: FakeMailer, address: str) -> str:
    sent = mailer.to(address)
    assert sent, f"no mail to {address}"
    found = re.search(r"\b(\d{6})\b", sent[-1].text)
    assert found, "the mail has no code"
    return found.group(1)


def intake_job(c: Container) -> int:
    """What the ``requests.intake`` job does, off the request path: match the requests waiting
    and mail their codes."""
    assert c.requests is not None
    return c.requests.match_pending(WORKER, older_than=timedelta(0))


def submit(client: TestClient, lang: str, **fields: str) -> Any:
    data = {"kind": "access", "identifier_kind": "email"} | fields
    return client.post(f"/portal/{lang}/requests/new", data=data, follow_redirects=False)


def test_acc_1_the_request_form_is_there_in_both_languages(client: TestClient) -> None:
    assert "Send my request" in client.get("/portal/en/requests/new").text
    assert "Envoyer ma demande" in client.get("/portal/fr/requests/new").text


def test_acc_11_known_and_unknown_people_get_the_same_answer_and_only_known_get_a_code(
    client: TestClient, mailer: FakeMailer, known: str, sqlite_container: Container
) -> None:
    answers = []
    for email in ("lea@example.ca", "nobody@example.ca"):
        r = submit(client, "fr", identifier=email)
        assert r.status_code == 303
        page = client.get(r.headers["location"])
        answers.append(re.sub(r"req_[0-9a-z]+", "REF", page.text))
    assert answers[0] == answers[1]
    assert mailer.sent == []  # the code is mailed a moment later, by the intake job
    assert intake_job(sqlite_container) == 2
    assert mailer.to("lea@example.ca") and not mailer.to("nobody@example.ca")


def test_acc_11_the_code_from_the_mail_confirms_identity_and_shows_the_due_date(
    client: TestClient, mailer: FakeMailer, known: str, sqlite_container: Container
) -> None:
    r = submit(client, "en", identifier="LEA@example.ca")
    verify_url = r.headers["location"].split("?")[0]
    intake_job(sqlite_container)
    wrong = client.post(verify_url, data={"code": "000000"})
    assert wrong.status_code == 400 and 'id="verify-error"' in wrong.text
    ok = client.post(verify_url, data={"code": code_in(mailer, "lea@example.ca")})
    assert ok.status_code == 200 and 'id="verified"' in ok.text
    reference = verify_url.split("/")[-2]
    request = sqlite_container.requests.get(LOCAL_OPERATOR, reference).request  # type: ignore[union-attr]
    assert request.state.value == "verified"
    assert request.effective_due.isoformat() in ok.text


def test_bad_input_names_the_field_and_records_nothing(
    client: TestClient, mailer: FakeMailer, sqlite_container: Container
) -> None:
    r = submit(client, "en", identifier="not an email")
    assert r.status_code == 422
    assert 'id="problems"' in r.text and "Your email address, telephone or account number" in r.text
    assert 'value="not an email"' in r.text  # what the person typed is kept in the form
    assert sqlite_container.requests.listing(LOCAL_OPERATOR) == []  # type: ignore[union-attr]


def test_the_forms_are_rate_limited_per_address(client: TestClient, mailer: FakeMailer) -> None:
    statuses = [submit(client, "en", identifier=f"p{i}@example.ca").status_code for i in range(12)]
    assert statuses[:10] == [303] * 10
    assert statuses[10:] == [429, 429]


def test_acc_1_acc_11_a_person_makes_a_request_in_french_in_a_browser(
    browser: Any,
    click_and_wait: Any,
    live_url: str,
    mailer: FakeMailer,
    known: str,
    sqlite_container: Container,
) -> None:
    browser.get(f"{live_url}/portal/fr/")
    click_and_wait(browser, By.ID, "link-request")
    browser.find_element(By.ID, "kind-access").click()
    Select(browser.find_element(By.ID, "identifier_kind")).select_by_value("email")
    browser.find_element(By.ID, "identifier").send_keys("lea@example.ca")
    click_and_wait(browser, By.ID, "submit-request")
    assert "Nous avons reçu votre demande" in browser.find_element(By.ID, "intake-answer").text
    intake_job(sqlite_container)  # the code arrives a moment later

    browser.find_element(By.ID, "code").send_keys("123")
    click_and_wait(browser, By.ID, "verify")
    assert browser.find_element(By.ID, "verify-error").is_displayed()

    browser.find_element(By.ID, "code").send_keys(code_in(mailer, "lea@example.ca"))
    click_and_wait(browser, By.ID, "verify")
    assert "Votre identité est confirmée" in browser.find_element(By.ID, "verified").text


def test_the_portal_and_the_public_api_share_one_limit_per_address(
    client: TestClient, mailer: FakeMailer
) -> None:
    for i in range(5):
        assert submit(client, "en", identifier=f"w{i}@example.ca").status_code == 303
    body = {"kind": "access", "identifier_kind": "email", "identifier": "api@example.ca"}
    statuses = [client.post("/requests", json=body).status_code for _ in range(6)]
    assert statuses == [202] * 5 + [429]
    assert submit(client, "en", identifier="late@example.ca").status_code == 429


def test_acc_4_acc_11_the_released_response_is_downloaded_after_a_fresh_code(
    client: TestClient, mailer: FakeMailer, known: str, sqlite_container: Container
) -> None:
    service = sqlite_container.requests
    assert service is not None
    r = submit(client, "en", identifier="lea@example.ca")
    verify_url = r.headers["location"].split("?")[0]
    reference = verify_url.split("/")[-2]
    intake_job(sqlite_container)
    assert (
        client.post(verify_url, data={"code": code_in(mailer, "lea@example.ca")}).status_code == 200
    )

    response_url = f"/portal/en/requests/{reference}/response"
    files_url = f"{response_url}/files"
    # Nothing before the release, whatever is typed.
    assert client.get(files_url, follow_redirects=False).headers["location"] == response_url

    service.prepare(LOCAL_OPERATOR, reference)
    service.release(LOCAL_OPERATOR, reference)
    ready = mailer.to("lea@example.ca")[-1]
    assert f"https://privacy.example.test/portal/en/requests/{reference}/response" in ready.text

    unknown = client.post("/portal/en/requests/req_unknown/response/code").text
    known_page = client.post(f"{response_url}/code").text
    assert re.sub(r"req_[0-9a-z_]+", "REF", unknown) == re.sub(r"req_[0-9a-z_]+", "REF", known_page)
    code = code_in(mailer, "lea@example.ca")
    assert (
        client.post(
            f"{response_url}/verify", data={"code": "999999" if code != "999999" else "000000"}
        ).status_code
        == 400
    )
    ok = client.post(f"{response_url}/verify", data={"code": code}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == files_url
    assert "HttpOnly" in ok.headers["set-cookie"] and "SameSite=strict" in ok.headers["set-cookie"]

    assert 'id="download-pdf"' in client.get(files_url).text
    data = client.get(f"{files_url}/json")
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    assert "lea@example.ca" in data.text
    assert client.get(f"{files_url}/pdf").content.startswith(b"%PDF")

    # The grant is for this reference only, and for this browser only.
    other = client.get("/portal/en/requests/req_other/response/files/json", follow_redirects=False)
    assert other.status_code == 303
    client.cookies.clear()
    assert client.get(f"{files_url}/json", follow_redirects=False).status_code == 303
