"""CON-5: the ledger's answer never depends on the order in which events of the same instant
were recorded; at the same instant a withdrawal prevails over a consent."""

from __future__ import annotations

import random
from datetime import timedelta

from consent_support import History, t
from hypothesis import given, settings
from hypothesis import strategies as st
from test_consent_properties import BASE, CHANNELS, POLICY, PURPOSES, Case, _decide, event

from confide.domain.consent import Reason, decide, derive_state
from confide.domain.consent.events import ChannelOptedIn, ConsentEvent, SubjectProfile
from confide.domain.consent.readmodel import ReadModelPlan
from confide.domain.consent.state import ledger_order
from confide.domain.policy import Policy

SAME = t("2026-02-01 10:00")
LATER = t("2026-02-02 10:00")


def _credit_check(policy: Policy, events: list[ConsentEvent]) -> tuple[Reason, ...]:
    state = derive_state(SubjectProfile("s-1", province="QC"), events)
    return decide(policy, state, "credit_check", ["credit"], at=LATER).reasons


def test_con_5_consent_withdrawal_and_consent_again_at_one_instant_is_refused(
    policy: Policy, history: History
) -> None:
    history.give("credit_check", SAME)
    history.withdraw("credit_check", SAME)
    history.give("credit_check", SAME)
    assert _credit_check(policy, history.events) == (Reason.CONSENT_WITHDRAWN,)


def test_con_5_consent_twice_then_the_withdrawal_at_one_instant_is_refused(
    policy: Policy, history: History
) -> None:
    history.give("credit_check", SAME)
    history.give("credit_check", SAME)
    history.withdraw("credit_check", SAME)
    assert _credit_check(policy, history.events) == (Reason.CONSENT_WITHDRAWN,)


def test_con_5_a_consent_an_instant_after_the_withdrawal_lifts_it(
    policy: Policy, history: History
) -> None:
    history.give("credit_check", SAME)
    history.withdraw("credit_check", SAME)
    again = history.give("credit_check", SAME + timedelta(microseconds=1))
    state = derive_state(SubjectProfile("s-1", province="QC"), history.events)
    decision = decide(policy, state, "credit_check", ["credit"], at=LATER)
    assert decision.allowed and decision.relied_on == f"consent:{again.event_id}"


def test_con_5_an_opt_out_prevails_over_an_opt_in_of_the_same_instant(
    policy: Policy, history: History
) -> None:
    out = history.opt_out("email", SAME)
    back_in = ChannelOptedIn("in-1", "s-1", "email", SAME)
    orders: list[list[ConsentEvent]] = [[out, back_in], [back_in, out]]
    for events in orders:
        state = derive_state(SubjectProfile("s-1"), events)
        assert state.channel_opt_out("email", LATER) == out


@st.composite
def crowded_cases(draw: st.DrawFn) -> tuple[Case, int]:
    """Random ledgers whose events crowd onto a few instants, and a seed to shuffle them."""
    purpose_id = draw(st.sampled_from(PURPOSES))
    options: list[str | None] = [*CHANNELS[purpose_id]] or [None]
    channel = draw(st.sampled_from(options))
    instants = draw(st.lists(st.integers(0, 3 * 365 * 24), min_size=1, max_size=4, unique=True))
    count = draw(st.integers(2, 14))
    events = [
        draw(event(i, draw(st.sampled_from(instants)), purpose_id, channel)) for i in range(count)
    ]
    profile = SubjectProfile(
        "s",
        province=draw(st.sampled_from(["QC", "ON", "BC"])),
        birth_date=draw(st.one_of(st.none(), st.none(), st.dates(BASE.date().replace(year=2005)))),
    )
    at = BASE + timedelta(hours=draw(st.sampled_from(instants)) + draw(st.integers(0, 24 * 400)))
    return Case(events, profile, purpose_id, channel, at), draw(st.integers(0, 2**32))


@settings(max_examples=300, deadline=None)
@given(crowded_cases())
def test_con_5_the_answer_does_not_depend_on_the_order_events_were_recorded_in(
    found: tuple[Case, int],
) -> None:
    case, seed = found
    shuffled = list(case.events)
    random.Random(seed).shuffle(shuffled)
    assert ledger_order(shuffled) == ledger_order(case.events)
    assert _decide(case, shuffled).to_dict() == _decide(case).to_dict()
    plan = ReadModelPlan(POLICY)
    rows = plan.rows(derive_state(case.profile, case.events), case.at)
    assert plan.rows(derive_state(case.profile, shuffled), case.at) == rows


@settings(max_examples=200, deadline=None)
@given(crowded_cases())
def test_con_5_a_consent_is_never_relied_on_at_the_instant_of_a_covering_withdrawal(
    found: tuple[Case, int],
) -> None:
    case, _ = found
    decision = _decide(case)
    relied = decision.relied_on or ""
    if not decision.allowed or not relied.startswith("consent:"):
        return
    consent = next(e for e in case.events if e.event_id == relied.removeprefix("consent:"))
    assert not any(
        w.at == consent.at
        for w in case.events
        if type(w).__name__ == "ConsentWithdrawn"
        and getattr(w, "purpose_id", None) == case.purpose_id
        and getattr(w, "channel", "?") in (None, case.channel)
    )
