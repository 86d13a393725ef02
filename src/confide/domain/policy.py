"""The privacy policy as domain objects.

A :class:`Policy` is what the rest of Confide reads: every clause of the
company's privacy policy is data here (categories, purposes, recipients,
exceptions, retention, locations, notice channels, legal rule values), never
prose in code. Policy files (YAML) are read and validated into these objects by
``confide.policy``; nothing in this module does I/O.

Invariants (checked by ``confide.policy.checks``): ids are unique within each
collection; every reference (category, purpose, recipient class, exception,
channel) names something declared; every category has a retention rule; a
product policy may add to or tighten the main policy, never weaken it.

The class-level ``__pydantic_config__`` dicts are inert metadata for the policy
loader (which validates these dataclasses with pydantic); the domain itself does
not import pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

_STRICT: dict[str, object] = {"extra": "forbid", "use_attribute_docstrings": True}


class Sensitivity(StrEnum):
    """How much harm disclosure could cause.

    ``high`` is encrypted at rest and needs express consent in Québec (CON-8).
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ConsentMode(StrEnum):
    """On what footing a purpose rests.

    - ``implied``: inferred from the individual's actions where the policy says so (CON-2).
    - ``express``: refused without an express consent on record (CON-3).
    - ``service_essential``: a term of service; no opt-out while the service continues (CON-6).
    - ``legal_obligation``: required by law; no consent is needed or asked.
    """

    IMPLIED = "implied"
    EXPRESS = "express"
    SERVICE_ESSENTIAL = "service_essential"
    LEGAL_OBLIGATION = "legal_obligation"


class ConsentMethod(StrEnum):
    """How an express consent was given (CON-1)."""

    VERBAL = "verbal"
    SIGNED_DOCUMENT = "signed_document"
    CHECKBOX = "checkbox"
    OTHER_ACTION = "other_action"


class RetentionEvent(StrEnum):
    """The event a retention period is counted from (RET-1)."""

    COLLECTION = "collection"
    END_OF_SERVICE = "end_of_service"
    LAST_ACTIVITY = "last_activity"
    END_OF_LEGAL_OBLIGATION = "end_of_legal_obligation"


class DisposalMethod(StrEnum):
    """How information is disposed of at the end of its retention (RET-2, RET-3)."""

    DESTROY = "destroy"
    DELETE = "delete"
    ANONYMIZE = "anonymize"


#: Relationship events from which a policy may infer consent (CON-2, CEM-1).
IMPLIED_CONSENT_EVENTS: frozenset[str] = frozenset(
    {"registration", "purchase", "contract_start", "contract_end", "inquiry", "address_given"}
)

#: The closed list of exceptions to consent for a disclosure (DIS-2). A policy may
#: declare fewer, never others.
CLOSED_EXCEPTION_CODES: frozenset[str] = frozenset(
    {
        "court_order",
        "government_authority",
        "debt_collection",
        "investigation",
        "emergency",
        "required_by_law",
        "authorized_representative",
    }
)

#: Consent bases a recipient class may accept, besides exception ids (DIS-1, DIS-5).
CONSENT_BASES: frozenset[str] = frozenset({"consent", "express_consent", "implied_consent"})


class ExclusionTreatment(StrEnum):
    """How information the policy says is not protected personal information is handled."""

    NOT_PERSONAL_INFORMATION = "not_personal_information"
    EXCLUDED_WHEN_USED_FOR_BUSINESS = "excluded_when_used_for_business"
    EXCLUDED_WHILE_PUBLIC = "excluded_while_public"


@dataclass(frozen=True)
class Text:
    """A plain-language text in English and French (CON-7)."""

    __pydantic_config__ = _STRICT

    en: str
    fr: str

    def in_language(self, language: str) -> str:
        return self.fr if language.lower().startswith("fr") else self.en


@dataclass(frozen=True)
class Contact:
    """The privacy officer's published contact (CMP-3)."""

    __pydantic_config__ = _STRICT

    name: str
    title: Text
    email: str
    phone: str | None = None
    address: str | None = None
    handles: tuple[str, ...] = ()
    """What individuals may write to this contact about, e.g. ``questions``,
    ``service_providers_outside_canada``, ``incident_reports``."""


