"""The staff console over HTTP: sessions (sealed cookie, revocation, forgery), roles on every
page, masking of high-sensitivity values for agents, CSRF, and recording what a caller says."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.web.sessions import COOKIE


@pytest.fixture
def subject_id(sqlite_container: Container) -> str:
    s = sqlite_container.subjects.register(
        LOCAL_OPERATOR,
        RegisterSubject("customer", "ON", email="pat@example.ca", phone="+1 416 555 0199"),
    )
    for category, value, purpose in (
        ("credit_information", "score 712", "credit_check"),
        ("email", "pat@example.ca", "provide_service"),
    ):
        sqlite_container.subjects.record_information(
            LOCAL_OPERATOR, RecordInformation(s.id, category, value, "from_individual", (purpose,))
        )
    return s.id


def sign_in(client: TestClient, token: str) -> None:
    r = post_login(client, token)
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def test_console_needs_a_session(client: TestClient) -> None:
    for path in ("/console/", "/console/subjects", "/console/subjects/anything"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/console/login", path


def test_a_bad_token_is_refused_without_a_cookie(client: TestClient) -> None:
    r = post_login(client, "not-a-token")
    assert r.status_code == 401
    # No session cookie; the form shown again carries a fresh sign-in CSRF cookie.
    assert f"{COOKIE}=" not in r.headers.get("set-cookie", "")
    assert 'id="sign-in-error"' in r.text and "not-a-token" not in r.text


def test_the_session_cookie_is_sealed_and_cannot_be_forged(
    client: TestClient, tokens: dict[Role, str]
) -> None:
    sign_in(client, tokens[Role.AGENT])
    sealed = client.cookies.get(COOKIE)
    assert sealed and tokens[Role.AGENT] not in sealed
    assert client.get("/console/", follow_redirects=False).status_code == 200
    forged = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    client.cookies.clear()
    client.cookies.set(COOKIE, forged)
    assert client.get("/console/", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(COOKIE, sealed)
    assert client.get("/console/", follow_redirects=False).status_code == 200


def test_revoking_the_token_ends_the_console_session(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    sign_in(client, tokens[Role.AGENT])
    assert client.get("/console/", follow_redirects=False).status_code == 200
    token_id = sqlite_container.staff.authenticate(tokens[Role.AGENT]).token_id
    assert token_id is not None
    sqlite_container.staff.revoke_token(LOCAL_OPERATOR, token_id)
    # The console re-authenticates every request (no cache), so the revocation applies at once.
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_an_auditor_gets_a_403_page_for_subjects(
    client: TestClient, tokens: dict[Role, str], subject_id: str
) -> None:
    sign_in(client, tokens[Role.AUDITOR])
    r = client.get(f"/console/subjects/{subject_id}")
    assert r.status_code == 403
    assert 'id="error"' in r.text and "pat@example.ca" not in r.text


def test_an_agent_sees_high_sensitivity_values_masked_and_the_officer_sees_them(
    client: TestClient, tokens: dict[Role, str], subject_id: str
) -> None:
    sign_in(client, tokens[Role.AGENT])
    page = client.get(f"/console/subjects/{subject_id}").text
    assert "score 712" not in page and "••••" in page
    assert "pat@example.ca" in page  # low sensitivity: visible to the agent
    sign_in(client, tokens[Role.PRIVACY_OFFICER])
    assert "score 712" in client.get(f"/console/subjects/{subject_id}").text


def test_a_form_without_its_csrf_value_records_nothing(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], subject_id: str
) -> None:
    sign_in(client, tokens[Role.AGENT])
    before = len(sqlite_container.consent.history(LOCAL_OPERATOR, subject_id))
    r = client.post(
        f"/console/subjects/{subject_id}/record",
        data={"action": "opt_out", "channel": "email", "csrf": "wrong"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert len(sqlite_container.consent.history(LOCAL_OPERATOR, subject_id)) == before


def test_cem_2_an_agent_records_an_email_opt_out_that_decisions_apply_at_once(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], subject_id: str
) -> None:
    sign_in(client, tokens[Role.AGENT])
    page = client.get(f"/console/subjects/{subject_id}").text
    r = client.post(
        f"/console/subjects/{subject_id}/record",
        data={"action": "opt_out", "channel": "email", "csrf": csrf(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("?done=opted_out")
    history = sqlite_container.consent.history(LOCAL_OPERATOR, subject_id)
    assert any(type(e).__name__ == "ChannelOptedOut" and e.channel == "email" for e in history)
    shown = client.get(r.headers["location"]).text
    assert 'id="done"' in shown and "Opted out of channel" in shown


def test_bad_form_input_is_shown_with_the_field_and_records_nothing(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str], subject_id: str
) -> None:
    sign_in(client, tokens[Role.AGENT])
    page = client.get(f"/console/subjects/{subject_id}").text
    before = len(sqlite_container.consent.history(LOCAL_OPERATOR, subject_id))
    r = client.post(
        f"/console/subjects/{subject_id}/record",
        data={"action": "opt_out", "channel": "carrier-pigeon", "csrf": csrf(page)},
    )
    assert r.status_code == 422
    assert 'id="problems"' in r.text and "channel" in r.text
    assert len(sqlite_container.consent.history(LOCAL_OPERATOR, subject_id)) == before


def test_console_in_french(client: TestClient, tokens: dict[Role, str]) -> None:
    sign_in(client, tokens[Role.AGENT])
    client.get("/console/language/fr", follow_redirects=False)
    page = client.get("/console/").text
    assert '<html lang="fr">' in page and "Tableau de bord" in page


def test_the_sign_in_form_needs_its_csrf_value(client: TestClient, tokens: dict[Role, str]) -> None:
    # A page on another site can post a token, but it cannot read the sign-in form's value
    # nor set the cookie that must match it (issue 18): a forged sign-in is refused.
    forged = client.post(
        "/console/login", data={"token": tokens[Role.AGENT]}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert f"{COOKIE}=" not in forged.headers.get("set-cookie", "")
    client.get("/console/login")  # a real form's cookie, but another value in the post
    mismatched = client.post(
        "/console/login",
        data={"token": tokens[Role.AGENT], "csrf": "chosen-by-the-attacker"},
        follow_redirects=False,
    )
    assert mismatched.status_code == 403
    assert post_login(client, tokens[Role.AGENT]).status_code == 303
