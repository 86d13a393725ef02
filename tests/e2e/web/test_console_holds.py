"""The console's person page shows every legal hold covering the person (ACC-8): a request's
hold links to the request; a hold the officer opened (here on a whole category) is named by its
id, and leaves the page once closed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.e2e.web.signing_in import post_login

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.holds import OpenHold
from confide.services.subjects import RegisterSubject


def test_acc_8_a_hold_on_a_category_shows_on_the_person_page_until_closed(
    client: TestClient, sqlite_container: Container, tokens: dict[Role, str]
) -> None:
    c = sqlite_container
    subject = c.subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="p@x.ca"))
    hold = c.holds.open(
        LOCAL_OPERATOR, OpenHold("regulator_order", "Order 2026-14", category="billing_records")
    )
    r = post_login(client, tokens[Role.AGENT])
    assert r.status_code == 303
    page = client.get(f"/console/subjects/{subject.id}").text
    # Named in words, not by its code ("regulator_order"), then by its id.
    assert 'id="holds"' in page and f"Regulator&#39;s order {hold.id}" in page
    assert "regulator_order" not in page
    assert f"/console/requests/{hold.id}" not in page  # not a request: no link to one
    french = client.get(f"/console/subjects/{subject.id}", headers={"Accept-Language": "fr-CA"})
    assert f"Ordonnance d&#39;un organisme de réglementation {hold.id}" in french.text
    c.holds.close(LOCAL_OPERATOR, hold.id, "Order lifted")
    assert 'id="holds"' not in client.get(f"/console/subjects/{subject.id}").text
