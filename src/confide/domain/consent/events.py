"""Consent ledger events and the commands that produce them, in the domain's words.

Everything the ledger records about a subject is one of these immutable events
(CON-1: records are never overwritten; a withdrawal is a new event). A
subject's consent state is derived from them (``state.derive_state``), never
kept as a mutable flag. Times are timezone-aware datetimes passed in by the
caller; nothing here reads a clock.

Commands (``GiveConsent``, ``WithdrawConsent``, ...) are what a person or a
system asks for; ``ledger.py`` checks them against the policy and turns them
into events (``ConsentGiven``, ``ConsentWithdrawn``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeAlias

from confide.domain.policy import ConsentMethod


class ConsentKind(StrEnum):
    """Implied (inferred from an action where the policy says so, CON-2) or express (CON-3)."""

    IMPLIED = "implied"
    EXPRESS = "express"


class RelationshipKind(StrEnum):
    """A business-relationship event the policy may infer consent from (CON-2, CEM-1)."""

    REGISTRATION = "registration"
    PURCHASE = "purchase"
    CONTRACT_START = "contract_start"
    CONTRACT_END = "contract_end"
    INQUIRY = "inquiry"
    ADDRESS_GIVEN = "address_given"
    SERVICE_TERMINATED = "service_terminated"


@dataclass(frozen=True, slots=True)
class SubjectProfile:
    """What the rules need to know about the subject, apart from its events.

    ``province`` selects the time zone (unless ``time_zone`` is given), the
    holidays and the Québec rules; ``birth_date`` lets the engine tell a minor
    under 14 (CON-8); ``phone_numbers`` are matched against do-not-call lists.
    """

    subject_id: str
    province: str = "QC"
    language: str = "en"
    birth_date: date | None = None
    time_zone: str | None = None
    phone_numbers: tuple[str, ...] = ()


# --- events -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsentGiven:
    """A consent was given (CON-1). ``channel`` is set for marketing purposes;
    ``None`` covers every channel of the purpose. ``by_guardian`` records that a
    parent or tutor gave it for a minor (CON-8)."""

    event_id: str
    subject_id: str
    purpose_id: str
    at: datetime
    kind: ConsentKind
    method: ConsentMethod
    recorded_by: str
    policy_version: str
    language: str = "en"
    evidence_ref: str | None = None
    channel: str | None = None
    expires_at: datetime | None = None
    by_guardian: bool = False


@dataclass(frozen=True, slots=True)
class ConsentWithdrawn:
    """A consent was withdrawn (CON-5); ``channel=None`` withdraws every channel of the purpose."""

    event_id: str
    subject_id: str
    purpose_id: str
    at: datetime
    recorded_by: str
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class ConsentExpired:
    """The consent ``consent_id`` reached its end and was marked expired."""

    event_id: str
    subject_id: str
    consent_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ConsentRenewed:
    """The consent ``consent_id`` was renewed at ``at``: new expiry, policy version shown."""

    event_id: str
    subject_id: str
    consent_id: str
    at: datetime
    recorded_by: str
    policy_version: str
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RelationshipEventRecorded:
    """A purchase, an inquiry, the start or end of a contract... (CON-2, CEM-1)."""

    event_id: str
    subject_id: str
    kind: RelationshipKind
    at: datetime


@dataclass(frozen=True, slots=True)
class GpcSignalReceived:
    """A ``Sec-GPC: 1`` signal came with a consent interaction (CON-10)."""

    event_id: str
    subject_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ChannelOptedOut:
    """The subject opted out of all marketing on a channel (CEM-2)."""

    event_id: str
    subject_id: str
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ChannelOptedIn:
    """The subject lifted an earlier opt-out of a channel."""

    event_id: str
    subject_id: str
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DoNotCallRequested:
    """A request to put a number on the internal do-not-call list (CEM-4).

    ``added_at`` is when it was actually put on the list (due within 14 days);
    the number is never called from ``requested_at`` on, whatever the relationship.
    """

    event_id: str
    subject_id: str
    phone_number: str
    requested_at: datetime
    added_at: datetime | None = None

    @property
    def at(self) -> datetime:
        return self.requested_at


ConsentEvent: TypeAlias = (
    ConsentGiven
    | ConsentWithdrawn
    | ConsentExpired
    | ConsentRenewed
    | RelationshipEventRecorded
    | GpcSignalReceived
    | ChannelOptedOut
    | ChannelOptedIn
    | DoNotCallRequested
)
"""Every event of a subject's consent history."""


# --- commands ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GiveConsent:
    """Ask to record a consent. Several purposes in one command is a bundled
    consent, refused for Québec subjects (CON-8: one consent per specific purpose)."""

    subject_id: str
    purpose_ids: tuple[str, ...]
    at: datetime
    kind: ConsentKind
    method: ConsentMethod
    recorded_by: str
    policy_version: str
    language: str = "en"
    evidence_ref: str | None = None
    channel: str | None = None
    expires_at: datetime | None = None
    by_guardian: bool = False
    gpc: bool = False


@dataclass(frozen=True, slots=True)
class WithdrawConsent:
    """Ask to withdraw a consent (or opt out of a purpose)."""

    subject_id: str
    purpose_id: str
    at: datetime
    recorded_by: str
    channel: str | None = None
    gpc: bool = False


@dataclass(frozen=True, slots=True)
class RecordRelationshipEvent:
    subject_id: str
    kind: RelationshipKind
    at: datetime