@dataclass(frozen=True)
class Organization:
    """The organization the policy belongs to, its privacy officer and its complaint path."""

    __pydantic_config__ = _STRICT

    name: str
    privacy_officer: Contact
    """Published in the portal and in every notice (CMP-3)."""
    complaint_escalation: Text
    """Who a complaint goes to when a service representative cannot resolve it (CMP-1)."""
    jurisdictions: tuple[str, ...] = ("federal",)
    """Laws the organization answers to: ``federal`` (PIPEDA, CASL) and provinces with their own act
    (``QC``).
    """
    home_province: str = "QC"
    complaint_contact: Text | None = None
    """Where an individual first takes a question or complaint (e.g. the number on the invoice)."""


@dataclass(frozen=True)
class SubjectType:
    """A kind of subject the policy applies to (customer, authorized user, employee).

    An authorized user acts for an account holder: ``acts_for`` names that subject type.
    """

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    acts_for: str | None = None
    """For an authorized user: the subject type it acts for (the account holder)."""


@dataclass(frozen=True)
class Category:
    """A category of personal information."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    sensitivity: Sensitivity
    sources: tuple[str, ...] = ()
    """Collection sources (ids) this category comes from."""
    telecom_basic: bool = False
    """Name, address and listed number: the only telecom customer information disclosable without
    express consent or an exception (DIS-5).
    """
    collected_from_individual: bool = True
    """False for information inferred or generated (usage records).

    Québec portability covers only information collected from the individual (ACC-10).
    """
    name: Text | None = None
    """A short name for staff and documents ("Location data"); the description speaks to the
    individual."""

    @property
    def encrypted_at_rest(self) -> bool:
        return self.sensitivity is Sensitivity.HIGH


@dataclass(frozen=True)
class Exclusion:
    """Information the policy says is not protected personal information, and its treatment."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    treatment: ExclusionTreatment
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class CollectionSource:
    """Where personal information comes from (the individual, service, automatic collection, third
    parties).
    """

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    automatic: bool = False
    """Collected automatically (cookies, network records), not typed in by the individual."""
    third_party: bool = False
    """Obtained from a third party (credit reporting agency, payment relationship)."""


@dataclass(frozen=True)
class Channel:
    """A marketing channel (telemarketing, postal mail, email, text message)."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    electronic: bool = False
    """A commercial electronic message channel: CASL windows apply (CEM-1, CEM-2)."""
    telephone: bool = False
    """Telemarketing: do-not-call lists and calling hours apply (CEM-4, CEM-5)."""


@dataclass(frozen=True)
class ImpliedConsentTrigger:
    """A relationship event from which the policy infers consent to a purpose (CON-2, CEM-1)."""

    __pydantic_config__ = _STRICT

    event: str
    """``registration``, ``purchase``, ``contract_start``, ``contract_end``, ``inquiry``,
    ``address_given``.
    """
    window_days: int | None = None
    """How long the inferred consent lasts after the event; None means while the relationship lasts.
    """
    window_months: int | None = None
    """Alternative to ``window_days`` for windows the law states in months (CASL inquiry: 6)."""


@dataclass(frozen=True)
class Purpose:
    """A purpose of use, with its consent footing and the categories it may touch."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    consent: ConsentMode
    categories: tuple[str, ...]
    implied_by: tuple[ImpliedConsentTrigger, ...] = ()
    """Events from which consent to this purpose is inferred (only for ``implied`` purposes)."""
    marketing: bool = False
    """A marketing purpose: per-channel consent and opt-outs, CASL and telemarketing rules apply."""
    channels: tuple[str, ...] = ()
    """Marketing channels this purpose reaches; consent and opt-outs are per channel."""
    opt_out_allowed: bool = True
    """False for service-essential and legal purposes: opting out means ending the service (CON-6).
    """
    privacy_by_default_off: bool = False
    """Optional sharing, profiling or location feature: off for a new subject (CON-9)."""
    gpc_opt_out: bool = False
    """A ``Sec-GPC: 1`` signal opts the subject out of this purpose (CON-10)."""
    consent_methods: tuple[ConsentMethod, ...] = (
        ConsentMethod.VERBAL,
        ConsentMethod.SIGNED_DOCUMENT,
        ConsentMethod.CHECKBOX,
        ConsentMethod.OTHER_ACTION,
    )
    """Ways an express consent to this purpose may be given and recorded (CON-1)."""
    subject_types: tuple[str, ...] = ()
    """Subject types (ids) this purpose applies to; empty means every subject type."""


