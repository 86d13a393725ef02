"""The consent read model agrees with the engine, subject by subject (CEM-1..3, CON-4, CON-5),
on SQLite and PostgreSQL: for random ledgers and random instants, the audience read from
``consent_state`` is exactly the set of subjects a single decision allows, with the same
consent relied on; also after withdrawals and after a new policy version is activated."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.consent.state import derive_state
from confide.domain.errors import ConfideError
from confide.policy.loader import default_policy_path
from confide.services.audience import AudienceSummary
from confide.services.consent import GiveConsentRequest, read_model_plan
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR
KEYS = [
    ("marketing_communications", "email"),
    ("marketing_communications", "postal_mail"),
    ("marketing_communications", "text_message"),
    ("individual_marketing", "email"),
    ("individual_marketing", "postal_mail"),
]
CHANNELS = ["email", "postal_mail", "text_message", None]
RELATIONSHIPS = [
    "registration",
    "purchase",
    "inquiry",
    "contract_start",
    "contract_end",
    "service_terminated",
    "address_given",
]

op = st.one_of(
    st.tuples(
        st.just("give"),
        st.sampled_from(["marketing_communications", "individual_marketing"]),
        st.sampled_from(["implied", "express"]),
        st.sampled_from(CHANNELS),
        st.one_of(st.none(), st.integers(1, 900)),
        st.booleans(),
    ),
    st.tuples(
        st.just("withdraw"),
        st.sampled_from(["marketing_communications", "individual_marketing"]),
        st.sampled_from(CHANNELS),
    ),
    st.tuples(st.just("event"), st.sampled_from(RELATIONSHIPS)),
    st.tuples(st.just("channel"), st.sampled_from(["email", "postal_mail"]), st.booleans()),
)
subject = st.tuples(
    st.sampled_from(["ON", "QC", "BC", "NL"]),
    st.one_of(st.none(), st.dates(date(2008, 1, 1), date(2016, 1, 1))),
    st.lists(st.tuples(st.integers(0, 400 * 24), op), min_size=0, max_size=6),
)


def _apply(c: Container, clock: FakeClock, sid: str, hours: int, action: tuple[Any, ...]) -> None:
    clock.advance(hours=hours)
    try:
        if action[0] == "give":
            _, purpose, kind, channel, expires, gpc = action
            c.consent.give(
                OP,
                GiveConsentRequest(
                    sid,
                    (purpose,),
                    kind,
                    "checkbox",
                    channel,
                    expires_at=None if expires is None else clock.now() + timedelta(days=expires),
                    gpc=gpc,
                ),
            )
        elif action[0] == "withdraw":
            c.consent.withdraw(OP, sid, action[1], action[2])
        elif action[0] == "event":
            c.consent.record_relationship(OP, sid, action[1])
        else:
            c.consent.set_channel(OP, sid, action[1], action[2])
    except ConfideError:
        pass  # refused by the ledger's own rules: nothing recorded


def _engine_audience(
    c: Container, ids: list[str], purpose: str, channel: str, at: datetime
) -> dict[str, str | None]:
    out = {}
    for sid in ids:
        d = c.consent.decide(OP, sid, purpose, (), channel, at).decision
        if d.allowed:
            out[sid] = d.relied_on
    return out


def _read_model_audience(
    c: Container, purpose: str, channel: str, at: datetime, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str | None]:
    def no_ledger_path(*args: object) -> None:
        raise AssertionError("the audience should come from the read model")

    with monkeypatch.context() as m:
        m.setattr(c.audience, "_members", no_ledger_path)
        return {x.subject_id: x.relied_on for x in c.audience.stream(OP, purpose, channel, at)}


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    subjects=st.lists(subject, min_size=1, max_size=4),
    offsets=st.lists(st.integers(0, 1100 * 24), min_size=1, max_size=3),
)
def test_cem_3_audience_from_the_read_model_equals_the_engine_subject_by_subject(
    container: Container,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    subjects: list[tuple[str, date | None, list[tuple[int, tuple[Any, ...]]]]],
    offsets: list[int],
) -> None:
    c = container
    if not c.consent.state_is_current():
        c.consent.rebuild_state(OP)  # the empty store: the build is complete at once
    for province, born, ops in subjects:
        sid = c.subjects.register(
            OP,
            RegisterSubject(
                "customer", province, email=f"{uuid.uuid4().hex}@example.ca", birth_date=born
            ),
        ).id
        for hours, action in ops:
            _apply(c, clock, sid, hours, action)
    ids = [s.id for s in c.subjects.page(OP, 0, 10_000)[0]]
    for offset in offsets:
        at = clock.now() + timedelta(hours=offset)
        for purpose, channel in KEYS:
            assert _read_model_audience(c, purpose, channel, at, monkeypatch) == _engine_audience(
                c, ids, purpose, channel, at
            ), (purpose, channel, at)


def test_con_5_a_withdrawal_leaves_the_read_model_audience_at_once(
    container: Container, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = container
    c.consent.rebuild_state(OP)
    sid = c.subjects.register(OP, RegisterSubject("customer", "ON", email="w@example.ca")).id
    c.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
    )
    c.consent.record_relationship(OP, sid, "purchase")
    clock.advance(minutes=1)
    for purpose in ("individual_marketing", "marketing_communications"):
        assert sid in _read_model_audience(c, purpose, "email", clock.now(), monkeypatch)
    c.consent.withdraw(OP, sid, "individual_marketing", "email")
    c.consent.set_channel(OP, sid, "email", True)
    clock.advance(seconds=1)
    for purpose in ("individual_marketing", "marketing_communications"):
        assert _read_model_audience(c, purpose, "email", clock.now(), monkeypatch) == {}
    # The stored rows say why, with the engine's reason codes.
    with c.ctx.uow(readonly=True) as uow:
        profile = uow.consent.profiles([sid])[sid]
        history = uow.consent.history(sid)
    rows = read_model_plan(c.ctx.policy).rows(derive_state(profile, history), clock.now())
    assert all(not r.allowed for r in rows if r.channel == "email")


NEW_PURPOSE = """  - id: smart_home_offers
    consent: express
    subject_types: [customer]
    marketing: true
    channels: [email]
    consent_methods: [checkbox, verbal]
    categories: [name, email]
    description:
      en: To send you offers for our new smart-home services, with your express consent.
      fr: Pour vous envoyer des offres de nos nouveaux services de maison intelligente, avec votre consentement exprès.
