"""Properties of the engine over random histories (Hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from consent_support import make_policy
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from confide.domain.calendar import zone_for
from confide.domain.consent import Decision, decide, derive_state
from confide.domain.consent.events import (
    ChannelOptedOut,
    ConsentEvent,
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    GpcSignalReceived,
    RelationshipEventRecorded,
    RelationshipKind,
    SubjectProfile,
)
from confide.domain.consent.telemarketing import NationalDoNotCallList
from confide.domain.policy import ConsentMethod

POLICY = make_policy()
BASE = datetime(2025, 1, 1, tzinfo=ZoneInfo("UTC"))
PURPOSES = ["marketing", "offers", "credit_check", "analytics", "profiling", "wellness"]
EXPRESS_ONLY = {"offers", "credit_check"}
CHANNELS = {p.id: p.channels for p in POLICY.purposes}
RELATIONSHIPS = [
    RelationshipKind.PURCHASE,
    RelationshipKind.INQUIRY,
    RelationshipKind.CONTRACT_END,
    RelationshipKind.REGISTRATION,
    RelationshipKind.SERVICE_TERMINATED,
]
HOURS = 3 * 365 * 24


@st.composite
def channel_for(draw: st.DrawFn, purpose_id: str, allow_none: bool) -> str | None:
    options: list[str | None] = list(CHANNELS[purpose_id])
    if allow_none or not options:
        options.append(None)
    return draw(st.sampled_from(options))


@st.composite
def event(draw: st.DrawFn, index: int, hour: int, target: str, channel: str | None) -> ConsentEvent:
    """One event, biased towards the purpose and channel the case will ask about."""
    at = BASE + timedelta(hours=hour)
    eid = f"e{index}"
    kinds = ["give", "give", "withdraw", "relationship", "relationship", "gpc", "opt_out"]
    what = draw(st.sampled_from(kinds))
    if what == "give":
        purpose_id = draw(st.sampled_from([target, target, target, *PURPOSES]))
        expires = draw(st.none() | st.integers(1, 2 * 365 * 24))
        return ConsentGiven(
            event_id=eid,
            subject_id="s",
            purpose_id=purpose_id,
            at=at,
            kind=draw(st.sampled_from(list(ConsentKind))),
            method=ConsentMethod.CHECKBOX,
            recorded_by="test",
            policy_version="2026.1",
            channel=draw(st.sampled_from([channel, None]))
            if purpose_id == target
            else draw(channel_for(purpose_id, True)),
            expires_at=None if expires is None else at + timedelta(hours=expires),
            by_guardian=draw(st.booleans()),
        )
    if what == "withdraw":
        purpose_id = draw(st.sampled_from(PURPOSES))
        return ConsentWithdrawn(
            eid, "s", purpose_id, at, "test", draw(channel_for(purpose_id, True))
        )
    if what == "relationship":
        return RelationshipEventRecorded(eid, "s", draw(st.sampled_from(RELATIONSHIPS)), at)
    if what == "gpc":
        return GpcSignalReceived(eid, "s", at)
    return ChannelOptedOut(eid, "s", draw(st.sampled_from(["email", "sms", "phone", "mail"])), at)


@dataclass
class Case:
    events: list[ConsentEvent]
    profile: SubjectProfile
    purpose_id: str
    channel: str | None
    at: datetime


@st.composite
def cases(draw: st.DrawFn) -> Case:
    purpose_id = draw(st.sampled_from(PURPOSES))
    channel = draw(channel_for(purpose_id, False))
    hours = draw(st.lists(st.integers(0, HOURS), min_size=2, max_size=12, unique=True))
    events = [draw(event(i, h, purpose_id, channel)) for i, h in enumerate(hours)]
    born = st.dates(min_value=BASE.date().replace(year=2005))
    profile = SubjectProfile(
        "s",
        province=draw(st.sampled_from(["QC", "ON", "BC"])),
        birth_date=draw(st.one_of(st.none(), st.none(), st.none(), born)),
    )
    return Case(
        events=events,
        profile=profile,
        purpose_id=purpose_id,
        channel=channel,
        at=BASE + timedelta(hours=draw(st.integers(0, HOURS + 24 * 365)), minutes=30),
    )


def _decide(case: Case, events: list[ConsentEvent] | None = None) -> Decision:
    state = derive_state(case.profile, case.events if events is None else events)
    purpose = POLICY.purpose(case.purpose_id)
    assert purpose is not None
    national = NationalDoNotCallList(taken_at=case.at - timedelta(days=1))
    return decide(
        POLICY,
        state,
        case.purpose_id,
        purpose.categories,
        case.channel,
        at=case.at,
        national_dnc=national,
    )


def _relied_event(case: Case, decision: Decision) -> ConsentEvent | None:
    if decision.relied_on is None or ":" not in decision.relied_on:
        return None
    prefix, ident = decision.relied_on.split(":", 1)
    if prefix not in ("consent", "event"):
        return None
    return next(e for e in case.events if getattr(e, "event_id", None) == ident)


def _covering_withdrawals(case: Case) -> list[ConsentWithdrawn]:
    return [
        e
        for e in case.events
        if isinstance(e, ConsentWithdrawn)
        and e.purpose_id == case.purpose_id
        and e.channel in (None, case.channel)
        and e.at <= case.at
    ]


@settings(max_examples=250, deadline=None)
@given(cases())
def test_con_5_a_withdrawn_consent_is_never_relied_on(case: Case) -> None:
    decision = _decide(case)
    relied = _relied_event(case, decision)
    if not decision.allowed or relied is None:
        return
    withdrawals = _covering_withdrawals(case)
    if isinstance(relied, ConsentGiven):
        assert not any(relied.at < w.at for w in withdrawals)
    elif isinstance(relied, RelationshipEventRecorded) and decision.reasons[0] == "implied_consent":
        assert not withdrawals


@settings(max_examples=250, deadline=None)
@given(cases())
def test_con_3_an_express_only_purpose_is_never_allowed_on_implied_consent(case: Case) -> None:
    decision = _decide(case)
    if decision.allowed and case.purpose_id in EXPRESS_ONLY:
        relied = _relied_event(case, decision)
        assert isinstance(relied, ConsentGiven)
        assert relied.kind is ConsentKind.EXPRESS


@settings(max_examples=250, deadline=None)
@given(cases())
def test_cem_1_an_expired_implied_consent_is_never_relied_on(case: Case) -> None:
    decision = _decide(case)
    if not decision.allowed:
        return
    assert decision.valid_until is None or decision.valid_until > case.at
    relied = _relied_event(case, decision)
    if isinstance(relied, ConsentGiven):
        assert relied.expires_at is None or relied.expires_at > case.at
    if isinstance(relied, RelationshipEventRecorded) and case.purpose_id == "marketing":
        tz = zone_for(case.profile.province)
        start = relied.at.astimezone(tz).date()
        today = case.at.astimezone(tz).date()
        if relied.kind is RelationshipKind.INQUIRY:
            assert today <= start + relativedelta(months=6)
        else:
            assert (today - start).days <= 730


@settings(max_examples=150, deadline=None)
@given(cases())
def test_the_same_events_in_the_same_order_give_the_same_answer(case: Case) -> None:
    first = _decide(case).to_dict()
    second = _decide(case, list(case.events)).to_dict()
    assert first == second


@settings(max_examples=150, deadline=None)
@given(cases())
def test_events_after_the_instant_asked_about_do_not_change_the_answer(case: Case) -> None:
    past_only = [e for e in case.events if e.at <= case.at]
    assert _decide(case).to_dict() == _decide(case, past_only).to_dict()


@st.composite
def casl_cases(draw: st.DrawFn) -> Case:
    """Marketing on a channel with only relationship events: the CASL windows alone decide."""
    kinds = [RelationshipKind.PURCHASE, RelationshipKind.INQUIRY, RelationshipKind.CONTRACT_END]
    hours = draw(st.lists(st.integers(0, HOURS), min_size=1, max_size=4, unique=True))
    events: list[ConsentEvent] = [
        RelationshipEventRecorded(
            f"r{i}", "s", draw(st.sampled_from(kinds)), BASE + timedelta(hours=h)
        )
        for i, h in enumerate(hours)
    ]
    province = draw(st.sampled_from(["QC", "BC", "NL"]))
    at = BASE + timedelta(minutes=draw(st.integers(0, (HOURS + 2 * 365 * 24) * 60)))
    return Case(events, SubjectProfile("s", province=province), "marketing", "email", at)


def _inside_casl_window(event: RelationshipEventRecorded, at: datetime, province: str) -> bool:
    tz = zone_for(province)
    start = event.at.astimezone(tz).date()
    today = at.astimezone(tz).date()
    if event.at > at:
        return False
    if event.kind is RelationshipKind.INQUIRY:
        return today <= start + relativedelta(months=6)
    return (today - start).days <= 730


@settings(max_examples=300, deadline=None)
@given(casl_cases())
def test_cem_1_implied_consent_holds_exactly_while_some_window_is_open(case: Case) -> None:
    decision = _decide(case)
    expected = any(
        _inside_casl_window(e, case.at, case.profile.province)
        for e in case.events
        if isinstance(e, RelationshipEventRecorded)
    )
    assert decision.allowed is expected
    if decision.allowed:
        relied = _relied_event(case, decision)
        assert isinstance(relied, RelationshipEventRecorded)
        assert _inside_casl_window(relied, case.at, case.profile.province)
        assert decision.valid_until is not None and decision.valid_until > case.at
