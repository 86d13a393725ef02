"""The recipients register: organizations the company discloses personal information to.

A :class:`Recipient` belongs to a recipient class of the policy and may receive
a subset of that class's categories and purposes. It records where it
processes information, the written agreement and safeguards on file and, for a
recipient outside Québec, the privacy impact assessment on file (DIS-4).

:func:`validate_recipient` checks a recipient against a policy (unknown class,
categories or purposes outside the class) and raises :class:`InvalidRecipient`
listing every problem. Dates are calendar dates in the company's home time
zone; a document dated after a disclosure was not on file for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confide.domain.disclosure.errors import InvalidRecipient
from confide.domain.errors import FieldProblem
from confide.domain.policy import Policy, RecipientClass

HOME_COUNTRY = "CA"
HOME_PROVINCE = "QC"


@dataclass(frozen=True, slots=True)
class Agreement:
    """The written agreement with a recipient: document reference, signed date, expiry."""

    reference: str
    signed_on: date
    expires_on: date | None = None
    """Last day the agreement is in force; None: no end date."""

    def on_file(self, day: date) -> bool:
        """Signed on or before ``day``, whatever its expiry."""
        return self.signed_on <= day

    def in_force(self, day: date) -> bool:
        return self.on_file(day) and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True, slots=True)
class ImpactAssessment:
    """A privacy impact assessment of communicating information to a recipient (DIS-4)."""

    reference: str
    done_on: date

    def on_file(self, day: date) -> bool:
        return self.done_on <= day


@dataclass(frozen=True, slots=True)
class Place:
    """Where a recipient processes information: ISO country code and province (Canada)."""

    country: str
    province: str | None = None

    @property
    def outside_canada(self) -> bool:
        return self.country.upper() != HOME_COUNTRY

    @property
    def outside_quebec(self) -> bool:
        """Outside Québec, other provinces included; a Canadian place without a province counts
        as outside (the conservative reading)."""
        return self.outside_canada or (self.province or "").upper() != HOME_PROVINCE

    def label(self) -> str:
        return f"{self.country}-{self.province}" if self.province else self.country


@dataclass(frozen=True, slots=True)
class Recipient:
    """An organization in the recipients register.

    ``categories`` and ``purposes`` are what this recipient may receive, a subset
    of its class's; empty means everything its class allows.
    """

    id: str
    name: str
    class_id: str
    place: Place
    contact: str | None = None
    categories: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    agreement: Agreement | None = None
    safeguards: str | None = None
    """The recipient's safeguards as recorded (required outside Canada, DIS-4)."""
    impact_assessment: ImpactAssessment | None = None
    """Required for a recipient outside Québec (DIS-4)."""

    def allowed_categories(self, cls: RecipientClass) -> frozenset[str]:
        return frozenset(self.categories or cls.categories)

    def allowed_purposes(self, cls: RecipientClass) -> frozenset[str]:
        return frozenset(self.purposes or cls.purposes)

    @property
    def safeguards_recorded(self) -> bool:
        return bool(self.safeguards and self.safeguards.strip())


def recipient_problems(policy: Policy, recipient: Recipient) -> list[FieldProblem]:
    """Every way ``recipient`` contradicts ``policy`` (empty when it fits)."""
    problems: list[FieldProblem] = []
    if not recipient.id.strip():
        problems.append(FieldProblem("id", "must not be empty"))
    if not recipient.name.strip():
        problems.append(FieldProblem("name", "must not be empty"))
    if not recipient.place.country.strip():
        problems.append(FieldProblem("place.country", "must not be empty"))
    cls = policy.recipient_class(recipient.class_id)
    if cls is None:
        problems.append(FieldProblem("class_id", f"unknown recipient class {recipient.class_id}"))
        return problems
    for cid in recipient.categories:
        if cid not in cls.categories:
            problems.append(
                FieldProblem("categories", f"category {cid} is not allowed for class {cls.id}")
            )
    for pid in recipient.purposes:
        if pid not in cls.purposes:
            problems.append(
                FieldProblem("purposes", f"purpose {pid} is not allowed for class {cls.id}")
            )
    agreement = recipient.agreement
    if agreement is not None:
        if not agreement.reference.strip():
            problems.append(FieldProblem("agreement.reference", "must not be empty"))
        if agreement.expires_on is not None and agreement.expires_on < agreement.signed_on:
            problems.append(FieldProblem("agreement.expires_on", "is before the signed date"))
    assessment = recipient.impact_assessment
    if assessment is not None and not assessment.reference.strip():
        problems.append(FieldProblem("impact_assessment.reference", "must not be empty"))
    return problems


def validate_recipient(policy: Policy, recipient: Recipient) -> RecipientClass:
    """The recipient's class; raises :class:`InvalidRecipient` if it does not fit the policy."""
    problems = recipient_problems(policy, recipient)
    if problems:
        raise InvalidRecipient(recipient.id, problems)
    cls = policy.recipient_class(recipient.class_id)
    assert cls is not None
    return cls


__all__ = [
    "Agreement",
    "ImpactAssessment",
    "Place",
    "Recipient",
    "recipient_problems",
    "validate_recipient",
]
