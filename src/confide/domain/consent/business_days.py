"""Business-day arithmetic for legal deadlines (CEM-2 unsubscribes, CON-5 withdrawals).

A business day is a Monday to Friday that is not a holiday where the subject
lives. Which days are holidays is a question for a :class:`HolidayCalendar`
(the domain stays standard-library only; ``confide.adapters.calendar`` answers
it with the maintained ``holidays`` package: federal plus the subject's
province). Deadlines are counted on the subject's local calendar from the day
after the request: a request on day D with 10 business days is due by the end
of the 10th business day after D.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from confide.domain.consent.zones import end_of_local_day, local_date, require_aware


class HolidayCalendar(Protocol):
    """Tells whether a day is a holiday for a province (federal holidays included)."""

    def is_holiday(self, day: date, province: str) -> bool: ...


def is_business_day(day: date, province: str, calendar: HolidayCalendar) -> bool:
    return day.weekday() < 5 and not calendar.is_holiday(day, province)


def add_business_days(day: date, count: int, province: str, calendar: HolidayCalendar) -> date:
    """The ``count``-th business day after ``day`` (``count`` >= 0; 0 gives ``day`` itself)."""
    if count < 0:
        raise ValueError("count must be zero or more")
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current, province, calendar):
            remaining -= 1
    return current


def business_days_between(start: date, end: date, province: str, calendar: HolidayCalendar) -> int:
    """Business days in (start, end]: how many have passed since ``start`` by ``end``."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current, province, calendar):
            count += 1
    return count


def business_day_deadline(
    received_at: datetime,
    count: int,
    province: str,
    calendar: HolidayCalendar,
    tz: ZoneInfo,
) -> datetime:
    """The instant a ``count``-business-day period from ``received_at`` ends (exclusive):
    local midnight after the ``count``-th business day following the day it was received."""
    require_aware(received_at, "received_at")
    due_day = add_business_days(local_date(received_at, tz), count, province, calendar)
    return end_of_local_day(due_day, tz)
