"""The outbox: every message owed to an individual, a recipient, a data source, the privacy
officer or a regulator, its states and retries (ACC-9, ACC-1..3, ACC-6, ACC-11).

A use case that owes a message composes it and adds it to the outbox in the same unit of work as
the change that causes it: a refusal that rolls back leaves no message, and a committed one
cannot lose its message. Workers deliver from there (claim, attempt, record, back off).

Messages to people (one-time codes, extension notices, refusals, response-ready notices, the
officer's reminders and escalations) are composed in full — address, subject line, body — and
go by ``email``, or by ``letter``: a letter is printed and posted by a staff member, who marks it
sent; no worker attempts it. An ``idempotency_key`` names what the message is for (``deemed.<request>``):
the same key added twice, in any transactions, is one message.

An accepted correction, or a statement of disagreement, is owed to every recipient the
disclosure ledger says received that category of that subject; a correction is also owed to
each writable connected source that maps the category. Each such duty is one
:class:`OutboxMessage`, written in the same transaction as the correction. Delivery happens
later, attempt by attempt:

* ``pending`` — waiting for its next attempt (at ``next_attempt_at``);
* ``delivered`` — a delivery succeeded (``delivered_at``); never sent again;
* ``failed`` — every attempt failed, or a failure no retry can fix: the privacy officer sees
  it and may retry it by hand, which gives it a fresh set of attempts.

The wait between attempts doubles from ``base_seconds`` up to ``cap_seconds``
(:class:`RetrySchedule`). Error codes name the kind of failure (``http_503``,
``timeout``, ``mail_rejected``), never the values carried.

Pure: standard library only; times are passed in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from confide.domain.errors import FieldProblem


class OutboxKind(StrEnum):
    CORRECTION = "correction"
    """A corrected value of one category, for a recipient that received the old one."""
    DISAGREEMENT = "disagreement"
    """A refused correction: the individual's statement of disagreement, for the same recipients."""
    SOURCE_CORRECTION = "source_correction"
    """A corrected value to write into a writable connected source (retried if it failed)."""
    ONE_TIME_CODE = "one_time_code"
    """A one-time code to the individual's email on file (verification, download) (ACC-11)."""
    EXTENSION_NOTICE = "extension_notice"
    """The notice of a time extension to the individual: new date, reason, recourse (ACC-2)."""
    REFUSAL = "refusal"
    """A refusal in writing, whole or partial, with reasons and recourse (ACC-6)."""
    RESPONSE_READY = "response_ready"
    """Where and how the individual gets a released response (ACC-4, ACC-10)."""
    REMINDER = "reminder"
    """A request's deadline is near: to the privacy officer (ACC-3)."""
    ESCALATION = "escalation"
    """A request is deemed refused (no answer in time): to the privacy officer (ACC-3)."""
    BREACH_NOTICE = "breach_notice"
    """A notice to a person affected by a breach of safeguards: what happened, what the company
    did, what they can do, whom to contact, their right to complain (BRE-3)."""
    COMPLAINT_ACK = "complaint_ack"
    """A complaint's acknowledgement: its reference and when the complainant will hear (CMP-1)."""
    COMPLAINT_ANSWER = "complaint_answer"
    """A complaint's answer in writing: outcome, reasons, recourse (CMP-1)."""
    COMPLAINT_ESCALATION = "complaint_escalation"
    """A complaint not resolved at the first level in time: to the privacy officer (CMP-1)."""
    BREACH_LATE = "breach_late"
    """A breach report or notice is past its target date: to the privacy officer (BRE-3)."""


class TargetType(StrEnum):
    RECIPIENT = "recipient"
    SOURCE = "source"
    INDIVIDUAL = "individual"
    OFFICER = "officer"
    REGULATOR = "regulator"


