"""Retention and disposal in the console (RET-1, RET-2): the officer sees what is due in words,
plans, cannot approve without confirming the review, approves, runs it and downloads the
certificate; the auditor reads; an agent records a lifecycle event on a person's page and sees
each record's end of life; English and French, no internal codes."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.subjects import RecordInformation, RegisterSubject

OP = LOCAL_OPERATOR


def sign_in(client: TestClient, token: str, page: str = "/console/retention") -> str:
    r = post_login(client, token)
    assert r.status_code == 303
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    return found.group(1) if found else ""


def located(c: Container, n: int) -> str:
    sid = c.subjects.register(
        OP, RegisterSubject("customer", "QC", "fr", email=f"l{n}@example.ca")
    ).id
    c.subjects.record_information(
        OP,
        RecordInformation(
            sid, "location_data", f"45.{n},-73.5", "from_individual", ("location_services",),
            "mobile-app", collected_at=c.ctx.now() - timedelta(days=120),
        ),
    )  # fmt: skip
    return sid


def test_ret_2_the_officer_plans_reviews_approves_runs_and_downloads_the_certificate(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    for n in range(3):
        located(c, n)
    csrf = sign_in(client, tokens[Role.PRIVACY_OFFICER])
    page = client.get("/console/retention").text
    assert "Location data" in page and "90 days from collection, then deleted" in page
    assert "location_data" not in page
    r = client.post(
        "/console/retention", data={"action": "plan", "csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    run_url = r.headers["location"].split("?")[0]
    run_id = run_url.rsplit("/", 1)[1]
    page = client.get(r.headers["location"]).text
    assert "Planned, waiting for approval" in page and 'id="reviewed"' in page
    # One careless click approves nothing: the review must be confirmed.
    careless = client.post(run_url, data={"action": "approve", "csrf": csrf})
    assert careless.status_code == 422 and "reviewed" in careless.text
    assert c.retention.run(OP, run_id).status.value == "planned"
    r = client.post(
        run_url, data={"action": "approve", "reviewed": "yes", "csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].endswith("done=approved")
    r = client.post(run_url, data={"action": "execute", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(run_url).text
    assert "Completed" in page and 'value="3"' in page and "certificate.pdf?lang=fr" in page
    # People are named by their usernames, not by their internal ids.
    assert "user-privacy-officer" in page.split('id="plan"')[0]
    assert "usr_" not in page.split('id="plan"')[0].split("</header>")[1]
    pdf = client.get(f"{run_url}/certificate.pdf", params={"lang": "fr"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Certificat de destruction" in text and "Données de localisation" in text
    assert client.get(f"{run_url}/certificate.json").json()["total"] == 3
    client.get("/console/language/fr", follow_redirects=False)
    page = client.get(run_url).text
    assert "Terminée" in page and "Données de localisation" in page


def test_ret_2_the_auditor_reads_runs_and_an_agent_may_not(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    located(sqlite_container, 1)
    run = sqlite_container.retention.plan(OP)
    sign_in(client, tokens[Role.AUDITOR])
    page = client.get(f"/console/retention/runs/{run.id}").text
    assert "Planned, waiting for approval" in page and 'id="form-approve"' not in page
    assert 'id="form-plan"' not in client.get("/console/retention").text
    client.post("/console/logout", data={})
    sign_in(client, tokens[Role.AGENT], "/console/")
    assert client.get("/console/retention").status_code == 403


def test_ret_1_an_agent_records_a_lifecycle_event_and_sees_the_end_of_life(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    sid = located(c, 5)
    c.subjects.record_information(
        OP,
        RecordInformation(sid, "email", "l5@example.ca", "from_individual", ("provide_service",)),
    )
    csrf = sign_in(client, tokens[Role.AGENT], f"/console/subjects/{sid}")
    page = client.get(f"/console/subjects/{sid}").text
    assert 'id="end-of-life"' in page and "while the service lasts" in page
    bad = client.post(
        f"/console/subjects/{sid}/record",
        data={
            "action": "lifecycle",
            "kind": "service_ended",
            "occurred_on": "yesterday",
            "csrf": csrf,
        },
    )
    assert bad.status_code == 422 and "occurred_on" in bad.text
    r = client.post(
        f"/console/subjects/{sid}/record",
        data={
            "action": "lifecycle",
            "kind": "service_ended",
            "occurred_on": "2026-01-31",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("done=lifecycle")
    page = client.get(f"/console/subjects/{sid}").text
    assert "2029-01-30" in page  # the email: 1,095 days after the end of service
    assert [e.kind.value for e in c.retention.events(OP, sid)] == ["service_ended"]
