"""One Deadline for every legal clock: due, reminders, extension, overdue, met."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from confide.adapters.calendar import CanadianHolidayCalendar
from confide.domain.calendar import NaiveTimestamp
from confide.domain.deadlines import Deadline, DeadlineStatus
from confide.domain.errors import NotAllowed, ValidationFailed

TORONTO = "America/Toronto"


def test_a_day_deadline_includes_the_whole_local_due_day() -> None:
    d = Deadline.end_of_day(date(2026, 3, 2), TORONTO)
    assert d.ends_at == datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # local midnight after March 2
    assert not d.has_ended(datetime(2026, 3, 3, 4, 59, 59, tzinfo=UTC))
    assert d.has_ended(datetime(2026, 3, 3, 5, 0, tzinfo=UTC))
    assert d.status(datetime(2026, 3, 3, 5, 0, tzinfo=UTC)) is DeadlineStatus.OVERDUE


def test_calendar_days_count_from_the_local_day_of_the_start() -> None:
    # 23:30 in Toronto on Jan 31 is already Feb 1 in UTC: the local day counts.
    start = datetime(2026, 2, 1, 4, 30, tzinfo=UTC)
    assert Deadline.calendar_days(start, 30, TORONTO).due_on == date(2026, 3, 2)
    assert Deadline.calendar_days(start, 30, "Europe/Paris").due_on == date(2026, 3, 3)


def test_business_days_skip_weekends_and_the_provinces_holidays() -> None:
    # Tuesday June 23, 2026 in Québec: June 24 (Saint-Jean) and the weekend are not counted.
    start = datetime(2026, 6, 23, 16, 0, tzinfo=UTC)
    d = Deadline.business_days(start, 3, "QC", CanadianHolidayCalendar(), TORONTO)
    assert d.due_on == date(2026, 6, 29)
    in_ontario = Deadline.business_days(start, 3, "ON", CanadianHolidayCalendar(), TORONTO)
    assert in_ontario.due_on == date(2026, 6, 26)


def test_an_instant_deadline_is_still_met_at_that_instant() -> None:
    due = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    d = Deadline.by_instant(due)
    assert d.status(due) is DeadlineStatus.OPEN
    assert d.status(due + timedelta(microseconds=1)) is DeadlineStatus.OVERDUE
    assert d.status(due + timedelta(days=9), done_at=due) is DeadlineStatus.MET
    assert d.status(due, done_at=due + timedelta(seconds=1)) is DeadlineStatus.MET_LATE


def test_a_naive_start_is_refused_because_it_belongs_to_no_calendar() -> None:
    with pytest.raises(NaiveTimestamp):
        Deadline.calendar_days(datetime(2026, 1, 1), 30, TORONTO)
    with pytest.raises(NaiveTimestamp):
        Deadline.by_instant(datetime(2026, 1, 1))


def test_reminders_fall_once_each_when_that_many_days_or_fewer_are_left() -> None:
    d = Deadline.end_of_day(date(2026, 1, 31), TORONTO, reminders=(7, 2))
    assert d.days_left(datetime(2026, 1, 20, 17, tzinfo=UTC)) == 11
    assert d.reminders_due(datetime(2026, 1, 20, 17, tzinfo=UTC)) == ()
    assert d.reminders_due(datetime(2026, 1, 24, 17, tzinfo=UTC)) == (7,)
    assert d.reminders_due(datetime(2026, 1, 29, 17, tzinfo=UTC)) == (7, 2)
    assert d.reminders_due(datetime(2026, 1, 29, 17, tzinfo=UTC), already_sent=(7,)) == (2,)
    assert d.reminders_due(datetime(2026, 2, 1, 6, tzinfo=UTC)) == ()  # ended: too late


def test_an_extension_happens_once_before_the_end_and_within_its_limit() -> None:
    d = Deadline.end_of_day(date(2026, 3, 2), TORONTO, reminders=(7, 2))
    now = datetime(2026, 2, 20, tzinfo=UTC)
    extended = d.extend(date(2026, 4, 1), now, max_days=30, rule="ACC-2")
    assert extended.due_on == date(2026, 4, 1)
    assert extended.extended_from == date(2026, 3, 2)
    assert extended.reminders == (7, 2)
    with pytest.raises(NotAllowed, match="already extended") as again:
        extended.extend(date(2026, 4, 1), now, max_days=30, rule="ACC-2")
    assert again.value.fields["rule"] == "ACC-2"
    with pytest.raises(ValidationFailed):
        d.extend(date(2026, 4, 2), now, max_days=30, rule="ACC-2")
    with pytest.raises(ValidationFailed):
        d.extend(date(2026, 3, 2), now, max_days=30, rule="ACC-2")
    with pytest.raises(NotAllowed, match="first deadline has passed"):
        d.extend(date(2026, 3, 20), datetime(2026, 3, 3, 5, tzinfo=UTC), max_days=30, rule="X")


def test_an_instant_deadline_cannot_be_extended_by_days() -> None:
    d = Deadline.by_instant(datetime(2026, 5, 1, tzinfo=UTC))
    with pytest.raises(NotAllowed):
        d.extend(date(2026, 5, 9), datetime(2026, 4, 1, tzinfo=UTC), max_days=30, rule="X")
