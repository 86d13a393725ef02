"""The legal clocks of a request (ACC-1..3), counted in calendar days in the subject's calendar.

A request received on a local date D is due on D + 30 days and answered in time until the end
of that local day. A federal request may be extended once, by up to 30 days, only with a notice
sent before the first deadline; a Québec request may not be extended. Passing the (possibly
extended) deadline without a response is a deemed refusal.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from confide.domain.errors import NotAllowed, ValidationFailed
from confide.domain.requests.model import AccessRequest

RESPONSE_DAYS = 30
EXTENSION_MAX_DAYS = 30
REMINDER_DAYS: tuple[int, ...] = (7, 2)
"""Reminders go to the privacy officer when this many days (or fewer) are left."""


def local_date(at: datetime, tz: ZoneInfo) -> date:
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no local date")
    return at.astimezone(tz).date()


def due_date(received_at: datetime, tz: ZoneInfo, days: int = RESPONSE_DAYS) -> date:
    """The received local date plus ``days`` calendar days (ACC-1)."""
    return local_date(received_at, tz) + timedelta(days=days)


def deadline(due: date, tz: ZoneInfo) -> datetime:
    """The instant the due day ends in ``tz`` (exclusive): local midnight after it."""
    return datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=tz)


def days_left(request: AccessRequest, now: datetime) -> int:
    """Calendar days until the effective due date (0 on the day, negative once overdue)."""
    tz = ZoneInfo(request.time_zone)
    return (request.effective_due - local_date(now, tz)).days


def is_overdue(request: AccessRequest, now: datetime) -> bool:
    """Open, and its (possibly extended) deadline has passed (ACC-3)."""
    return request.is_open and now >= deadline(request.effective_due, ZoneInfo(request.time_zone))


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
    if request.extension is not None:
        raise NotAllowed("the request was already extended once", rule="ACC-2")
    if now >= deadline(request.due_on, ZoneInfo(request.time_zone)):
        raise NotAllowed(
            "the first deadline has passed: an extension needs a notice sent before it",
            rule="ACC-2",
        )
    if new_due <= request.due_on:
        raise ValidationFailed.single("new_due", "must be after the first due date")
    if new_due > request.due_on + timedelta(days=max_days):
        raise ValidationFailed.single(
            "new_due", f"an extension is at most {max_days} days after the first due date"
        )


def reminders_due(request: AccessRequest, now: datetime) -> tuple[int, ...]:
    """Reminder thresholds reached and not yet sent (an overdue request gets no reminder)."""
    if not request.is_open or is_overdue(request, now):
        return ()
    left = days_left(request, now)
    return tuple(d for d in REMINDER_DAYS if left <= d and d not in request.reminders_sent)
