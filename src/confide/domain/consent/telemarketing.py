"""Telemarketing rules: do-not-call lists (CEM-4) and calling hours (CEM-5).

- The internal do-not-call list: a number is never called from the moment the
  individual asks (whatever the business relationship), must be on the list
  within ``dnc_add_within_days`` (14) of the request and stays on it for
  ``dnc_keep_days`` (3 years and 14 days) from the request.
- The copy of the national do-not-call list used for a campaign must be at most
  ``national_dnc_max_age_days`` (31) days old; a number on it is called only with
  an express consent (stricter than the law's business-relationship exemption,
  whose durations are not rule values of the policy).
- Calls are placed only within calling hours in the recipient's local time:
  09:00-21:30 on weekdays, 10:00-18:00 on Saturdays and Sundays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from confide.domain.calendar import require_aware
from confide.domain.consent.events import DoNotCallRequested
from confide.domain.policy import CallingHours, LegalRules


def on_internal_list_until(entry: DoNotCallRequested, rules: LegalRules) -> datetime:
    """When the entry may leave the internal list: 3 years and 14 days after the request."""
    return entry.requested_at + timedelta(days=rules.dnc_keep_days)


def addition_due(entry: DoNotCallRequested, rules: LegalRules) -> datetime:
    """When the number must be on the internal list at the latest (14 days after the request)."""
    return entry.requested_at + timedelta(days=rules.dnc_add_within_days)


def internal_do_not_call(
    entries: Iterable[DoNotCallRequested],
    numbers: Iterable[str],
    at: datetime,
    rules: LegalRules,
) -> DoNotCallRequested | None:
    """The internal do-not-call entry that forbids calling any of ``numbers`` at ``at``, if any."""
    wanted = set(numbers)
    for entry in entries:
        if entry.phone_number in wanted and entry.requested_at <= at < on_internal_list_until(
            entry, rules
        ):
            return entry
    return None


def late_additions(
    entries: Iterable[DoNotCallRequested], at: datetime, rules: LegalRules
) -> tuple[DoNotCallRequested, ...]:
    """Requests not on the list in time (added late, or still missing at ``at``)."""
    late = []
    for entry in entries:
        due = addition_due(entry, rules)
        if (entry.added_at is not None and entry.added_at > due) or (
            entry.added_at is None and at > due
        ):
            late.append(entry)
    return tuple(late)


@dataclass(frozen=True, slots=True)
class NationalDoNotCallList:
    """A copy of the national do-not-call list, taken at ``taken_at``."""

    taken_at: datetime
    numbers: frozenset[str] = frozenset()

    def fresh_until(self, rules: LegalRules) -> datetime:
        return self.taken_at + timedelta(days=rules.national_dnc_max_age_days)

    def is_fresh(self, at: datetime, rules: LegalRules) -> bool:
        """At most ``national_dnc_max_age_days`` old at ``at`` (exactly 31 days old is fine)."""
        return self.taken_at <= at <= self.fresh_until(rules)

    def contains_any(self, numbers: Iterable[str]) -> bool:
        return any(n in self.numbers for n in numbers)


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True, slots=True)
class CallingWindow:
    start: datetime
    end: datetime


def _window_on(day_start: datetime, hours: CallingHours) -> CallingWindow:
    weekend = day_start.weekday() >= 5
    first = _hm(hours.weekend_start if weekend else hours.weekday_start)
    last = _hm(hours.weekend_end if weekend else hours.weekday_end)
    tz = day_start.tzinfo
    day = day_start.date()
    return CallingWindow(
        datetime.combine(day, first, tzinfo=tz), datetime.combine(day, last, tzinfo=tz)
    )


def calling_window(at: datetime, tz: ZoneInfo, hours: CallingHours) -> CallingWindow | None:
    """The calling window containing ``at`` in the recipient's zone (None outside hours)."""
    require_aware(at)
    local = at.astimezone(tz)
    window = _window_on(local, hours)
    if window.start <= local < window.end:
        return window
    return None


def next_calling_window(at: datetime, tz: ZoneInfo, hours: CallingHours) -> CallingWindow:
    """The calling window containing ``at``, or the next one to open."""
    require_aware(at)
    local = at.astimezone(tz)
    for offset in range(8):
        window = _window_on(local + timedelta(days=offset), hours)
        if local < window.end:
            return window
    raise AssertionError("unreachable: a calling window opens every day")  # pragma: no cover
