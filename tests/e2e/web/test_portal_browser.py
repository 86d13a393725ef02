"""The portal in a real headless browser: what a person sees and clicks, in English and French."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By

from confide.bootstrap import Container


def test_cmp_3_a_person_reads_the_policy_and_switches_to_french(
    browser: Any, click_and_wait: Any, live_url: str, sqlite_container: Container
) -> None:
    policy = sqlite_container.ctx.policy
    officer = policy.organization.privacy_officer

    browser.get(f"{live_url}/portal/en/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    footer = browser.find_element(By.ID, "privacy-officer").text
    assert officer.name in footer and officer.email in footer

    click_and_wait(browser, By.ID, "link-policy")
    assert browser.current_url.endswith("/portal/en/policy")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-purpose]")
    assert {r.get_attribute("data-purpose") for r in rows} == {p.id for p in policy.purposes}
    assert policy.title.en in browser.find_element(By.TAG_NAME, "h1").text

    click_and_wait(browser, By.ID, "switch-language")
    assert browser.current_url.endswith("/portal/fr/policy")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert policy.title.fr in browser.find_element(By.TAG_NAME, "h1").text
    assert officer.title.fr in browser.find_element(By.ID, "privacy-officer").text


def test_the_stylesheet_applies_under_the_content_security_policy(
    browser: Any, live_url: str
) -> None:
    browser.get(f"{live_url}/portal/en/policy")
    header = browser.find_element(By.CSS_SELECTOR, "header.site")
    # confide.css gives the header its background; an inline or blocked stylesheet would not.
    assert header.value_of_css_property("background-color") == "rgba(243, 246, 250, 1)"
    console_errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert console_errors == []


def test_the_browser_is_sent_to_its_language(browser: Any, live_url: str) -> None:
    browser.get(f"{live_url}/portal")
    # The test browser asks for en-CA.
    assert browser.current_url.endswith("/portal/en/")
