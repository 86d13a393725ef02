"""Commands of the consent ledger: what is recorded, and what is refused with nothing recorded."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from consent_support import History, t

from confide.domain.consent import Reason, decide
from confide.domain.consent.errors import (
    BundledConsentRefused,
    ConsentNotNeeded,
    ExpressConsentRequired,
    GuardianConsentRequired,
    MethodNotAccepted,
    NothingToWithdraw,
    PolicyVersionMismatch,
    ServiceEssentialOptOutRefused,
    TimeInFuture,
    UnknownPolicyVersion,
)
from confide.domain.consent.events import (
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    GiveConsent,
    GpcSignalReceived,
    WithdrawConsent,
)
from confide.domain.consent.ledger import give_consent, terminate_service, withdraw_consent
from confide.domain.consent.versions import PolicyHistory, PolicyVersionInfo
from confide.domain.errors import NotAllowed
from confide.domain.policy import ConsentMethod, Policy

NOW = t("2026-03-01 12:00")


_COUNTER = itertools.count(1)


def _new_id() -> str:
    return f"new-{next(_COUNTER)}"


def _give(purposes: tuple[str, ...], **changes: object) -> GiveConsent:
    fields: dict[str, object] = {
        "subject_id": "s-1",
        "purpose_ids": purposes,
        "at": t("2026-03-01 10:00"),
        "kind": ConsentKind.EXPRESS,
        "method": ConsentMethod.CHECKBOX,
        "recorded_by": "portal",
        "policy_version": "2026.1",
    }
    fields.update(changes)
    return GiveConsent(**fields)  # type: ignore[arg-type]


def test_con_1_a_consent_is_recorded_with_how_who_and_which_policy_version(
    policy: Policy, history: History
) -> None:
    command = _give(("credit_check",), method=ConsentMethod.VERBAL, evidence_ref="call-42")
    (event,) = give_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
    assert isinstance(event, ConsentGiven)
    assert (event.kind, event.method, event.recorded_by, event.policy_version) == (
        ConsentKind.EXPRESS,
        ConsentMethod.VERBAL,
        "portal",
        "2026.1",
    )
    assert event.evidence_ref == "call-42"


def test_con_3_an_implied_consent_is_refused_for_an_express_only_purpose(
    policy: Policy, history: History
) -> None:
    command = _give(("credit_check",), kind=ConsentKind.IMPLIED)
    with pytest.raises(ExpressConsentRequired) as raised:
        give_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
    assert raised.value.rule == "CON-3"


def test_con_8_quebec_consent_is_asked_separately_for_each_purpose(
    policy: Policy, history: History
) -> None:
    bundled = _give(("credit_check", "analytics"))
    with pytest.raises(BundledConsentRefused) as raised:
        give_consent(policy, history.state(province="QC"), bundled, now=NOW, new_id=_new_id)
    assert raised.value.rule == "CON-8"
    events = give_consent(policy, history.state(province="ON"), bundled, now=NOW, new_id=_new_id)
    assert [e.purpose_id for e in events if isinstance(e, ConsentGiven)] == [
        "credit_check",
        "analytics",
    ]


def test_con_8_a_quebec_minor_cannot_consent_alone(policy: Policy, history: History) -> None:
    state = history.state(birth_date=date(2015, 1, 1))
    with pytest.raises(GuardianConsentRequired):
        give_consent(policy, state, _give(("credit_check",)), now=NOW, new_id=_new_id)
    (event,) = give_consent(
        policy, state, _give(("credit_check",), by_guardian=True), now=NOW, new_id=_new_id
    )
    assert isinstance(event, ConsentGiven) and event.by_guardian


def test_con_8_quebec_sensitive_purpose_refuses_implied_consent(
    policy: Policy, history: History
) -> None:
    command = _give(("wellness",), kind=ConsentKind.IMPLIED)
    with pytest.raises(ExpressConsentRequired) as raised:
        give_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
    assert raised.value.rule == "CON-8"


def test_con_10_a_gpc_signal_with_the_interaction_is_recorded(
    policy: Policy, history: History
) -> None:
    events = give_consent(
        policy, history.state(), _give(("credit_check",), gpc=True), now=NOW, new_id=_new_id
    )
    assert isinstance(events[0], GpcSignalReceived)
    assert isinstance(events[1], ConsentGiven)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (_give(("service",)), ConsentNotNeeded),
        (_give(("credit_check",), at=t("2026-03-01 12:01")), TimeInFuture),
        (_give(("credit_check",), policy_version="2025.9"), PolicyVersionMismatch),
    ],
)
def test_bad_consent_commands_record_nothing(
    policy: Policy, history: History, command: GiveConsent, error: type[Exception]
) -> None:
    with pytest.raises(error):
        give_consent(policy, history.state(), command, now=NOW, new_id=_new_id)


def test_a_method_the_purpose_does_not_accept_is_refused(history: History) -> None:
    from dataclasses import replace

    from consent_support import make_policy

    base = make_policy()
    strict = replace(
        base,
        purposes=tuple(
            replace(p, consent_methods=(ConsentMethod.SIGNED_DOCUMENT,))
            if p.id == "credit_check"
            else p
            for p in base.purposes
        ),
    )
    with pytest.raises(MethodNotAccepted):
        give_consent(strict, history.state(), _give(("credit_check",)), now=NOW, new_id=_new_id)


def test_a_consent_under_an_unknown_policy_version_is_refused(
    policy: Policy, history: History
) -> None:
    versions = PolicyHistory([PolicyVersionInfo("2026.1", date(2026, 1, 1))])
    with pytest.raises(UnknownPolicyVersion):
        give_consent(
            policy,
            history.state(),
            _give(("credit_check",), policy_version="1999.1"),
            now=NOW,
            new_id=_new_id,
            history=versions,
        )


def test_con_6_opting_out_of_a_service_essential_purpose_is_refused_with_the_way_out(
    policy: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    command = WithdrawConsent("s-1", "service", t("2026-03-01 10:00"), "portal")
    with pytest.raises(ServiceEssentialOptOutRefused) as raised:
        withdraw_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
    assert isinstance(raised.value, NotAllowed) and raised.value.rule == "CON-6"
    assert "Terminating the service" in raised.value.explanation.en
    assert "résiliation du service" in raised.value.explanation.fr


def test_con_6_terminating_the_service_ends_service_essential_purposes(
    policy: Policy, history: History
) -> None:
    history.register(t("2026-01-05 10:00"))
    assert decide(policy, history.state(), "service", ["contact"], at=t("2026-03-01")).allowed
    history.events.append(terminate_service("s-1", t("2026-03-01 11:00"), now=NOW, new_id=_new_id))
    after = decide(policy, history.state(), "service", ["contact"], at=t("2026-03-01 11:00"))
    assert after.reasons == (Reason.SERVICE_NOT_ACTIVE,)


def test_con_5_withdrawing_an_implied_consent_is_an_opt_out(
    policy: Policy, history: History
) -> None:
    history.purchase(t("2026-01-05 10:00"))
    command = WithdrawConsent("s-1", "marketing", t("2026-03-01 10:00"), "portal", channel="email")
    (event,) = withdraw_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
    assert isinstance(event, ConsentWithdrawn) and event.channel == "email"
    history.events.append(event)
    refused = decide(policy, history.state(), "marketing", ["contact"], "email", at=NOW)
    assert refused.reasons == (Reason.CONSENT_WITHDRAWN,)


def test_withdrawing_something_never_given_is_a_conflict(policy: Policy, history: History) -> None:
    command = WithdrawConsent("s-1", "credit_check", t("2026-03-01 10:00"), "portal")
    with pytest.raises(NothingToWithdraw):
        withdraw_consent(policy, history.state(), command, now=NOW, new_id=_new_id)
