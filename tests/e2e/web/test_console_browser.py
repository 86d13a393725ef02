"""The staff console in a real headless browser: an agent on the phone signs in, finds the
caller, records what they say, and sees it in the history; then signs out."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.subjects import RegisterSubject


def test_cem_2_con_5_an_agent_records_a_callers_opt_out_and_withdrawal(
    browser: Any,
    click_and_wait: Any,
    live_url: str,
    sqlite_container: Container,
    tokens: dict[Role, str],
) -> None:
    subject = sqlite_container.subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", language="fr", email="lea@example.ca")
    )

    browser.get(f"{live_url}/console/")
    assert browser.current_url.endswith("/console/login")
    browser.find_element(By.ID, "token").send_keys("wrong-token")
    click_and_wait(browser, By.ID, "sign-in")
    assert browser.find_element(By.ID, "sign-in-error").is_displayed()

    browser.find_element(By.ID, "token").send_keys(tokens[Role.AGENT])
    click_and_wait(browser, By.ID, "sign-in")
    assert "user-agent" in browser.find_element(By.ID, "whoami").text

    click_and_wait(browser, By.ID, "link-find")
    Select(browser.find_element(By.ID, "kind")).select_by_value("email")
    browser.find_element(By.ID, "q").send_keys("LEA@example.ca")
    click_and_wait(browser, By.ID, "search")
    assert browser.find_element(By.ID, "subject-id").text == subject.id

    Select(browser.find_element(By.ID, "opt-out-channel")).select_by_value("email")
    click_and_wait(browser, By.CSS_SELECTOR, "#form-opt-out button")
    assert browser.find_element(By.ID, "done").is_displayed()
    history = browser.find_element(By.ID, "history").text
    assert "Opted out of channel" in history

    # Withdrawing what was never given is refused, visibly, and records nothing (CON-5).
    Select(browser.find_element(By.ID, "withdraw-purpose")).select_by_value("recommendations")
    click_and_wait(browser, By.CSS_SELECTOR, "#form-withdraw button")
    assert browser.find_element(By.ID, "problems").is_displayed()

    Select(browser.find_element(By.ID, "give-purpose")).select_by_value("recommendations")
    browser.find_element(By.ID, "give-evidence").send_keys("call 2026-0042")
    click_and_wait(browser, By.CSS_SELECTOR, "#form-give button")
    assert "Consent given" in browser.find_element(By.ID, "history").text

    Select(browser.find_element(By.ID, "withdraw-purpose")).select_by_value("recommendations")
    click_and_wait(browser, By.CSS_SELECTOR, "#form-withdraw button")
    assert "Consent withdrawn" in browser.find_element(By.ID, "history").text

    events = sqlite_container.consent.history(LOCAL_OPERATOR, subject.id)
    kinds = [type(e).__name__ for e in events]
    assert "ChannelOptedOut" in kinds and "ConsentWithdrawn" in kinds

    click_and_wait(browser, By.ID, "sign-out")
    assert browser.current_url.endswith("/console/login")
    browser.get(f"{live_url}/console/subjects/{subject.id}")
    assert browser.current_url.endswith("/console/login")
