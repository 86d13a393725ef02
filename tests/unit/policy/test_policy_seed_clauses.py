"""The packaged policy encodes the company's privacy policy, clause by clause.

Each test names the clause of the seed policy (the published text) it checks, in
the seed's order; expected values are read from the seed text, not from the code.
"""

from __future__ import annotations

import dataclasses

from confide.domain.policy import (
    CLOSED_EXCEPTION_CODES,
    ConsentMethod,
    ConsentMode,
    DisposalMethod,
    ExclusionTreatment,
    LegalRules,
    Policy,
    Purpose,
    RecipientClass,
    Sensitivity,
)
from confide.policy import LoadedPolicy, diff

CUSTOMERS = {"customer", "authorized_user"}


def _purpose(policy: Policy, purpose_id: str) -> Purpose:
    purpose = policy.purpose(purpose_id)
    assert purpose is not None, f"purpose {purpose_id} is missing"
    return purpose


def _recipient(policy: Policy, class_id: str) -> RecipientClass:
    recipient = policy.recipient_class(class_id)
    assert recipient is not None, f"recipient class {class_id} is missing"
    return recipient


# --- Opening commitment -----------------------------------------------------------


def test_clause_commitment_through_employee_training_security_measures_and_policies(
    policy: Policy,
) -> None:
    safeguards = {s.id: s for s in policy.safeguards}
    assert "employees" in safeguards["employee_training"].applies_to
    assert "systems" in safeguards["technical_and_operational"].applies_to


# --- Who does this Privacy Policy apply to? ----------------------------------------


def test_clause_applies_to_customers_authorized_users_and_employees(policy: Policy) -> None:
    assert {s.id for s in policy.subject_types} == {"customer", "authorized_user", "employee"}


def test_clause_authorized_users_act_for_the_account_holder(policy: Policy) -> None:
    authorized = policy.subject_type("authorized_user")
    assert authorized is not None and authorized.acts_for == "customer"


# --- Is this the only Privacy Policy? ---------------------------------------------


def test_clause_product_specific_policies_are_incorporated(loaded: LoadedPolicy) -> None:
    assert [ref.id for ref in loaded.policy.products] == ["travel"]
    assert [p.id for p in loaded.products] == ["travel"]
    assert loaded.policy.purpose("roaming_service") is not None
    assert loaded.policy.recipient_class("roaming_partner") is not None


# --- What information does this Privacy Policy apply to? -------------------------


def test_clause_information_covered_name_address_email_phone_credit_billing(
    policy: Policy,
) -> None:
    for category in (
        "name",
        "mailing_address",
        "email",
        "telephone_number",
        "credit_information",
        "billing_records",
    ):
        assert policy.category(category) is not None, category


def test_clause_every_category_has_a_sensitivity_and_credit_information_is_high(
    policy: Policy,
) -> None:
    credit = policy.category("credit_information")
    assert credit is not None and credit.sensitivity is Sensitivity.HIGH
    assert credit.encrypted_at_rest
    assert all(isinstance(c.sensitivity, Sensitivity) for c in policy.categories)


def test_clause_name_address_and_listed_number_are_basic_telecom_information(
    policy: Policy,
) -> None:
    basic = {c.id for c in policy.categories if c.telecom_basic}
    assert basic == {"name", "mailing_address", "telephone_number"}


def test_clause_employees_files_are_covered(policy: Policy) -> None:
    employment = _purpose(policy, "employment_management")
    assert employment.subject_types == ("employee",)
    assert {"employment_records", "payroll_information"} <= set(employment.categories)


# --- Is all information that identifies me protected? ------------------------------


def test_clause_public_directory_information_is_excluded_while_public(policy: Policy) -> None:
    exclusions = {e.id: e for e in policy.exclusions}
    directory = exclusions["public_directory"]
    assert directory.treatment is ExclusionTreatment.EXCLUDED_WHILE_PUBLIC
    assert set(directory.categories) == {"name", "mailing_address", "telephone_number", "email"}


def test_clause_business_contact_information_is_excluded_when_used_for_business(
    policy: Policy,
) -> None:
    exclusions = {e.id: e for e in policy.exclusions}
    business = exclusions["business_contact"]
    assert business.treatment is ExclusionTreatment.EXCLUDED_WHEN_USED_FOR_BUSINESS
    assert "title" in business.description.en


