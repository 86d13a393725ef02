"""A subject's consent state is derived from its events (CON-1: never overwritten)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from consent_support import History, t

from confide.domain.calendar import NaiveTimestamp, add_months
from confide.domain.consent import Reason, decide, derive_state
from confide.domain.consent.events import (
    ConsentExpired,
    ConsentRenewed,
    ConsentWithdrawn,
    SubjectProfile,
)
from confide.domain.consent.state import UnknownConsent
from confide.domain.policy import Policy


def test_con_1_a_renewal_carries_a_consent_past_its_first_expiry(
    policy: Policy, history: History
) -> None:
    given = history.give("credit_check", t("2026-01-10 10:00"), expires_at=t("2026-02-01 00:00"))
    renewal = ConsentRenewed(
        "renewal-1", "s-1", given.event_id, t("2026-01-25 10:00"), "portal", "2026.1",
        expires_at=t("2026-12-31 00:00"),
    )  # fmt: skip
    history.events.append(renewal)
    decision = decide(policy, history.state(), "credit_check", ["credit"], at=t("2026-03-01"))
    assert decision.allowed
    assert decision.relied_on == "consent:renewal-1"
    assert decision.valid_until == t("2026-12-31 00:00")


def test_con_1_an_expired_event_ends_a_consent_without_an_expiry_date(
    policy: Policy, history: History
) -> None:
    given = history.give("credit_check", t("2026-01-10 10:00"))
    history.events.append(ConsentExpired("exp-1", "s-1", given.event_id, t("2026-02-01 00:00")))
    state = history.state()
    assert decide(policy, state, "credit_check", ["credit"], at=t("2026-01-31")).allowed
    after = decide(policy, state, "credit_check", ["credit"], at=t("2026-02-02"))
    assert after.reasons == (Reason.CONSENT_EXPIRED,)


def test_a_renewal_of_a_consent_not_in_the_history_is_refused() -> None:
    renewal = ConsentRenewed("r", "s", "missing", t("2026-01-25 10:00"), "portal", "2026.1")
    with pytest.raises(UnknownConsent):
        derive_state(SubjectProfile("s"), [renewal])


def test_con_5_at_the_same_instant_a_withdrawal_prevails_whatever_the_order_recorded(
    policy: Policy, history: History
) -> None:
    same = t("2026-02-01 10:00")
    given = history.give("credit_check", same)
    withdrawn = ConsentWithdrawn("w-1", "s-1", "credit_check", same, "portal")
    profile = SubjectProfile("s-1")
    give_then_withdraw = derive_state(profile, [given, withdrawn])
    withdraw_then_give = derive_state(profile, [withdrawn, given])
    at = t("2026-02-02")
    for state in (give_then_withdraw, withdraw_then_give):
        decision = decide(policy, state, "credit_check", ["credit"], at=at)
        assert decision.reasons == (Reason.CONSENT_WITHDRAWN,)


def test_an_event_time_without_an_offset_is_refused(history: History) -> None:
    history.give("credit_check", datetime(2026, 1, 10, 10, 0))
    with pytest.raises(NaiveTimestamp):
        history.state()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 15), 6, date(2025, 9, 15)),
        (date(2025, 10, 30), 4, date(2026, 2, 28)),
    ],
)
def test_month_windows_end_on_the_same_day_or_the_end_of_a_shorter_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_a_decision_is_json_ready_with_both_languages(policy: Policy, history: History) -> None:
    history.register(t("2026-01-05 10:00"))
    decision = decide(
        policy, history.state(language="fr"), "service", ["contact"], at=t("2026-02-01")
    )
    payload = json.loads(json.dumps(decision.to_dict()))
    assert payload["allowed"] is True
    assert payload["explanation"] == payload["explanation_fr"]
    assert payload["explanation_en"].startswith("Allowed")
    assert payload["relied_on"].startswith("event:")
