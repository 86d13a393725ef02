"""The breach register on SQLite and PostgreSQL, one test (or more) per rule: BRE-1 every
incident recorded with the contents the regulations list, BRE-2 no closing without an
assessment, BRE-3 reports and notices owed by a real risk, BRE-4 public notice only with a
reason, BRE-5 records kept 24 months / five years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import (
    audit_entries,
    incident_subjects,
    incidents,
    outbox_messages,
)
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER, Principal, Role
from confide.domain.breaches.model import IncidentStatus, NotYetDisposable, UnmatchedLines
from confide.domain.errors import Conflict, NotAllowed, PermissionDenied, ValidationFailed
from confide.domain.holds import HoldKind, OnHold
from confide.domain.outbox import Channel
from confide.services.breaches import (
    AssessIncident,
    IncidentFacts,
    NotifyIndividuals,
    PlanNotice,
    PortalReport,
    PublicNotice,
    RecordSent,
)
from confide.services.ports.breaches import AffectedQuery
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeClock

AGENT = Principal("u-agent", "agent", frozenset({Role.AGENT}))
AUDITOR = Principal("u-aud", "auditor", frozenset({Role.AUDITOR}))

FULL = IncidentFacts(
    title="Laptop stolen from a technician's car",
    reported_by="staff",
    circumstances="A laptop holding a copy of the billing export was stolen from a car.",
    cause="The export was kept on the laptop against procedure.",
    occurred_from=date(2026, 5, 28),
    occurred_approximate=True,
    categories=("credit_information", "billing_records"),
    systems=("billing",),
    measures="The laptop was wiped remotely; the export procedure was changed.",
    individual_steps="Watch your card statements and tell your bank of any unknown charge.",
)


def person(
    c: Container,
    n: int,
    province: str = "QC",
    *,
    language: str = "en",
    email: bool = True,
    account: str | None = None,
) -> str:
    return c.subjects.register(
        OFFICER,
        RegisterSubject(
            "customer",
            province,
            language=language,
            email=f"person{n}@example.ca" if email else None,
            account=account or (None if email else f"A-{n:03d}"),
        ),
    ).id


def holding(c: Container, subject_id: str, category: str, system: str = "billing") -> None:
    c.subjects.record_information(
        OFFICER,
        RecordInformation(
            subject_id,
            category,
            "4111 1111 1111 1111" if category == "credit_information" else "Invoice 7",
            "from_individual",
            ("legal_compliance",),
            system,
            collected_at=datetime(2026, 1, 15, tzinfo=UTC),
        ),
    )


def count(c: Container, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
    with c.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()
        )


def actions(c: Container, prefix: str) -> list[str]:
    with c.engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_entries.c.action)
            .where(audit_entries.c.action.like(f"{prefix}%"))
            .order_by(audit_entries.c.seq)
        )
        return [r[0] for r in rows]


def affected_incident(c: Container, clock: FakeClock) -> tuple[str, list[str]]:
    """An incident with its facts complete and three people linked (two in Québec)."""
    people = [person(c, 1), person(c, 2, language="fr"), person(c, 3, "ON", email=False)]
    for p in people:
        holding(c, p, "credit_information")
    incident = c.breaches.record(OFFICER, FULL)
    c.breaches.link_by_query(
        OFFICER,
        incident.id,
        AffectedQuery(categories=("credit_information",), systems=("billing",)),
    )
    return incident.id, people


REAL_RISK = AssessIncident(
    factors=("malicious_intent", "not_recovered"),
    real_risk=True,
    decision_reason="Card numbers in clear on a stolen device.",
    serious_injury=True,
    ill_intentioned_uses="Fraudulent card purchases; identity theft.",
    consequences="Financial loss; time spent with banks.",
    likelihood="high",
)


# --- BRE-1 ----------------------------------------------------------------------------------------


def test_bre_1_every_incident_is_recorded_and_its_page_lists_what_the_register_still_lacks(
    container: Container, clock: FakeClock
) -> None:
    c = container
    first = c.breaches.record(AGENT, IncidentFacts(title="Misdirected email", aware_on=None))
    assert first.reference == f"INC-{clock.now().year}-0001"
    assert first.status is IncidentStatus.OPEN
    assert first.recorded_by == AGENT.user_id
    view = c.breaches.view(AUDITOR, first.reference)
    assert view.missing == [
        "circumstances",
        "occurrence",
        "information",
        "systems",
        "affected",
        "measures",
    ]
    amended = c.breaches.amend(
        OFFICER,
        first.id,
        IncidentFacts(
            circumstances="An invoice went to the wrong customer.",
            occurred_from=date(2026, 5, 30),
            unknown_information="The attachment was deleted before we could read it.",
            systems=("mail",),
            affected_estimate=1,
            measures="The recipient confirmed deletion.",
        ),
    )
    assert c.breaches.view(OFFICER, amended.id).missing == []
    second = c.breaches.record(OFFICER, FULL)
    assert second.reference.endswith("-0002")
    assert actions(c, "incident.") == ["incident.recorded", "incident.amended", "incident.recorded"]
    # The narrative is sealed at rest: the circumstances are nowhere in clear.
    with c.engine.connect() as conn:
        sealed = conn.execute(sa.select(incidents.c.sealed)).scalars().all()
    assert all(b"stolen" not in bytes(s) for s in sealed)
    # Only the officer amends; the auditor reads and records nothing.
    with pytest.raises(PermissionDenied):
        c.breaches.amend(AGENT, first.id, IncidentFacts(measures="x"))
    with pytest.raises(PermissionDenied):
        c.breaches.record(AUDITOR, FULL)


def test_bre_1_bad_facts_are_refused_by_field_and_nothing_is_written(
    container: Container, clock: FakeClock
) -> None:
    c = container
    with pytest.raises(ValidationFailed) as refused:
        c.breaches.record(
            OFFICER,
            IncidentFacts(
                title=" ",
                reported_by="rumour",
                aware_on=clock.now().date() + timedelta(days=2),
                occurred_from=date(2026, 5, 5),
                occurred_to=date(2026, 5, 1),
                categories=("credit_information", "horoscope"),
                affected_estimate=-3,
            ),
        )
    assert [p.location for p in refused.value.problems] == [
        "title",
        "reported_by",
        "aware_on",
        "occurred_to",
        "categories",
        "affected_estimate",
    ]
    assert count(c, incidents) == 0


def test_bre_1_an_individual_reports_through_the_portal_without_an_account(
    container: Container,
) -> None:
    c = container
    incident = c.breaches.report_from_portal(
        PortalReport("I received someone else's bill.", "reader@example.ca", "fr")
    )
    view = c.breaches.view(OFFICER, incident.id)
    assert view.incident.reported_by.value == "individual"
    assert view.incident.recorded_by == "portal"
    assert view.incident.reporter_contact == "reader@example.ca"
    with pytest.raises(ValidationFailed) as refused:
        c.breaches.report_from_portal(PortalReport(" ", " "))
    assert [p.location for p in refused.value.problems] == ["description", "contact"]


def test_bre_1_people_affected_are_linked_by_query_or_list_and_counted_per_province(
    container: Container, clock: FakeClock
) -> None:
    c = container
    qc = person(c, 1, account="A-100")
    on = person(c, 2, "ON", account="A-200")
    other = person(c, 3, "BC")
    holding(c, qc, "credit_information")
    holding(c, on, "credit_information")
    holding(c, other, "credit_information", system="crm")
    incident = c.breaches.record(OFFICER, FULL)
    added = c.breaches.link_by_query(
        OFFICER,
        incident.id,
        AffectedQuery(categories=("credit_information",), systems=("billing",)),
    )
    assert added == 2
    view = c.breaches.view(OFFICER, incident.id)
    assert [(x.province, x.people) for x in view.counts] == [("ON", 1), ("QC", 1)]
    assert view.incident.quebec  # a Québec resident brings the Commission in
    # Linking again adds no one twice.
    assert (
        c.breaches.link_by_query(
            OFFICER, incident.id, AffectedQuery(categories=("credit_information",))
        )
        == 1
    )
    # A list: every line must name exactly one person, or nothing is linked.
    second = c.breaches.record(OFFICER, FULL)
    with pytest.raises(UnmatchedLines) as refused:
        c.breaches.link_by_list(
            OFFICER,
            second.id,
            "# affected accounts\nemail:person1@example.ca\nemail:nobody@example.ca\n"
            "account:A-200\nnot an email@\n",
        )
    assert [p.location for p in refused.value.problems] == ["line 3", "line 5"]
    assert "nobody" not in str(refused.value)
    assert count(c, incident_subjects, incident_subjects.c.incident_id == second.id) == 0
    linked = c.breaches.link_by_list(
        OFFICER, second.id, "email:PERSON1@example.ca\naccount:A-200\nA-200\n"
    )
    assert linked == 2
    with pytest.raises(ValidationFailed):
        c.breaches.link_by_query(OFFICER, second.id, AffectedQuery())
    # A bare value that is one person's account and another's company id is ambiguous.
    c.subjects.register(
        OFFICER, RegisterSubject("customer", "NB", email="x@example.ca", external_ref="A-100")
    )
    with pytest.raises(UnmatchedLines) as ambiguous:
        c.breaches.link_by_list(OFFICER, second.id, "ref:A-100\nA-100\n")
    [problem] = ambiguous.value.problems
    assert (problem.location, problem.message) == ("line 2", "matches 2 people")


# --- BRE-2 ----------------------------------------------------------------------------------------


def test_bre_2_no_incident_is_closed_without_an_assessment_with_its_factors(
    container: Container, clock: FakeClock
) -> None:
    c = container
    incident_id, _ = affected_incident(c, clock)
    with pytest.raises(NotAllowed) as refused:
        c.breaches.close(OFFICER, incident_id)
    assert refused.value.fields["rule"] == "BRE-2"
    # Factors are required, and the Québec elements when Québec residents are affected.
    with pytest.raises(ValidationFailed) as bad:
        c.breaches.assess(
            OFFICER, incident_id, AssessIncident(factors=(), real_risk=False, decision_reason="")
        )
    assert [p.location for p in bad.value.problems] == [
        "factors",
        "decision_reason",
        "ill_intentioned_uses",
        "consequences",
        "likelihood",
        "serious_injury",
    ]
    assert c.breaches.view(OFFICER, incident_id).assessments == []
    # Confide proposes, with its reasons; the officer decides.
    proposal = c.breaches.proposal(OFFICER, incident_id, ["encrypted", "recovered"], "low")
    assert (proposal.sensitivity.value, proposal.probability.value) == ("high", "low")
    assert not proposal.real_risk
    assert "factor.encrypted" in proposal.reasons
    clock.advance(days=2)
    assessment = c.breaches.assess(
        OFFICER,
        incident_id,
        AssessIncident(
            factors=("encrypted", "recovered"),
            real_risk=False,
            decision_reason="The disk was encrypted and the laptop recovered the same day.",
            serious_injury=False,
            ill_intentioned_uses="None likely: the data was unreadable.",
            consequences="None anticipated.",
            likelihood="low",
        ),
    )
    assert assessment.proposed_real_risk is False and assessment.real_risk is False
    assert (assessment.decided_by, assessment.decided_at) == (OFFICER.user_id, clock.now())
    assert assessment.sensitivity.value == "high"  # from the policy's categories
    closed = c.breaches.close(OFFICER, incident_id)
    assert closed.status is IncidentStatus.CLOSED
    assert actions(c, "incident.")[-2:] == ["incident.assessed", "incident.closed"]


# --- BRE-3 ----------------------------------------------------------------------------------------


def test_bre_3_a_real_risk_owes_the_reports_and_the_notices_before_closing(
    container: Container, clock: FakeClock
) -> None:
    c = container
    incident_id, people = affected_incident(c, clock)
    c.breaches.assess(OFFICER, incident_id, REAL_RISK)
    view = c.breaches.view(OFFICER, incident_id)
    assert view.outstanding == ["opc_report", "cai_notice", "individuals"]
    with pytest.raises(NotAllowed) as refused:
        c.breaches.close(OFFICER, incident_id)
    assert refused.value.fields["rule"] == "BRE-3"
    # "As soon as feasible": the officer sets a target; the register shows it late after.
    today = clock.now().date()
    c.breaches.plan(OFFICER, incident_id, PlanNotice("opc_report", today + timedelta(days=2)))
    clock.advance(days=3)
    assert [r.incident.id for r in c.breaches.late(AUDITOR)] == [incident_id]
    # The worker's tick reminds the privacy officer once per late report.
    assert c.breaches.tick(WORKER) == 1
    assert c.breaches.tick(WORKER) == 0
    assert count(c, outbox_messages, outbox_messages.c.kind == "breach_late") == 1
    report = c.breaches.record_sent(
        OFFICER, incident_id, "opc_report", RecordSent(reference="PIPEDA-2026-0099")
    )
    assert report.sent_on == clock.now().date()
    assert c.breaches.late(AUDITOR) == []
    c.breaches.record_sent(OFFICER, incident_id, "cai_notice", RecordSent())
    # Notices to each person, in their language, into the outbox (letters without an email).
    notice = c.breaches.notify_individuals(OFFICER, incident_id)
    assert notice.count == 3
    again = c.breaches.notify_individuals(OFFICER, incident_id)
    assert again.count == 3  # no one is notified twice
    with c.engine.connect() as conn:
        channels = dict(
            conn.execute(
                sa.select(outbox_messages.c.target_id, outbox_messages.c.channel).where(
                    outbox_messages.c.kind == "breach_notice"
                )
            ).all()
        )
    assert channels == {
        people[0]: Channel.EMAIL.value,
        people[1]: Channel.EMAIL.value,
        people[2]: Channel.LETTER.value,
    }
    c.breaches.record_sent(
        OFFICER, incident_id, "organization", RecordSent(reference="phone"), party="Visa Canada"
    )
    view = c.breaches.view(OFFICER, incident_id)
    assert view.outstanding == []
    assert view.notified == 3
    assert c.breaches.close(OFFICER, incident_id).status is IncidentStatus.CLOSED


def test_bre_3_a_report_or_notice_lacking_a_required_content_is_refused_by_name(
    container: Container, clock: FakeClock
) -> None:
    c = container
    incident_id, _ = affected_incident(c, clock)
    c.breaches.amend(OFFICER, incident_id, IncidentFacts(measures="", individual_steps=""))
    with pytest.raises(NotAllowed):  # no assessment yet
        c.breaches.notify_individuals(OFFICER, incident_id)
    c.breaches.assess(OFFICER, incident_id, REAL_RISK)
    with pytest.raises(ValidationFailed) as refused:
        c.breaches.record_sent(OFFICER, incident_id, "opc_report", RecordSent())
    assert [p.location for p in refused.value.problems] == ["measures"]
    with pytest.raises(ValidationFailed) as no_contact:
        c.breaches.notify_individuals(OFFICER, incident_id, NotifyIndividuals(contact=" "))
    assert [p.location for p in no_contact.value.problems] == [
        "what_we_did",
        "what_you_can_do",
        "contact",
    ]
    assert count(c, outbox_messages, outbox_messages.c.kind == "breach_notice") == 0
    with pytest.raises(ValidationFailed):
        c.breaches.plan(OFFICER, incident_id, PlanNotice("organization", None))


# --- BRE-4 ----------------------------------------------------------------------------------------


def test_bre_4_a_public_notice_needs_a_reason_and_replaces_direct_notices(
    container: Container, clock: FakeClock
) -> None:
    c = container
    incident_id, _ = affected_incident(c, clock)
    c.breaches.assess(OFFICER, incident_id, REAL_RISK)
    with pytest.raises(ValidationFailed) as refused:
        c.breaches.public_notice(OFFICER, incident_id, PublicNotice("cheaper", "", ""))
    assert [p.location for p in refused.value.problems] == ["reason", "explanation", "how"]
    c.breaches.public_notice(
        OFFICER,
        incident_id,
        PublicNotice(
            "no_contact",
            "The affected accounts were closed years ago; no address is current.",
            "Notice on the company's website and in La Presse",
        ),
    )
    view = c.breaches.view(OFFICER, incident_id)
    assert view.outstanding == ["opc_report", "cai_notice"]
    assert actions(c, "incident.public_notice") == ["incident.public_notice"]


# --- BRE-5 ----------------------------------------------------------------------------------------


def test_bre_5_records_are_kept_24_months_after_determination_and_quebec_five_years(
    container: Container, clock: FakeClock
) -> None:
    c = container
    incident_id, people = affected_incident(c, clock)  # Québec residents are linked
    # While the incident is open, a breach hold keeps each category it involves.
    holds = c.holds.listing(OFFICER, subject_id=people[0], active_only=True)
    assert {(h.kind, h.scope.category) for h in holds} >= {
        (HoldKind.BREACH_INVESTIGATION, "credit_information")
    }
    determined = clock.now().date()
    c.breaches.assess(
        OFFICER,
        incident_id,
        AssessIncident(
            factors=("recovered",),
            real_risk=False,
            decision_reason="Recovered unopened.",
            serious_injury=False,
            ill_intentioned_uses="None.",
            consequences="None.",
            likelihood="low",
            determined_on=determined,
        ),
    )
    closed = c.breaches.close(OFFICER, incident_id)
    aware = closed.aware_on
    assert closed.keep_until == max(
        date(determined.year + 2, determined.month, determined.day),
        date(aware.year + 5, aware.month, aware.day),
    )
    assert c.holds.listing(OFFICER, subject_id=people[0], active_only=True) == []
    # The people it links keep their audit payloads while the record is kept.
    with pytest.raises(OnHold) as held:
        c.audit.erase_subject_payloads(OFFICER, people[0])
    assert held.value.hold_ids == (incident_id,)
    with pytest.raises(NotYetDisposable) as early:
        c.breaches.dispose(OFFICER, incident_id)
    assert early.value.fields["rule"] == "BRE-5"
    clock.advance(days=(closed.keep_until - clock.now().date()).days - 1)
    with pytest.raises(NotYetDisposable):
        c.breaches.dispose(OFFICER, incident_id)
    clock.advance(days=1)
    assert c.breaches.dispose(OFFICER, incident_id) == closed.reference
    assert count(c, incidents) == 0
    assert count(c, incident_subjects) == 0
    assert c.audit.erase_subject_payloads(OFFICER, people[0]) >= 0


def test_bre_5_a_federal_only_incident_is_kept_24_months(
    container: Container, clock: FakeClock
) -> None:
    c = container
    someone = person(c, 9, "ON")
    holding(c, someone, "billing_records")
    incident = c.breaches.record(OFFICER, FULL)
    c.breaches.link_by_list(OFFICER, incident.id, "email:person9@example.ca")
    c.breaches.assess(
        OFFICER,
        incident.id,
        AssessIncident(factors=("recovered",), real_risk=False, decision_reason="Recovered."),
    )
    closed = c.breaches.close(OFFICER, incident.id)
    d = clock.now().date()
    assert closed.keep_until == date(d.year + 2, d.month, d.day)
    with pytest.raises(Conflict):
        c.breaches.close(OFFICER, incident.id)