def test_clause_anonymized_information_is_not_personal_information(policy: Policy) -> None:
    exclusions = {e.id: e for e in policy.exclusions}
    assert exclusions["anonymized"].treatment is ExclusionTreatment.NOT_PERSONAL_INFORMATION


# --- Do companies need my consent? -------------------------------------------------


def test_clause_giving_an_address_implies_consent_to_invoices_and_notices(policy: Policy) -> None:
    invoices = _purpose(policy, "invoices_and_notices")
    assert invoices.consent is ConsentMode.IMPLIED
    assert [t.event for t in invoices.implied_by] == ["address_given"]
    assert "mailing_address" in invoices.categories


def test_clause_credit_check_needs_express_consent(policy: Policy) -> None:
    credit_check = _purpose(policy, "credit_check")
    assert credit_check.consent is ConsentMode.EXPRESS
    assert credit_check.implied_by == ()
    assert "credit_information" in credit_check.categories


def test_clause_express_consent_is_verbal_signed_checkbox_or_similar_action(
    policy: Policy,
) -> None:
    credit_check = _purpose(policy, "credit_check")
    assert set(credit_check.consent_methods) == {
        ConsentMethod.VERBAL,
        ConsentMethod.SIGNED_DOCUMENT,
        ConsentMethod.CHECKBOX,
        ConsentMethod.OTHER_ACTION,
    }


def test_clause_exceptions_warrant_debt_investigation_and_law(policy: Policy) -> None:
    exceptions = {e.id for e in policy.exceptions}
    assert {"court_order", "debt_collection", "investigation", "required_by_law"} <= exceptions


def test_clause_exceptions_are_the_closed_list_with_their_evidence(policy: Policy) -> None:
    evidence = {e.id: e.evidence for e in policy.exceptions}
    assert evidence == {
        "court_order": "document_reference",
        "government_authority": "lawful_authority",
        "debt_collection": "debt_reference",
        "investigation": "investigation_reference",
        "emergency": "emergency_description",
        "required_by_law": "law_citation",
        "authorized_representative": "authorization_reference",
    }
    assert set(evidence) == CLOSED_EXCEPTION_CODES


def test_clause_debt_collection_is_only_for_debts_owed_to_the_company(policy: Policy) -> None:
    debt = policy.exception("debt_collection")
    assert debt is not None and "company itself" in debt.description.en


def test_clause_emergency_disclosure_is_followed_by_a_written_notice(policy: Policy) -> None:
    emergency = policy.exception("emergency")
    assert emergency is not None and emergency.notify_individual
    assert emergency.notify_within_days is not None and emergency.notify_within_days > 0


# --- How do companies obtain my consent? ------------------------------------------


def test_clause_registering_implies_consent_to_track_use_for_billing(policy: Policy) -> None:
    billing = _purpose(policy, "billing")
    assert billing.consent is ConsentMode.IMPLIED
    assert [t.event for t in billing.implied_by] == ["registration"]
    assert "usage_data" in billing.categories


def test_clause_individual_marketing_needs_express_consent(policy: Policy) -> None:
    individual = _purpose(policy, "individual_marketing")
    assert individual.consent is ConsentMode.EXPRESS
    assert individual.marketing
    assert set(individual.channels) == {"telemarketing", "postal_mail", "email", "text_message"}


# --- Under what circumstances do companies collect my personal information? -------


def test_clause_collection_sources_individual_service_automatic_and_third_parties(
    policy: Policy,
) -> None:
    sources = {s.id: s for s in policy.collection_sources}
    assert set(sources) == {"from_individual", "service_support", "automatic_web", "third_party"}
    assert sources["automatic_web"].automatic
    assert sources["third_party"].third_party
    assert not sources["from_individual"].automatic


def test_clause_usage_data_is_collected_automatically_not_from_the_individual(
    policy: Policy,
) -> None:
    usage = policy.category("usage_data")
    assert usage is not None
    assert not usage.collected_from_individual
    assert usage.sources == ("automatic_web",)


