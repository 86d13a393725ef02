"""Complaints on SQLite and PostgreSQL: CMP-1 recorded, acknowledged, escalated when not resolved
in time, answered in writing with the recourse; CMP-2 no closing of a justified complaint
without a recorded action; CMP-3 the officer named in the letters; bad input refused by field
with nothing written; the person's information held while it is open."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import complaints, outbox_messages
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER, Principal, Role
from confide.domain.complaints import ActionRequired, ComplaintLevel, ComplaintStatus
from confide.domain.complaints.model import ComplaintClosed
from confide.domain.errors import PermissionDenied, ValidationFailed
from confide.domain.holds import HoldKind, OnHold
from confide.services.complaints import RecordAction, RecordComplaint
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

AGENT = Principal("u-agent", "agent", frozenset({Role.AGENT}))
AUDITOR = Principal("u-aud", "auditor", frozenset({Role.AUDITOR}))


def customer(c: Container, province: str = "QC", language: str = "fr") -> str:
    return c.subjects.register(
        OFFICER,
        RegisterSubject(
            "customer", province, language, email="plaignant@example.ca", account="A-4242"
        ),
    ).id


def phone_call(**changes: str) -> RecordComplaint:
    base = {
        "channel": "phone",
        "topic": "marketing",
        "summary": "I still receive texts after opting out last month.",
        "contact": "plaignant@example.ca",
        "language": "fr",
        "account_ref": "A-4242",
    }
    return RecordComplaint(**{**base, **changes})


def count(c: Container, table: sa.Table) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_cmp_1_a_complaint_is_recorded_matched_acknowledged_and_holds_the_persons_information(
    container: Container, clock: FakeClock
) -> None:
    c = container
    person = customer(c)
    complaint = c.complaints.record(AGENT, phone_call())
    assert complaint.reference == f"CMP-{clock.now().year}-0001"
    assert (complaint.subject_id, complaint.quebec) == (person, True)
    assert complaint.target_on == clock.now().date() + timedelta(days=30)
    with c.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox_messages.c.kind, outbox_messages.c.channel)).all()
    assert rows == [("complaint_ack", "email")]
    holds = c.holds.listing(AUDITOR, subject_id=person, active_only=True)
    assert [(h.kind, h.cause) for h in holds] == [(HoldKind.COMPLAINT, complaint.id)]
    with pytest.raises(OnHold):
        c.audit.erase_subject_payloads(OFFICER, person)
    # Sealed at rest: the summary and the contact are nowhere in clear.
    with c.engine.connect() as conn:
        blob = bytes(conn.execute(sa.select(complaints.c.sealed)).scalar_one())
    assert b"opting out" not in blob and b"plaignant" not in blob
    with pytest.raises(PermissionDenied):
        c.complaints.record(AUDITOR, phone_call())


def test_cmp_1_bad_input_is_refused_by_field_and_nothing_is_written(
    container: Container,
) -> None:
    c = container
    with pytest.raises(ValidationFailed) as refused:
        c.complaints.record(
            AGENT, phone_call(channel="pigeon", topic="weather", summary=" ", contact=" ")
        )
    assert [p.location for p in refused.value.problems] == [
        "channel",
        "topic",
        "summary",
        "contact",
    ]
    with pytest.raises(ValidationFailed) as unknown:
        c.complaints.record(AGENT, phone_call(topic="request", about_id="req_nothing"))
    assert [p.location for p in unknown.value.problems] == ["about_id"]
    assert count(c, complaints) == 0
    assert count(c, outbox_messages) == 0


def test_cmp_1_unresolved_at_the_first_level_by_its_target_it_escalates_to_the_officer(
    container: Container, clock: FakeClock
) -> None:
    c = container
    customer(c)
    complaint = c.complaints.record(AGENT, phone_call())
    clock.advance(days=30)
    assert c.complaints.tick(WORKER) == []  # the target day itself is in time
    clock.advance(days=1)
    assert c.complaints.tick(WORKER) == [complaint.reference]
    assert c.complaints.tick(WORKER) == []
    up = c.complaints.view(AUDITOR, complaint.id).complaint
    assert (up.level, up.escalated_by) == (ComplaintLevel.SENIOR, "system")
    with c.engine.connect() as conn:
        kinds = [r[0] for r in conn.execute(sa.select(outbox_messages.c.kind))]
    assert sorted(kinds) == ["complaint_ack", "complaint_escalation"]
    # Escalated, it is the officer's to answer.
    with pytest.raises(PermissionDenied):
        c.complaints.answer(AGENT, complaint.id, "not_justified", "No texts were sent.")


def test_cmp_2_a_justified_complaint_is_closed_only_with_a_recorded_action(
    container: Container, clock: FakeClock
) -> None:
    c = container
    person = customer(c)
    complaint = c.complaints.record(AGENT, phone_call())
    c.complaints.note(AGENT, complaint.reference, "Checked the SMS vendor's log: 2 texts.")
    c.complaints.escalate(AGENT, complaint.id)
    answered = c.complaints.answer(
        OFFICER, complaint.id, "justified", "Two texts were sent after your opt-out."
    )
    assert answered.status is ComplaintStatus.ANSWERED
    with pytest.raises(ActionRequired) as refused:
        c.complaints.close(OFFICER, complaint.id)
    assert refused.value.fields["rule"] == "CMP-2"
    with pytest.raises(ValidationFailed) as bad:
        c.complaints.add_action(OFFICER, complaint.id, RecordAction("practice_change"))
    assert [p.location for p in bad.value.problems] == ["description", "owner", "due_on"]
    with pytest.raises(ValidationFailed):
        c.complaints.add_action(
            OFFICER, complaint.id, RecordAction("policy_amendment", policy_version="v-none")
        )
    c.complaints.add_action(
        OFFICER,
        complaint.id,
        RecordAction(
            "practice_change",
            description="Opt-outs reach the SMS vendor within the hour.",
            owner="Marketing operations",
            due_on=date(2026, 7, 1),
        ),
    )
    assert [a.kind.value for a in c.complaints.open_actions(AUDITOR)] == ["practice_change"]
    with pytest.raises(PermissionDenied):
        c.complaints.close(AGENT, complaint.id)
    closed = c.complaints.close(OFFICER, complaint.id)
    assert closed.status is ComplaintStatus.CLOSED
    assert c.holds.listing(AUDITOR, subject_id=person, active_only=True) == []
    with pytest.raises(ComplaintClosed):
        c.complaints.escalate(OFFICER, complaint.id)
    view = c.complaints.view(AUDITOR, complaint.id)
    assert [n.text for n in view.notes] == ["Checked the SMS vendor's log: 2 texts."]
    months = c.complaints.monthly(AUDITOR, clock.now().year)
    assert months == [(clock.now().month, "marketing", "justified", 1)]


def test_cmp_3_the_letters_name_the_privacy_officer_and_the_recourse(
    container: Container,
) -> None:
    c = container
    customer(c)
    complaint = c.complaints.record(AGENT, phone_call())
    c.complaints.answer(AGENT, complaint.id, "not_justified", "No text was sent after opt-out.")
    officer = c.ctx.policy.organization.privacy_officer
    with c.ctx.uow(readonly=True) as uow:
        bodies = {
            m.kind.value: str(m.payload["text"])
            for m in (uow.outbox.by_key(f"complaint.{k}.{complaint.id}") for k in ("ack", "answer"))
            if m is not None
        }
    assert set(bodies) == {"complaint_ack", "complaint_answer"}
    for text in bodies.values():
        assert officer.email in text and officer.title.fr in text
    assert "Commission d'accès à l'information" in bodies["complaint_answer"]
    assert "No text was sent after opt-out." in bodies["complaint_answer"]
    assert json.dumps(bodies)  # plain text, no objects
