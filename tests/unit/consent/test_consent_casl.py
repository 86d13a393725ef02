"""CEM-1: implied consent to commercial electronic messages within the CASL windows."""

from __future__ import annotations

from consent_support import VANCOUVER, History, make_policy, purpose, t, trigger, with_rules

from confide.domain.consent import Reason, decide
from confide.domain.policy import ConsentMode, Policy


def test_cem_1_implied_consent_holds_through_day_730_after_a_purchase(
    policy: Policy, history: History
) -> None:
    bought = history.purchase(t("2024-03-10 14:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2026-03-10 23:59")
    )
    assert decision.allowed
    assert decision.reasons == (Reason.IMPLIED_CONSENT,)
    assert decision.rule == "CEM-1"
    assert decision.relied_on == f"event:{bought.event_id}"
    assert decision.valid_until == t("2026-03-11 00:00")


def test_cem_1_implied_consent_ends_after_day_730_from_purchase(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2024-03-10 14:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2026-03-11 00:00")
    )
    assert not decision.allowed
    assert decision.reasons == (Reason.IMPLIED_WINDOW_EXPIRED,)
    assert decision.rule == "CEM-1"


def test_cem_1_window_after_the_end_of_a_contract_is_730_days(
    policy: Policy, history: History
) -> None:
    from confide.domain.consent.events import RelationshipKind

    history.relationship(RelationshipKind.CONTRACT_END, t("2025-01-31 09:00"))
    state = history.state()
    assert decide(
        policy, state, "marketing", ["contact"], "email", at=t("2027-01-31 12:00")
    ).allowed
    assert not decide(
        policy, state, "marketing", ["contact"], "email", at=t("2027-02-01 00:00")
    ).allowed


def test_cem_1_inquiry_implies_consent_for_six_months_clamped_to_month_end(
    policy: Policy, history: History
) -> None:
    history.inquiry(t("2025-08-31 10:00"))
    state = history.state()
    inside = decide(policy, state, "marketing", ["contact"], "sms", at=t("2026-02-28 20:00"))
    after = decide(policy, state, "marketing", ["contact"], "sms", at=t("2026-03-01 00:00"))
    assert inside.allowed and inside.valid_until == t("2026-03-01 00:00")
    assert after.reasons == (Reason.IMPLIED_WINDOW_EXPIRED,)


def test_cem_1_an_inquiry_after_a_purchase_does_not_shorten_the_purchase_window(
    policy: Policy, history: History
) -> None:
    bought = history.purchase(t("2025-01-15 12:00"))
    history.inquiry(t("2025-06-01 12:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2026-06-01 12:00")
    )
    assert decision.allowed
    assert decision.relied_on == f"event:{bought.event_id}"
    assert decision.valid_until == t("2027-01-16 00:00")


def test_cem_1_an_inquiry_after_a_purchase_carries_consent_past_the_purchase_window(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2023-01-10 12:00"))
    asked = history.inquiry(t("2024-12-01 12:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2025-03-01 12:00")
    )
    assert decision.allowed
    assert decision.relied_on == f"event:{asked.event_id}"
    assert decision.valid_until == t("2025-06-02 00:00")


def test_cem_1_each_new_purchase_restarts_the_window(policy: Policy, history: History) -> None:
    history.purchase(t("2022-05-01 12:00"))
    again = history.purchase(t("2024-04-20 12:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2025-05-01 12:00")
    )
    assert decision.allowed
    assert decision.relied_on == f"event:{again.event_id}"


def test_cem_1_window_is_counted_on_the_subjects_local_calendar(history: History) -> None:
    policy = make_policy()
    # 23:30 in Vancouver on March 10 is already March 11 in Montréal.
    history.purchase(t("2024-03-10 23:30", VANCOUVER))
    in_bc = history.state(province="BC")
    in_qc = history.state(province="QC")
    late_day_731 = t("2026-03-11 08:00", VANCOUVER)
    assert not decide(policy, in_bc, "marketing", ["contact"], "email", at=late_day_731).allowed
    assert decide(policy, in_qc, "marketing", ["contact"], "email", at=late_day_731).allowed
    bc = decide(
        policy, in_bc, "marketing", ["contact"], "email", at=t("2026-03-10 22:00", VANCOUVER)
    )
    assert bc.valid_until == t("2026-03-11 00:00", VANCOUVER)


def test_cem_1_express_consent_lasts_until_withdrawn(policy: Policy, history: History) -> None:
    given = history.give("marketing", t("2020-01-01 12:00"), channel="email")
    state = history.state()
    decision = decide(policy, state, "marketing", ["contact"], "email", at=t("2035-01-01 12:00"))
    assert decision.allowed and decision.reasons == (Reason.EXPRESS_CONSENT,)
    assert decision.relied_on == f"consent:{given.event_id}"
    assert decision.valid_until is None
    history.withdraw("marketing", t("2035-02-01 12:00"), channel="email")
    later = decide(policy, history.state(), "marketing", ["contact"], "email", at=t("2035-03-01"))
    assert later.reasons == (Reason.CONSENT_WITHDRAWN,)


def test_cem_1_window_values_come_from_the_policy_rules(history: History) -> None:
    policy = with_rules(make_policy(), casl_purchase_window_days=365)
    history.purchase(t("2025-01-10 12:00"))
    state = history.state()
    at = t("2026-02-15 12:00")
    email = decide(policy, state, "marketing", ["contact"], "email", at=at)
    mail = decide(policy, state, "marketing", ["contact"], "mail", at=at)
    assert email.reasons == (Reason.IMPLIED_WINDOW_EXPIRED,)
    assert mail.allowed  # postal mail is not a CEM: the trigger's own 730 days apply


def test_cem_1_a_registration_alone_implies_no_consent_to_electronic_messages(
    history: History,
) -> None:
    newsletter = purpose(
        "newsletter",
        ConsentMode.IMPLIED,
        ("contact",),
        marketing=True,
        channels=("email", "mail"),
        implied_by=(trigger("registration"),),
    )
    policy = make_policy(extra_purposes=[newsletter])
    history.register(t("2026-01-05 10:00"))
    state = history.state()
    at = t("2026-02-01 12:00")
    assert decide(policy, state, "newsletter", ["contact"], "email", at=at).reasons == (
        Reason.NO_CONSENT,
    )
    assert decide(policy, state, "newsletter", ["contact"], "mail", at=at).allowed
