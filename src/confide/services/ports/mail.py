"""Outgoing mail over SMTP (the outbox worker delivers through it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMail:
    """One message to send: plain text, an optional HTML alternative, in the reader's language.

    ``message_id`` (without angle brackets) makes a resend recognisable as the same message;
    the queued mail job sets it from the job id.
    """

    to: str
    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    reply_to: str | None = None
    message_id: str | None = None

    def to_payload(self) -> dict[str, object]:
        return {
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "language": self.language,
            "reply_to": self.reply_to,
            "message_id": self.message_id,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, object]) -> OutgoingMail:
        def text(key: str) -> str | None:
            value = payload.get(key)
            return value if isinstance(value, str) else None

        return cls(
            to=text("to") or "",
            subject=text("subject") or "",
            text=text("text") or "",
            html=text("html"),
            language=text("language") or "en",
            reply_to=text("reply_to"),
            message_id=text("message_id"),
        )


class Mailer(Protocol):
    """Sends one message (SMTP in production, a list in memory for unit tests)."""

    def send(self, mail: OutgoingMail) -> str:
        """Send ``mail``; returns its Message-ID. Raises a ``ConfideError`` that names no address."""
        ...
