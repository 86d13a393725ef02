"""The request lifecycle (ACC-1..11): one service combining the steps of the process.

Each public method is one transaction and writes its audit record in it. Messages (codes,
notices, refusals, reminders, escalations) are added to the outbox in that transaction under an
idempotency key: added twice, sent once; rolled back, never sent.
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
