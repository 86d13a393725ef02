"""The consent ledger and decisions through the service, on SQLite and PostgreSQL (issue 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, consent_events
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from confide.services.consent import GiveConsentRequest
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

OP = LOCAL_OPERATOR


def customer(c: Container, province: str = "ON", **kw: object) -> str:
    email = kw.pop("email", f"c{c.subjects.page(OP)[1]}@example.ca")
    s = c.subjects.register(
        OP,
        RegisterSubject(
            "customer",
            province,
            "fr" if province == "QC" else "en",
            email=str(email),
            phone=kw.pop("phone", None),  # type: ignore[arg-type]
            **kw,
        ),
    )  # type: ignore[arg-type]
    return s.id


def events_count(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(consent_events)).scalar_one()
        )


def test_con_5_withdrawal_takes_effect_for_decisions_at_once(
    container: Container, clock: FakeClock
) -> None:
    sid = customer(container)
    container.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
    )
    allowed = container.consent.decide(OP, sid, "individual_marketing", ["email"], "email")
    assert allowed.decision.allowed, allowed.decision.reasons
    assert allowed.decision.relied_on and allowed.decision.relied_on.startswith("consent:")
    clock.advance(seconds=1)
    container.consent.withdraw(OP, sid, "individual_marketing", "email")
    refused = container.consent.decide(OP, sid, "individual_marketing", ["email"], "email")
    assert not refused.decision.allowed
    assert "consent_withdrawn" in [str(r) for r in refused.decision.reasons]


def test_con_3_express_only_purpose_is_refused_on_implied_consent(container: Container) -> None:
    sid = customer(container)
    d = container.consent.decide(OP, sid, "credit_check", ["credit_information"])
    assert not d.decision.allowed
    with pytest.raises(NotAllowed):
        container.consent.give(
            OP, GiveConsentRequest(sid, ("credit_check",), "implied", "other_action")
        )
    container.consent.give(
        OP,
        GiveConsentRequest(
            sid, ("credit_check",), "express", "signed_document", evidence_ref="form-77"
        ),
    )
    assert container.consent.decide(
        OP, sid, "credit_check", ["credit_information"]
    ).decision.allowed


def test_con_6_service_essential_opt_out_is_refused_and_termination_ends_it(
    container: Container, clock: FakeClock
) -> None:
    sid = customer(container)
    container.consent.record_relationship(OP, sid, "registration")
    before = events_count(container)
    with pytest.raises(NotAllowed) as err:
        container.consent.withdraw(OP, sid, "provide_service")
    assert err.value.rule == "CON-6"
    assert events_count(container) == before  # nothing recorded
    assert container.consent.decide(OP, sid, "provide_service", ["name"]).decision.allowed
    clock.advance(days=1)
    container.consent.record_relationship(OP, sid, "service_terminated")
    clock.advance(seconds=1)
    assert not container.consent.decide(OP, sid, "provide_service", ["name"]).decision.allowed


def test_cem_1_purchase_implies_consent_to_email_for_730_days(
    container: Container, clock: FakeClock
) -> None:
    sid = customer(container)
    bought = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    container.consent.record_relationship(OP, sid, "purchase", bought)
    day_730 = bought + timedelta(days=730)
    day_731 = bought + timedelta(days=731, hours=12)
    clock.set(day_731 + timedelta(days=1))
    inside = container.consent.decide(
        OP, sid, "marketing_communications", ["email"], "email", day_730
    )
    outside = container.consent.decide(
        OP, sid, "marketing_communications", ["email"], "email", day_731
    )
    assert inside.decision.allowed, inside.decision.reasons
    assert inside.decision.valid_until is not None
    assert not outside.decision.allowed


def test_con_10_gpc_signal_opts_out_of_the_purposes_the_policy_maps(
    container: Container, clock: FakeClock
) -> None:
    sid = customer(container)
    container.consent.give(
        OP, GiveConsentRequest(sid, ("sharing_with_partners",), "express", "checkbox")
    )
    assert container.consent.decide(OP, sid, "sharing_with_partners", ["name"]).decision.allowed
    clock.advance(minutes=5)  # later, the browser sends Sec-GPC: 1 with another consent interaction
    container.consent.give(
        OP,
        GiveConsentRequest(
            sid, ("individual_marketing",), "express", "checkbox", "email", gpc=True
        ),
    )
    d = container.consent.decide(OP, sid, "sharing_with_partners", ["name"])
    assert not d.decision.allowed
    assert "gpc_opt_out" in [str(r) for r in d.decision.reasons]


def test_con_8_quebec_bundled_consent_is_refused(container: Container) -> None:
    sid = customer(container, "QC")
    with pytest.raises(NotAllowed) as err:
        container.consent.give(
            OP,
            GiveConsentRequest(
                sid, ("individual_marketing", "credit_check"), "express", "checkbox", "email"
            ),
        )
    assert err.value.rule == "CON-8"


def test_every_decision_is_recorded_with_its_audit_entry(container: Container) -> None:
    sid = customer(container)
    result = container.consent.decide(OP, sid, "billing", ["billing_records"])
    stored = container.consent.decision(OP, result.id)
    assert stored.allowed == result.decision.allowed
    assert (
        stored.purpose_id == "billing"
        and stored.policy_version == container.ctx.require_active().version_id
    )
    with container.engine.connect() as conn:
        n = conn.execute(
            sa.select(sa.func.count())
            .select_from(audit_entries)
            .where(audit_entries.c.object_id == result.id)
        ).scalar_one()
    assert n == 1
    with pytest.raises(NotFound):
        container.consent.decision(OP, "dec_missing")


def test_receipts_in_both_formats_name_the_consent(container: Container) -> None:
    sid = customer(container, "QC")
    given = container.consent.give(
        OP,
        GiveConsentRequest(
            sid,
            ("individual_marketing",),
            "express",
            "checkbox",
            "email",
            evidence_ref="web-form-3",
        ),
    )
    iso, kantara, lang = container.consent.receipt(OP, given[0].event_id)
    assert iso["record_id"] == given[0].event_id and lang == "fr"
    assert kantara["version"] == "KI-CR-v1.1.0"


def test_cem_2_withdrawal_unacknowledged_after_10_business_days_is_overdue(
    container: Container, clock: FakeClock
) -> None:
    system = container.consent.register_system(OP, "crm", ["individual_marketing"])
    sid = customer(container)
    container.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
    )
    clock.advance(seconds=5)
    withdrawal = container.consent.withdraw(OP, sid, "individual_marketing", "email")[0]
    status = container.consent.withdrawal_status(OP)
    assert [str(s.status) for s in status[0].progress.systems] == ["pending"]
    clock.advance(days=16)
    assert [str(s.status) for s in container.consent.withdrawal_status(OP)[0].progress.systems] == [
        "overdue"
    ]
    container.consent.acknowledge(OP, withdrawal.event_id, system)
    container.consent.acknowledge(OP, withdrawal.event_id, system)  # idempotent
    assert [str(s.status) for s in container.consent.withdrawal_status(OP)[0].progress.systems] == [
        "acknowledged_late"
    ]


def test_cem_4_national_list_blocks_calls_on_implied_consent_and_internal_list_blocks_all(
    container: Container, clock: FakeClock
) -> None:
    at = datetime(2026, 6, 3, 15, 0, tzinfo=UTC)  # a Wednesday, 11:00 in Toronto
    clock.set(at - timedelta(days=30))
    sid = customer(container, phone="+1 416 555 0142")
    container.consent.record_relationship(OP, sid, "purchase")  # implied consent to marketing (EBR)
    container.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "verbal", "telemarketing")
    )
    clock.set(at)

    def call(purpose: str) -> list[str]:
        d = container.consent.decide(
            OP, sid, purpose, ["telephone_number"], "telemarketing", clock.now()
        ).decision
        return [] if d.allowed else [str(r) for r in d.reasons]

    assert call("marketing_communications") == [
        "national_dnc_list_stale"
    ]  # no copy of the list: no calls
    container.consent.import_national_dnc(OP, at - timedelta(days=3), ["+14165550100"])
    assert call("marketing_communications") == []
    container.consent.import_national_dnc(OP, at - timedelta(days=1), ["+14165550142"])
    assert call("marketing_communications") != []  # on the national list, only implied consent
    assert call("individual_marketing") == []  # express consent to be called is the exemption
    container.consent.do_not_call(OP, sid)
    clock.advance(minutes=1)
    assert call("individual_marketing") != []  # the internal list wins whatever the relationship
    clock.set(at + timedelta(days=40))
    assert "national_dnc_list_stale" in call("marketing_communications")


def test_bad_input_is_refused_and_records_nothing(container: Container, clock: FakeClock) -> None:
    sid = customer(container)
    before = events_count(container)
    with pytest.raises(NotFound):
        container.consent.give(OP, GiveConsentRequest(sid, ("astrology",), "express", "checkbox"))
    with pytest.raises(NotFound):
        container.consent.give(
            OP, GiveConsentRequest("sub_missing", ("credit_check",), "express", "checkbox")
        )
    with pytest.raises(ValidationFailed):
        container.consent.give(
            OP, GiveConsentRequest(sid, ("credit_check",), "express", "telepathy")
        )
    with pytest.raises(ValidationFailed):
        container.consent.give(
            OP,
            GiveConsentRequest(
                sid, ("credit_check",), "express", "checkbox", at=clock.now() + timedelta(days=1)
            ),
        )
    with pytest.raises(Conflict):
        container.consent.withdraw(OP, sid, "credit_check")
    with pytest.raises(NotFound):
        container.consent.give(
            OP,
            GiveConsentRequest(
                sid, ("credit_check",), "express", "checkbox", policy_version="1999.9"
            ),
        )
    assert events_count(container) == before


def test_demo_subjects_have_mixed_states_the_engine_decides_on(container: Container) -> None:
    container.demo.generate(OP, 200, seed=5)
    subjects, _ = container.subjects.page(OP, 0, 200)
    answers = [
        container.consent.decide(
            OP, s.id, "individual_marketing", ["email"], "email"
        ).decision.allowed
        for s in subjects[:120]
    ]
    assert any(answers) and not all(answers)
