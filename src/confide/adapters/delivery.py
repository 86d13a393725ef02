"""Delivering outbox messages: to recipients a webhook POST (httpx) or an email (SMTP); to people
(individuals, the privacy officer, regulators) the email composed when the message was added.

A recipient with a correction webhook on file gets a JSON POST::

    POST <webhook_url>
    Content-Type: application/json
    Idempotency-Key: <message id>
    X-Confide-Message-Id: <message id>

    {"message_id": "...", "kind": "correction" | "disagreement", "category": "...",
     "value": "..." | "statement": "...", "subject": {"id", "external_ref", "identifiers"}, ...}

When the webhook has a signing secret (every webhook set through Confide has one), the POST
carries ``Confide-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed with
the secret>``: the receiver recomputes it, compares in constant time and refuses an old ``t``.

The message id is the same on every attempt, so a receiver that remembers the ids it took
ignores a second delivery after a crash or a lost answer. 2xx is delivered; 408, 425, 429 and
5xx, a time-out or a refused connection are retried; another 4xx is a refusal no retry fixes
(failed at once, for the privacy officer). Redirects are not followed.

A recipient without a webhook but with an email address as its contact gets a plain-text
email whose Message-ID is derived from the message id (a resend is recognisable as such).

A message composed in full (a one-time code, a refusal, an escalation...) carries its address,
subject line, body and language in its sealed payload; it is sent as it was written, with the
Message-ID it was given (``deemed.<request>@confide.requests``) or one derived from its id.

Results name failures by code (``http_503``, ``timeout``, ``mail_rejected``), never by the
values carried or the address.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from urllib.parse import urlsplit

import httpx

from confide.adapters.mail import MailNotSent, MailRejected
from confide.domain.errors import ValidationFailed
from confide.domain.outbox import (
    AddressAllowList,
    AttemptResult,
    Channel,
    OutboxKind,
    OutboxMessage,
    is_public_address,
)
from confide.services.ports.mail import Mailer, OutgoingMail
from confide.services.ports.outbox import DeliveryTarget

RETRYABLE_STATUS = frozenset({408, 425, 429})
USER_AGENT = "Confide-Outbox/1"

_TITLES = {
    OutboxKind.CORRECTION: "Correction of personal information",
    OutboxKind.DISAGREEMENT: "Statement of disagreement with personal information",
}


def signature(secret: str, body: bytes, at: int) -> str:
    """The ``Confide-Signature`` header value for ``body`` sent at unix time ``at``."""
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def webhook_body(message: OutboxMessage) -> dict[str, object]:
    return {
        **message.payload,
        "message_id": message.message_id,
        "kind": message.kind.value,
        "category": message.category,
        "request_id": message.request_id,
    }


def email_text(message: OutboxMessage, recipient_name: str) -> str:
    p = message.payload
    subject = p.get("subject")
    ref = subject if isinstance(subject, dict) else {}
    identifiers = ref.get("identifiers")
    lines = [
        f"To {recipient_name},",
        "",
        "Personal information we communicated to you about the person below has changed."
        if message.kind is OutboxKind.CORRECTION
        else "The person below disagrees with personal information we communicated to you and "
        "asked that their statement accompany it.",
        "",
        f"Person (our reference): {ref.get('id', '')}",
    ]
    if ref.get("external_ref"):
        lines.append(f"Customer reference: {ref['external_ref']}")
    if isinstance(identifiers, dict):
        lines.extend(f"{kind}: {value}" for kind, value in sorted(identifiers.items()))
    lines += ["", f"Category: {message.category}"]
    if message.kind is OutboxKind.CORRECTION:
        lines.append(f"Corrected value: {p.get('value', '')}")
    else:
        lines.append(f"Statement of disagreement: {p.get('statement', '')}")
    lines += [
        "",
        "Please update your records accordingly (for a correction) or keep the statement with "
        "the information (for a disagreement).",
        f"Message id: {message.message_id} (the same on a resend)",
    ]
    return "\n".join(lines)


def outgoing_mail(message: OutboxMessage) -> OutgoingMail:
    """The email of a message composed in full (see ``confide.domain.outbox.compose``)."""
    p = message.payload

    def text(key: str) -> str:
        value = p.get(key)
        return value if isinstance(value, str) else ""

    return OutgoingMail(
        to=text("to"),
        subject=text("subject"),
        text=text("text"),
        language=text("language") or "en",
        message_id=message.mail_message_id,
    )


class RecipientDelivery:
    """Implements ``confide.services.ports.MessageDelivery`` with httpx and a Mailer."""

    def __init__(
        self,
        mailer: Mailer | None,
        *,
        client: httpx.Client | None = None,
        timeout: float = 10.0,
        allowed: AddressAllowList | None = None,
    ) -> None:
        self.mailer = mailer
        self.allowed = allowed or AddressAllowList()
        self._client = client or httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )

    def close(self) -> None:
        self._client.close()

    def deliver(self, message: OutboxMessage, target: DeliveryTarget) -> AttemptResult:
        if target.webhook_url:
            return self._post(message, target.webhook_url, target.signing_secret)
        if target.email:
            return self._mail(message, target)
        return AttemptResult(False, Channel.NONE, "no_endpoint", permanent=True)

    def _post(self, message: OutboxMessage, url: str, secret: str | None) -> AttemptResult:
        if not self._reachable(url):
            # Not retried: the address will not become public by waiting.
            return AttemptResult(False, Channel.WEBHOOK, "address_not_allowed", permanent=True)
        body = json.dumps(webhook_body(message), ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.message_id,
            "X-Confide-Message-Id": message.message_id,
        }
        if secret:
            headers["Confide-Signature"] = signature(secret, body, int(time.time()))
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            return AttemptResult(False, Channel.WEBHOOK, "timeout")
        except httpx.TransportError as exc:
            return AttemptResult(False, Channel.WEBHOOK, f"connection_{type(exc).__name__}"[:80])
        status = response.status_code
        if 200 <= status < 300:
            return AttemptResult(True, Channel.WEBHOOK, status=status)
        permanent = 400 <= status < 500 and status not in RETRYABLE_STATUS
        return AttemptResult(
            False, Channel.WEBHOOK, f"http_{status}", permanent=permanent, status=status
        )

    def _reachable(self, url: str) -> bool:
        """Where the webhook's name resolves now: every address public, or the host allowed
        (``CONFIDE_WEBHOOK_ALLOWED_HOSTS``). A name registered as public that later resolves
        inside the network is refused here, at each delivery."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if self.allowed.allows(host):
            return True
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError, UnicodeError):
            return True  # unresolvable: the attempt fails as a connection error and retries
        addresses = {str(info[4][0]) for info in found}
        return all(is_public_address(a) or self.allowed.allows(a) for a in addresses)

    def mail(self, message: OutboxMessage) -> AttemptResult:
        mail = outgoing_mail(message)
        if not mail.to:
            return AttemptResult(False, Channel.EMAIL, "no_address", permanent=True)
        return self._send(mail)

    def _mail(self, message: OutboxMessage, target: DeliveryTarget) -> AttemptResult:
        assert target.email is not None
        return self._send(
            OutgoingMail(
                to=target.email,
                subject=_TITLES.get(message.kind, "Personal information"),
                text=email_text(message, target.recipient_name),
                message_id=message.mail_message_id,
            )
        )

    def _send(self, mail: OutgoingMail) -> AttemptResult:
        if self.mailer is None:
            return AttemptResult(False, Channel.EMAIL, "mail_not_configured")
        try:
            self.mailer.send(mail)
        except MailRejected as exc:
            code = exc.fields.get("smtp_code")
            return AttemptResult(
                False,
                Channel.EMAIL,
                exc.code,
                permanent=True,
                status=code if isinstance(code, int) else None,
            )
        except MailNotSent as exc:
            code = exc.fields.get("smtp_code")
            return AttemptResult(
                False, Channel.EMAIL, exc.code, status=code if isinstance(code, int) else None
            )
        except ValidationFailed:
            return AttemptResult(False, Channel.EMAIL, "invalid_address", permanent=True)
        return AttemptResult(True, Channel.EMAIL)
