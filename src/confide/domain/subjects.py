"""Subjects (the individuals the policy applies to) and the personal information held on them.

A subject is a customer, an authorized user acting for an account holder, or an
employee (the policy's ``subject_types``). Each piece of personal information is
a :class:`PersonalInfoRecord`; a correction never overwrites a record, it
supersedes it, so the history of a value is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

# Canadian provinces and territories (ISO 3166-2:CA subdivision codes).
PROVINCES: frozenset[str] = frozenset(
    {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
)
LANGUAGES: frozenset[str] = frozenset({"en", "fr"})


class IdentifierKind(StrEnum):
    """Identifiers that name a subject across systems (used to find them in connected sources)."""

    EMAIL = "email"
    PHONE = "phone"
    ACCOUNT = "account"
    EMPLOYEE_NUMBER = "employee_number"


@dataclass(frozen=True)
class Identifier:
    kind: IdentifierKind
    value: str
    """Normalized: email lower-cased, phone in E.164, account as given (trimmed)."""


@dataclass(frozen=True)
class Subject:
    id: str
    subject_type: str
    province: str
    language: str
    created_at: datetime
    identifiers: tuple[Identifier, ...] = ()
    acts_for: str | None = None
    """For an authorized user: the id of the account holder's subject."""
    external_ref: str | None = None
    """The id the company's own systems use (e.g. the CRM customer number)."""
    birth_date: date | None = None
    display_name: str | None = None

    @property
    def is_quebec(self) -> bool:
        return self.province == "QC"

    def identifier(self, kind: IdentifierKind) -> str | None:
        return next((i.value for i in self.identifiers if i.kind is kind), None)


@dataclass(frozen=True)
class PersonalInfoRecord:
    """One value of one category for one subject, as collected, with where it lives.

    ``value`` is the clear value inside the process; the store encrypts it at rest
    when the category's sensitivity requires it.
    """

    id: str
    subject_id: str
    category: str
    value: str
    source: str
    purposes: tuple[str, ...]
    system: str
    country: str
    province: str | None
    collected_at: datetime
    policy_version: str | None = None
    supersedes: str | None = None
    superseded_at: datetime | None = None
    correction_reason: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.superseded_at is None