def test_clause_service_records_cover_support_warranty_and_repair(policy: Policy) -> None:
    records = policy.category("service_records")
    assert records is not None and "service_support" in records.sources
    for word in ("support", "warranty", "repair"):
        assert word in records.description.en


def test_clause_credit_information_comes_from_credit_reporting_agencies(policy: Policy) -> None:
    credit = policy.category("credit_information")
    assert credit is not None and "third_party" in credit.sources


# --- How do companies use my personal information? ---------------------------------


def test_clause_providing_products_and_services_is_essential_to_the_service(
    policy: Policy,
) -> None:
    service = _purpose(policy, "provide_service")
    assert service.consent is ConsentMode.SERVICE_ESSENTIAL
    assert not service.opt_out_allowed


def test_clause_uses_listed_each_have_a_purpose(policy: Policy) -> None:
    # relationships, needs/eligibility, recommendations, design/improve, market, business, law
    expected = {
        "relationship_management": ConsentMode.IMPLIED,
        "needs_and_eligibility": ConsentMode.IMPLIED,
        "recommendations": ConsentMode.IMPLIED,
        "product_development": ConsentMode.IMPLIED,
        "marketing_communications": ConsentMode.IMPLIED,
        "business_management": ConsentMode.IMPLIED,
        "legal_compliance": ConsentMode.LEGAL_OBLIGATION,
    }
    assert {pid: _purpose(policy, pid).consent for pid in expected} == expected


def test_clause_every_purpose_is_described_in_plain_english_and_french(policy: Policy) -> None:
    for purpose in policy.purposes:
        assert purpose.description.en.strip(), purpose.id
        assert purpose.description.fr.strip(), purpose.id
        assert purpose.description.en != purpose.description.fr, purpose.id


def test_clause_a_new_purpose_needs_consent_again(policy: Policy) -> None:
    new_purpose = dataclasses.replace(
        _purpose(policy, "credit_check"), id="new_research_purpose", consent=ConsentMode.EXPRESS
    )
    changed = dataclasses.replace(policy, purposes=(*policy.purposes, new_purpose))
    assert diff(policy, changed).requires_reconsent


# --- Marketing and CASL -----------------------------------------------------------


def test_clause_marketing_reaches_telephone_mail_email_and_text(policy: Policy) -> None:
    marketing = _purpose(policy, "marketing_communications")
    assert marketing.marketing and marketing.opt_out_allowed
    assert set(marketing.channels) == {"telemarketing", "postal_mail", "email", "text_message"}
    channels = {c.id: c for c in policy.channels}
    assert channels["telemarketing"].telephone
    assert channels["email"].electronic and channels["text_message"].electronic
    assert not channels["postal_mail"].electronic and not channels["postal_mail"].telephone


def test_cem_1_implied_marketing_consent_windows_are_casl_windows(policy: Policy) -> None:
    marketing = _purpose(policy, "marketing_communications")
    windows = {t.event: (t.window_days, t.window_months) for t in marketing.implied_by}
    assert windows == {"purchase": (730, None), "contract_end": (730, None), "inquiry": (None, 6)}


# --- When is my personal information disclosed? ------------------------------------


def test_clause_disclosure_to_a_representative_believed_authorized(policy: Policy) -> None:
    representative = _recipient(policy, "representative")
    assert "authorized_representative" in representative.bases


def test_clause_disclosure_to_communications_and_directory_providers_is_basic_only(
    policy: Policy,
) -> None:
    provider = _recipient(policy, "communications_provider")
    assert set(provider.categories) == {"name", "mailing_address", "telephone_number"}


def test_clause_disclosure_to_collection_agencies_for_amounts_owed(policy: Policy) -> None:
    agency = _recipient(policy, "collection_agency")
    assert agency.bases == ("debt_collection",)
    assert "billing_records" in agency.categories
    assert "credit_information" not in agency.categories


def test_clause_disclosure_to_credit_bureaus_for_creditworthiness(policy: Policy) -> None:
    bureau = _recipient(policy, "credit_bureau")
    assert "credit_information" in bureau.categories
    assert "credit_check" in bureau.purposes
    assert "express_consent" in bureau.bases and "consent" not in bureau.bases


def test_clause_disclosure_to_shipping_companies_to_ship_orders(policy: Policy) -> None:
    shipping = _recipient(policy, "shipping_company")
    assert "mailing_address" in shipping.categories
    assert "credit_information" not in shipping.categories