PEOPLE = frozenset({TargetType.INDIVIDUAL, TargetType.OFFICER, TargetType.REGULATOR})
"""Targets whose messages are composed in full (address, subject line, body) when added."""


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Channel(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    SOURCE = "source"
    LETTER = "letter"
    NONE = "none"


@dataclass(frozen=True)
class RetrySchedule:
    """Exponential backoff with a cap; ``max_attempts`` attempts in all before ``failed``.

    The default (8 attempts, 1 minute doubling to at most 1 hour) spans about 2 hours.
    """

    max_attempts: int = 8
    base_seconds: float = 60.0
    factor: float = 2.0
    cap_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("a retry schedule needs at least one attempt")
        if self.base_seconds < 0 or self.cap_seconds < self.base_seconds or self.factor < 1:
            raise ValueError("backoff: 0 <= base <= cap and factor >= 1")

    def delay_after(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (1-based)."""
        if attempts < 1:
            return timedelta(0)
        seconds = min(self.cap_seconds, self.base_seconds * self.factor ** (attempts - 1))
        return timedelta(seconds=seconds)

    def after_failure(self, attempts: int, at: datetime) -> datetime | None:
        """When to try again after ``attempts`` failed attempts at ``at``; None: give up."""
        if attempts >= self.max_attempts:
            return None
        return at + self.delay_after(attempts)


@dataclass(frozen=True)
class AttemptResult:
    """What one delivery attempt came to. ``error`` is a code, never a value carried."""

    delivered: bool
    channel: Channel
    error: str | None = None
    permanent: bool = False
    """A failure no retry can fix (no endpoint on file, a 4xx refusal): failed at once."""
    status: int | None = None
    """The HTTP status or SMTP reply code, when there was one."""


@dataclass(frozen=True)
class OutboxMessage:
    """One duty of the outbox. ``payload`` holds personal information: sealed at rest."""

    id: str
    kind: OutboxKind
    target_type: TargetType
    target_id: str
    subject_id: str | None
    """The person the message is about (None: about no one in particular)."""
    category: str | None
    """The category of personal information a correction is about (None for other messages)."""
    payload: dict[str, object]
    created_at: datetime
    next_attempt_at: datetime | None
    """When the next attempt is due; None once delivered or failed, and for a letter (a staff
    member posts it; no worker attempts it)."""
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    max_attempts: int = RetrySchedule().max_attempts
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    correction_id: str | None = None
    request_id: str | None = None
    channel: Channel | None = None
    """How a composed message goes (email or letter); None: the recipient's endpoint decides."""
    idempotency_key: str | None = None
    """What the message is for; a second message with the same key is never added."""

    @property
    def message_id(self) -> str:
        """The stable id every delivery of this message carries (a receiver deduplicates on it)."""
        return self.id

    @property
    def mail_message_id(self) -> str:
        """The Message-ID header (without angle brackets) of every email sending this message."""
        given = self.payload.get("message_id")
        return given if isinstance(given, str) and given else f"{self.id}@outbox.confide"


@dataclass(frozen=True)
class Composed:
    """A message to a person, written in full: the subject line and body hold personal
    information (a code, reasons, a name) and are sealed at rest with the rest of the payload."""

    title: str
    text: str
    language: str = "en"
    to: str | None = None
    """The email address (None for a letter)."""
    message_id: str | None = None
    """A stable Message-ID header to keep (default: derived from the outbox message id)."""


def compose(
    *,
    id: str,
    kind: OutboxKind,
    target_type: TargetType,
    target_id: str,
    content: Composed,
    key: str,
    at: datetime,
    subject_id: str | None = None,
    request_id: str | None = None,
    max_attempts: int = RetrySchedule().max_attempts,
) -> OutboxMessage:
    """A message to a person, due now by email, or waiting to be posted as a letter (no address)."""
    if target_type not in PEOPLE:
        raise ValueError("compose() writes messages to people; corrections have their own payload")
    letter = content.to is None
    payload: dict[str, object] = {
        "subject": content.title,
        "text": content.text,
        "language": content.language,
    }
    if content.to is not None:
        payload["to"] = content.to
    if content.message_id:
        payload["message_id"] = content.message_id
    return OutboxMessage(
        id=id,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject_id,
        category=None,
        payload=payload,
        created_at=at,
        next_attempt_at=None if letter else at,
        max_attempts=max_attempts,
        request_id=request_id,
        channel=Channel.LETTER if letter else Channel.EMAIL,
        idempotency_key=key,
    )


@dataclass(frozen=True)
class BulkNotices:
    """Messages to many people that share a few texts (the notices of a breach, say): the
    texts once, then each person's message id, address and key. Each is stored exactly as
    :func:`compose` would write it; the bulk only spares building a message object per person.
    """

    kind: OutboxKind
    target_type: TargetType
    at: datetime
    texts: Mapping[object, tuple[str, str, str]]
    """Each variant's (subject line, text, language)."""
    people: Sequence[tuple[str, str, object, str | None, str, str]]
    """(message id, subject id, variant, email address or None for a letter, idempotency key,
    mail Message-ID)."""
    max_attempts: int = RetrySchedule().max_attempts

    def message(self, n: int) -> OutboxMessage:
        """The ``n``-th person's message, as :func:`compose` writes it."""
        mid, subject_id, variant, to, key, mail_id = self.people[n]
        title, text, language = self.texts[variant]
        return compose(
            id=mid,
            kind=self.kind,
            target_type=self.target_type,
            target_id=subject_id,
            content=Composed(title, text, language, to, mail_id),
            key=key,
            at=self.at,
            subject_id=subject_id,
            max_attempts=self.max_attempts,
        )


@dataclass(frozen=True)
class DeliveryAttempt:
    """One recorded attempt at delivering a message."""

    message_id: str
    number: int
    at: datetime
    channel: Channel
    delivered: bool
    error: str | None = None
    status: int | None = None


@dataclass(frozen=True)
class Disagreement:
    """A statement of disagreement the individual asked to attach to the file after a refused
    correction (ACC-9). ``statement`` is personal information: sealed at rest."""

    id: str
    subject_id: str
    category: str
    statement: str
    recorded_at: datetime
    recorded_by: str
    request_id: str | None = None


def outcome_of_attempt(
    message: OutboxMessage, result: AttemptResult, at: datetime, schedule: RetrySchedule
) -> tuple[DeliveryState, datetime | None]:
    """The message's state after an attempt, and the time of the next one (None if no more)."""
    if result.delivered:
        return DeliveryState.DELIVERED, None
    attempts = message.attempts + 1
    if result.permanent:
        return DeliveryState.FAILED, None
    limit = RetrySchedule(
        max_attempts=message.max_attempts,
        base_seconds=schedule.base_seconds,
        factor=schedule.factor,
        cap_seconds=schedule.cap_seconds,
    )
    nxt = limit.after_failure(attempts, at)
    if nxt is None:
        return DeliveryState.FAILED, None
    return DeliveryState.PENDING, nxt


_LOOPBACK_NAMES = frozenset({"localhost"})
MAX_URL = 2000


@dataclass(frozen=True)
class AddressAllowList:
    """Hosts a webhook may reach although they are not public addresses (a relay on this
    machine, a receiver inside the network): names, addresses or networks (``10.0.0.0/8``).
    Empty by default: webhooks go to public addresses only (no SSRF into the network)."""

    entries: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AddressAllowList:
        return cls(tuple(e.strip().lower() for e in text.split(",") if e.strip()))

    def allows(self, host: str) -> bool:
        host = host.lower().strip("[]")
        if host in self.entries:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        for entry in self.entries:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


def is_public_address(address: str) -> bool:
    """A globally routable unicast address (not loopback, private, link-local, shared,
    reserved, multicast or unspecified)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_webhook_url(
    url: str,
    location: str = "correction_endpoint",
    allowed: AddressAllowList | None = None,
) -> FieldProblem | None:
    """A recipient's correction webhook: ``https://``, or ``http://`` to this machine only
    (a relay on localhost, a test receiver). No credentials in the URL. An address that is not
    public (loopback, private, link-local...) only when ``allowed`` names it; a name is
    checked again where it resolves, when each message is delivered."""
    if len(url) > MAX_URL:
        return FieldProblem(location, f"is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return FieldProblem(location, "is not a valid URL")
    if parts.scheme not in ("http", "https") or not host:
        return FieldProblem(location, "must be an https:// URL", "https://receiver.example/hook")
    if parts.username or parts.password:
        return FieldProblem(location, "must not carry credentials in the URL")
    if parts.fragment:
        return FieldProblem(location, "must not have a #fragment")
    if parts.scheme == "http" and not _is_loopback(host):
        return FieldProblem(
            location, "must use https (plain http only to this machine)", "https://..."
        )
    literal = _is_address(host)
    local = (literal and not is_public_address(host)) or host.lower() in _LOOPBACK_NAMES
    if local and not (allowed is not None and allowed.allows(host)):
        return FieldProblem(
            location,
            "must be a public address (a local or private one only when "
            "CONFIDE_WEBHOOK_ALLOWED_HOSTS names it)",
        )
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def looks_like_email(contact: str | None) -> bool:
    """A recipient's contact that mail can be sent to (``local@domain.tld``, no spaces)."""
    if not contact or len(contact) > 320 or any(c.isspace() for c in contact):
        return False
    local, at, domain = contact.rpartition("@")
    return bool(at and local and "." in domain and not domain.startswith("."))
