"""CEM-2 / CON-5: 10 business days, federal and the subject's provincial holidays excluded."""

from __future__ import annotations

from datetime import date

import pytest
from consent_support import VANCOUVER, t

from confide.adapters.calendar import CanadianHolidayCalendar
from confide.domain.calendar import (
    add_business_days,
    business_days_between,
    is_business_day,
    zone_for,
)
from confide.domain.deadlines import Deadline

CALENDAR = CanadianHolidayCalendar()


class NoHolidays:
    def is_holiday(self, day: date, province: str) -> bool:
        return False


def test_weekends_are_not_business_days() -> None:
    friday = date(2026, 3, 6)
    assert add_business_days(friday, 1, "QC", NoHolidays()) == date(2026, 3, 9)
    assert add_business_days(friday, 10, "QC", NoHolidays()) == date(2026, 3, 20)
    assert add_business_days(friday, 0, "QC", NoHolidays()) == friday
    assert business_days_between(friday, date(2026, 3, 20), "QC", NoHolidays()) == 10


@pytest.mark.parametrize(
    ("province", "due"),
    [
        ("QC", date(2026, 7, 7)),  # Saint-Jean-Baptiste (June 24) and Canada Day skipped
        ("ON", date(2026, 7, 6)),  # only Canada Day skipped
    ],
)
def test_cem_2_saint_jean_baptiste_is_a_holiday_in_quebec_only(province: str, due: date) -> None:
    friday = date(2026, 6, 19)
    assert add_business_days(friday, 10, province, CALENDAR) == due


@pytest.mark.parametrize(
    ("province", "due"),
    [
        ("BC", date(2026, 8, 17)),  # British Columbia Day (Aug 3) is a public holiday
        ("ON", date(2026, 8, 14)),  # Ontario's Civic Holiday is not statutory
        ("QC", date(2026, 8, 14)),  # not a holiday in Québec
    ],
)
def test_cem_2_the_civic_holiday_counts_only_where_it_is_a_public_holiday(
    province: str, due: date
) -> None:
    friday = date(2026, 7, 31)
    assert add_business_days(friday, 10, province, CALENDAR) == due


def test_cem_2_christmas_boxing_day_and_new_year_are_skipped() -> None:
    # Dec 24 (1), Christmas, Boxing Day observed Mon Dec 28, 29-31 (2-4), New Year, Jan 4-8 (5-9),
    # Jan 11 (10).
    assert add_business_days(date(2026, 12, 23), 10, "QC", CALENDAR) == date(2027, 1, 11)


def test_federal_holidays_apply_in_every_province() -> None:
    remembrance_day = date(2026, 11, 11)
    assert CALENDAR.is_holiday(remembrance_day, "QC")  # federal, not a Québec holiday
    assert not is_business_day(remembrance_day, "ON", CALENDAR)
    assert CALENDAR.holiday_name(date(2026, 6, 24), "QC") is not None
    assert CALENDAR.holiday_name(date(2026, 6, 23), "QC") is None


def test_cem_2_the_deadline_is_the_end_of_the_tenth_business_day_in_local_time() -> None:
    # Received at 22:30 Vancouver on Friday June 19 (already Saturday in UTC).
    received = t("2026-06-19 22:30", VANCOUVER)
    deadline = Deadline.business_days(received, 10, "BC", CALENDAR, zone_for("BC").key).ends_at
    # BC: June 22..26 (5), June 29, 30 (7), Canada Day, July 2, 3, 6 (10).
    assert deadline == t("2026-07-07 00:00", VANCOUVER)
