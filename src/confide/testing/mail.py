"""A mailer that keeps what it is given, for unit tests of code that sends mail."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from confide.domain.errors import ConfideError
from confide.services.ports.mail import OutgoingMail


class FakeMailFailure(ConfideError):
    code = "mail_not_sent"
    title = "Mail not sent (fake)"


@dataclass
class FakeMailer:
    """Imitates :class:`~confide.services.ports.Mailer`: ``sent`` lists every message accepted.

    ``fail_next(n)`` makes the next ``n`` sends raise (as an unreachable server would).
    """

    sent: list[OutgoingMail] = field(default_factory=list)
    _failures: int = 0
    _counter: int = 0

    def send(self, mail: OutgoingMail) -> str:
        if self._failures > 0:
            self._failures -= 1
            raise FakeMailFailure("the fake SMTP server is down")
        self._counter += 1
        message_id = mail.message_id or f"fake-{self._counter}@confide.test"
        self.sent.append(replace(mail, message_id=message_id))
        return message_id

    def fail_next(self, n: int = 1) -> None:
        self._failures = n

    def to(self, address: str) -> list[OutgoingMail]:
        """The messages sent to ``address``."""
        return [m for m in self.sent if m.to == address]
