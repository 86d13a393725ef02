"""Use cases of access, correction and portability requests (ACC-1..11).

``RequestService`` owns the request lifecycle: intake (staff and public), identity
verification (one-time codes over mail, agents' checks), the legal clocks (due dates, the
one federal extension, reminders, deemed refusals), fees, legal holds, and the response
(the prepared file from the access-file service, corrections through the corrections service,
refusals in writing).
"""

from confide.services.requests.commands import (
    IntakeReceipt,
    RequestRow,
    RequestSettings,
    SubmitRequest,
    TickReport,
)
from confide.services.requests.service import INDIVIDUAL, RequestService

__all__ = [
    "INDIVIDUAL",
    "IntakeReceipt",
    "RequestRow",
    "RequestService",
    "RequestSettings",
    "SubmitRequest",
    "TickReport",
]