"""


def test_con_4_after_a_new_policy_version_audiences_use_the_ledger_until_the_rebuild(
    container: Container, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = container
    c.consent.rebuild_state(OP)
    ids = []
    for i, province in enumerate(["ON", "QC", "BC"]):
        sid = c.subjects.register(
            OP, RegisterSubject("customer", province, email=f"p{i}@example.ca")
        ).id
        ids.append(sid)
        c.consent.record_relationship(OP, sid, "purchase")
        c.consent.give(
            OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
        )
    folder = tmp_path / "policy"
    shutil.copytree(default_policy_path().parent, folder)
    main = folder / default_policy_path().name
    text = main.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2026.2"', 1)
    main.write_text(text.replace("purposes:\n", "purposes:\n" + NEW_PURPOSE, 1), encoding="utf-8")
    clock.advance(days=30)
    c.activate_policy(main)
    assert not c.consent.state_is_current()  # built for the previous version
    at = clock.now() + timedelta(hours=1)
    before = {m.subject_id for m in c.audience.stream(OP, "smart_home_offers", "email", at)}
    assert before == set()  # CON-4: no consent carries over (decided from the ledger)
    c.consent.give(
        OP, GiveConsentRequest(ids[0], ("smart_home_offers",), "express", "checkbox", "email")
    )
    assert c.consent.rebuild_state(OP) == 3
    assert c.consent.state_is_current()
    for purpose, channel in [*KEYS, ("smart_home_offers", "email")]:
        assert _read_model_audience(c, purpose, channel, at, monkeypatch) == _engine_audience(
            c, ids, purpose, channel, at
        )
    assert set(_read_model_audience(c, "smart_home_offers", "email", at, monkeypatch)) == {ids[0]}


@pytest.mark.slow
def test_demo_load_writes_the_read_model_and_a_past_instant_is_decided_from_the_ledger(
    container: Container, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = container
    c.demo.generate(OP, 150, seed=3, as_of=date(2026, 5, 30))
    assert c.consent.state_is_current()
    ids = [s.id for s in c.subjects.page(OP, 0, 1000)[0]]
    for at in (clock.now(), clock.now() + timedelta(days=731)):
        for purpose, channel in KEYS:
            assert _read_model_audience(c, purpose, channel, at, monkeypatch) == _engine_audience(
                c, ids, purpose, channel, at
            )
    past = datetime(2025, 6, 1, 12, tzinfo=UTC)
    summary = AudienceSummary()
    got = {
        m.subject_id
        for m in c.audience.stream(OP, "marketing_communications", "email", past, summary)
    }
    assert got == set(_engine_audience(c, ids, "marketing_communications", "email", past))


def test_decision_inputs_read_the_same_profile_and_history_as_the_repositories(
    container: Container,
) -> None:
    """The decision hot path (driver-level selects) reads what the repositories read."""
    from confide.services.consent import profile_of

    c = container
    c.demo.generate(OP, 60, seed=5, as_of=date(2026, 5, 30))
    for s in c.subjects.page(OP, 0, 100)[0]:
        with c.ctx.uow(readonly=True) as uow:
            found = uow.consent.decision_inputs(s.id)
            subject = uow.subjects.get(s.id)
            history = uow.consent.history(s.id)
        assert found is not None and subject is not None
        assert found == (profile_of(subject), history)
    with c.ctx.uow(readonly=True) as uow:
        assert uow.consent.decision_inputs("sub_missing") is None


def test_cem_1_upkeep_recomputes_answers_that_ran_out_and_rebuilds_after_a_new_version(
    container: Container, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confide.domain.access import WORKER as SYSTEM

    c = container
    c.consent.rebuild_state(OP)
    sid = c.subjects.register(OP, RegisterSubject("customer", "ON", email="u@example.ca")).id
    c.consent.record_relationship(OP, sid, "inquiry")  # CEM-1: implied for 6 months
    version = c.ctx.require_active().version_id
    assert sid in _read_model_audience(
        c, "marketing_communications", "email", clock.now(), monkeypatch
    )
    clock.advance(days=200)
    with c.ctx.uow(readonly=True) as uow:
        assert uow.consent.state_rechecks(
            "marketing_communications", "email", version, clock.now()
        ) == [sid]
    assert c.consent.maintain_state(SYSTEM) == 1
    with c.ctx.uow(readonly=True) as uow:
        assert (
            uow.consent.state_rechecks("marketing_communications", "email", version, clock.now())
            == []
        )
    assert (
        _read_model_audience(c, "marketing_communications", "email", clock.now(), monkeypatch) == {}
    )
    assert c.consent.maintain_state(SYSTEM) == 0


def test_con_5_a_state_cached_for_decisions_is_dropped_when_another_process_writes_the_ledger(
    container: Container, clock: FakeClock
) -> None:
    """Decisions reuse a derived state only while the store shows the same ledger stamp: a
    withdrawal recorded by another process (another container on the same store) takes effect
    in this one's very next decision (CON-5)."""
    from confide.bootstrap import build

    c = container
    sid = c.subjects.register(OP, RegisterSubject("customer", "ON", email="x@example.ca")).id
    c.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
    )
    clock.advance(minutes=1)
    assert c.consent.decide(OP, sid, "individual_marketing", (), "email").decision.allowed
    assert c.consent.decide(OP, sid, "individual_marketing", (), "email").decision.allowed
    other = build(c.settings, migrate_db=False, clock=clock)
    try:
        other.consent.withdraw(OP, sid, "individual_marketing", "email")
    finally:
        other.close()
    clock.advance(seconds=1)
    refused = c.consent.decide(OP, sid, "individual_marketing", (), "email").decision
    assert not refused.allowed and "consent_withdrawn" in [str(r) for r in refused.reasons]
