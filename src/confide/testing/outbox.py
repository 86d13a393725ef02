"""An outbox nudge that delivers at once, for tests that read what was sent right after a call.

Production nudges enqueue the ``outbox.deliver`` job; a test wires :class:`InlineOutbox` in its
place so the messages a use case just committed go through the real outbox path (claim, deliver,
record) before the call returns, with the delivery (and so the mailer) the test chooses::

    c.requests = c.requests_over(InlineOutbox.over(c.outbox, RecipientDelivery(FakeMailer())))
"""

from __future__ import annotations

from collections.abc import Sequence

from confide.domain.access import WORKER
from confide.services.outbox import OutboxService
from confide.services.ports.outbox import MessageDelivery


class InlineOutbox:
    """Implements ``OutboxNudge``: delivers the nudged messages now, in the caller's thread."""

    def __init__(self, outbox: OutboxService) -> None:
        self.outbox = outbox

    @classmethod
    def over(cls, outbox: OutboxService, delivery: MessageDelivery) -> InlineOutbox:
        """The same store and schedule as ``outbox``, delivering through ``delivery``."""
        return cls(OutboxService(outbox.ctx, outbox.sources, delivery, outbox.schedule))

    def nudge(self, message_ids: Sequence[str]) -> None:
        for message_id in message_ids:
            self.outbox.deliver_one(WORKER, message_id, worker="inline")
