"""Written notices owed after an emergency disclosure (DIS-2): listed open / overdue / sent and
closed with when, how and by whom, in the store (SQLite and PostgreSQL), with an audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from test_disclosure_service import EXCEPTIONS, OP, recipient, request, subject

from confide.adapters.db.tables import audit_entries
from confide.bootstrap import Container
from confide.domain.access import Principal, Role
from confide.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from confide.services.disclosures import NoticeSent
from confide.testing import FakeClock

AUDITOR = Principal(user_id="u-aud", username="auditor", roles=frozenset({Role.AUDITOR}))
AGENT = Principal(user_id="u-agent", username="agent", roles=frozenset({Role.AGENT}))


def _emergency(c: Container) -> tuple[str, str]:
    class_id, purpose, categories, evidence = EXCEPTIONS["emergency"]
    sid = subject(c)
    rid = recipient(c, class_id)
    out = c.disclosures.disclose(OP, request(sid, rid, purpose, categories, "emergency", evidence))
    [notice] = out.notices
    return sid, notice.id


def _ids(c: Container, status: str | None) -> list[str]:
    return [n.id for n in c.disclosures.notices(OP, status=status)]


def test_dis_2_notices_are_listed_open_then_overdue_after_their_deadline(
    container: Container, clock: FakeClock
) -> None:
    _, first = _emergency(container)
    clock.advance(days=3)
    _, second = _emergency(container)
    assert _ids(container, "open") == [first, second]
    assert _ids(container, "overdue") == []
    clock.advance(days=5)  # the first is 8 days old (due in 7), the second 5
    assert _ids(container, "overdue") == [first]
    assert _ids(container, "open") == [first, second]  # open: not sent, overdue ones included
    assert _ids(container, "sent") == []
    statuses = [
        str(container.disclosures.notice_status(n)) for n in container.disclosures.notices(OP)
    ]
    assert statuses == ["overdue", "open"]
    with pytest.raises(ValidationFailed) as err:
        container.disclosures.notices(OP, status="late")
    assert [p.location for p in err.value.problems] == ["status"]


def test_dis_2_closing_a_notice_records_when_how_and_by_whom_with_an_audit_entry(
    container: Container, clock: FakeClock
) -> None:
    sid, nid = _emergency(container)
    clock.advance(days=2)
    sent_at = clock.now() - timedelta(hours=3)
    closed = container.disclosures.close_notice(
        AGENT, nid, NoticeSent("mail", sent_at, "Jeanne Tremblay", "RN123456789CA")
    )
    assert (closed.done_at, closed.sent_via, closed.sent_by, closed.sent_reference) == (
        sent_at,
        "mail",
        "Jeanne Tremblay",
        "RN123456789CA",
    )
    assert _ids(container, "sent") == [nid]
    assert _ids(container, "open") == []
    [stored] = container.disclosures.notices(OP, sid)
    assert stored == closed
    with container.engine.connect() as conn:
        seq = conn.execute(
            sa.select(audit_entries.c.seq).where(
                audit_entries.c.action == "disclosure.notice_sent",
                audit_entries.c.object_id == nid,
            )
        ).scalar_one()
    entry = container.audit.entry(OP, seq)
    assert entry.actor.endswith(AGENT.user_id)
    assert entry.details is not None
    assert (entry.details["method"], entry.details["late"]) == ("mail", False)
    assert "Jeanne" not in str(entry.details)  # the audit keeps ids and codes, not names


def test_dis_2_a_notice_closed_without_details_is_sent_now_by_the_caller(
    container: Container, clock: FakeClock
) -> None:
    _, nid = _emergency(container)
    clock.advance(days=9)
    closed = container.disclosures.close_notice(OP, nid, NoticeSent("email"))
    assert closed.done_at == clock.now()
    assert closed.sent_by == OP.user_id
    assert closed.done_at > closed.due_at  # sent late: no longer overdue, but shown as sent
    assert _ids(container, "overdue") == []


def test_dis_2_bad_notice_facts_name_their_field_and_change_nothing(
    container: Container, clock: FakeClock
) -> None:
    _, nid = _emergency(container)
    clock.advance(hours=1)
    cases = [
        (NoticeSent("pigeon"), ["method"]),
        (NoticeSent("mail", clock.now() + timedelta(hours=1)), ["sent_at"]),
        (NoticeSent("mail", clock.now() - timedelta(days=1)), ["sent_at"]),  # before disclosure
        (NoticeSent("mail", sent_by="  "), ["sent_by"]),
    ]
    for sent, fields in cases:
        with pytest.raises(ValidationFailed) as err:
            container.disclosures.close_notice(OP, nid, sent)
        assert [p.location for p in err.value.problems] == fields
    assert _ids(container, "open") == [nid]
    with pytest.raises(NotFound):
        container.disclosures.close_notice(OP, "ntc_nobody", NoticeSent("mail"))


def test_dis_2_a_notice_is_closed_once_and_auditors_cannot_close_it(
    container: Container, clock: FakeClock
) -> None:
    _, nid = _emergency(container)
    with pytest.raises(PermissionDenied):
        container.disclosures.close_notice(AUDITOR, nid, NoticeSent("mail"))
    container.disclosures.close_notice(OP, nid, NoticeSent("portal"))
    with pytest.raises(Conflict):
        container.disclosures.close_notice(OP, nid, NoticeSent("mail"))
    [n] = container.disclosures.notices(AUDITOR)  # auditors read them
    assert n.sent_via == "portal"
