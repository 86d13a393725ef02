"""The request lifecycle (ACC-1..11): one service combining the steps of the process.

Each public method is one transaction and writes its audit record in it. Mail (codes,
notices, reminders, escalations) goes through the ``Mailer`` port; in production that is the
queued mailer, so a message is a job with an idempotency key: enqueued twice, sent once.
"""

from __future__ import annotations

from confide.services.requests.base import INDIVIDUAL
from confide.services.requests.clocks import ClockSteps
from confide.services.requests.delivery import DeliverySteps
from confide.services.requests.intake import IntakeSteps
from confide.services.requests.response import ResponseSteps

__all__ = ["INDIVIDUAL", "RequestService"]


class RequestService(DeliverySteps, IntakeSteps, ClockSteps, ResponseSteps):
    """Intake, identity verification, clocks, fees, holds and the response of requests."""
