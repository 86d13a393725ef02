"""The disclosure ledger's records (DIS-1) and the account of disclosures (ACC-4), pure.

:func:`record_disclosure` turns an *allowed* decision into a
:class:`DisclosureRecord` (subject, recipient, time, categories, purpose, legal
basis, evidence reference, decision id); a refused decision raises
:class:`DisclosureRefused`, so nothing is recorded as disclosed unless it was
allowed. Phase 2 stores the records and appends the audit entry in the same
unit of work.

:func:`account_of_disclosures` answers "to whom was this person's information
disclosed, and when" from the records, exactly: every record of the subject is
one line, under its named recipient. Records that name only a recipient class
(a recipient not known precisely, e.g. imported history) are not invented into
names: they are listed under "may have been disclosed to", with the
organizations of that class from the register (or the class's description when
none is registered). :func:`possible_recipients` gives the same list from the
policy alone, for the categories a subject has on file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from confide.domain.disclosure.engine import DisclosureDecision
from confide.domain.disclosure.errors import DisclosureRefused
from confide.domain.disclosure.recipients import Recipient
from confide.domain.policy import Policy, Text


@dataclass(frozen=True, slots=True)
class DisclosureRecord:
    """One disclosure that happened (DIS-1). ``recipient_id`` is None when only the class is
    known (a recipient not known precisely)."""

    decision_id: str
    subject_id: str
    recipient_class: str
    at: datetime
    categories: tuple[str, ...]
    purpose_id: str
    legal_basis: str
    """``consent`` or the exception code."""
    recipient_id: str | None = None
    recipient_name: str | None = None
    consent_kind: str | None = None
    relied_on: str | None = None
    """``consent:<event id>``, ``event:<event id>`` or ``exception:<code>``."""
    evidence_reference: str | None = None
    policy_version: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "decision_id": self.decision_id,
            "subject_id": self.subject_id,
            "recipient_id": self.recipient_id,
            "recipient_name": self.recipient_name,
            "recipient_class": self.recipient_class,
            "at": self.at.isoformat(),
            "categories": list(self.categories),
            "purpose_id": self.purpose_id,
            "legal_basis": self.legal_basis,
            "consent_kind": self.consent_kind,
            "relied_on": self.relied_on,
            "evidence_reference": self.evidence_reference,
            "policy_version": self.policy_version,
        }


def record_disclosure(decision: DisclosureDecision, decision_id: str) -> DisclosureRecord:
    """The ledger record of an allowed ``decision``; raises :class:`DisclosureRefused` otherwise."""
    if not decision.allowed:
        raise DisclosureRefused(
            decision.subject_id, decision.recipient_id, tuple(str(r) for r in decision.reasons)
        )
    return DisclosureRecord(
        decision_id=decision_id,
        subject_id=decision.subject_id,
        recipient_class=decision.recipient_class,
        at=decision.at,
        categories=decision.categories,
        purpose_id=decision.purpose_id,
        legal_basis=decision.basis,
        recipient_id=decision.recipient_id,
        recipient_name=decision.recipient_name,
        consent_kind=decision.consent_kind,
        relied_on=decision.relied_on,
        evidence_reference=decision.evidence_reference,
        policy_version=decision.policy_version,
    )


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One disclosure as the individual sees it in an access response."""

    at: datetime
    categories: tuple[str, ...]
    purpose_id: str
    legal_basis: str
    decision_id: str


