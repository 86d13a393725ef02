"""Mail jobs: ``mail.send`` sends one message given in the job's payload.

Nothing enqueues it any more: every message goes through the outbox (``outbox.deliver``). It
stays registered so that messages a previous version put on the queue before an upgrade are
still sent (and a dead one can still be retried); remove it once no queue can hold one.
"""

from __future__ import annotations

from confide.jobs.registry import JobContext, JobRegistry
from confide.services.ports.mail import OutgoingMail


def send(ctx: JobContext, payload: dict[str, object]) -> None:
    """Send one queued message over SMTP; its Message-ID stays the same across retries."""
    ctx.mailer.send(OutgoingMail.from_payload(payload))


def register(registry: JobRegistry) -> None:
    # 8 attempts over about two hours (1, 2, 4, ... minutes, capped at an hour).
    registry.job("mail.send", max_attempts=8, backoff_seconds=60.0)(send)
