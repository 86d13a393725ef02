"""The console's request queue is the staff's work: an individual's own request awaiting
identity is not in it but in its own view (ACC-8, ACC-11); its page names its state and, once
the request is matched, lets an agent record an identity check."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, WORKER, Role
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
    signed = post_login(client, tokens[Role.AGENT])
    assert signed.status_code == 303
    assert reference not in client.get("/console/requests").text
    page = client.get(f"/console/requests/{reference}")
    assert page.status_code == 200
    assert "Awaiting identity" in page.text
    assert 'id="form-verify"' not in page.text  # not matched yet: nobody to check against
    assert sqlite_container.requests.match(WORKER, reference)  # the intake job
    assert reference in client.get("/console/requests?show=awaiting").text
    page = client.get(f"/console/requests/{reference}")
    assert 'id="form-verify"' in page.text  # an agent may verify it by a recorded check
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    done = client.post(
        f"/console/requests/{reference}/act",
        data={"action": "verify", "how": "called back the number on file", "csrf": csrf[1]},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert reference in client.get("/console/requests").text  # now the staff's work
