"""CEM-4 (do-not-call lists) and CEM-5 (calling hours in the recipient's local time)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from consent_support import VANCOUVER, History, t

from confide.domain.consent import Decision, Reason, decide
from confide.domain.consent.events import DoNotCallRequested
from confide.domain.consent.state import SubjectState
from confide.domain.consent.telemarketing import (
    NationalDoNotCallList,
    addition_due,
    late_additions,
    on_internal_list_until,
)
from confide.domain.policy import LegalRules, Policy

NUMBER = "+15145550123"


def _caller(history: History) -> History:
    history.give("offers", t("2026-01-02 10:00"), channel="phone")
    history.purchase(t("2026-01-03 10:00"))
    return history


def _call(
    policy: Policy,
    state: SubjectState,
    at: datetime,
    national: NationalDoNotCallList | str | None = "fresh",
) -> Decision:
    """Place a call decision; by default with a national list copy taken the day before."""
    copy = (
        NationalDoNotCallList(taken_at=at - timedelta(days=1)) if national == "fresh" else national
    )
    assert not isinstance(copy, str)
    return decide(policy, state, "offers", ["contact"], "phone", at=at, national_dnc=copy)


def test_cem_4_a_number_on_the_internal_list_is_never_called_whatever_the_relationship(
    policy: Policy, history: History
) -> None:
    _caller(history)
    asked = history.do_not_call(NUMBER, t("2026-02-02 10:00"))
    state = history.state(phone_numbers=(NUMBER,))
    decision = _call(policy, state, t("2026-02-03 11:00"))
    assert decision.reasons == (Reason.DO_NOT_CALL,)
    assert decision.rule == "CEM-4"
    assert decision.relied_on == f"event:{asked.event_id}"
    other_number = history.state(phone_numbers=("+15145550999",))
    assert _call(policy, other_number, t("2026-02-03 11:00")).allowed


def test_cem_4_the_internal_entry_is_kept_three_years_and_fourteen_days(
    policy: Policy, history: History
) -> None:
    _caller(history)
    entry = history.do_not_call(NUMBER, t("2026-02-02 10:00"))
    assert on_internal_list_until(entry, policy.rules) == t("2029-02-15 10:00")
    state = history.state(phone_numbers=(NUMBER,))
    still_listed = _call(policy, state, t("2029-02-14 11:00"))
    assert still_listed.reasons == (Reason.DO_NOT_CALL,)
    assert _call(policy, state, t("2029-02-15 11:00")).allowed


def test_cem_4_a_request_must_be_on_the_internal_list_within_fourteen_days() -> None:
    rules = LegalRules()
    on_time = DoNotCallRequested("d1", "s", NUMBER, t("2026-03-01 10:00"), t("2026-03-15 10:00"))
    late = DoNotCallRequested("d2", "s", NUMBER, t("2026-03-01 10:00"), t("2026-03-15 10:01"))
    missing = DoNotCallRequested("d3", "s", NUMBER, t("2026-03-01 10:00"))
    assert addition_due(on_time, rules) == t("2026-03-15 10:00")
    assert late_additions([on_time, late, missing], t("2026-03-10"), rules) == (late,)
    assert late_additions([on_time, late, missing], t("2026-03-16"), rules) == (late, missing)


def test_cem_4_the_national_list_copy_must_be_at_most_31_days_old(
    policy: Policy, history: History
) -> None:
    state = _caller(history).state()
    copy = NationalDoNotCallList(taken_at=t("2026-02-01 09:00"))
    on_day_31 = _call(policy, state, t("2026-03-04 09:00"), copy)
    assert on_day_31.allowed
    assert on_day_31.valid_until == t("2026-03-04 09:00")
    day_30 = _call(policy, state, t("2026-03-03 15:00"), copy)
    assert day_30.allowed and day_30.valid_until == t("2026-03-03 21:30")  # calling hours end
    stale = _call(policy, state, t("2026-03-04 09:01"), copy)
    assert stale.reasons == (Reason.NATIONAL_DNC_LIST_STALE,)
    missing = _call(policy, state, t("2026-02-03 11:00"), None)
    assert missing.reasons == (Reason.NATIONAL_DNC_LIST_STALE,)


@pytest.mark.parametrize(
    ("local", "allowed"),
    [
        ("2026-03-04 08:59", False),  # Wednesday
        ("2026-03-04 09:00", True),
        ("2026-03-04 21:29", True),
        ("2026-03-04 21:30", False),
        ("2026-03-07 09:30", False),  # Saturday
        ("2026-03-07 10:00", True),
        ("2026-03-08 17:59", True),  # Sunday
        ("2026-03-08 18:00", False),
    ],
)
def test_cem_5_calling_hours_are_9_to_21_30_on_weekdays_and_10_to_18_on_weekends(
    policy: Policy, history: History, local: str, allowed: bool
) -> None:
    state = _caller(history).state()
    decision = _call(policy, state, t(local))
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reasons == (Reason.OUTSIDE_CALLING_HOURS,)
        assert decision.rule == "CEM-5"


def test_cem_5_calling_hours_are_the_recipients_local_time(
    policy: Policy, history: History
) -> None:
    state = _caller(history).state(province="BC")
    assert not _call(policy, state, t("2026-03-04 11:59")).allowed  # 08:59 in Vancouver
    allowed = _call(policy, state, t("2026-03-04 12:00"))
    assert allowed.allowed
    assert allowed.valid_until == t("2026-03-04 21:30", VANCOUVER)


def test_cem_5_a_refusal_outside_hours_holds_until_the_next_window_opens(
    policy: Policy, history: History
) -> None:
    state = _caller(history).state()
    friday_night = _call(policy, state, t("2026-03-06 22:00"))
    assert friday_night.valid_until == t("2026-03-07 10:00")
    assert friday_night.valid_until - t("2026-03-06 22:00") == timedelta(hours=12)


def test_cem_4_a_number_on_the_national_list_is_called_only_with_express_consent(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2026-01-03 10:00"))
    at = t("2026-02-03 11:00")
    national = NationalDoNotCallList(taken_at=t("2026-02-01 08:00"), numbers=frozenset({NUMBER}))
    listed = history.state(phone_numbers=(NUMBER,))
    decision = decide(
        policy, listed, "marketing", ["contact"], "phone", at=at, national_dnc=national
    )
    assert decision.reasons == (Reason.NATIONAL_DO_NOT_CALL,) and decision.rule == "CEM-4"
    unlisted = history.state(phone_numbers=("+15145550999",))
    assert decide(
        policy, unlisted, "marketing", ["contact"], "phone", at=at, national_dnc=national
    ).allowed
    history.give("marketing", t("2026-01-04 10:00"), channel="phone")
    with_express = history.state(phone_numbers=(NUMBER,))
    assert decide(
        policy, with_express, "marketing", ["contact"], "phone", at=at, national_dnc=national
    ).allowed
