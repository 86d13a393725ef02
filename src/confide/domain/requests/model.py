"""The request: what was asked, by whom, through which channel, its state and its clock.

States (``RequestState``)::

    awaiting_identity ──verify (code or agent)──┐         (an individual's own request)
        └── not verified in time ──> expired     │
    received ──verify──> verified <──────────────┘ ──prepare──> in_review ──release──> responded
        │                   │                      │         (released | partially_refused)
        ├──refuse / respond─┴──────────────────────┴──────> responded (refused | corrected)
        └── (deadline passes without a response) ─────────> deemed_refused   (ACC-3)
    responded | deemed_refused | unmatched ──close──> closed

``extended`` is not a state but a fact on the request (``extension``): a federal request may be
extended once, in any open state, before its first deadline (ACC-2). A request staff record for
a subject we do not hold is ``unmatched``: recorded, answered like any other, nothing released.

An individual's own request (portal or API) is ``awaiting_identity`` until verified: anonymous,
it holds nothing, is in no staff queue and runs no clock; the intake job matches its identifier
off the request path (``subject_id`` stays None when nobody matches). Not verified in time, it is
``expired`` and what it carried is disposed of.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from confide.domain.holds import REQUEST_KINDS, LegalHold


class RequestKind(StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    PORTABILITY = "portability"


class Channel(StrEnum):
    """How the written request came in (ACC-1); ``phone`` is an agent's written record of a call."""

    PORTAL = "portal"
    API = "api"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"


class RequestState(StrEnum):
    AWAITING_IDENTITY = "awaiting_identity"
    """An individual's own request, not verified yet (see the module docstring)."""
    RECEIVED = "received"
    VERIFIED = "verified"
    IN_REVIEW = "in_review"
    RESPONDED = "responded"
    DEEMED_REFUSED = "deemed_refused"
    UNMATCHED = "unmatched"
    CLOSED = "closed"
    EXPIRED = "expired"
    """An individual's own request not verified in time; final."""


OPEN_STATES: frozenset[RequestState] = frozenset(
    {RequestState.RECEIVED, RequestState.VERIFIED, RequestState.IN_REVIEW}
)
"""States in which the clock runs and a response is owed."""

CLOSABLE_STATES: frozenset[RequestState] = frozenset(
    {RequestState.RESPONDED, RequestState.DEEMED_REFUSED, RequestState.UNMATCHED}
)

VERIFIABLE_STATES: frozenset[RequestState] = frozenset(
    {RequestState.RECEIVED, RequestState.AWAITING_IDENTITY}
)
"""States in which identity may be verified (by code or by an agent's check)."""

NOT_STAFF_WORK: frozenset[RequestState] = frozenset(
    {RequestState.AWAITING_IDENTITY, RequestState.EXPIRED, RequestState.CLOSED}
)
"""States left out of the staff's work queue: nobody accountable asked yet, or it is over."""


class Outcome(StrEnum):
    RELEASED = "released"
    PARTIALLY_REFUSED = "partially_refused"
    REFUSED = "refused"
    CORRECTED = "corrected"


class AuthorityKind(StrEnum):
    """What gives a representative the right to act for the individual (ACC-11)."""

    AUTHORIZED_USER = "authorized_user"
    """A registered authorized user acting for the account holder (``Subject.acts_for``)."""
    POWER_OF_ATTORNEY = "power_of_attorney"
    MANDATE = "mandate"
    GUARDIANSHIP = "guardianship"
    ESTATE = "estate"


class VerificationMethod(StrEnum):
    CODE = "code"
    """A one-time code sent to a contact already on file."""
    AGENT_CHECK = "agent_check"
    """An agent's recorded check (phone requests): who checked and how."""


@dataclass(frozen=True)
class Representative:
    """Someone acting for the subject, with the authority they rely on (ACC-11).

    ``checked_by`` is set once the authority has been checked; nothing is released before.
    """

    name: str
    authority: AuthorityKind
    document_ref: str | None = None
    subject_id: str | None = None
    """The representative's own subject id, when registered (an authorized user)."""
    checked_by: str | None = None
    checked_at: datetime | None = None


@dataclass(frozen=True)
class Verification:
    method: VerificationMethod
    at: datetime
    by: str
    """Who verified: the staff user, or ``individual`` for a code typed by the individual."""
    how: str | None = None
    """For an agent check: how identity was checked (questions asked, document seen)."""


