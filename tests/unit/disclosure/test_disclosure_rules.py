"""The disclosure rules (DIS-1..5) against the packaged policy, one test per rule and case."""

from __future__ import annotations

from datetime import date

import pytest
from disclosure_support import (
    ALL_ON_FILE,
    express,
    packaged_policy,
    recipient,
    registered,
    small_policy,
    subject,
    t,
    withdrawn,
)

from confide.domain.consent.errors import UnknownCategory, UnknownPurpose
from confide.domain.consent.versions import PolicyHistory, PolicyVersionInfo
from confide.domain.disclosure import (
    CONSENT,
    Agreement,
    DisclosureReason,
    DisclosureSubject,
    ExceptionBasis,
    ImpactAssessment,
    Place,
    decide_disclosure,
)
from confide.domain.disclosure.errors import (
    DisclosureRefused,
    InvalidRecipient,
    NoCategories,
    UnknownExceptionCode,
)
from confide.domain.disclosure.exceptions import DebtReference, EmergencyDescription, LawCitation
from confide.domain.disclosure.ledger import record_disclosure
from confide.domain.policy import Policy, RecipientClass, Text

R = DisclosureReason
AT = t("2026-03-02 10:00")
ONTARIO = Place("CA", "ON")
FRANCE = Place("FR")


@pytest.fixture(scope="module")
def policy() -> Policy:
    return packaged_policy()


def customer(
    sid: str = "s-1", *, language: str = "en", on_file: frozenset[str] = ALL_ON_FILE
) -> DisclosureSubject:
    """A Québec customer registered on January 5 (service active, implied consents)."""
    return subject(sid, registered(sid, t("2026-01-05 10:00")), language=language, on_file=on_file)


# --- DIS-1: every disclosure is recorded; nothing refused is -----------------------------


def test_dis_1_an_allowed_disclosure_is_recorded_with_its_subject_recipient_time_basis_and_evidence(
    policy: Policy,
) -> None:
    agency = recipient("collection_agency")
    evidence = DebtReference("INV-2026-0042", owed_to_company=True)
    decision = decide_disclosure(
        policy,
        agency,
        customer(),
        ["name", "billing_records"],
        "billing",
        ExceptionBasis("debt_collection", evidence),
        at=AT,
    )
    assert decision.allowed, decision.findings
    record = record_disclosure(decision, "dec-1")
    assert record.decision_id == "dec-1"
    assert record.subject_id == "s-1"
    assert record.recipient_id == agency.id
    assert record.recipient_class == "collection_agency"
    assert record.at == AT
    assert record.categories == ("name", "billing_records")
    assert record.legal_basis == "debt_collection"
    assert record.evidence_reference == "INV-2026-0042"
    assert record.relied_on == "exception:debt_collection"
    assert record.policy_version == policy.version


def test_dis_1_a_refused_disclosure_cannot_be_recorded(policy: Policy) -> None:
    decision = decide_disclosure(
        policy,
        recipient("collection_agency"),
        customer(),
        ["name"],
        "billing",
        ExceptionBasis("debt_collection", None),
        at=AT,
    )
    assert not decision.allowed
    with pytest.raises(DisclosureRefused) as error:
        record_disclosure(decision, "dec-1")
    assert error.value.rule == "DIS-1"
    assert "evidence_missing" in str(error.value)


