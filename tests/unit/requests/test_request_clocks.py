"""The legal clocks of a request, in calendar dates of the subject's time zone (ACC-1..3)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from confide.domain.errors import NotAllowed, ValidationFailed
from confide.domain.requests import clocks
from confide.domain.requests.model import (
    AccessRequest,
    Channel,
    Extension,
    RequestKind,
    RequestState,
)

TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = ZoneInfo("America/Vancouver")


def request(
    received: datetime,
    *,
    province: str = "ON",
    tz: str = "America/Toronto",
    state: RequestState = RequestState.RECEIVED,
    extension: Extension | None = None,
    reminders: tuple[int, ...] = (),
) -> AccessRequest:
    return AccessRequest(
        id="req_1",
        kind=RequestKind.ACCESS,
        channel=Channel.EMAIL,
        subject_id="sub_1",
        identifier_kind="email",
        received_at=received,
        due_on=clocks.due_date(received, ZoneInfo(tz)),
        time_zone=tz,
        province=province,
        language="en",
        state=state,
        recorded_by="agent",
        extension=extension,
        reminders_sent=reminders,
    )


def test_acc_1_due_thirty_calendar_days_after_receipt_across_a_month_end() -> None:
    assert clocks.due_date(datetime(2026, 1, 15, 15, 0, tzinfo=UTC), TORONTO) == date(2026, 2, 14)
    # January 31 + 30 days crosses February (28 days in 2026) into March.
    assert clocks.due_date(datetime(2026, 1, 31, 17, 0, tzinfo=UTC), TORONTO) == date(2026, 3, 2)


def test_acc_1_due_date_across_a_year_end() -> None:
    assert clocks.due_date(datetime(2026, 12, 15, 15, 0, tzinfo=UTC), TORONTO) == date(2027, 1, 14)


def test_acc_1_the_received_date_is_the_subjects_local_date() -> None:
    # 03:00 UTC on February 1 is still January 31 in Toronto and in Vancouver.
    at = datetime(2026, 2, 1, 3, 0, tzinfo=UTC)
    assert clocks.due_date(at, TORONTO) == date(2026, 3, 2)
    assert clocks.due_date(at, ZoneInfo("Europe/Paris")) == date(2026, 3, 3)


def test_acc_3_overdue_only_after_the_due_day_ends_locally() -> None:
    r = request(datetime(2026, 1, 31, 17, 0, tzinfo=UTC), tz="America/Vancouver", province="BC")
    assert r.due_on == date(2026, 3, 2)
    # 23:59 on March 2 in Vancouver is 07:59 UTC on March 3: not overdue yet.
    assert not clocks.is_overdue(r, datetime(2026, 3, 3, 7, 59, tzinfo=UTC))
    assert clocks.days_left(r, datetime(2026, 3, 3, 7, 59, tzinfo=UTC)) == 0
    assert clocks.is_overdue(r, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    assert clocks.days_left(r, datetime(2026, 3, 3, 8, 0, tzinfo=UTC)) == -1


def test_acc_3_a_closed_or_answered_request_is_never_overdue() -> None:
    r = request(datetime(2026, 1, 1, 17, 0, tzinfo=UTC), state=RequestState.RESPONDED)
    assert not clocks.is_overdue(r, datetime(2026, 6, 1, tzinfo=UTC))


def test_acc_2_federal_request_may_be_extended_once_by_up_to_thirty_days() -> None:
    r = request(datetime(2026, 1, 31, 17, 0, tzinfo=UTC))
    now = datetime(2026, 2, 20, tzinfo=UTC)
    clocks.check_extension(r, date(2026, 4, 1), now)  # March 2 + 30 days
    with pytest.raises(ValidationFailed):
        clocks.check_extension(r, date(2026, 4, 2), now)
    with pytest.raises(ValidationFailed):
        clocks.check_extension(r, date(2026, 3, 2), now)
    extended = r.but(extension=Extension(date(2026, 3, 20), "volume", now, "officer"))
    with pytest.raises(NotAllowed, match="already extended") as second:
        clocks.check_extension(extended, date(2026, 3, 25), now)
    assert second.value.rule == "ACC-2"
    assert extended.effective_due == date(2026, 3, 20)


def test_acc_2_quebec_request_cannot_be_extended() -> None:
    r = request(datetime(2026, 1, 31, 17, 0, tzinfo=UTC), province="QC")
    with pytest.raises(NotAllowed, match="Québec") as refused:
        clocks.check_extension(r, date(2026, 3, 20), datetime(2026, 2, 2, tzinfo=UTC))
    assert refused.value.rule == "ACC-2"


def test_acc_2_no_extension_once_the_first_deadline_has_passed() -> None:
    r = request(datetime(2026, 1, 31, 17, 0, tzinfo=UTC))
    after = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # March 3, 00:00 in Toronto
    with pytest.raises(NotAllowed, match="first deadline has passed"):
        clocks.check_extension(r, date(2026, 3, 20), after)


def test_reminders_at_seven_and_two_days_each_once() -> None:
    r = request(datetime(2026, 1, 1, 17, 0, tzinfo=UTC))  # due January 31
    assert clocks.reminders_due(r, datetime(2026, 1, 20, 12, tzinfo=UTC)) == ()
    assert clocks.reminders_due(r, datetime(2026, 1, 24, 12, tzinfo=UTC)) == (7,)
    sent7 = r.but(reminders_sent=(7,))
    assert clocks.reminders_due(sent7, datetime(2026, 1, 25, 12, tzinfo=UTC)) == ()
    assert clocks.reminders_due(sent7, datetime(2026, 1, 29, 12, tzinfo=UTC)) == (2,)
    assert (
        clocks.reminders_due(r.but(reminders_sent=(7, 2)), datetime(2026, 1, 30, tzinfo=UTC)) == ()
    )
    # overdue: no reminder, the deemed refusal takes over
    assert clocks.reminders_due(r, datetime(2026, 2, 2, tzinfo=UTC)) == ()