def test_clause_disclosure_to_government_agencies_for_identity_investigation_fraud(
    policy: Policy,
) -> None:
    agency = _recipient(policy, "government_agency")
    assert set(agency.bases) == {"government_authority", "investigation"}


def test_clause_disclosure_to_public_authority_in_an_emergency(policy: Policy) -> None:
    assert _recipient(policy, "emergency_authority").bases == ("emergency",)


def test_clause_disclosure_to_third_parties_on_consent_given(policy: Policy) -> None:
    third = _recipient(policy, "third_party_by_consent")
    assert third.bases == ("express_consent",)


def test_clause_disclosure_to_anyone_as_permitted_or_required_by_law(policy: Policy) -> None:
    assert "required_by_law" in _recipient(policy, "as_required_by_law").bases


def test_dis_5_only_basic_information_leaves_without_express_consent_or_exception(
    policy: Policy,
) -> None:
    basic = {c.id for c in policy.categories if c.telecom_basic}
    for recipient in policy.recipient_classes:
        if {"consent", "implied_consent"} & set(recipient.bases):
            assert set(recipient.categories) <= basic, recipient.id


# --- Can I opt out? ---------------------------------------------------------------


def test_clause_service_essential_purposes_cannot_be_opted_out(policy: Policy) -> None:
    for purpose in policy.purposes:
        if purpose.consent is ConsentMode.SERVICE_ESSENTIAL:
            assert not purpose.opt_out_allowed, purpose.id


def test_con_9_optional_sharing_profiling_and_location_start_off(policy: Policy) -> None:
    off = {p.id for p in policy.purposes_off_by_default()}
    assert {"sharing_with_partners", "personalized_profiling", "location_services"} <= off
    assert all(_purpose(policy, pid).consent is ConsentMode.EXPRESS for pid in off)


def test_con_10_global_privacy_control_opts_out_of_sharing_profiling_and_location(
    policy: Policy,
) -> None:
    gpc = {p.id for p in policy.gpc_purposes()}
    assert gpc == {"sharing_with_partners", "personalized_profiling", "location_services"}


# --- How can I learn more about my personal information? --------------------------


def test_clause_access_is_asked_in_writing_to_senior_management(policy: Policy) -> None:
    assert policy.access is not None
    assert "senior management" in policy.access.contact.en
    assert "written" in policy.access.contact.en


def test_clause_access_withholds_others_information_and_confidential_or_privileged(
    policy: Policy,
) -> None:
    assert policy.access is not None
    assert set(policy.access.withholding_grounds) == {
        "third_party_information",
        "confidential_information",
        "privileged_information",
    }


def test_clause_errors_found_are_corrected_free_of_charge(policy: Policy) -> None:
    assert policy.access is not None
    assert policy.access.corrections_accepted
    assert policy.access.fee == 0


# --- How is my personal information protected? ------------------------------------


def test_clause_safeguards_vary_with_sensitivity_and_bind_employees_and_third_parties(
    policy: Policy,
) -> None:
    safeguards = {s.id: s for s in policy.safeguards}
    assert "employees" in safeguards["employee_confidentiality"].applies_to
    assert "third_parties" in safeguards["third_party_agreements"].applies_to
    assert safeguards["encryption_at_rest"].sensitivities == (Sensitivity.HIGH,)


# --- Outside Canada ---------------------------------------------------------------


def test_clause_primary_processing_is_in_quebec_canada(policy: Policy) -> None:
    home = {loc.id: loc for loc in policy.processing_locations}["canada_quebec"]
    assert (home.country, home.province) == ("CA", "QC")
    assert not home.outside_canada


def test_clause_suppliers_abroad_have_safeguards_at_least_as_stringent(policy: Policy) -> None:
    abroad = {loc.id: loc for loc in policy.processing_locations}["suppliers_abroad"]
    assert abroad.outside_canada
    assert abroad.safeguards is not None
    assert "at least as stringent" in abroad.safeguards.en
    assert "foreign" in abroad.safeguards.en


