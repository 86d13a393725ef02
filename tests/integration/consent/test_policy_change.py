"""A new policy version that adds a purpose (CON-4, POL-1, POL-3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.policy.loader import default_policy_path
from confide.services.consent import GiveConsentRequest
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR
NEW_PURPOSE = """  - id: smart_home_offers
    consent: express
    subject_types: [customer]
    marketing: true
    channels: [email]
    consent_methods: [checkbox, verbal]
    categories: [name, email]
    description:
      en: To send you offers for our new smart-home services, with your express consent.
      fr: Pour vous envoyer des offres de nos nouveaux services de maison intelligente, avec votre consentement exprès.
"""


@pytest.fixture
def new_version(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(default_policy_path().parent, folder)
    main = folder / default_policy_path().name
    text = main.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2026.2"', 1)
    text = text.replace("purposes:\n", "purposes:\n" + NEW_PURPOSE, 1)
    main.write_text(text, encoding="utf-8")
    return main


def test_con_4_a_purpose_added_by_a_new_version_needs_consent_and_pol_3_lists_who_to_ask(
    container: Container, clock: FakeClock, new_version: Path
) -> None:
    a = container.subjects.register(OP, RegisterSubject("customer", "ON", email="a@example.ca")).id
    b = container.subjects.register(OP, RegisterSubject("customer", "ON", email="b@example.ca")).id
    container.consent.give(
        OP, GiveConsentRequest(a, ("individual_marketing",), "express", "checkbox", "email")
    )
    assert list(container.consent.reconsent(OP)) == []  # nothing new yet
    clock.advance(days=30)
    v2 = container.activate_policy(new_version)
    assert v2.version == "2026.2" and len(container.policies.versions(OP)) == 2  # POL-1: both kept
    refused = container.consent.decide(OP, a, "smart_home_offers", ["email"], "email").decision
    assert not refused.allowed
    assert {s: set(p) for s, p in container.consent.reconsent(OP)} == {
        a: {"smart_home_offers"},
        b: {"smart_home_offers"},
    }
    clock.advance(minutes=1)
    container.consent.give(
        OP, GiveConsentRequest(b, ("smart_home_offers",), "express", "checkbox", "email")
    )
    clock.advance(minutes=1)
    assert container.consent.decide(OP, b, "smart_home_offers", ["email"], "email").decision.allowed
    assert [s for s, _ in container.consent.reconsent(OP)] == [a]
