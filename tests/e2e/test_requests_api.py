"""Requests through the HTTP API: the individual's public intake and verification (no staff
token, rate-limited, revealing nothing), and the staff queue, clocks and response (ACC-1..11)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from confide.adapters.delivery import RecipientDelivery
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, WORKER, Role
from confide.domain.requests.letters import INTAKE_ANSWER
from confide.services.requests import RequestService
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeMailer, InlineOutbox


@pytest.fixture
def mailer(sqlite_container: Container) -> FakeMailer:
    fake = FakeMailer()
    assert sqlite_container.requests is not None
    sqlite_container.requests = sqlite_container.requests_over(
        InlineOutbox.over(sqlite_container.outbox, RecipientDelivery(fake))
    )
    return fake


@pytest.fixture
def subject_id(sqlite_container: Container) -> str:
    return sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "ON", "en", email="alice@example.test")
    ).id


def svc(c: Container) -> RequestService:
    assert c.requests is not None
    return c.requests


def test_acc_11_public_intake_answers_alike_for_known_and_unknown_people(
    client: TestClient, subject_id: str, mailer: FakeMailer, sqlite_container: Container
) -> None:
    known = client.post(
        "/requests",
        json={"kind": "access", "identifier_kind": "email", "identifier": "alice@example.test"},
    )
    unknown = client.post(
        "/requests",
        json={"kind": "access", "identifier_kind": "email", "identifier": "zed@example.test"},
    )
    assert known.status_code == unknown.status_code == 202
    assert known.json().keys() == unknown.json().keys() == {"reference", "message"}
    assert known.json()["message"] == unknown.json()["message"]
    assert mailer.sent == []  # nothing is looked up or mailed on the request path
    assert svc(sqlite_container).match_pending(WORKER, older_than=timedelta(0)) == 2  # the job
    code = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert code and len(mailer.sent) == 1
    bad_known = client.post(f"/requests/{known.json()['reference']}/verify", json={"code": "x"})
    bad_unknown = client.post(f"/requests/{unknown.json()['reference']}/verify", json={"code": "x"})
    assert bad_known.status_code == bad_unknown.status_code == 400
    assert bad_known.json()["detail"] == bad_unknown.json()["detail"]
    assert "alice" not in bad_known.text
    ok = client.post(f"/requests/{known.json()['reference']}/verify", json={"code": code.group(1)})
    assert ok.status_code == 200 and ok.json() == {"verified": True}


def test_acc_11_the_public_answers_language_comes_from_the_request_not_the_subject(
    client: TestClient, sqlite_container: Container
) -> None:
    sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", "fr", email="gaetan@example.test")
    )
    answers = {}
    for email in ("gaetan@example.test", "nobody@example.test"):
        for language in (None, "fr"):
            body = {"kind": "access", "identifier_kind": "email", "identifier": email}
            if language:
                body["language"] = language
            answer = client.post("/requests", json=body)
            assert answer.status_code == 202
            answers[email, language] = answer.json()["message"]
    assert answers["gaetan@example.test", None] == answers["nobody@example.test", None]
    assert answers["gaetan@example.test", None] == INTAKE_ANSWER["en"]
    assert answers["gaetan@example.test", "fr"] == answers["nobody@example.test", "fr"]
    assert answers["gaetan@example.test", "fr"] == INTAKE_ANSWER["fr"]


def test_acc_11_requests_awaiting_identity_are_in_their_own_view_not_the_staff_queue(
    client: TestClient, officer_headers: dict[str, str], subject_id: str, mailer: FakeMailer,
    sqlite_container: Container,
) -> None:  # fmt: skip
    body = {"kind": "access", "identifier_kind": "email", "identifier": "alice@example.test"}
    reference = client.post("/requests", json=body).json()["reference"]
    svc(sqlite_container).match_pending(WORKER, older_than=timedelta(0))  # the intake job
    assert client.get("/v1/requests", headers=officer_headers).json() == []
    awaiting = client.get(
        "/v1/requests", params={"awaiting_identity": True}, headers=officer_headers
    ).json()
    assert [(r["id"], r["state"], r["verified"]) for r in awaiting] == [
        (reference, "awaiting_identity", False)
    ]
    assert client.get(f"/v1/subjects/{subject_id}/holds", headers=officer_headers).json() == []
    code = re.search(r"\b(\d{6})\b", mailer.sent[-1].text)
    assert code
    client.post(f"/requests/{reference}/verify", json={"code": code.group(1)})
    queue = client.get("/v1/requests", headers=officer_headers).json()
    assert [(r["id"], r["state"]) for r in queue] == [(reference, "verified")]


def test_public_intake_is_rate_limited_per_address(client: TestClient, subject_id: str) -> None:
    body = {"kind": "access", "identifier_kind": "email", "identifier": "nobody@example.test"}
    statuses = [client.post("/requests", json=body).status_code for _ in range(11)]
    assert statuses[:10] == [202] * 10
    assert statuses[10] == 429


def test_acc_1_staff_record_a_request_and_see_it_in_the_queue(
    client: TestClient,
    tokens: dict[Role, str],
    officer_headers: dict[str, str],
    subject_id: str,
) -> None:
    agent = {"Authorization": f"Bearer {tokens[Role.AGENT]}"}
    created = client.post(
        "/v1/requests",
        json={
            "kind": "access",
            "channel": "phone",
            "identifier_kind": "email",
            "identifier": "alice@example.test",
            "note": "Caller wants a copy of her file",
        },
        headers=agent,
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["subject_id"] == subject_id and request["days_left"] == 30
    queue = client.get("/v1/requests", params={"due_within": 30}, headers=officer_headers).json()
    assert [r["id"] for r in queue] == [request["id"]]
    assert client.get("/v1/requests", params={"overdue": True}, headers=agent).json() == []
    auditor = {"Authorization": f"Bearer {tokens[Role.AUDITOR]}"}
    assert client.get("/v1/requests", headers=auditor).status_code == 403
    holds = client.get(f"/v1/subjects/{subject_id}/holds", headers=auditor).json()
    assert [(h["reference"], h["active"]) for h in holds] == [(request["id"], True)]


def test_acc_2_and_acc_6_extension_refusal_and_close_over_http(
    client: TestClient, officer_headers: dict[str, str], sqlite_container: Container
) -> None:
    sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", "fr", email="gaetan@example.test")
    )
    body = {
        "kind": "access",
        "channel": "email",
        "identifier_kind": "email",
        "identifier": "gaetan@example.test",
    }
    rid = client.post("/v1/requests", json=body, headers=officer_headers).json()["id"]
    refused = client.post(
        f"/v1/requests/{rid}/extend", json={"reason": "volume", "days": 10}, headers=officer_headers
    )
    assert refused.status_code == 422 and refused.json()["rule"] == "ACC-2"
    letter = client.post(
        f"/v1/requests/{rid}/refuse",
        json={"reasons": ["Secret professionnel"]},
        headers=officer_headers,
    )
    assert letter.status_code == 200
    assert "Commission d'accès à l'information" in letter.json()["letter"]
    assert letter.json()["request"]["outcome"] == "refused"
    closed = client.post(f"/v1/requests/{rid}/close", headers=officer_headers)
    assert closed.json()["state"] == "closed"
    again = client.post(f"/v1/requests/{rid}/close", headers=officer_headers)
    assert again.status_code == 409
    missing = client.get("/v1/requests/req_nope", headers=officer_headers)
    assert missing.status_code == 404


def test_acc_4_verified_request_is_prepared_reviewed_and_released_over_http(
    client: TestClient,
    officer_headers: dict[str, str],
    sqlite_container: Container,
    subject_id: str,
) -> None:
    sqlite_container.subjects.record_information(
        LOCAL_OPERATOR,
        RecordInformation(
            subject_id, "mailing_address", "12 Main Street", "from_individual", ("provide_service",)
        ),
    )
    body = {
        "kind": "access",
        "channel": "letter",
        "identifier_kind": "email",
        "identifier": "alice@example.test",
    }
    rid = client.post("/v1/requests", json=body, headers=officer_headers).json()["id"]
    early = client.post(f"/v1/requests/{rid}/prepare", headers=officer_headers)
    assert early.status_code == 422 and early.json()["rule"] == "ACC-11"
    checked = client.post(
        f"/v1/requests/{rid}/agent-check",
        json={"how": "photo ID seen at the branch"},
        headers=officer_headers,
    )
    assert checked.json()["state"] == "verified"
    prepared = client.post(f"/v1/requests/{rid}/prepare", headers=officer_headers)
    assert prepared.status_code == 200, prepared.text
    items = prepared.json()["file"]["items"]
    address = next(i for i in items if i["value"] == "12 Main Street")
    unknown = client.post(
        f"/v1/requests/{rid}/review", json={"exclude": {"nope": "x"}}, headers=officer_headers
    )
    assert unknown.status_code == 422
    reviewed = client.post(
        f"/v1/requests/{rid}/review",
        json={"exclude": {address["id"]: "confidential_information"}},
        headers=officer_headers,
    )
    assert reviewed.status_code == 200
    released = client.post(f"/v1/requests/{rid}/release", json={}, headers=officer_headers)
    assert released.json()["outcome"] == "released"
    as_json = client.get(f"/v1/requests/{rid}/response", headers=officer_headers)
    assert as_json.headers["x-confide-incomplete"] == "false"
    assert "alice@example.test" in as_json.text and "12 Main Street" not in as_json.text
    pdf = client.get(
        f"/v1/requests/{rid}/response", params={"format": "pdf"}, headers=officer_headers
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_acc_11_asking_for_too_many_codes_is_a_429_naming_the_rule(
    client: TestClient, officer_headers: dict[str, str], subject_id: str, mailer: FakeMailer
) -> None:
    created = client.post(
        "/v1/requests",
        json={
            "kind": "access",
            "channel": "email",
            "identifier_kind": "email",
            "identifier": "alice@example.test",
        },
        headers=officer_headers,
    ).json()
    statuses = [
        client.post(f"/v1/requests/{created['id']}/code", headers=officer_headers).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [202, 202, 202]
    limited = client.post(f"/v1/requests/{created['id']}/code", headers=officer_headers)
    assert limited.status_code == 429
    assert limited.json()["code"] == "too_many_codes" and limited.json()["rule"] == "ACC-11"
    assert len(mailer.to("alice@example.test")) == 3
