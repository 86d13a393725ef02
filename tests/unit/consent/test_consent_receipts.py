"""Consent receipts: ISO/IEC TS 27560 record and Kantara Consent Receipt v1.1 (issue 4, item 8)."""

from __future__ import annotations

import json

from consent_support import History, t

from confide.domain.consent.receipts import iso_27560_record, kantara_receipt
from confide.domain.policy import ConsentMethod, Policy


def test_iso_27560_record_carries_the_consent_its_purpose_categories_and_controller(
    policy: Policy, history: History
) -> None:
    given = history.give(
        "credit_check",
        t("2026-03-01 10:00"),
        method=ConsentMethod.SIGNED_DOCUMENT,
        evidence_ref="doc-9",
        language="fr",
    )
    record = iso_27560_record(given, policy)
    json.dumps(record)  # JSON-ready
    assert record["schema_version"] == "ISO/IEC TS 27560:2023"
    assert record["record_id"] == given.event_id
    assert record["pii_principal_id"] == "s-1"
    consent = record["consent"]
    assert isinstance(consent, dict)
    assert consent["type"] == "express_consent"
    assert consent["method"] == "signed_document"
    assert consent["status"] == "given"
    assert consent["evidence_ref"] == "doc-9"
    (processing,) = record["processing"]  # type: ignore[misc]
    assert [c["id"] for c in processing["pii_categories"]] == ["contact", "credit"]
    assert [c["sensitive"] for c in processing["pii_categories"]] == [False, True]
    assert processing["purposes"][0]["description"].startswith("[fr]")  # subject's language
    assert record["notice"] == {
        "policy_id": "test-policy",
        "policy_version": "2026.1",
        "policy_url": None,
        "language": "fr",
    }


def test_iso_27560_record_shows_a_later_withdrawal_in_its_status(
    policy: Policy, history: History
) -> None:
    given = history.give("marketing", t("2026-03-01 10:00"), channel="email")
    other = history.withdraw("marketing", t("2026-03-05 10:00"), channel="sms")
    withdrawn = history.withdraw("marketing", t("2026-03-10 10:00"), channel="email")
    record = iso_27560_record(given, policy, later_events=[withdrawn, other])
    consent = record["consent"]
    assert isinstance(consent, dict)
    assert consent["status"] == "withdrawn"
    assert [h["event_type"] for h in consent["history"]] == ["given", "withdrawn"]


def test_kantara_receipt_v1_1_has_the_required_fields(policy: Policy, history: History) -> None:
    given = history.give("marketing", t("2026-03-01 10:00"), channel="email")
    receipt = kantara_receipt(given, policy, policy_url="https://example.test/privacy")
    json.dumps(receipt)
    required = {
        "version",
        "jurisdiction",
        "consentTimestamp",
        "collectionMethod",
        "consentReceiptID",
        "piiPrincipalId",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
        "spiCat",
    }
    assert required <= receipt.keys()
    assert receipt["version"] == "KI-CR-v1.1.0"
    assert receipt["consentTimestamp"] == int(given.at.timestamp())
    assert receipt["jurisdiction"] == "CA, CA-QC"
    (service,) = receipt["services"]  # type: ignore[misc]
    (purpose,) = service["purposes"]
    assert purpose["consentType"] == "EXPLICIT"
    assert purpose["thirdPartyDisclosure"] is True  # marketing partners receive it
    assert receipt["sensitive"] is False


def test_kantara_receipt_flags_sensitive_categories(policy: Policy, history: History) -> None:
    given = history.give("credit_check", t("2026-03-01 10:00"))
    receipt = kantara_receipt(given, policy, policy_url="https://example.test/privacy")
    assert receipt["sensitive"] is True
    assert receipt["spiCat"] == ["credit"]