@dataclass(frozen=True, slots=True)
class RecipientAccount:
    """A named recipient of the subject's information, with every disclosure to it."""

    recipient_id: str
    name: str
    recipient_class: str
    lines: tuple[AccountLine, ...]

    @property
    def dates(self) -> tuple[datetime, ...]:
        return tuple(line.at for line in self.lines)

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category disclosed to this recipient, in first-disclosed order."""
        return tuple(dict.fromkeys(c for line in self.lines for c in line.categories))


@dataclass(frozen=True, slots=True)
class PossibleRecipient:
    """A class of organizations the information may have been disclosed to (ACC-4)."""

    recipient_class: str
    description: Text
    organizations: tuple[str, ...]
    """Names of the registered recipients of that class (empty: none registered)."""
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DisclosureAccount:
    """The account of disclosures an access response contains (ACC-4)."""

    subject_id: str
    recipients: tuple[RecipientAccount, ...]
    may_have_been_disclosed_to: tuple[PossibleRecipient, ...]

    @property
    def disclosure_count(self) -> int:
        return sum(len(r.lines) for r in self.recipients)

    def to_dict(self, language: str = "en") -> dict[str, object]:
        return {
            "subject_id": self.subject_id,
            "recipients": [
                {
                    "recipient_id": r.recipient_id,
                    "name": r.name,
                    "recipient_class": r.recipient_class,
                    "categories": list(r.categories),
                    "disclosures": [
                        {
                            "at": line.at.isoformat(),
                            "categories": list(line.categories),
                            "purpose_id": line.purpose_id,
                            "legal_basis": line.legal_basis,
                            "decision_id": line.decision_id,
                        }
                        for line in r.lines
                    ],
                }
                for r in self.recipients
            ],
            "may_have_been_disclosed_to": [
                {
                    "recipient_class": p.recipient_class,
                    "description": p.description.in_language(language),
                    "organizations": list(p.organizations),
                    "categories": list(p.categories),
                }
                for p in self.may_have_been_disclosed_to
            ],
        }


def _line(record: DisclosureRecord) -> AccountLine:
    return AccountLine(
        record.at, record.categories, record.purpose_id, record.legal_basis, record.decision_id
    )


def account_of_disclosures(
    records: Iterable[DisclosureRecord],
    subject_id: str,
    *,
    policy: Policy,
    register: Iterable[Recipient] = (),
) -> DisclosureAccount:
    """The subject's account of disclosures from ledger ``records`` (any subjects; others are
    skipped). Recipients in order of first disclosure, lines in time order (ties: ledger order)."""
    named: dict[str, list[DisclosureRecord]] = {}
    unnamed: dict[str, list[str]] = {}
    for record in records:
        if record.subject_id != subject_id:
            continue
        if record.recipient_id is not None:
            named.setdefault(record.recipient_id, []).append(record)
        else:
            cats = unnamed.setdefault(record.recipient_class, [])
            cats.extend(c for c in record.categories if c not in cats)
    accounts: list[RecipientAccount] = []
    for recipient_id, rows in named.items():
        rows.sort(key=lambda r: r.at)
        latest = rows[-1]
        accounts.append(
            RecipientAccount(
                recipient_id,
                latest.recipient_name or recipient_id,
                latest.recipient_class,
                tuple(_line(r) for r in rows),
            )
        )
    accounts.sort(key=lambda a: a.lines[0].at)
    by_class = _register_by_class(register)
    possible: list[PossibleRecipient] = []
    for class_id, cats in unnamed.items():
        cls = policy.recipient_class(class_id)
        description = cls.description if cls is not None else Text(en=class_id, fr=class_id)
        possible.append(
            PossibleRecipient(class_id, description, by_class.get(class_id, ()), tuple(cats))
        )
    return DisclosureAccount(subject_id, tuple(accounts), tuple(possible))


def _register_by_class(register: Iterable[Recipient]) -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for recipient in register:
        names.setdefault(recipient.class_id, []).append(recipient.name)
    return {k: tuple(sorted(v)) for k, v in names.items()}


def possible_recipients(
    policy: Policy, categories_on_file: Iterable[str], register: Iterable[Recipient] = ()
) -> tuple[PossibleRecipient, ...]:
    """The classes of organizations the policy allows to receive any of ``categories_on_file``,
    with their registered organizations: the ACC-4 list where recipients are not known."""
    on_file = frozenset(categories_on_file)
    by_class = _register_by_class(register)
    out: list[PossibleRecipient] = []
    for cls in policy.recipient_classes:
        shared = tuple(c for c in cls.categories if c in on_file)
        if shared:
            out.append(PossibleRecipient(cls.id, cls.description, by_class.get(cls.id, ()), shared))
    return tuple(out)


__all__ = [
    "AccountLine",
    "DisclosureAccount",
    "DisclosureRecord",
    "PossibleRecipient",
    "RecipientAccount",
    "account_of_disclosures",
    "possible_recipients",
    "record_disclosure",
]
