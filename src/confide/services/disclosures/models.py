"""Inputs and results of the disclosure use cases."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from confide.domain.disclosure import (
    DisclosureDecision,
)
from confide.domain.disclosure.ledger import (
    DisclosureAccount,
    DisclosureRecord,
    PossibleRecipient,
)
from confide.domain.disclosure.records import DisclosureNotice

# --- inputs and results ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientInput:
    """A recipient to register; ``categories``/``purposes`` empty: what its class allows."""

    name: str
    class_id: str
    country: str
    province: str | None = None
    contact: str | None = None
    categories: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    agreement_ref: str | None = None
    agreement_signed: date | None = None
    agreement_expires: date | None = None
    safeguards: str | None = None
    assessment_ref: str | None = None
    assessment_date: date | None = None
    correction_endpoint: str | None = None
    """Where it takes corrections (ACC-9): an https webhook; None: email to ``contact``."""


@dataclass(frozen=True)
class DisclosureRequest:
    """A disclosure to check (and record): ``exception`` None relies on consent; ``evidence``
    holds the exception's evidence fields by name (``reference`` names the first one; ``kind``
    may name another kind of evidence, which the rules then refuse)."""

    subject_id: str
    recipient_id: str
    purpose_id: str
    categories: tuple[str, ...]
    exception: str | None = None
    evidence: Mapping[str, object] | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class DecisionResult:
    id: str
    decision: DisclosureDecision


@dataclass(frozen=True)
class DisclosureOutcome:
    """An allowed, recorded disclosure: its decision, ledger row and any notice owed."""

    decision_id: str
    disclosure_id: str
    decision: DisclosureDecision
    record: DisclosureRecord
    notices: tuple[DisclosureNotice, ...]


@dataclass(frozen=True)
class BulkLine:
    """One data row of a bulk file: its line number, subject and evidence cells (may be empty)."""

    line: int
    subject_id: str
    evidence: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkRowOutcome:
    line: int
    subject_id: str
    allowed: bool
    decision_id: str | None
    disclosure_id: str | None
    reasons: tuple[str, ...]
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass
class BulkResult:
    """Counts of a bulk disclosure and the refused rows with their reasons."""

    bulk_id: str
    allowed: int = 0
    refused: int = 0
    notices: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    refused_rows: list[BulkRowOutcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.allowed + self.refused

    def to_dict(self) -> dict[str, object]:
        return {
            "bulk_id": self.bulk_id,
            "total": self.total,
            "allowed": self.allowed,
            "refused": self.refused,
            "notices": self.notices,
            "by_reason": dict(sorted(self.by_reason.items())),
            "refused_rows": [r.to_dict() for r in self.refused_rows],
        }


@dataclass(frozen=True)
class AccountView:
    """The account of disclosures (ACC-4) and, from the policy, the classes of organizations the
    subject's information may be disclosed to."""

    account: DisclosureAccount
    possible: tuple[PossibleRecipient, ...]
    language: str

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        lang = language or self.language
        out = self.account.to_dict(lang)
        out["possible_recipients"] = [
            {
                "recipient_class": p.recipient_class,
                "description": p.description.in_language(lang),
                "organizations": list(p.organizations),
                "categories": list(p.categories),
            }
            for p in self.possible
        ]
        return out
