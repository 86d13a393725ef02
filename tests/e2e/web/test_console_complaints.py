"""Complaints in the console and the portal (CMP-1, CMP-2): an agent takes a complaint on the
telephone and escalates it; the privacy officer answers it, cannot close it without the action
it led to, records the action and closes it (ticking the confirmation); the auditor reads; a
person complains through the portal in French; no internal codes on the pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.ports.complaints import ComplaintFilter
from confide.services.subjects import RegisterSubject


def sign_in(client: TestClient, token: str) -> str:
    client.cookies.clear()
    r = post_login(client, token)
    assert r.status_code == 303
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/complaints").text)
    assert found is not None
    return found.group(1)


def post(client: TestClient, url: str, csrf: str, **fields: str) -> tuple[int, str]:
    r = client.post(url, data={"csrf": csrf, **fields}, follow_redirects=True)
    return r.status_code, r.text


def test_cmp_1_and_2_a_complaint_from_the_phone_to_its_closed_action_in_the_console(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    c.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", "fr", email="m@example.ca", account="A-9")
    )
    csrf = sign_in(client, tokens[Role.AGENT])
    status, page = post(
        client,
        "/console/complaints",
        csrf,
        action="record",
        channel="phone",
        topic="marketing",
        summary="Des textos après mon désabonnement.",
        contact="m@example.ca",
        account_ref="A-9",
        language="fr",
    )
    assert status == 200 and "Complaint recorded and acknowledged." in page
    reference = re.search(r"<h1>(CMP-\d{4}-\d{4})", page)
    assert reference is not None
    url = f"/console/complaints/{reference.group(1)}"
    assert "topic_" not in page and "marketing</" not in page
    status, page = post(client, url, csrf, action="note", text="Vendor log shows 2 texts.")
    assert status == 200 and "Vendor log shows 2 texts." in page
    status, page = post(client, url, csrf, action="escalate")
    assert status == 200 and "Senior management and privacy officer" in page
    assert 'id="form-answer"' not in page  # escalated: the officer's
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    status, page = post(
        client, url, csrf, action="answer", outcome="justified", reasons="Two texts were sent."
    )
    assert status == 200 and "Answer recorded and sent." in page
    status, page = post(client, url, csrf, action="close", confirm="yes")
    assert status == 422 and "record the action it led to" in page
    status, page = post(
        client,
        url,
        csrf,
        action="action",
        kind="practice_change",
        description="Opt-outs reach the SMS vendor within the hour.",
        owner="Marketing operations",
        due_on="2026-07-01",
    )
    assert status == 200 and "Action recorded." in page
    status, page = post(client, url, csrf, action="close")
    assert status == 422  # the confirmation must be ticked
    status, page = post(client, url, csrf, action="close", confirm="yes")
    assert status == 200 and "Complaint closed." in page
    sign_in(client, tokens[Role.AUDITOR])
    register = client.get("/console/complaints").text
    assert reference.group(1) in register and "Justified" in register
    assert 'id="form-record"' not in register
    assert "Opt-outs reach the SMS vendor within the hour." in register  # open actions
    assert "Marketing messages" in register.split('id="monthly"')[1]  # counts by month
    filtered = client.get("/console/complaints", params={"topic": "use"}).text
    assert reference.group(1) not in filtered
    assert reference.group(1) in client.get("/console/complaints/export.csv").text


def test_cmp_1_a_person_complains_through_the_portal_in_french(
    client: TestClient, sqlite_container: Container
) -> None:
    form = client.get("/portal/fr/complaints/new").text
    assert "Porter plainte" in form and "Numéro de facture ou de compte" in form
    r = client.post(
        "/portal/fr/complaints/new",
        data={
            "topic": "use",
            "summary": "Mes données servent à la publicité.",
            "contact": "moi@example.ca",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200 and "CMP-" in r.text and "par écrit au plus tard le" in r.text
    bad = client.post(
        "/portal/en/complaints/new", data={"topic": "use", "summary": "x", "contact": ""}
    )
    assert bad.status_code == 422 and "How to reach the complainant" in bad.text
    [row] = sqlite_container.complaints.listing(LOCAL_OPERATOR, ComplaintFilter())
    assert (row.channel.value, row.language, row.recorded_by) == ("portal", "fr", "portal")


def test_cmp_1_the_portal_form_is_rate_limited_per_address(client: TestClient) -> None:
    form = {"topic": "other", "summary": "Test.", "contact": "me@example.ca"}
    codes = [client.post("/portal/en/complaints/new", data=form).status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 or codes[:5] == [303] * 5
    assert codes[5] == 429