@dataclass(frozen=True)
class ConsentException:
    """A legal exception to consent from the closed list (DIS-2)."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    evidence: str
    """The kind of evidence required, e.g. ``document_reference``, ``lawful_authority``,
    ``debt_reference``.
    """
    evidence_label: Text
    notify_individual: bool = False
    """The individual is notified in writing afterwards (emergencies)."""
    notify_within_days: int | None = None


@dataclass(frozen=True)
class RecipientClass:
    """A class of recipient the policy may disclose to, with what and on what condition."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    categories: tuple[str, ...]
    purposes: tuple[str, ...] = ()
    bases: tuple[str, ...] = ("consent",)
    """Accepted legal bases: ``consent``, ``express_consent``, ``implied_consent`` or exception ids.
    """


ANONYMIZATION_ATTRIBUTES: frozenset[str] = frozenset(
    {"province", "subject_type", "birth_year", "collected_month", "system"}
)
"""What an anonymized record may keep, generalized (RET-3): the subject's province (to a region,
then nothing), the subject type, the year of birth (to a decade), the month the information was
collected (to its year, its decade) and the system that held it."""


@dataclass(frozen=True)
class Anonymization:
    """What an anonymizing rule keeps and how re-identification risk is bounded (RET-3)."""

    __pydantic_config__ = _STRICT

    quasi_identifiers: tuple[str, ...]
    k: int
    l: int = 1  # noqa: E741 - the l of l-diversity
    sensitive: str | None = None


@dataclass(frozen=True)
class RetentionRule:
    """How long a category is kept and how it is disposed of (RET-1, RET-2)."""

    __pydantic_config__ = _STRICT

    category: str
    min_days: int
    max_days: int
    counted_from: RetentionEvent
    disposal: DisposalMethod
    reason: Text
    purpose: str | None = None
    """When set, the rule applies to the category as used for this purpose only."""
    anonymization: Anonymization | None = None


@dataclass(frozen=True)
class ProcessingLocation:
    """Where personal information is processed or stored, and under which safeguards."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    country: str
    """ISO 3166-1 alpha-2 code (``CA``), or ``*`` for wherever the individual travels or a supplier
    operates abroad.
    """
    province: str | None = None
    processor: str = "company"
    """``company`` or the kind of third party processing there (``supplier``, ``agent``,
    ``roaming_partner``).
    """
    safeguards: Text | None = None
    """Required outside Canada: the recipient's safeguards as recorded (DIS-4)."""
    purposes: tuple[str, ...] = ()
    """Purposes (ids) processing there may serve; empty means any of the policy's purposes."""
    categories: tuple[str, ...] = ()
    """Categories (ids) processed there; empty means any category."""

    @property
    def outside_canada(self) -> bool:
        return self.country.upper() != "CA"


@dataclass(frozen=True)
class NoticeChannel:
    """A channel through which policy changes are announced (POL-2)."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text


@dataclass(frozen=True)
class CallingHours:
    """Telemarketing calling hours in the recipient's local time, ``HH:MM`` (CEM-5)."""

    __pydantic_config__ = _STRICT

    weekday_start: str = "09:00"
    weekday_end: str = "21:30"
    weekend_start: str = "10:00"
    weekend_end: str = "18:00"


