"""The use-decision engine, one test per consent rule (CON-1..10) and its input checks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from consent_support import History, make_policy, purpose, t

from confide.domain.calendar import NaiveTimestamp
from confide.domain.consent import Reason, decide
from confide.domain.consent.errors import (
    ChannelNotForPurpose,
    ChannelRequired,
    UnknownCategory,
    UnknownChannel,
    UnknownPurpose,
)
from confide.domain.consent.events import ConsentKind, RelationshipKind
from confide.domain.consent.versions import PolicyHistory, PolicyVersionInfo
from confide.domain.policy import ConsentMethod, ConsentMode, Policy


def test_con_1_a_decision_names_the_consent_event_it_relies_on(
    policy: Policy, history: History
) -> None:
    given = history.give(
        "credit_check",
        t("2026-01-10 10:00"),
        method=ConsentMethod.SIGNED_DOCUMENT,
        evidence_ref="doc-17",
    )
    decision = decide(
        policy, history.state(), "credit_check", ["contact", "credit"], at=t("2026-01-11")
    )
    assert decision.allowed
    assert decision.relied_on == f"consent:{given.event_id}"
    assert decision.policy_version == "2026.1"
    assert decision.to_dict()["reasons"] == ["express_consent"]


def test_con_1_a_consent_past_its_expiry_is_not_relied_on(policy: Policy, history: History) -> None:
    history.give("credit_check", t("2026-01-10 10:00"), expires_at=t("2026-02-10 10:00"))
    state = history.state()
    before = decide(policy, state, "credit_check", ["credit"], at=t("2026-02-10 09:59"))
    after = decide(policy, state, "credit_check", ["credit"], at=t("2026-02-10 10:00"))
    assert before.allowed and before.valid_until == t("2026-02-10 10:00")
    assert after.reasons == (Reason.CONSENT_EXPIRED,)


def test_con_2_giving_an_address_implies_consent_to_send_invoices_there(
    policy: Policy, history: History
) -> None:
    address = history.relationship(RelationshipKind.ADDRESS_GIVEN, t("2026-01-05 10:00"))
    state = history.state()
    decision = decide(policy, state, "invoices", ["contact"], at=t("2026-03-01"))
    assert decision.allowed and decision.rule == "CON-2"
    assert decision.relied_on == f"event:{address.event_id}"
    assert decision.valid_until is None  # while the relationship lasts
    nothing_yet = decide(policy, state, "invoices", ["contact"], at=t("2026-01-04"))
    assert nothing_yet.reasons == (Reason.NO_CONSENT,)


def test_con_2_implied_consent_ends_with_the_service(policy: Policy, history: History) -> None:
    history.relationship(RelationshipKind.ADDRESS_GIVEN, t("2026-01-05 10:00"))
    history.relationship(RelationshipKind.SERVICE_TERMINATED, t("2026-05-01 10:00"))
    decision = decide(policy, history.state(), "invoices", ["contact"], at=t("2026-05-02"))
    assert not decision.allowed


def test_con_3_express_only_purpose_is_refused_on_implied_consent(
    policy: Policy, history: History
) -> None:
    history.give("credit_check", t("2026-01-10 10:00"), kind=ConsentKind.IMPLIED)
    decision = decide(policy, history.state(), "credit_check", ["credit"], at=t("2026-01-11"))
    assert not decision.allowed
    assert decision.reasons == (Reason.EXPRESS_REQUIRED,)
    assert decision.rule == "CON-3"


def test_con_3_express_only_purpose_is_refused_with_nothing_on_record(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2026-01-10 10:00"))
    decision = decide(policy, history.state(), "offers", ["contact"], "email", at=t("2026-01-11"))
    assert decision.reasons == (Reason.NO_CONSENT,)
    assert decision.rule == "CON-3"


def _two_versions() -> PolicyHistory:
    return PolicyHistory(
        [
            PolicyVersionInfo("2026.1", date(2026, 1, 1)),
            PolicyVersionInfo("2026.2", date(2026, 6, 1), purposes_added=("loyalty", "tips")),
        ]
    )


def test_con_4_a_purpose_added_by_a_new_version_carries_no_earlier_consent(
    history: History,
) -> None:
    loyalty = purpose("loyalty", ConsentMode.EXPRESS, ("contact",))
    policy = make_policy(version="2026.2", extra_purposes=[loyalty])
    history.give("loyalty", t("2026-03-01 10:00"), policy_version="2026.1")
    versions = _two_versions()
    state = history.state()
    refused = decide(policy, state, "loyalty", ["contact"], at=t("2026-07-01"), history=versions)
    assert refused.reasons == (Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION,)
    assert refused.rule == "CON-4"
    history.give("loyalty", t("2026-07-02 10:00"), policy_version="2026.2")
    allowed = decide(
        policy, history.state(), "loyalty", ["contact"], at=t("2026-07-03"), history=versions
    )
    assert allowed.allowed


def test_con_4_relationship_events_before_the_new_version_imply_nothing_for_its_purposes(
    history: History,
) -> None:
    from consent_support import trigger

    tips = purpose("tips", ConsentMode.IMPLIED, ("usage",), implied_by=(trigger("registration"),))
    policy = make_policy(version="2026.2", extra_purposes=[tips])
    history.register(t("2026-02-01 10:00"))
    decision = decide(
        policy, history.state(), "tips", ["usage"], at=t("2026-07-01"), history=_two_versions()
    )
    assert decision.reasons == (Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION,)


def test_con_5_a_withdrawal_takes_effect_for_decisions_at_once(
    policy: Policy, history: History
) -> None:
    history.give("offers", t("2026-01-10 10:00"), channel="email")
    withdrawn = history.withdraw("offers", t("2026-02-01 10:00:00"), channel="email")
    state = history.state()
    just_before = t("2026-02-01 09:59:59.999999")
    assert decide(policy, state, "offers", ["contact"], "email", at=just_before).allowed
    decision = decide(policy, state, "offers", ["contact"], "email", at=withdrawn.at)
    assert decision.reasons == (Reason.CONSENT_WITHDRAWN,)
    assert decision.relied_on == f"event:{withdrawn.event_id}"
    assert decision.rule == "CON-5"


def test_con_5_implied_consent_is_not_inferred_again_after_a_withdrawal(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2026-01-10 10:00"))
    history.withdraw("marketing", t("2026-02-01 10:00"))
    history.purchase(t("2026-03-01 10:00"))
    decision = decide(
        policy, history.state(), "marketing", ["contact"], "email", at=t("2026-03-02")
    )
    assert decision.reasons == (Reason.CONSENT_WITHDRAWN,)


def test_con_5_a_withdrawal_on_one_channel_leaves_the_others(
    policy: Policy, history: History
) -> None:
    history.give("marketing", t("2026-01-10 10:00"))  # every channel
    history.withdraw("marketing", t("2026-02-01 10:00"), channel="sms")
    state = history.state()
    assert decide(policy, state, "marketing", ["contact"], "email", at=t("2026-03-01")).allowed
    sms = decide(policy, state, "marketing", ["contact"], "sms", at=t("2026-03-01"))
    assert sms.reasons == (Reason.CONSENT_WITHDRAWN,)


def test_con_6_service_essential_purpose_is_allowed_while_the_service_is_active(
    policy: Policy, history: History
) -> None:
    registered = history.register(t("2026-01-05 10:00"))
    history.relationship(RelationshipKind.SERVICE_TERMINATED, t("2026-06-30 17:00"))
    state = history.state()
    active = decide(policy, state, "service", ["contact", "usage"], at=t("2026-03-01"))
    assert active.allowed and active.reasons == (Reason.SERVICE_ESSENTIAL,)
    assert active.relied_on == f"event:{registered.event_id}"
    ended = decide(policy, state, "service", ["contact"], at=t("2026-07-01"))
    assert ended.reasons == (Reason.SERVICE_NOT_ACTIVE,)
    assert ended.rule == "CON-6"


def test_con_8_quebec_sensitive_information_needs_express_consent(history: History) -> None:
    policy = make_policy()
    history.register(t("2026-01-05 10:00"))
    quebec = decide(
        policy, history.state(province="QC"), "wellness", ["health"], at=t("2026-02-01")
    )
    ontario = decide(
        policy, history.state(province="ON"), "wellness", ["health"], at=t("2026-02-01")
    )
    assert quebec.reasons == (Reason.EXPRESS_REQUIRED,) and quebec.rule == "CON-8"
    assert ontario.allowed and ontario.reasons == (Reason.IMPLIED_CONSENT,)


def test_con_8_a_quebec_minor_under_14_consents_through_a_parent_or_tutor(
    policy: Policy,
) -> None:
    child = History(subject_id="child")
    child.give("offers", t("2026-01-10 10:00"), channel="email")
    born = date(2014, 6, 1)  # 11 years old in 2026
    at = t("2026-02-01 12:00")
    own = decide(policy, child.state(birth_date=born), "offers", ["contact"], "email", at=at)
    assert own.reasons == (Reason.MINOR_NEEDS_GUARDIAN,) and own.rule == "CON-8"
    child.give("offers", t("2026-01-20 10:00"), channel="email", by_guardian=True)
    with_parent = decide(
        policy, child.state(birth_date=born), "offers", ["contact"], "email", at=at
    )
    assert with_parent.allowed
    outside_quebec = History(subject_id="child-on")
    outside_quebec.give("offers", t("2026-01-10 10:00"), channel="email")
    state_on = outside_quebec.state(province="ON", birth_date=born)
    assert decide(policy, state_on, "offers", ["contact"], "email", at=at).allowed


def test_con_8_a_quebec_subject_of_14_consents_alone(policy: Policy, history: History) -> None:
    history.give("offers", t("2026-01-10 10:00"), channel="email")
    state = history.state(birth_date=date(2012, 1, 9))  # 14 the day before
    assert decide(policy, state, "offers", ["contact"], "email", at=t("2026-01-10 12:00")).allowed


def test_con_9_quebec_privacy_by_default_features_start_off(history: History) -> None:
    policy = make_policy()
    history.register(t("2026-01-05 10:00"))
    quebec = decide(policy, history.state(), "profiling", ["usage"], at=t("2026-02-01"))
    assert quebec.reasons == (Reason.PRIVACY_BY_DEFAULT_OFF,) and quebec.rule == "CON-9"
    ontario = decide(
        policy, history.state(province="ON"), "profiling", ["usage"], at=t("2026-02-01")
    )
    assert ontario.allowed
    turned_on = history.give("profiling", t("2026-02-02 10:00"))
    now_on = decide(policy, history.state(), "profiling", ["usage"], at=t("2026-02-03"))
    assert now_on.allowed and now_on.relied_on == f"consent:{turned_on.event_id}"


def test_con_10_a_gpc_signal_opts_out_of_the_purposes_mapped_to_it(
    policy: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    history.give("analytics", t("2026-01-06 10:00"))
    gpc = history.gpc(t("2026-01-20 10:00"))
    state = history.state(province="ON")
    decision = decide(policy, state, "analytics", ["usage"], at=t("2026-01-21"))
    assert decision.reasons == (Reason.GPC_OPT_OUT,) and decision.rule == "CON-10"
    assert decide(policy, state, "analytics", ["usage"], at=t("2026-01-19")).allowed
    # Purposes not mapped to GPC are untouched.
    history.relationship(RelationshipKind.ADDRESS_GIVEN, t("2026-01-05 10:00"))
    assert decide(policy, history.state(), "invoices", ["contact"], at=t("2026-01-21")).allowed
    # An express consent given after the signal turns it back on.
    history.give("analytics", gpc.at + timedelta(days=1))
    assert decide(
        policy, history.state(province="ON"), "analytics", ["usage"], at=t("2026-01-23")
    ).allowed


def test_a_category_the_policy_does_not_allow_for_the_purpose_is_refused(
    policy: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    decision = decide(policy, history.state(), "service", ["contact", "credit"], at=t("2026-02-01"))
    assert decision.reasons == (Reason.CATEGORY_NOT_ALLOWED_FOR_PURPOSE,)
    assert decision.relied_on == "policy:purposes/service"


def test_a_legal_obligation_is_allowed_without_consent(policy: Policy, history: History) -> None:
    decision = decide(policy, history.state(), "tax", ["credit"], at=t("2026-02-01"))
    assert decision.allowed and decision.reasons == (Reason.LEGAL_OBLIGATION,)


def test_an_opted_out_channel_is_refused_whatever_the_consent(
    policy: Policy, history: History
) -> None:
    history.give("offers", t("2026-01-10 10:00"), channel="email")
    history.opt_out("email", t("2026-01-15 10:00"))
    decision = decide(policy, history.state(), "offers", ["contact"], "email", at=t("2026-01-16"))
    assert decision.reasons == (Reason.CHANNEL_OPTED_OUT,) and decision.rule == "CEM-2"


def test_the_explanation_is_in_the_subjects_language(policy: Policy, history: History) -> None:
    decision = decide(
        policy, history.state(language="fr"), "credit_check", ["credit"], at=t("2026-02-01")
    )
    assert decision.explanation == decision.text.fr
    assert decision.explanation.startswith("Refusé")
    english = decide(policy, history.state(), "credit_check", ["credit"], at=t("2026-02-01"))
    assert english.explanation.startswith("Refused")


@pytest.mark.parametrize(
    ("purpose_id", "categories", "channel", "error"),
    [
        ("nope", ["contact"], None, UnknownPurpose),
        ("offers", ["contact"], "fax", UnknownChannel),
        ("offers", ["contact"], "sms", ChannelNotForPurpose),
        ("offers", ["contact"], None, ChannelRequired),
        ("credit_check", ["shoe_size"], None, UnknownCategory),
    ],
)
def test_bad_input_is_an_error_not_a_decision(
    policy: Policy,
    history: History,
    purpose_id: str,
    categories: list[str],
    channel: str | None,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        decide(policy, history.state(), purpose_id, categories, channel, at=t("2026-02-01"))


def test_a_time_without_an_offset_is_refused_as_input(policy: Policy, history: History) -> None:
    with pytest.raises(NaiveTimestamp):
        decide(policy, history.state(), "tax", [], at=datetime(2026, 2, 1, 12, 0))


def test_con_4_the_subjects_to_ask_again_are_those_without_consent_to_the_new_purposes(
    history: History,
) -> None:
    from confide.domain.consent.reconsent import purposes_to_reconsent

    loyalty = purpose("loyalty", ConsentMode.EXPRESS, ("contact",))
    policy = make_policy(version="2026.2", extra_purposes=[loyalty])
    versions = _two_versions()
    history.give("loyalty", t("2026-03-01 10:00"), policy_version="2026.1")
    assert purposes_to_reconsent(policy, versions, history.state(), t("2026-07-01")) == ("loyalty",)
    history.give("loyalty", t("2026-07-02 10:00"), policy_version="2026.2")
    assert purposes_to_reconsent(policy, versions, history.state(), t("2026-07-03")) == ()