@dataclass(frozen=True)
class Extension:
    """The one federal extension (ACC-2) and the notice sent before the first deadline."""

    new_due: date
    reason: str
    notice_sent_at: datetime
    by: str


@dataclass(frozen=True)
class Fee:
    """Access is free by default; a fee needs an estimate the individual accepted (ACC-7)."""

    amount_cents: int = 0
    estimated_at: datetime | None = None
    accepted_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.amount_cents > 0 and self.accepted_at is None


@dataclass(frozen=True)
class CorrectionAsk:
    """What a correction request asks for; ``value`` is personal information (sealed at rest)."""

    category: str
    value: str


@dataclass(frozen=True)
class AccessRequest:
    id: str
    kind: RequestKind
    channel: Channel
    subject_id: str | None
    """None when no subject matched the identifier given (``unmatched``)."""
    identifier_kind: str
    received_at: datetime
    due_on: date
    """The first deadline: the received date plus 30 calendar days, in the subject's calendar."""
    time_zone: str
    province: str | None
    language: str
    state: RequestState
    recorded_by: str
    representative: Representative | None = None
    correction: CorrectionAsk | None = None
    fee: Fee = Fee()
    verification: Verification | None = None
    extension: Extension | None = None
    outcome: Outcome | None = None
    reasons: tuple[str, ...] = ()
    """Reasons of a whole or partial refusal (ACC-6)."""
    released_incomplete: bool = False
    responded_at: datetime | None = None
    reminders_sent: tuple[int, ...] = ()
    escalated_at: datetime | None = None
    closed_at: datetime | None = None
    note: str | None = None
    """An agent's written record (a phone call), or a letter's reference."""

    @property
    def effective_due(self) -> date:
        return self.extension.new_due if self.extension else self.due_on

    @property
    def is_quebec(self) -> bool:
        return self.province == "QC"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def awaiting_identity(self) -> bool:
        return self.state is RequestState.AWAITING_IDENTITY

    @property
    def verified(self) -> bool:
        return self.verification is not None

    @property
    def authority_checked(self) -> bool:
        return self.representative is None or self.representative.checked_by is not None

    def but(self, **changes: object) -> AccessRequest:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PendingIntake:
    """What an individual's own request needs until the intake job has matched it (sealed at
    rest, disposed of once matched): the identifier as typed, normalized, and the language the
    request asked for, if any."""

    identifier: str
    language: str | None = None


@dataclass(frozen=True)
class VerificationCode:
    """A one-time code as stored: only its HMAC (with a per-code key sealed at rest).

    A request awaiting identity for which no code could be sent (nobody matched, no email on
    file, too many codes) gets a decoy: a row like any other whose MAC is over 32 random bytes,
    so no typed code matches it and checking a code costs the same for every reference."""

    id: str
    request_id: str
    subject_id: str
    address_hash: str
    code_hash: str
    mac_key: bytes
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None


class HoldKind(StrEnum):
    """How the requests area names a hold on a subject: ``request`` for the hold of a request
    (access, correction, portability), other holds by their kind in the holds register."""

    REQUEST = "request"
    COMPLAINT = "complaint"
    BREACH_INVESTIGATION = "breach_investigation"
    LITIGATION = "litigation"
    REGULATOR_ORDER = "regulator_order"


@dataclass(frozen=True)
class Hold:
    """A legal hold as the requests area shows it on a subject (ACC-8): a view of a
    :class:`~confide.domain.holds.LegalHold` that covers the subject, with the shape the subject's
    holds have always had (``reference`` is the request id, or the hold's own id)."""

    id: str
    subject_id: str
    kind: HoldKind
    reference: str
    opened_at: datetime
    closed_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.closed_at is None

    @classmethod
    def of(cls, hold: LegalHold, subject_id: str) -> Hold:
        kind = HoldKind.REQUEST if hold.kind in REQUEST_KINDS else HoldKind(hold.kind.value)
        return cls(
            id=hold.id,
            subject_id=subject_id,
            kind=kind,
            reference=hold.cause if kind is HoldKind.REQUEST and hold.cause else hold.id,
            opened_at=hold.opened_at,
            closed_at=hold.closed_at,
        )