@dataclass(frozen=True)
class LegalRules:
    """Values the law sets, with the defaults of rules.md; a policy may make them stricter, never
    weaker.
    """

    __pydantic_config__ = _STRICT

    access_response_days: int = 30
    access_extension_max_days: int = 30
    access_extension_allowed_federal: bool = True
    access_extension_allowed_quebec: bool = False
    casl_purchase_window_days: int = 730
    casl_contract_end_window_days: int = 730
    casl_inquiry_window_months: int = 6
    unsubscribe_business_days: int = 10
    dnc_add_within_days: int = 14
    dnc_keep_days: int = 3 * 365 + 14
    national_dnc_max_age_days: int = 31
    calling_hours: CallingHours = field(default_factory=CallingHours)
    breach_record_retention_months: int = 24
    quebec_incident_register_years: int = 5
    quebec_minor_age: int = 14
    withdrawal_ack_business_days: int = 10


@dataclass(frozen=True)
class Safeguard:
    """A security or organizational safeguard the policy commits to."""

    __pydantic_config__ = _STRICT

    id: str
    description: Text
    applies_to: tuple[str, ...] = ()
    """Who or what it binds: ``employees``, ``systems``, ``third_parties``."""
    sensitivities: tuple[Sensitivity, ...] = ()
    """Sensitivity levels it is required for; empty means all."""


@dataclass(frozen=True)
class AccessProcedure:
    """How an individual asks to see or correct their information (ACC-1, ACC-5..7, ACC-9)."""

    __pydantic_config__ = _STRICT

    contact: Text
    """Whom a written access request goes to."""
    request_channels: tuple[str, ...] = ("portal", "email", "letter", "call_record")
    """Written forms a request may take; ``call_record`` is an agent's written record of a call."""
    withholding_grounds: tuple[str, ...] = (
        "third_party_information",
        "confidential_information",
        "privileged_information",
    )
    """Grounds on which information may be withheld; each withholding is explained."""
    corrections_accepted: bool = True
    fee: int = 0
    """Fee in cents charged by default; a non-zero fee needs an estimate the individual accepted."""


@dataclass(frozen=True)
class ProductPolicyRef:
    """A product- or service-specific policy incorporated into the main one."""

    __pydantic_config__ = _STRICT

    id: str
    file: str
    """Path of the product policy file, relative to the main policy file."""


@dataclass(frozen=True)
class Policy:
    """A whole policy version: the main policy with its product policies merged in."""

    __pydantic_config__ = _STRICT

    id: str
    version: str
    effective_date: date
    title: Text
    organization: Organization
    subject_types: tuple[SubjectType, ...]
    categories: tuple[Category, ...]
    exclusions: tuple[Exclusion, ...]
    collection_sources: tuple[CollectionSource, ...]
    channels: tuple[Channel, ...]
    purposes: tuple[Purpose, ...]
    exceptions: tuple[ConsentException, ...]
    recipient_classes: tuple[RecipientClass, ...]
    retention: tuple[RetentionRule, ...]
    processing_locations: tuple[ProcessingLocation, ...]
    notice_channels: tuple[NoticeChannel, ...]
    rules: LegalRules = field(default_factory=LegalRules)
    products: tuple[ProductPolicyRef, ...] = ()
    """Product- or service-specific policies incorporated into this one."""
    extends: str | None = None
    """For a product policy: the id of the policy it extends."""
    safeguards: tuple[Safeguard, ...] = ()
    access: AccessProcedure | None = None

    # Look-ups by id. Decisions run hot, so each index is built once per
    # (frozen) policy; cached_property writes to __dict__, which frozen allows.
    @cached_property
    def _ids(self) -> dict[str, dict[str, object]]:
        return {
            name: {item.id: item for item in getattr(self, name)}
            for name in (
                "categories",
                "purposes",
                "channels",
                "exceptions",
                "recipient_classes",
                "subject_types",
                "exclusions",
                "collection_sources",
                "processing_locations",
                "notice_channels",
                "safeguards",
            )
        }

    def category(self, category_id: str) -> Category | None:
        return self._ids["categories"].get(category_id)  # type: ignore[return-value]

    def purpose(self, purpose_id: str) -> Purpose | None:
        return self._ids["purposes"].get(purpose_id)  # type: ignore[return-value]

    def channel(self, channel_id: str) -> Channel | None:
        return self._ids["channels"].get(channel_id)  # type: ignore[return-value]

    def exception(self, exception_id: str) -> ConsentException | None:
        return self._ids["exceptions"].get(exception_id)  # type: ignore[return-value]

    def recipient_class(self, class_id: str) -> RecipientClass | None:
        return self._ids["recipient_classes"].get(class_id)  # type: ignore[return-value]

    def subject_type(self, type_id: str) -> SubjectType | None:
        return self._ids["subject_types"].get(type_id)  # type: ignore[return-value]

    def retention_for(self, category_id: str) -> tuple[RetentionRule, ...]:
        return tuple(r for r in self.retention if r.category == category_id)

    def purposes_off_by_default(self) -> tuple[Purpose, ...]:
        """Optional sharing, profiling and location purposes, off for a new subject (CON-9)."""
        return tuple(p for p in self.purposes if p.privacy_by_default_off)

    def gpc_purposes(self) -> tuple[Purpose, ...]:
        """Purposes a ``Sec-GPC: 1`` signal opts the subject out of (CON-10)."""
        return tuple(p for p in self.purposes if p.gpc_opt_out)


