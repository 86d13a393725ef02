"""The transactional outbox: messages owed, delivery attempts, delivery and the worker nudge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from confide.domain.outbox import (
    AttemptResult,
    BulkNotices,
    Channel,
    DeliveryAttempt,
    DeliveryState,
    Disagreement,
    OutboxMessage,
)


class SealedRows(Protocol):
    """Rows ready for the store, opaque to the services."""

    def __len__(self) -> int: ...


class OutboxRepository(Protocol):
    """Outbox messages (payload sealed by the adapter), their delivery attempts, statements of
    disagreement (sealed) and recipients' correction endpoints."""

    def add_messages(self, messages: Sequence[OutboxMessage]) -> None: ...

    def seal_messages(self, messages: Sequence[OutboxMessage]) -> SealedRows:
        """The rows of ``messages``, payloads sealed: CPU work only, no use of the connection,
        so a bulk can seal its next batch in a thread while this one is written."""
        ...

    def seal_bulk(self, notices: BulkNotices) -> SealedRows:
        """The rows of a bulk of notices sharing their texts, as :meth:`seal_messages` would
        give for each one's message; CPU work only, like it."""
        ...

    def add_sealed(self, rows: SealedRows) -> None:
        """Write rows from :meth:`seal_messages` (``add_messages`` is the two in one)."""
        ...

    def add(self, message: OutboxMessage) -> bool:
        """Add one message; False (nothing written) when a message with its idempotency key is
        already there, whichever transaction added it."""
        ...

    def by_key(self, key: str) -> OutboxMessage | None: ...

    def get(self, message_id: str) -> OutboxMessage | None: ...

    def messages(
        self,
        *,
        state: DeliveryState | None = None,
        subject_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        channel: Channel | None = None,
    ) -> list[OutboxMessage]: ...

    def mark_posted(self, attempt: DeliveryAttempt, by: str) -> bool:
        """Record a pending letter as posted (delivered) with its attempt; False if the message
        is not a pending letter."""
        ...

    def count(self, state: DeliveryState | None = None) -> int: ...

    def due(self, at: datetime, limit: int) -> list[str]:
        """Ids of pending messages whose next attempt is due and that no live worker holds."""
        ...

    def next_due_at(self) -> datetime | None:
        """When the earliest pending message is due (None: nothing pending)."""
        ...

    def claim(self, message_id: str, worker: str, at: datetime, until: datetime) -> bool:
        """Take the message for one attempt (compare-and-set); False if not due or held."""
        ...

    def record_attempt(
        self,
        attempt: DeliveryAttempt,
        state: DeliveryState,
        next_attempt_at: datetime | None,
        worker: str,
    ) -> bool:
        """Record an attempt and the message's new state, releasing the claim ``worker`` holds;
        False (nothing written) when ``worker`` no longer holds it."""
        ...

    def attempts(self, message_id: str) -> list[DeliveryAttempt]: ...

    def retry(self, message_id: str, at: datetime, extra_attempts: int) -> None:
        """Make a failed message pending again, due at ``at``, with ``extra_attempts`` more."""
        ...

    def add_disagreement(self, item: Disagreement) -> None: ...

    def disagreements(self, subject_id: str) -> list[Disagreement]: ...

    def set_endpoint(self, recipient_id: str, webhook_url: str | None, at: datetime) -> None:
        """Set (or with None remove) a recipient's correction webhook; setting one gives it a new
        signing secret."""
        ...

    def endpoint(self, recipient_id: str) -> str | None: ...

    def signing_secret(self, recipient_id: str) -> str | None:
        """The secret the recipient's webhook POSTs are signed with (None: no webhook)."""
        ...


@dataclass(frozen=True)
class DeliveryTarget:
    """Where one outbox message goes: a webhook URL or an email address (or nowhere known)."""

    recipient_id: str
    recipient_name: str
    webhook_url: str | None = None
    email: str | None = None
    signing_secret: str | None = field(default=None, repr=False)
    """Signs webhook POSTs (HMAC-SHA256 over the time stamp and the body)."""


class MessageDelivery(Protocol):
    """Delivers one outbox message: to a recipient (a webhook POST or an email), or a message
    composed in full to a person by email. Never raises for a failed delivery: the result names
    the failure by code (never by a value carried)."""

    def deliver(self, message: OutboxMessage, target: DeliveryTarget) -> AttemptResult: ...

    def mail(self, message: OutboxMessage) -> AttemptResult:
        """Send a composed message (its address, subject line and body are in its payload)."""
        ...


class OutboxNudge(Protocol):
    """Asks the outbox worker to deliver messages just committed, rather than at its next tick.
    Only a shortcut: the periodic delivery job finds every due message without it."""

    def nudge(self, message_ids: Sequence[str]) -> None: ...