def test_clause_information_abroad_is_used_only_for_the_companys_purposes(
    policy: Policy,
) -> None:
    for location in policy.processing_locations:
        if location.outside_canada:
            assert location.purposes, location.id
            assert all(policy.purpose(p) is not None for p in location.purposes)


def test_clause_travelling_outside_canada_is_a_product_policy(policy: Policy) -> None:
    roaming = {loc.id: loc for loc in policy.processing_locations}["roaming_partner_networks"]
    assert roaming.outside_canada and roaming.purposes == ("roaming_service",)


# --- How long is my personal information kept? ------------------------------------


def test_ret_1_every_category_has_a_retention_rule(policy: Policy) -> None:
    for category in policy.categories:
        rules = policy.retention_for(category.id)
        assert rules, category.id
        assert all(0 <= r.min_days <= r.max_days for r in rules)


def test_clause_information_no_longer_needed_is_destroyed_deleted_or_anonymized(
    policy: Policy,
) -> None:
    used = {r.disposal for r in policy.retention}
    assert used <= {DisposalMethod.DESTROY, DisposalMethod.DELETE, DisposalMethod.ANONYMIZE}
    assert DisposalMethod.ANONYMIZE in used


# --- Can this Privacy Policy be changed? ------------------------------------------


def test_clause_changes_are_announced_on_the_website_invoice_and_by_email(
    policy: Policy,
) -> None:
    assert {n.id for n in policy.notice_channels} == {"website", "invoice_notice", "email"}


# --- What laws apply? -------------------------------------------------------------


def test_clause_canadian_federal_and_provincial_laws_apply(policy: Policy) -> None:
    assert set(policy.organization.jurisdictions) == {"federal", "QC"}


def test_legal_rule_values_are_the_rules_md_defaults(policy: Policy) -> None:
    rules = policy.rules
    assert rules == LegalRules()
    assert (rules.access_response_days, rules.access_extension_max_days) == (30, 30)
    assert (rules.casl_purchase_window_days, rules.casl_inquiry_window_months) == (730, 6)
    assert rules.dnc_keep_days == 3 * 365 + 14
    assert rules.breach_record_retention_months == 24
    assert (rules.calling_hours.weekday_start, rules.calling_hours.weekday_end) == (
        "09:00",
        "21:30",
    )


# --- Questions, complaints and contact ---------------------------------------------


def test_clause_questions_go_to_the_number_on_the_invoice(policy: Policy) -> None:
    contact = policy.organization.complaint_contact
    assert contact is not None and "invoice" in contact.en


def test_cmp_1_unresolved_complaints_escalate_to_senior_management(policy: Policy) -> None:
    escalation = policy.organization.complaint_escalation
    assert "senior management" in escalation.en
    assert "haute direction" in escalation.fr
    assert "amending our policies" in escalation.en


def test_cmp_3_privacy_officer_contact_is_published(policy: Policy) -> None:
    officer = policy.organization.privacy_officer
    assert officer.name == "Jean-Christophe Blais-Crépeau"
    assert officer.email == "info@cell.expert"
    assert officer.title.en and officer.title.fr


def test_clause_privacy_officer_takes_questions_and_written_incident_reports(
    policy: Policy,
) -> None:
    handles = set(policy.organization.privacy_officer.handles)
    assert handles == {"questions", "service_providers_outside_canada", "incident_reports"}


def test_clause_more_sensitive_uses_ask_express_consent(policy: Policy) -> None:
    high = {c.id for c in policy.categories if c.sensitivity is Sensitivity.HIGH}
    assert {"credit_information", "location_data"} <= high
    for purpose in policy.purposes:
        if high & set(purpose.categories):
            assert purpose.consent is not ConsentMode.IMPLIED, purpose.id


def test_clause_consent_to_marketing_and_optional_uses_can_be_withdrawn(policy: Policy) -> None:
    for purpose_id in (
        "marketing_communications",
        "individual_marketing",
        "recommendations",
        "sharing_with_partners",
        "personalized_profiling",
        "location_services",
    ):
        assert _purpose(policy, purpose_id).opt_out_allowed, purpose_id


def test_purposes_apply_to_the_right_subjects(policy: Policy) -> None:
    for pid in ("billing", "marketing_communications", "credit_check"):
        assert set(_purpose(policy, pid).subject_types) <= CUSTOMERS
