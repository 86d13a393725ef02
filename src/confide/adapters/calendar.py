"""Holiday calendar backed by the maintained ``holidays`` package.

Implements ``confide.domain.calendar.HolidayCalendar``: a day is a
holiday for a province when it is a federal statutory holiday (the federal
government's list: Victoria Day, National Day for Truth and Reconciliation,
Remembrance Day, Boxing Day...) or a public holiday of that province (Saint-Jean-
Baptiste in Québec, British Columbia Day...). Optional days a province does not
make statutory (Ontario's Civic Holiday, Easter Monday) are business days.
"""

from __future__ import annotations

from datetime import date

import holidays


class CanadianHolidayCalendar:
    """Federal plus provincial public holidays, computed by ``holidays`` and cached per year."""

    def __init__(self) -> None:
        self._federal: dict[int, holidays.HolidayBase] = {}
        self._provincial: dict[tuple[str, int], holidays.HolidayBase] = {}

    def _federal_for(self, year: int) -> holidays.HolidayBase:
        found = self._federal.get(year)
        if found is None:
            found = holidays.country_holidays("CA", years=year, categories=(holidays.GOVERNMENT,))
            self._federal[year] = found
        return found

    def _provincial_for(self, province: str, year: int) -> holidays.HolidayBase:
        key = (province, year)
        found = self._provincial.get(key)
        if found is None:
            found = holidays.country_holidays("CA", subdiv=province, years=year)
            self._provincial[key] = found
        return found

    def is_holiday(self, day: date, province: str) -> bool:
        return day in self._federal_for(day.year) or day in self._provincial_for(province, day.year)

    def holiday_name(self, day: date, province: str) -> str | None:
        """The holiday's name (for explanations), or None on an ordinary day."""
        name = self._provincial_for(province, day.year).get(day)
        if name is None:
            name = self._federal_for(day.year).get(day)
        return name