def test_dis_1_a_category_the_person_never_gave_is_refused_and_named(policy: Policy) -> None:
    person = customer(on_file=frozenset({"name", "mailing_address"}))
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        person,
        ["name", "mailing_address", "telephone_number"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    assert decision.reasons == (R.CATEGORY_NOT_ON_FILE,)
    assert decision.details(R.CATEGORY_NOT_ON_FILE) == ("telephone_number",)


# --- DIS-2: without consent, an exception with its evidence --------------------------------


def test_dis_2_shipping_on_implied_consent_is_allowed_and_names_the_event_relied_on(
    policy: Policy,
) -> None:
    registration = registered("s-1", t("2026-01-05 10:00"))
    person = subject("s-1", registration)
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        person,
        ["name", "mailing_address"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    assert decision.allowed
    assert decision.consent_kind == "implied"
    assert decision.relied_on == f"event:{registration.event_id}"
    assert decision.rules[:2] == ("DIS-1", "DIS-3")
    assert decision.obligations == ()


def test_dis_2_without_consent_and_without_an_exception_it_is_refused(policy: Policy) -> None:
    never_registered = subject("s-1")
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        never_registered,
        ["name"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    assert decision.reasons == (R.NO_CONSENT,)
    assert decision.details(R.NO_CONSENT) == ("service_not_active",)
    assert decision.rules == ("DIS-2",)
    assert decision.relied_on is None


def test_dis_2_a_withdrawn_consent_is_never_relied_on(policy: Policy) -> None:
    gave = express("s-1", "sharing_with_partners", t("2026-02-01 10:00"))
    partner = recipient("third_party_by_consent")
    before = subject("s-1", gave)
    allowed = decide_disclosure(
        policy, partner, before, ["name", "email"], "sharing_with_partners", CONSENT, at=AT
    )
    assert allowed.allowed and allowed.relied_on == f"consent:{gave.event_id}"
    after = subject("s-1", gave, withdrawn("s-1", "sharing_with_partners", t("2026-03-01 09:00")))
    refused = decide_disclosure(
        policy, partner, after, ["name", "email"], "sharing_with_partners", CONSENT, at=AT
    )
    assert refused.reasons == (R.NO_CONSENT,)
    assert refused.details(R.NO_CONSENT) == ("consent_withdrawn",)


def test_dis_2_consent_is_refused_where_the_class_accepts_only_exceptions(policy: Policy) -> None:
    decision = decide_disclosure(
        policy, recipient("collection_agency"), customer(), ["name"], "billing", CONSENT, at=AT
    )
    assert decision.reasons == (R.BASIS_NOT_ACCEPTED_BY_CLASS,)
    assert decision.details(R.BASIS_NOT_ACCEPTED_BY_CLASS) == ("consent",)


def test_dis_2_an_exception_the_class_does_not_accept_is_refused(policy: Policy) -> None:
    order = ExceptionBasis("required_by_law", LawCitation("Some Act"))
    decision = decide_disclosure(
        policy, recipient("collection_agency"), customer(), ["name"], "billing", order, at=AT
    )
    assert decision.reasons == (R.BASIS_NOT_ACCEPTED_BY_CLASS,)
    assert decision.details(R.BASIS_NOT_ACCEPTED_BY_CLASS) == ("required_by_law",)


def test_dis_2_an_exception_code_off_the_closed_list_is_a_typed_error(policy: Policy) -> None:
    with pytest.raises(UnknownExceptionCode) as error:
        decide_disclosure(
            policy,
            recipient("collection_agency"),
            customer(),
            ["name"],
            "billing",
            ExceptionBasis("business_interest", None),
            at=AT,
        )
    assert error.value.exception_code == "business_interest"
    assert [p.location for p in error.value.problems] == ["exception"]
    assert "business_interest" not in str(error.value)


def test_dis_2_an_exception_the_policy_does_not_declare_is_refused() -> None:
    small = small_policy()  # declares required_by_law only
    partner = recipient("partner", categories=("contact",))
    decision = decide_disclosure(
        small,
        partner,
        subject("s-1"),
        ["contact"],
        "tax",
        ExceptionBasis("court_order", None),
        at=AT,
    )
    assert R.EXCEPTION_NOT_IN_POLICY in decision.reasons
    assert not decision.allowed


def test_dis_2_a_legal_obligation_is_not_a_consent_it_needs_the_required_by_law_exception() -> None:
    small = small_policy()
    partner = recipient("partner")
    on_consent = decide_disclosure(
        small, partner, subject("s-1"), ["contact"], "tax", CONSENT, at=AT
    )
    assert on_consent.reasons == (R.NO_CONSENT,)
    assert on_consent.details(R.NO_CONSENT) == ("legal_obligation",)
    by_law = ExceptionBasis("required_by_law", LawCitation("Income Tax Act", "s. 230"))
    assert decide_disclosure(
        small, partner, subject("s-1"), ["contact"], "tax", by_law, at=AT
    ).allowed


# --- DIS-3: only what the class and purpose allow ------------------------------------------


def test_dis_3_a_category_outside_the_recipient_class_is_refused(policy: Policy) -> None:
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        customer(),
        ["name", "billing_records"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    # billing_records is also beyond basic telecom information on an implied consent (DIS-5).
    assert decision.reasons == (
        R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT,
        R.TELECOM_EXPRESS_CONSENT_REQUIRED,
    )
    assert decision.details(R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT) == ("billing_records",)
    assert decision.rules == ("DIS-3", "DIS-5")


def test_dis_3_a_category_the_recipient_itself_may_not_receive_is_refused(policy: Policy) -> None:
    narrow = recipient("collection_agency", categories=("name", "billing_records"))
    debt = ExceptionBasis("debt_collection", DebtReference("INV-1", owed_to_company=True))
    decision = decide_disclosure(
        policy, narrow, customer(), ["name", "email"], "billing", debt, at=AT
    )
    assert decision.reasons == (R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT,)
    assert decision.details(R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT) == ("email",)


def test_dis_3_a_purpose_outside_the_recipient_class_is_refused(policy: Policy) -> None:
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        customer(),
        ["name"],
        "billing",
        CONSENT,
        at=AT,
    )
    assert R.PURPOSE_NOT_ALLOWED_FOR_RECIPIENT in decision.reasons
    assert decision.details(R.PURPOSE_NOT_ALLOWED_FOR_RECIPIENT) == ("billing",)


def test_dis_3_a_category_outside_the_purpose_is_refused(policy: Policy) -> None:
    # credit_bureau may receive credit_information, but not for billing.
    debt = ExceptionBasis("debt_collection", DebtReference("INV-1", owed_to_company=True))
    decision = decide_disclosure(
        policy,
        recipient("credit_bureau"),
        customer(),
        ["name", "credit_information"],
        "billing",
        debt,
        at=AT,
    )
    assert decision.reasons == (R.CATEGORY_NOT_ALLOWED_FOR_PURPOSE,)
    assert decision.details(R.CATEGORY_NOT_ALLOWED_FOR_PURPOSE) == ("credit_information",)


def test_dis_3_a_class_that_accepts_only_express_consent_refuses_implied_consent(
    policy: Policy,
) -> None:
    representative = recipient("representative")
    implied_only = customer()
    refused = decide_disclosure(
        policy, representative, implied_only, ["name"], "billing", CONSENT, at=AT
    )
    assert refused.reasons == (R.EXPRESS_CONSENT_REQUIRED,)
    gave = express("s-1", "billing", t("2026-02-01 10:00"))
    with_express = subject("s-1", registered("s-1", t("2026-01-05 10:00")), gave)
    allowed = decide_disclosure(
        policy, representative, with_express, ["name"], "billing", CONSENT, at=AT
    )
    assert allowed.allowed
    assert allowed.consent_kind == "express"
    assert allowed.relied_on == f"consent:{gave.event_id}"


def test_dis_3_a_refusal_lists_every_reason_not_only_the_first(policy: Policy) -> None:
    person = customer(on_file=frozenset({"name"}))
    decision = decide_disclosure(
        policy,
        recipient("shipping_company", FRANCE, assessment=None, safeguards=None),
        person,
        ["name", "email"],
        "billing",
        CONSENT,
        at=AT,
    )
    assert set(decision.reasons) >= {
        R.PURPOSE_NOT_ALLOWED_FOR_RECIPIENT,
        R.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT,
        R.CATEGORY_NOT_ON_FILE,
        R.IMPACT_ASSESSMENT_MISSING,
        R.SAFEGUARDS_MISSING,
    }
    assert decision.rules[0] == "DIS-3"


# --- DIS-4: leaving Québec or Canada ------------------------------------------------------


def test_dis_4_leaving_quebec_needs_assessment_and_agreement(policy: Policy) -> None:
    credit = express("s-1", "credit_check", t("2026-02-01 10:00"))
    person = subject("s-1", credit, province="QC")
    cats = ["name", "credit_information"]
    bare = recipient("credit_bureau", ONTARIO, agreement=None, assessment=None)
    refused = decide_disclosure(policy, bare, person, cats, "credit_check", CONSENT, at=AT)
    assert refused.reasons == (R.IMPACT_ASSESSMENT_MISSING, R.AGREEMENT_MISSING)
    assert refused.rules == ("DIS-4",)
    only_assessment = recipient("credit_bureau", ONTARIO, agreement=None)
    assert decide_disclosure(
        policy, only_assessment, person, cats, "credit_check", CONSENT, at=AT
    ).reasons == (R.AGREEMENT_MISSING,)
    papered = recipient("credit_bureau", ONTARIO)
    allowed = decide_disclosure(policy, papered, person, cats, "credit_check", CONSENT, at=AT)
    assert allowed.allowed
    assert "DIS-4" in allowed.rules


def test_dis_4_a_subject_outside_quebec_needs_no_assessment_for_another_province(
    policy: Policy,
) -> None:
    credit = express("s-2", "credit_check", t("2026-02-01 10:00"))
    ontarian = subject("s-2", credit, province="ON")
    bare = recipient("credit_bureau", ONTARIO, agreement=None, assessment=None)
    decision = decide_disclosure(
        policy, bare, ontarian, ["name", "credit_information"], "credit_check", CONSENT, at=AT
    )
    assert decision.allowed
    assert "DIS-4" not in decision.rules


def test_dis_4_leaving_canada_needs_the_recipients_safeguards_recorded(policy: Policy) -> None:
    roaming = express("s-3", "roaming_service", t("2026-02-01 10:00"))
    ontarian = subject("s-3", roaming, province="ON")
    cats = ["telephone_number", "roaming_records"]
    no_safeguards = recipient("roaming_partner", FRANCE, safeguards="  ")
    refused = decide_disclosure(
        policy, no_safeguards, ontarian, cats, "roaming_service", CONSENT, at=AT
    )
    assert refused.reasons == (R.SAFEGUARDS_MISSING,)
    recorded = recipient("roaming_partner", FRANCE)
    allowed = decide_disclosure(policy, recorded, ontarian, cats, "roaming_service", CONSENT, at=AT)
    assert allowed.allowed and "DIS-4" in allowed.rules


def test_dis_4_leaving_canada_needs_assessment_and_agreement_whatever_the_province(
    policy: Policy,
) -> None:
    roaming = express("s-3", "roaming_service", t("2026-02-01 10:00"))
    ontarian = subject("s-3", roaming, province="ON")
    bare = recipient("roaming_partner", FRANCE, agreement=None, assessment=None)
    decision = decide_disclosure(
        policy, bare, ontarian, ["telephone_number"], "roaming_service", CONSENT, at=AT
    )
    assert decision.reasons == (R.IMPACT_ASSESSMENT_MISSING, R.AGREEMENT_MISSING)


def test_dis_4_an_agreement_expired_at_the_time_of_disclosure_refuses_it(policy: Policy) -> None:
    ends = Agreement("AGR-9", date(2025, 1, 1), date(2026, 3, 1))
    shipper = recipient("shipping_company", agreement=ends)  # in Québec: expiry still counts
    person = customer()
    last_day = decide_disclosure(
        policy, shipper, person, ["name"], "provide_service", CONSENT, at=t("2026-03-01 23:59")
    )
    assert last_day.allowed
    day_after = decide_disclosure(
        policy, shipper, person, ["name"], "provide_service", CONSENT, at=t("2026-03-02 00:00")
    )
    assert day_after.reasons == (R.AGREEMENT_EXPIRED,)
    assert day_after.rules == ("DIS-4",)


def test_dis_4_documents_dated_after_the_disclosure_were_not_on_file(policy: Policy) -> None:
    credit = express("s-1", "credit_check", t("2026-02-01 10:00"))
    person = subject("s-1", credit)
    later = recipient(
        "credit_bureau",
        ONTARIO,
        agreement=Agreement("AGR-2", date(2026, 3, 3)),
        assessment=ImpactAssessment("PIA-2", date(2026, 3, 3)),
    )
    decision = decide_disclosure(policy, later, person, ["name"], "credit_check", CONSENT, at=AT)
    assert decision.reasons == (R.IMPACT_ASSESSMENT_MISSING, R.AGREEMENT_MISSING)


def test_dis_4_the_disclosure_date_is_taken_in_the_companys_home_time_zone(policy: Policy) -> None:
    from datetime import UTC, datetime

    ends = Agreement("AGR-9", date(2025, 1, 1), date(2026, 3, 1))
    shipper = recipient("shipping_company", agreement=ends)
    # 03:30 UTC on March 2 is still March 1 (22:30) in Montréal.
    at = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)
    assert decide_disclosure(
        policy, shipper, customer(), ["name"], "provide_service", CONSENT, at=at
    ).allowed


# --- DIS-5: telecom customer information beyond name, address, listed number ----------------


def _consent_class() -> Policy:
    return small_policy(
        classes=(
            RecipientClass(
                "partner",
                Text(en="A partner", fr="Un partenaire"),
                ("contact", "usage"),
                ("service",),
                ("consent", "required_by_law"),
            ),
        )
    )


def test_dis_5_beyond_basic_information_implied_consent_is_not_enough() -> None:
    small = _consent_class()
    partner = recipient("partner")
    reg = registered("s-1", t("2026-01-05 10:00"))
    implied_only = subject("s-1", reg)
    basic = decide_disclosure(small, partner, implied_only, ["contact"], "service", CONSENT, at=AT)
    assert basic.allowed and basic.consent_kind == "implied"
    beyond = decide_disclosure(
        small, partner, implied_only, ["contact", "usage"], "service", CONSENT, at=AT
    )
    assert beyond.reasons == (R.TELECOM_EXPRESS_CONSENT_REQUIRED,)
    assert beyond.details(R.TELECOM_EXPRESS_CONSENT_REQUIRED) == ("usage",)
    assert beyond.rules == ("DIS-5",)


def test_dis_5_beyond_basic_information_express_consent_or_an_exception_allows_it() -> None:
    small = _consent_class()
    partner = recipient("partner")
    reg = registered("s-1", t("2026-01-05 10:00"))
    gave = express("s-1", "service", t("2026-02-01 10:00"))
    with_express = subject("s-1", reg, gave)
    allowed = decide_disclosure(
        small, partner, with_express, ["contact", "usage"], "service", CONSENT, at=AT
    )
    assert allowed.allowed and allowed.consent_kind == "express"
    assert "DIS-5" in allowed.rules
    by_law = ExceptionBasis("required_by_law", LawCitation("Telecommunications Act"))
    assert decide_disclosure(
        small, partner, subject("s-1", reg), ["contact", "usage"], "service", by_law, at=AT
    ).allowed


def test_dis_5_applies_to_customers_and_those_acting_for_them_not_to_employees() -> None:
    small = _consent_class()
    partner = recipient("partner")
    reg = registered("s-1", t("2026-01-05 10:00"))
    cats = ["contact", "usage"]
    employee = subject("s-1", reg, subject_type="employee")
    assert decide_disclosure(small, partner, employee, cats, "service", CONSENT, at=AT).allowed
    delegate = subject("s-1", reg, subject_type="delegate")
    assert decide_disclosure(small, partner, delegate, cats, "service", CONSENT, at=AT).reasons == (
        R.TELECOM_EXPRESS_CONSENT_REQUIRED,
    )


# --- explanations and bad input -----------------------------------------------------------


def test_the_explanation_is_in_the_subjects_language(policy: Policy) -> None:
    francophone = customer(language="fr", on_file=frozenset({"name"}))
    decision = decide_disclosure(
        policy,
        recipient("shipping_company"),
        francophone,
        ["name", "mailing_address"],
        "provide_service",
        CONSENT,
        at=AT,
    )
    assert decision.explanation == decision.text.fr
    assert decision.explanation.startswith("Refusé")
    assert decision.to_dict()["explanation_en"] == decision.text.en


def test_an_exception_decision_explains_itself_with_the_policys_words(policy: Policy) -> None:
    debt = ExceptionBasis("debt_collection", DebtReference("INV-1", owed_to_company=True))
    decision = decide_disclosure(
        policy,
        recipient("collection_agency"),
        customer(language="fr"),
        ["name"],
        "billing",
        debt,
        at=AT,
    )
    declared = policy.exception("debt_collection")
    assert declared is not None
    assert decision.explanation.startswith("Permis sans consentement")
    assert declared.description.fr[1:] in decision.explanation


def test_unknown_purpose_category_or_no_category_is_a_typed_error(policy: Policy) -> None:
    shipper = recipient("shipping_company")
    with pytest.raises(UnknownPurpose):
        decide_disclosure(policy, shipper, customer(), ["name"], "gossip", CONSENT, at=AT)
    with pytest.raises(UnknownCategory):
        decide_disclosure(
            policy, shipper, customer(), ["shoe_size"], "provide_service", CONSENT, at=AT
        )
    with pytest.raises(NoCategories):
        decide_disclosure(policy, shipper, customer(), [], "provide_service", CONSENT, at=AT)


def test_a_recipient_that_does_not_fit_the_policy_is_a_typed_error(policy: Policy) -> None:
    stray = recipient("shipping_company", categories=("credit_information",))
    with pytest.raises(InvalidRecipient) as error:
        decide_disclosure(policy, stray, customer(), ["name"], "provide_service", CONSENT, at=AT)
    assert [p.location for p in error.value.problems] == ["categories"]


def test_a_decision_needs_an_aware_time(policy: Policy) -> None:
    from datetime import datetime

    from confide.domain.calendar import NaiveTimestamp

    with pytest.raises(NaiveTimestamp):
        decide_disclosure(
            policy,
            recipient("shipping_company"),
            customer(),
            ["name"],
            "provide_service",
            CONSENT,
            at=datetime(2026, 3, 2, 10, 0),
        )


# --- the consent rules come from the consent engine ----------------------------------------


def test_con_4_a_consent_given_before_the_policy_added_the_purpose_is_not_relied_on(
    policy: Policy,
) -> None:
    history = PolicyHistory(
        [
            PolicyVersionInfo("2025.1", date(2025, 1, 1)),
            PolicyVersionInfo("2026.1", date(2026, 1, 1), ("sharing_with_partners",)),
        ]
    )
    partner = recipient("third_party_by_consent")
    old = express("s-1", "sharing_with_partners", t("2026-02-01 10:00"), version="2025.1")
    decision = decide_disclosure(
        policy,
        partner,
        subject("s-1", old),
        ["name"],
        "sharing_with_partners",
        CONSENT,
        at=AT,
        history=history,
    )
    assert decision.reasons == (R.NO_CONSENT,)
    assert decision.details(R.NO_CONSENT) == ("purpose_added_by_new_policy_version",)
    renewed = express("s-1", "sharing_with_partners", t("2026-02-02 10:00"))
    assert decide_disclosure(
        policy,
        partner,
        subject("s-1", old, renewed),
        ["name"],
        "sharing_with_partners",
        CONSENT,
        at=AT,
        history=history,
    ).allowed


def test_dis_1_a_refusal_recorded_by_mistake_names_reasons_never_evidence(policy: Policy) -> None:
    secret = "Person at 123 Main St unconscious"
    decision = decide_disclosure(
        policy,
        recipient("emergency_authority", Place("US", "NY"), safeguards=None),
        customer(),
        ["name"],
        "legal_compliance",
        ExceptionBasis("emergency", EmergencyDescription(secret)),
        at=AT,
    )
    assert decision.reasons == (R.SAFEGUARDS_MISSING,)
    with pytest.raises(DisclosureRefused) as error:
        record_disclosure(decision, "dec-1")
    assert "123 Main" not in str(error.value)
    assert "safeguards_missing" in str(error.value)
