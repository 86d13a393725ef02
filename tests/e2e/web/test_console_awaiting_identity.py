"""The console's request queue is the staff's work: an individual's own request awaiting
identity is not in it (ACC-8, ACC-11), and its page, reached by its reference, names its state."""

from __future__ import annotations

from fastapi.testclient import TestClient

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.requests import SubmitRequest
from confide.services.subjects import RegisterSubject


def test_acc_11_a_request_awaiting_identity_is_not_in_the_console_queue(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="lea@example.ca")
    )
    reference = sqlite_container.requests.submit_public(
        SubmitRequest("access", "portal", "email", "lea@example.ca")
    ).reference
    signed = client.post(
        "/console/login", data={"token": tokens[Role.AGENT]}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert reference not in client.get("/console/requests").text
    page = client.get(f"/console/requests/{reference}")
    assert page.status_code == 200
    assert "Awaiting identity" in page.text
