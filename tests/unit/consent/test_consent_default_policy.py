"""The engine against the packaged policy (src/confide/policy/default/confide.yaml)."""

from __future__ import annotations

import pytest
from consent_support import History, t

from confide.domain.consent import Reason, decide
from confide.domain.consent.errors import ServiceEssentialOptOutRefused
from confide.domain.consent.events import ConsentKind, WithdrawConsent
from confide.domain.consent.ledger import withdraw_consent
from confide.domain.policy import Policy


@pytest.fixture(scope="module")
def packaged() -> Policy:
    from confide.policy import load_policy

    return load_policy().policy


def test_con_3_the_packaged_credit_check_needs_express_consent(
    packaged: Policy, history: History
) -> None:
    history.give(
        "credit_check",
        t("2026-02-01 10:00"),
        kind=ConsentKind.IMPLIED,
        policy_version=packaged.version,
    )
    categories = ["name", "credit_information"]
    refused = decide(packaged, history.state(), "credit_check", categories, at=t("2026-02-02"))
    assert refused.reasons == (Reason.EXPRESS_REQUIRED,)
    history.give("credit_check", t("2026-02-03 10:00"), policy_version=packaged.version)
    allowed = decide(packaged, history.state(), "credit_check", categories, at=t("2026-02-04"))
    assert allowed.allowed


def test_cem_1_packaged_marketing_email_rests_on_a_purchase_for_730_days(
    packaged: Policy, history: History
) -> None:
    history.purchase(t("2026-01-15 10:00"))
    state = history.state()
    email = "email"
    assert decide(
        packaged, state, "marketing_communications", ["email"], email, at=t("2028-01-15 18:00")
    ).allowed
    late = decide(
        packaged, state, "marketing_communications", ["email"], email, at=t("2028-01-16 00:00")
    )
    assert late.reasons == (Reason.IMPLIED_WINDOW_EXPIRED,)


def test_con_6_the_packaged_service_purpose_cannot_be_opted_out_of(
    packaged: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    command = WithdrawConsent("s-1", "provide_service", t("2026-03-01 10:00"), "portal")
    with pytest.raises(ServiceEssentialOptOutRefused):
        withdraw_consent(packaged, history.state(), command, now=t("2026-03-01 11:00"), new_id=str)


def test_con_9_packaged_location_services_start_off_for_a_quebec_subject(
    packaged: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    decision = decide(
        packaged, history.state(), "location_services", ["location_data"], at=t("2026-02-01")
    )
    assert decision.reasons == (Reason.NO_CONSENT,)
    history.give("location_services", t("2026-02-02 10:00"), policy_version=packaged.version)
    turned_on = decide(
        packaged, history.state(), "location_services", ["location_data"], at=t("2026-02-03")
    )
    assert turned_on.allowed