@dataclass(frozen=True)
class CallingHoursOverride:
    """Calling hours a product policy narrows; unset values keep the main policy's."""

    __pydantic_config__ = _STRICT

    weekday_start: str | None = None
    weekday_end: str | None = None
    weekend_start: str | None = None
    weekend_end: str | None = None


@dataclass(frozen=True)
class LegalRulesOverride:
    """Legal rule values a product policy tightens; unset values keep the main policy's."""

    __pydantic_config__ = _STRICT

    access_response_days: int | None = None
    access_extension_max_days: int | None = None
    access_extension_allowed_federal: bool | None = None
    access_extension_allowed_quebec: bool | None = None
    casl_purchase_window_days: int | None = None
    casl_contract_end_window_days: int | None = None
    casl_inquiry_window_months: int | None = None
    unsubscribe_business_days: int | None = None
    dnc_add_within_days: int | None = None
    dnc_keep_days: int | None = None
    national_dnc_max_age_days: int | None = None
    calling_hours: CallingHoursOverride | None = None
    breach_record_retention_months: int | None = None
    quebec_incident_register_years: int | None = None
    quebec_minor_age: int | None = None
    withdrawal_ack_business_days: int | None = None


@dataclass(frozen=True)
class ProductPolicy:
    """A product- or service-specific policy file: what it adds to the main policy.

    An item whose id the main policy already declares replaces it, and may only
    tighten it; new ids are added. A product policy cannot remove anything.
    """

    __pydantic_config__ = _STRICT

    id: str
    version: str
    title: Text
    extends: str
    """The id of the main policy this product policy is incorporated into."""
    description: Text | None = None
    subject_types: tuple[SubjectType, ...] = ()
    categories: tuple[Category, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    collection_sources: tuple[CollectionSource, ...] = ()
    channels: tuple[Channel, ...] = ()
    purposes: tuple[Purpose, ...] = ()
    exceptions: tuple[ConsentException, ...] = ()
    recipient_classes: tuple[RecipientClass, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    processing_locations: tuple[ProcessingLocation, ...] = ()
    notice_channels: tuple[NoticeChannel, ...] = ()
    safeguards: tuple[Safeguard, ...] = ()
    rules: LegalRulesOverride | None = None


_POSSESSIVES = ("your ", "votre ", "vos ", "ton ", "ta ", "tes ")


def short_name(description: str) -> str:
    """ "Your telephone number (a listed number is ...)." -> "Telephone number"."""
    text = description.strip().rstrip(".")
    for possessive in _POSSESSIVES:
        if text.lower().startswith(possessive):
            text = text[len(possessive) :]
            break
    text = text.split(" (", 1)[0].strip()
    return text[:1].upper() + text[1:]


def category_names(policy: Policy, lang: str) -> dict[str, str]:
    """Short names of the policy's categories in ``lang`` for staff and documents ("Email
    address", "Adresse courriel"): the category's ``name``, else the start of its description."""
    return {
        c.id: c.name.in_language(lang)
        if c.name is not None
        else short_name(c.description.in_language(lang))
        for c in policy.categories
    }
