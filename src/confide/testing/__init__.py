"""Test doubles shipped with the package, for fast unit tests of code that uses Confide.

They imitate the ports in ``confide.services.ports``; every adapter also has
integration tests against the real thing (SQLite, PostgreSQL, SMTP, Redis).
"""

from confide.testing.clock import FakeClock
from confide.testing.mail import FakeMailer
from confide.testing.outbox import InlineOutbox
from confide.testing.uow import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = [
    "FakeClock",
    "FakeMailer",
    "InMemoryUnitOfWork",
    "InMemoryUnitOfWorkFactory",
    "InlineOutbox",
]
