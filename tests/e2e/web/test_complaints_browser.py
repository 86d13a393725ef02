"""The portal's complaint form in a real headless browser (CMP-1): a person complains in French
with their account number, nothing is sent while a required field is empty, and the answer
gives the reference and the date they will hear back; the acknowledgement is in the outbox."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.services.ports.complaints import ComplaintFilter
from confide.services.subjects import RegisterSubject


def test_cmp_1_a_person_complains_in_french_through_the_portal(
    browser: Any, click_and_wait: Any, live_url: str, sqlite_container: Container
) -> None:
    c = sqlite_container
    person = c.subjects.register(
        LOCAL_OPERATOR,
        RegisterSubject("customer", "QC", "fr", account="A-555", email="p@example.ca"),
    ).id
    browser.get(f"{live_url}/portal/fr/")
    click_and_wait(browser, By.ID, "link-complaint")
    assert "Porter plainte" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "submit-complaint").click()
    assert browser.find_elements(By.ID, "complaint-form")  # required fields stop it
    Select(browser.find_element(By.ID, "topic")).select_by_value("marketing")
    browser.find_element(By.ID, "summary").send_keys("Je reçois encore des textos.")
    browser.find_element(By.ID, "account_ref").send_keys("A-555")
    browser.find_element(By.ID, "contact").send_keys("p@example.ca")
    click_and_wait(browser, By.ID, "submit-complaint")
    received = browser.find_element(By.ID, "received").text
    [complaint] = c.complaints.listing(LOCAL_OPERATOR, ComplaintFilter())
    assert complaint.reference in received and complaint.target_on.isoformat() in received
    assert (complaint.subject_id, complaint.quebec) == (person, True)
    with c.ctx.uow(readonly=True) as uow:
        ack = uow.outbox.by_key(f"complaint.ack.{complaint.id}")
    assert ack is not None and ack.payload["language"] == "fr"
    console_errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert console_errors == []
