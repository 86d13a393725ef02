"""The legal clocks of a request (ACC-1..3), counted in calendar days in the subject's calendar.

A request received on a local date D is due on D + 30 days and answered in time until the end
of that local day. A federal request may be extended once, by up to 30 days, only with a notice
sent before the first deadline; a Québec request may not be extended. Passing the (possibly
extended) deadline without a response is a deemed refusal.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from confide.domain.calendar import local_date, require_aware
from confide.domain.deadlines import Deadline
from confide.domain.errors import NotAllowed
from confide.domain.requests.model import AccessRequest

RESPONSE_DAYS = 30
EXTENSION_MAX_DAYS = 30
REMINDER_DAYS: tuple[int, ...] = (7, 2)
"""Reminders go to the privacy officer when this many days (or fewer) are left."""


def due_date(received_at: datetime, tz: ZoneInfo, days: int = RESPONSE_DAYS) -> date:
    """The received local date plus ``days`` calendar days (ACC-1)."""
    require_aware(received_at, "received_at")
    return local_date(received_at, tz) + timedelta(days=days)


def request_deadline(request: AccessRequest) -> Deadline:
    """The request's (possibly extended) deadline, with the officer's reminders."""
    first = Deadline.end_of_day(request.due_on, request.time_zone, reminders=REMINDER_DAYS)
    if request.extension is None:
        return first
    return replace(
        Deadline.end_of_day(request.effective_due, request.time_zone, reminders=REMINDER_DAYS),
        extended_from=request.due_on,
    )


def days_left(request: AccessRequest, now: datetime) -> int:
    """Calendar days until the effective due date (0 on the day, negative once overdue)."""
    return request_deadline(request).days_left(now)


def is_overdue(request: AccessRequest, now: datetime) -> bool:
    """Open, and its (possibly extended) deadline has passed (ACC-3)."""
    return request.is_open and request_deadline(request).has_ended(now)


def check_extension(
    request: AccessRequest,
    new_due: date,
    now: datetime,
    *,
    max_days: int = EXTENSION_MAX_DAYS,
    allowed_federal: bool = True,
    allowed_quebec: bool = False,
) -> None:
    """Raise unless ``request`` may be extended to ``new_due`` now, the notice going out now (ACC-2)."""
    allowed = allowed_quebec if request.is_quebec else allowed_federal
    if not allowed:
        raise NotAllowed(
            "a request from a Québec subject cannot be extended: the response is due within "
            "30 days",
            rule="ACC-2",
        )
    request_deadline(request).extend(new_due, now, max_days=max_days, rule="ACC-2")


def reminders_due(request: AccessRequest, now: datetime) -> tuple[int, ...]:
    """Reminder thresholds reached and not yet sent (an overdue request gets no reminder)."""
    if not request.is_open:
        return ()
    return request_deadline(request).reminders_due(now, request.reminders_sent)
