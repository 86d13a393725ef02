"""The closed list of exceptions to consent (DIS-2): each code allowed with its evidence,
refused without it, refused with evidence of another kind or with a required field blank."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta

import pytest
from disclosure_support import EXCEPTION_CASES, packaged_policy, recipient, small_policy, subject, t

from confide.domain.disclosure import DisclosureReason, ExceptionBasis, decide_disclosure
from confide.domain.disclosure.engine import DisclosureDecision
from confide.domain.disclosure.errors import EvidenceKindMismatch, UnknownExceptionCode
from confide.domain.disclosure.exceptions import (
    REGISTRY,
    CourtDocument,
    DebtReference,
    EmergencyDescription,
    Evidence,
    InvestigationReference,
    LawCitation,
    rule_for,
)
from confide.domain.disclosure.obligations import ObligationKind
from confide.domain.policy import (
    CLOSED_EXCEPTION_CODES,
    ConsentException,
    Policy,
    RecipientClass,
    Text,
)

R = DisclosureReason
AT = t("2026-03-02 10:00")
CODES = sorted(EXCEPTION_CASES)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def disclose(policy: Policy, code: str, evidence: Evidence | None) -> DisclosureDecision:
    class_id, purpose, categories, _, _ = EXCEPTION_CASES[code]
    return decide_disclosure(
        policy,
        recipient(class_id),
        subject("s-1"),  # no consent of any kind on record
        categories,
        purpose,
        ExceptionBasis(code, evidence),
        at=AT,
    )


def test_dis_2_the_registry_is_exactly_the_closed_list() -> None:
    assert set(REGISTRY) == CLOSED_EXCEPTION_CODES
    assert set(EXCEPTION_CASES) == CLOSED_EXCEPTION_CODES


def test_dis_2_the_packaged_policy_declares_the_evidence_each_rule_checks(policy: Policy) -> None:
    for declared in policy.exceptions:
        assert rule_for(declared.id).evidence_kind == declared.evidence, declared.id


@pytest.mark.parametrize("code", CODES)
def test_dis_2_each_exception_is_allowed_with_its_evidence(policy: Policy, code: str) -> None:
    evidence = EXCEPTION_CASES[code][3]
    decision = disclose(policy, code, evidence)
    assert decision.allowed, decision.findings
    assert decision.basis == code
    assert decision.relied_on == f"exception:{code}"
    assert decision.evidence_reference == getattr(evidence, fields(evidence)[0].name)
    assert decision.consent_kind is None
    assert "DIS-2" in decision.rules


@pytest.mark.parametrize("code", CODES)
def test_dis_2_each_exception_is_refused_without_evidence(policy: Policy, code: str) -> None:
    decision = disclose(policy, code, None)
    assert decision.reasons == (R.EVIDENCE_MISSING,)
    assert decision.details(R.EVIDENCE_MISSING) == (rule_for(code).evidence_kind,)
    assert decision.evidence_reference is None
    assert decision.obligations == ()


@pytest.mark.parametrize("code", CODES)
def test_dis_2_each_exception_is_refused_with_the_wrong_kind_of_evidence(
    policy: Policy, code: str
) -> None:
    wrong = EXCEPTION_CASES[code][4]
    decision = disclose(policy, code, wrong)
    assert decision.reasons == (R.EVIDENCE_WRONG_KIND,)
    assert decision.details(R.EVIDENCE_WRONG_KIND) == (
        f"expected:{rule_for(code).evidence_kind}",
        f"given:{wrong.kind}",
    )


@pytest.mark.parametrize("code", CODES)
def test_dis_2_each_exception_names_every_blank_required_field(policy: Policy, code: str) -> None:
    rule = rule_for(code)
    evidence = EXCEPTION_CASES[code][3]
    blanked = replace(evidence, **{name: "  " for name in rule.required_fields})
    decision = disclose(policy, code, blanked)
    assert R.EVIDENCE_MISSING in decision.reasons
    assert decision.details(R.EVIDENCE_MISSING) == tuple(
        f"{rule.evidence_kind}.{name}" for name in rule.required_fields
    )


def test_dis_2_court_order_accepts_an_order_a_warrant_or_a_subpoena_only(policy: Policy) -> None:
    for kind in ("court_order", "warrant", "subpoena"):
        assert disclose(policy, "court_order", CourtDocument("SC-1", kind)).allowed
    refused = disclose(policy, "court_order", CourtDocument("SC-1", "letter"))
    assert refused.reasons == (R.EVIDENCE_INVALID,)
    assert refused.details(R.EVIDENCE_INVALID) == ("document_reference.document_type",)


def test_dis_2_debt_collection_needs_a_debt_owed_to_the_company_itself(policy: Policy) -> None:
    someone_elses = disclose(
        policy, "debt_collection", DebtReference("INV-9", owed_to_company=False)
    )
    assert someone_elses.reasons == (R.EVIDENCE_INVALID,)
    assert someone_elses.details(R.EVIDENCE_INVALID) == ("debt_reference.owed_to_company",)


def test_dis_2_an_investigation_is_about_an_agreement_or_a_law(policy: Policy) -> None:
    assert disclose(policy, "investigation", InvestigationReference("I-1", "agreement")).allowed
    refused = disclose(policy, "investigation", InvestigationReference("I-1", "curiosity"))
    assert refused.reasons == (R.EVIDENCE_INVALID,)


def test_dis_2_an_emergency_disclosure_obliges_a_written_notice_by_the_policys_deadline(
    policy: Policy,
) -> None:
    declared = policy.exception("emergency")
    assert declared is not None and declared.notify_within_days is not None
    decision = disclose(policy, "emergency", EmergencyDescription("Imminent danger reported."))
    assert decision.allowed
    (notice,) = decision.obligations
    assert notice.kind is ObligationKind.NOTIFY_INDIVIDUAL_IN_WRITING
    assert notice.due == AT + timedelta(days=declared.notify_within_days)
    assert notice.due.date().isoformat() in notice.text.en
    assert notice.due.date().isoformat() in notice.text.fr
    assert notice.rule == "DIS-2"


def test_dis_2_other_exceptions_oblige_nothing_afterwards(policy: Policy) -> None:
    for code in CODES:
        if code != "emergency":
            assert disclose(policy, code, EXCEPTION_CASES[code][3]).obligations == (), code


def test_dis_2_an_emergency_without_a_policy_deadline_is_notified_without_delay() -> None:
    emergency = ConsentException(
        id="emergency",
        description=Text(en="An emergency.", fr="Une urgence."),
        evidence="emergency_description",
        evidence_label=Text(en="Description", fr="Description"),
    )
    small = small_policy(exceptions=(emergency,))
    small = replace(
        small,
        recipient_classes=(
            RecipientClass(
                "authority", Text(en="A", fr="A"), ("contact",), ("tax",), ("emergency",)
            ),
        ),
    )
    decision = decide_disclosure(
        small,
        recipient("authority"),
        subject("s-1"),
        ["contact"],
        "tax",
        ExceptionBasis("emergency", EmergencyDescription("Fire.")),
        at=AT,
    )
    (notice,) = decision.obligations
    assert notice.due == AT


def test_dis_2_a_code_off_the_closed_list_is_a_typed_error() -> None:
    with pytest.raises(UnknownExceptionCode):
        rule_for("legitimate_interest")


def test_dis_2_a_policy_declaring_other_evidence_than_the_rule_checks_is_a_typed_error() -> None:
    odd = ConsentException(
        id="required_by_law",
        description=Text(en="Law.", fr="Loi."),
        evidence="document_reference",
        evidence_label=Text(en="Doc", fr="Doc"),
    )
    small = small_policy(exceptions=(odd,))
    with pytest.raises(EvidenceKindMismatch):
        decide_disclosure(
            small,
            recipient("partner"),
            subject("s-1"),
            ["contact"],
            "tax",
            ExceptionBasis("required_by_law", LawCitation("An Act")),
            at=AT,
        )
