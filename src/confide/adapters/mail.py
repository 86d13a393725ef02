"""Mail over SMTP (standard library ``smtplib`` and ``email.message``).

:class:`SmtpMailer` sends one message per connection: plain text, with an HTML
alternative when given, marked with its language (``Content-Language``) and as
automatically generated (RFC 3834), with a Message-ID a resend keeps.
``smtp_tls``: ``starttls`` upgrades a plain connection (port 587), ``tls`` is
implicit TLS (port 465), ``none`` sends in the clear (a relay on localhost only).

Services never send mail themselves: they add the message to the outbox in their
transaction, and the outbox worker sends it with this mailer (``adapters/delivery.py``),
recording each attempt, backing off and failing it for the privacy officer after the last.

Logs and errors name Message-IDs and SMTP codes, never addresses or contents.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from confide.config import Settings
from confide.domain.errors import ConfideError, ValidationFailed
from confide.services.ports.mail import Mailer, OutgoingMail

log = logging.getLogger("confide.mail")

LANGUAGES = frozenset({"en", "fr"})
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class MailNotSent(ConfideError):
    """The SMTP server could not be reached or did not accept the message (worth retrying)."""

    code = "mail_not_sent"
    title = "Mail not sent"


class MailRejected(MailNotSent):
    """The server refused the message or its recipient for good (a 5xx reply)."""

    code = "mail_rejected"
    title = "Mail rejected"
    permanent = True  # the queue dead-letters it at once: a retry would be refused the same way


class MailNotConfigured(MailNotSent):
    code = "mail_not_configured"
    title = "No SMTP server is configured"


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip("> ") or "localhost"


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID (without angle brackets) in the sender's domain."""
    return f"{uuid.uuid4().hex}@{_domain(sender)}"


def build_message(mail: OutgoingMail, sender: str, at: datetime | None = None) -> EmailMessage:
    """The MIME message: text/plain, and multipart/alternative with text/html when ``html`` is set."""
    problems = []
    if "@" not in mail.to or any(c in mail.to for c in "\r\n"):
        problems.append("to")
    if any(c in mail.subject for c in "\r\n"):
        problems.append("subject")
    if mail.language not in LANGUAGES:
        problems.append("language")
    if problems:
        raise ValidationFailed.single(", ".join(problems), "invalid mail field(s)")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(at or datetime.now(UTC))
    msg["Message-ID"] = f"<{mail.message_id or new_message_id(sender)}>"
    msg["Auto-Submitted"] = "auto-generated"
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg.set_content(mail.text, charset="utf-8")
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html", charset="utf-8")
    msg["Content-Language"] = mail.language  # after the body: set_content drops Content-* headers
    return msg


class SmtpMailer:
    """The :class:`~confide.services.ports.Mailer` over SMTP."""

    def __init__(
        self,
        host: str | None,
        *,
        port: int | None = None,
        tls: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        sender: str = "privacy@localhost",
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if tls not in DEFAULT_PORTS:
            raise ValidationFailed.single("smtp_tls", "must be none, starttls or tls")
        self.host = host
        self.port = port or DEFAULT_PORTS[tls]
        self.tls = tls
        self.username = username
        self._password = password
        self.sender = sender
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()

    @classmethod
    def from_settings(
        cls, settings: Settings, ssl_context: ssl.SSLContext | None = None
    ) -> SmtpMailer:
        return cls(
            settings.smtp_host,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            sender=settings.mail_from,
            timeout=settings.smtp_timeout,
            ssl_context=ssl_context,
        )

    def __repr__(self) -> str:  # never the password
        return f"SmtpMailer(host={self.host!r}, port={self.port}, tls={self.tls!r})"

    def _connect(self) -> smtplib.SMTP:
        assert self.host is not None
        if self.tls == "tls":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.tls == "starttls":
            try:
                smtp.starttls(context=self.ssl_context)
            except BaseException:
                smtp.close()
                raise
        return smtp

    def send(self, mail: OutgoingMail) -> str:
        if not self.host:
            raise MailNotConfigured("no SMTP server is configured (CONFIDE_SMTP_HOST)")
        msg = build_message(mail, self.sender)
        message_id = str(msg["Message-ID"]).strip("<>")
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self._password or "")
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise self._refusal(message_id, codes[0] if codes else 550, "recipient") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise MailNotSent(
                f"SMTP login refused (code {exc.smtp_code})", smtp_code=exc.smtp_code
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise self._refusal(message_id, exc.smtp_code, "message") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailNotSent(
                f"SMTP server {self.host}:{self.port} unreachable ({type(exc).__name__})",
                reason=type(exc).__name__,
            ) from None
        log.info("mail %s sent (%s)", message_id, mail.language)
        return message_id

    def _refusal(self, message_id: str, code: int, what: str) -> MailNotSent:
        permanent = 500 <= code < 600
        cls = MailRejected if permanent else MailNotSent
        log.warning("mail %s: SMTP server refused the %s (code %d)", message_id, what, code)
        return cls(f"SMTP server refused the {what} (code {code})", smtp_code=code)


def make_mailer(settings: Settings) -> Mailer:
    """The SMTP mailer the settings describe (it refuses to send when no host is set)."""
    return SmtpMailer.from_settings(settings)
