"""Time for the legal clocks: a person's or the company's local calendar, business days, windows.

Every legal period Confide keeps (a request's 30 days, a CASL window of two years, ten business
days to honour a withdrawal, an emergency notice's deadline) is counted on a local calendar —
the subject's own time zone, else their province's — and turned back into an instant at local
midnight. Which days are holidays is a question for a :class:`HolidayCalendar` (the domain
stays standard-library only; ``confide.adapters.calendar`` answers it with the maintained
``holidays`` package: federal plus the province's). A business day is a Monday to Friday that
is not a holiday where the subject lives; a period of N business days from a request on day D
ends with the N-th business day after D.

Deadlines themselves (due, reminders, extension, met) are :mod:`confide.domain.deadlines`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from confide.domain.errors import NotFound, ValidationFailed


class UnknownProvince(NotFound):
    def __init__(self, province: str) -> None:
        super().__init__("province", province)


class NaiveTimestamp(ValidationFailed):
    """A time without a UTC offset: legal windows cannot be placed in anyone's calendar."""

    def __init__(self, field: str) -> None:
        problem = "must carry a time zone (UTC offset)"
        super().__init__(f"{field}: {problem}")
        self.field = field


PROVINCE_TIME_ZONES: dict[str, str] = {
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "MB": "America/Winnipeg",
    "NB": "America/Moncton",
    "NL": "America/St_Johns",
    "NS": "America/Halifax",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
    "ON": "America/Toronto",
    "PE": "America/Halifax",
    "QC": "America/Toronto",
    "SK": "America/Regina",
    "YT": "America/Whitehorse",
}
"""The province's most populous zone; a subject may carry its own ``time_zone`` instead."""


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_for(province: str, time_zone: str | None = None) -> ZoneInfo:
    """The subject's time zone: its own, else its province's."""
    if time_zone:
        return zone(time_zone)
    try:
        return zone(PROVINCE_TIME_ZONES[province])
    except KeyError:
        raise UnknownProvince(province) from None


def require_aware(at: datetime, field: str = "at") -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveTimestamp(field)


def local_date(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


_MIDNIGHT = time(0, 0)


def start_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The instant local midnight begins ``day`` in ``tz``."""
    return datetime.combine(day, _MIDNIGHT, tzinfo=tz)


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The instant ``day`` ends in ``tz`` (exclusive): local midnight of the next day."""
    return start_of_local_day(day + timedelta(days=1), tz)


def add_months(day: date, months: int) -> date:
    """Same day of month ``months`` later, clamped to the month's end (Aug 31 + 6: Feb 28/29)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")  # pragma: no cover


def window_last_day(start: date, days: int | None, months: int | None) -> date:
    """The last local day of a window of ``days`` (or ``months``, whichever ends first)
    opened on ``start``: an event on day D with 730 days covers D..D+730."""
    if months is None and days is not None:
        return start + timedelta(days=days)
    candidates: list[date] = []
    if days is not None:
        candidates.append(start + timedelta(days=days))
    if months is not None:
        candidates.append(add_months(start, months))
    if not candidates:
        raise ValueError("a window needs days or months")
    return min(candidates)


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
