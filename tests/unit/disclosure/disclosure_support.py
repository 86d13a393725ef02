"""Builders for the disclosure tests: subjects with consent histories, registered recipients,
evidence of each exception code, and small policies for the edge cases."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from confide.domain.consent.events import (
    ConsentEvent,
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    RelationshipEventRecorded,
    RelationshipKind,
    SubjectProfile,
)
from confide.domain.consent.state import derive_state
from confide.domain.disclosure import (
    Agreement,
    DisclosureSubject,
    ImpactAssessment,
    Place,
    Recipient,
)
from confide.domain.disclosure.exceptions import (
    CourtDocument,
    DebtReference,
    EmergencyDescription,
    Evidence,
    InvestigationReference,
    LawCitation,
    LawfulAuthority,
    RepresentativeAuthorization,
)
from confide.domain.policy import (
    Category,
    ConsentException,
    ConsentMethod,
    ConsentMode,
    Contact,
    ImpliedConsentTrigger,
    Organization,
    Policy,
    Purpose,
    RecipientClass,
    Sensitivity,
    SubjectType,
    Text,
)

MONTREAL = ZoneInfo("America/Toronto")


def t(text: str) -> datetime:
    """``t("2026-03-02 10:00")`` in Montréal time."""
    return datetime.fromisoformat(text).replace(tzinfo=MONTREAL)


@cache
def packaged_policy() -> Policy:
    from confide.policy import load_policy

    return load_policy().policy


_ids = itertools.count()


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def registered(subject_id: str, at: datetime) -> RelationshipEventRecorded:
    return RelationshipEventRecorded(_id("rel"), subject_id, RelationshipKind.REGISTRATION, at)


def express(
    subject_id: str, purpose_id: str, at: datetime, version: str = "2026.1"
) -> ConsentGiven:
    return ConsentGiven(
        _id("con"),
        subject_id,
        purpose_id,
        at,
        ConsentKind.EXPRESS,
        ConsentMethod.SIGNED_DOCUMENT,
        "agent-1",
        version,
    )


def implied(
    subject_id: str, purpose_id: str, at: datetime, version: str = "2026.1"
) -> ConsentGiven:
    return replace(express(subject_id, purpose_id, at, version), kind=ConsentKind.IMPLIED)


def withdrawn(subject_id: str, purpose_id: str, at: datetime) -> ConsentWithdrawn:
    return ConsentWithdrawn(_id("wd"), subject_id, purpose_id, at, "portal")


ALL_ON_FILE = frozenset(
    {
        "name",
        "mailing_address",
        "email",
        "telephone_number",
        "credit_information",
        "billing_records",
        "usage_data",
        "service_records",
        "location_data",
        "roaming_records",
        "employment_records",
        "payroll_information",
        "contact",
        "usage",
        "credit",
    }
)


def subject(
    subject_id: str = "s-1",
    *events: ConsentEvent,
    province: str = "QC",
    language: str = "en",
    on_file: frozenset[str] = ALL_ON_FILE,
    subject_type: str = "customer",
) -> DisclosureSubject:
    profile = SubjectProfile(subject_id, province=province, language=language)
    return DisclosureSubject(derive_state(profile, events), on_file, subject_type)


AGREEMENT = Agreement("AGR-1", date(2025, 6, 1), date(2027, 5, 31))
ASSESSMENT = ImpactAssessment("PIA-1", date(2025, 5, 15))
SAFEGUARDS = "Encryption at rest and in transit; access limited to named staff; audit rights."
IN_QUEBEC = Place("CA", "QC")


def recipient(
    class_id: str,
    place: Place = IN_QUEBEC,
    *,
    rid: str | None = None,
    name: str | None = None,
    agreement: Agreement | None = AGREEMENT,
    assessment: ImpactAssessment | None = ASSESSMENT,
    safeguards: str | None = SAFEGUARDS,
    categories: tuple[str, ...] = (),
    purposes: tuple[str, ...] = (),
) -> Recipient:
    return Recipient(
        id=rid or f"r-{class_id}",
        name=name or f"{class_id.replace('_', ' ').title()} Inc.",
        class_id=class_id,
        place=place,
        contact="privacy@recipient.test",
        categories=categories,
        purposes=purposes,
        agreement=agreement,
        safeguards=safeguards,
        impact_assessment=assessment,
    )


# code -> (recipient class, purpose, categories, its evidence, evidence of another kind)
EXCEPTION_CASES: dict[str, tuple[str, str, tuple[str, ...], Evidence, Evidence]] = {
    "court_order": (
        "as_required_by_law",
        "legal_compliance",
        ("name", "billing_records"),
        CourtDocument("SC-500-17-123456-261", "warrant"),
        LawCitation("Criminal Code, s. 487.014"),
    ),
    "government_authority": (
        "government_agency",
        "legal_compliance",
        ("name", "mailing_address"),
        LawfulAuthority("Income Tax Act, s. 231.2", "Canada Revenue Agency"),
        CourtDocument("SC-1"),
    ),
    "debt_collection": (
        "collection_agency",
        "billing",
        ("name", "billing_records"),
        DebtReference("INV-2026-0042", owed_to_company=True),
        InvestigationReference("INQ-7"),
    ),
    "investigation": (
        "government_agency",
        "legal_compliance",
        ("name", "service_records"),
        InvestigationReference("FRAUD-2026-11", "law"),
        DebtReference("INV-1", owed_to_company=True),
    ),
    "emergency": (
        "emergency_authority",
        "legal_compliance",
        ("name", "location_data"),
        EmergencyDescription("Caller reported a person unconscious; location needed by 911."),
        RepresentativeAuthorization("AUTH-1"),
    ),
    "required_by_law": (
        "as_required_by_law",
        "legal_compliance",
        ("name", "payroll_information"),
        LawCitation("Employment Insurance Act", "s. 126"),
        LawfulAuthority("some authority", "some institution"),
    ),
    "authorized_representative": (
        "representative",
        "billing",
        ("name", "billing_records"),
        RepresentativeAuthorization("POA-2026-003"),
        EmergencyDescription("not an authorization"),
    ),
}


# --- a small policy for edge cases -------------------------------------------------


def _text(words: str) -> Text:
    return Text(en=words, fr=f"[fr] {words}")


def small_policy(
    *,
    exceptions: tuple[ConsentException, ...] | None = None,
    classes: tuple[RecipientClass, ...] | None = None,
) -> Policy:
    """Categories ``contact`` (telecom basic), ``usage``, ``credit``; purposes ``service``
    (implied by registration), ``partners`` (express), ``tax`` (legal obligation)."""
    declared = (
        exceptions
        if exceptions is not None
        else (
            ConsentException(
                id="required_by_law",
                description=_text("Where the law requires it."),
                evidence="law_citation",
                evidence_label=_text("The law"),
            ),
        )
    )
    return Policy(
        id="small",
        version="2026.1",
        effective_date=date(2026, 1, 1),
        title=_text("Small policy"),
        organization=Organization(
            name="Small Telecom",
            privacy_officer=Contact("Officer", _text("Privacy officer"), "po@small.test"),
            complaint_escalation=_text("Senior management"),
            jurisdictions=("federal", "QC"),
        ),
        subject_types=(
            SubjectType("customer", _text("A customer")),
            SubjectType("employee", _text("An employee")),
            SubjectType("delegate", _text("Acts for a customer"), acts_for="customer"),
        ),
        categories=(
            Category("contact", _text("contact"), Sensitivity.LOW, telecom_basic=True),
            Category("usage", _text("usage"), Sensitivity.MEDIUM),
            Category("credit", _text("credit"), Sensitivity.HIGH),
        ),
        exclusions=(),
        collection_sources=(),
        channels=(),
        purposes=(
            Purpose(
                "service",
                _text("Service"),
                ConsentMode.IMPLIED,
                ("contact", "usage"),
                implied_by=(ImpliedConsentTrigger("registration"),),
            ),
            Purpose("partners", _text("Partners"), ConsentMode.EXPRESS, ("contact", "usage")),
            Purpose("tax", _text("Tax"), ConsentMode.LEGAL_OBLIGATION, ("contact", "usage")),
        ),
        exceptions=declared,
        recipient_classes=classes
        if classes is not None
        else (
            RecipientClass(
                "partner",
                _text("A partner"),
                ("contact", "usage"),
                ("service", "partners", "tax"),
                ("consent", "required_by_law", "court_order"),
            ),
        ),
        retention=(),
        processing_locations=(),
        notice_channels=(),
    )
