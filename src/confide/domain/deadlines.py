"""A legal time limit, kept the same way by every register: due, reminded, extended, overdue, met.

A request must be answered within 30 days (ACC-1), a withdrawal honoured within ten business
days (CON-5, CEM-2), a notice sent after an emergency disclosure (DIS-2); breaches, complaints and
disposals bring their own. Each is a :class:`Deadline`:

* it **ends** at an instant: the end of a local day (``Deadline.end_of_day``: the period includes
  the whole due day, so a response at local midnight after it is late) or an instant that is
  itself still in time (``Deadline.by_instant``: "within 72 hours" of something);
* **reminders** fall when that many days or fewer are left (counted in the deadline's calendar),
  each once: the caller keeps which were sent;
* it may be **extended** once, by at most a given number of days, and only before it ends;
* it is **overdue** once it has ended unmet, **met** when done in time (``met_late`` after).

Pure: every check takes ``now``; nothing reads a clock. Local days come from
:mod:`confide.domain.calendar`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from confide.domain.calendar import (
    HolidayCalendar,
    add_business_days,
    end_of_local_day,
    local_date,
    require_aware,
)
from confide.domain.errors import NotAllowed, ValidationFailed


class DeadlineStatus(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class Deadline:
    """A time limit. Build one with :meth:`end_of_day`, :meth:`calendar_days`,
    :meth:`business_days` or :meth:`by_instant`."""

    ends_at: datetime
    """The instant the period ends."""
    inclusive: bool
    """Whether something done exactly at ``ends_at`` is still in time."""
    time_zone: str = "UTC"
    """The calendar its days are counted in (reminders, days left)."""
    reminders: tuple[int, ...] = ()
    """Days before the end at which to remind, largest first."""
    due_on: date | None = None
    """The local due day, for deadlines that end with a day."""
    extended_from: date | None = None
    """The original due day once extended (an extension happens once)."""

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def end_of_day(
        cls, due_on: date, time_zone: str, *, reminders: tuple[int, ...] = ()
    ) -> Deadline:
        """Due by the end of local day ``due_on`` (local midnight after it is late)."""
        tz = ZoneInfo(time_zone)
        return cls(end_of_local_day(due_on, tz), False, time_zone, reminders, due_on)

    @classmethod
    def calendar_days(
        cls, start: datetime, days: int, time_zone: str, *, reminders: tuple[int, ...] = ()
    ) -> Deadline:
        """``days`` calendar days after the local day of ``start`` (ACC-1's 30 days)."""
        require_aware(start, "start")
        due_on = local_date(start, ZoneInfo(time_zone)) + timedelta(days=days)
        return cls.end_of_day(due_on, time_zone, reminders=reminders)

    @classmethod
    def business_days(
        cls,
        start: datetime,
        count: int,
        province: str,
        calendar: HolidayCalendar,
        time_zone: str,
        *,
        reminders: tuple[int, ...] = (),
    ) -> Deadline:
        """The end of the ``count``-th business day after the local day of ``start`` (CON-5)."""
        require_aware(start, "start")
        tz = ZoneInfo(time_zone)
        due_on = add_business_days(local_date(start, tz), count, province, calendar)
        return cls.end_of_day(due_on, time_zone, reminders=reminders)

    @classmethod
    def by_instant(
        cls, ends_at: datetime, *, time_zone: str = "UTC", reminders: tuple[int, ...] = ()
    ) -> Deadline:
        """Due by ``ends_at`` itself (done at that instant is in time)."""
        require_aware(ends_at, "ends_at")
        return cls(ends_at, True, time_zone, reminders)

    # --- questions ----------------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def has_ended(self, now: datetime) -> bool:
        return now > self.ends_at if self.inclusive else now >= self.ends_at

    def in_time(self, done_at: datetime) -> bool:
        return not self.has_ended(done_at)

    def days_left(self, now: datetime) -> int:
        """Local calendar days until the due day (0 on the day, negative once past)."""
        last_day = self.due_on or local_date(self.ends_at, self.zone)
        return (last_day - local_date(now, self.zone)).days

    def status(self, now: datetime, done_at: datetime | None = None) -> DeadlineStatus:
        if done_at is not None:
            return DeadlineStatus.MET if self.in_time(done_at) else DeadlineStatus.MET_LATE
        return DeadlineStatus.OVERDUE if self.has_ended(now) else DeadlineStatus.OPEN

    def is_overdue(self, now: datetime, done_at: datetime | None = None) -> bool:
        return self.status(now, done_at) is DeadlineStatus.OVERDUE

    def reminders_due(self, now: datetime, already_sent: tuple[int, ...] = ()) -> tuple[int, ...]:
        """Reminder thresholds reached and not yet sent; none once the deadline has ended."""
        if self.has_ended(now):
            return ()
        left = self.days_left(now)
        return tuple(d for d in self.reminders if left <= d and d not in already_sent)

    # --- extension ----------------------------------------------------------------------------
    def extend(self, new_due: date, now: datetime, *, max_days: int, rule: str) -> Deadline:
        """This deadline moved to the end of ``new_due``, asked at ``now``; refused (naming
        ``rule``) once extended or ended, and never shorter or more than ``max_days`` later."""
        if self.due_on is None:
            raise NotAllowed("only a deadline that ends with a day can be extended", rule=rule)
        if self.extended_from is not None:
            raise NotAllowed("the deadline was already extended once", rule=rule)
        if self.has_ended(now):
            raise NotAllowed(
                "the first deadline has passed: an extension needs a notice sent before it",
                rule=rule,
            )
        if new_due <= self.due_on:
            raise ValidationFailed.single("new_due", "must be after the first due date")
        if new_due > self.due_on + timedelta(days=max_days):
            raise ValidationFailed.single(
                "new_due", f"an extension is at most {max_days} days after the first due date"
            )
        extended = Deadline.end_of_day(new_due, self.time_zone, reminders=self.reminders)
        return replace(extended, extended_from=self.due_on)
