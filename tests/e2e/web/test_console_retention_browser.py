"""Retention in a real headless browser (RET-2): the privacy officer plans a disposal run, finds
that Approve does nothing until the review is confirmed (the box is required), approves, runs
it and sees the certificate's links; screenshots are kept when ``CONFIDE_SCREENSHOTS`` names a
folder, to look at the pages."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Role
from confide.services.subjects import RecordInformation, RegisterSubject


def _shot(browser: Any, name: str) -> None:
    folder = os.environ.get("CONFIDE_SCREENSHOTS")
    if folder:
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_ret_2_the_officer_reviews_approves_and_runs_a_plan_in_the_browser(
    browser: Any,
    click_and_wait: Any,
    live_url: str,
    sqlite_container: Container,
    tokens: dict[Role, str],
) -> None:
    c = sqlite_container
    for n in range(4):
        sid = c.subjects.register(
            LOCAL_OPERATOR, RegisterSubject("customer", "QC", "fr", email=f"b{n}@example.ca")
        ).id
        c.subjects.record_information(
            LOCAL_OPERATOR,
            RecordInformation(
                sid, "location_data", f"45.{n},-73.5", "from_individual", ("location_services",),
                "mobile-app", collected_at=c.ctx.now() - timedelta(days=100),
            ),
        )  # fmt: skip
    browser.get(f"{live_url}/console/login")
    browser.find_element(By.ID, "token").send_keys(tokens[Role.PRIVACY_OFFICER])
    click_and_wait(browser, By.ID, "sign-in")
    click_and_wait(browser, By.ID, "link-retention")
    due = browser.find_element(By.ID, "due").text
    assert "Location data" in due and "90 days from collection, then deleted" in due
    _shot(browser, "retention-en")
    click_and_wait(browser, By.CSS_SELECTOR, "#form-plan button")
    assert "Planned, waiting for approval" in browser.find_element(By.ID, "status").text
    # The review box is required: clicking Approve alone submits nothing.
    browser.find_element(By.CSS_SELECTOR, "#form-approve button").click()
    assert browser.find_elements(By.ID, "form-approve")
    run_id = browser.find_element(By.ID, "run-id").text
    assert c.retention.run(LOCAL_OPERATOR, run_id).status.value == "planned"
    _shot(browser, "run-planned-en")
    browser.find_element(By.ID, "reviewed").click()
    click_and_wait(browser, By.CSS_SELECTOR, "#form-approve button")
    assert "approved" in browser.find_element(By.ID, "done").text
    click_and_wait(browser, By.CSS_SELECTOR, "#form-execute button")
    assert "Completed" in browser.find_element(By.ID, "status").text
    links = browser.find_element(By.ID, "certificate").text
    assert "PDF in English" in links and "PDF in French" in links
    _shot(browser, "run-completed-en")
    browser.get(f"{live_url}/console/language/fr")
    browser.get(f"{live_url}/console/retention/runs/{run_id}")
    assert "Terminée" in browser.find_element(By.ID, "status").text
    assert "Données de localisation" in browser.find_element(By.ID, "plan").text
    _shot(browser, "run-completed-fr")
    assert browser.get_log("browser") == []
