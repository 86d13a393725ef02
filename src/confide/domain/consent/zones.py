"""Local time for a subject: province -> IANA time zone, and local-day boundaries.

Legal windows (CASL, calling hours, business-day deadlines) are counted in the
subject's local calendar, so day arithmetic happens on local dates and is turned
back into an instant at local midnight.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from confide.domain.consent.errors import NaiveTimestamp, UnknownProvince

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
