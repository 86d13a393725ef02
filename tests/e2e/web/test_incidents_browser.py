"""The breach register in a real headless browser: a person reports an incident through the
portal in French; the privacy officer opens it from the console's dashboard, links the people
affected, and cannot send the notices without ticking that the notice was read (BRE-1, BRE-3)."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.breaches import AssessIncident, IncidentFacts
from confide.services.ports.breaches import RegisterFilter
from confide.services.subjects import RecordInformation, RegisterSubject


def test_bre_1_a_person_reports_an_incident_in_french_through_the_portal(
    browser: Any, click_and_wait: Any, live_url: str, sqlite_container: Container
) -> None:
    browser.get(f"{live_url}/portal/fr/")
    click_and_wait(browser, By.ID, "link-incident")
    assert "Signaler un incident de confidentialité" in browser.find_element(By.TAG_NAME, "h1").text
    # The description is required: submitting empty sends nothing.
    browser.find_element(By.ID, "submit-incident").click()
    assert browser.find_elements(By.ID, "incident-form")
    browser.find_element(By.ID, "description").send_keys("J'ai reçu la facture d'un voisin.")
    browser.find_element(By.ID, "contact").send_keys("lecteur@example.ca")
    click_and_wait(browser, By.ID, "submit-incident")
    received = browser.find_element(By.ID, "received").text
    assert "Merci" in received and "INC-" in received
    [row] = sqlite_container.breaches.register(LOCAL_OPERATOR, RegisterFilter())
    assert row.incident.reference in received
    assert row.incident.circumstances == "J'ai reçu la facture d'un voisin."


def test_bre_3_the_officer_links_people_and_sends_notices_only_once_the_box_is_ticked(
    browser: Any,
    click_and_wait: Any,
    live_url: str,
    sqlite_container: Container,
    tokens: dict[Role, str],
) -> None:
    c = sqlite_container
    for n in range(3):
        sid = c.subjects.register(
            LOCAL_OPERATOR, RegisterSubject("customer", "ON", email=f"b{n}@example.ca")
        ).id
        c.subjects.record_information(
            LOCAL_OPERATOR,
            RecordInformation(
                sid, "billing_records", "Invoice 9", "from_individual", ("legal_compliance",),
                "billing",
            ),
        )  # fmt: skip
    incident = c.breaches.record(
        LOCAL_OPERATOR,
        IncidentFacts(
            title="Invoices emailed to the wrong customers",
            circumstances="A template error.",
            occurred_from=c.ctx.now().date(),
            categories=("billing_records",),
            systems=("billing",),
            measures="Template fixed.",
            individual_steps="Ignore messages quoting your invoice.",
        ),
    )
    browser.get(f"{live_url}/console/login")
    browser.find_element(By.ID, "token").send_keys(tokens[Role.PRIVACY_OFFICER])
    click_and_wait(browser, By.ID, "sign-in")
    click_and_wait(browser, By.ID, "link-incidents")
    click_and_wait(browser, By.LINK_TEXT, incident.reference)
    # The linking form is open while no one is linked yet.
    click_and_wait(browser, By.CSS_SELECTOR, "#form-link-query button")
    assert browser.find_element(By.ID, "affected-count").text.startswith("3")
    c.breaches.assess(
        LOCAL_OPERATOR,
        incident.id,
        AssessIncident(
            factors=("exposed_to_unknown",), real_risk=True, decision_reason="Amounts exposed."
        ),
    )
    browser.refresh()
    browser.find_element(By.CSS_SELECTOR, "#form-notify button").click()
    assert browser.find_elements(By.ID, "form-notify")  # the required box stopped it
    assert c.breaches.view(LOCAL_OPERATOR, incident.id).notified == 0
    browser.find_element(By.ID, "notify-confirm").click()
    click_and_wait(browser, By.CSS_SELECTOR, "#form-notify button")
    assert "Notices composed into the outbox." in browser.find_element(By.ID, "done").text
    assert c.breaches.view(LOCAL_OPERATOR, incident.id).notified == 3
    console_errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert console_errors == []
