"""The consent parts on their own, on SQLite and PostgreSQL: the store writes and reads every
event type through the one table of event types; a decision goes to the recorder it was
constructed with before it is answered; the application records through its group committer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, decisions
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.consent import codec
from confide.domain.consent.events import ConsentEvent
from confide.domain.decisions import StoredDecision
from confide.services.consent import ConsentDecisions, DecisionRecorder, GiveConsentRequest
from confide.services.subjects import RegisterSubject

OP = LOCAL_OPERATOR
AT = datetime(2026, 2, 1, 15, 0, 0, 123456, tzinfo=UTC)


def _subject(c: Container) -> str:
    return c.subjects.register(OP, RegisterSubject("customer", "ON", "en", email="p@example.ca")).id


def _sample(et: codec.EventType, n: int, subject_id: str) -> ConsentEvent:
    """An event of type ``et`` with every field set (built from the table: no list to keep)."""
    values: dict[str, Any] = {"event_id": f"cev_{n:04d}", "subject_id": subject_id, et.at_attr: AT}
    for f in et.fields:
        if f.form is codec.Form.TIME:
            values[f.attr] = AT + timedelta(days=n + 1)
        elif f.form is codec.Form.FLAG:
            values[f.attr] = True
        elif f.form is codec.Form.ENUM:
            assert f.enum is not None
            values[f.attr] = next(iter(f.enum))
        else:
            values[f.attr] = f"{f.attr[:1]}{n}"
    event: ConsentEvent = et.cls(**values)
    return event


def _count(c: Container, table: sa.Table, object_column: sa.Column[Any], value: str) -> int:
    with c.engine.connect() as conn:
        q = sa.select(sa.func.count()).select_from(table).where(object_column == value)
        return int(conn.execute(q).scalar_one())


def test_con_1_every_event_type_reads_back_from_the_store_as_it_was_written(
    container: Container,
) -> None:
    sid = _subject(container)
    events = [_sample(et, n, sid) for n, et in enumerate(codec.EVENT_TYPES)]
    with container.ctx.uow() as uow:
        uow.consent.add_events(events, AT)
        uow.commit()
    with container.ctx.uow(readonly=True) as uow:
        by_id = {e.event_id: e for e in events}
        assert {e.event_id: e for e in uow.consent.history(sid)} == by_id
        assert {e.event_id: e for e in uow.consent.histories([sid])[sid]} == by_id
        assert {e.event_id: e for e in uow.consent.decision_history(sid)} == by_id
        assert all(uow.consent.event(e.event_id) == e for e in events)


def test_con_1_a_decision_goes_to_the_recorder_it_was_built_with_before_it_is_answered(
    container: Container,
) -> None:
    sid = _subject(container)
    container.consent.give(
        OP, GiveConsentRequest(sid, ("individual_marketing",), "express", "checkbox", "email")
    )
    handed: list[StoredDecision] = []

    def record(items: Sequence[StoredDecision]) -> None:
        handed.extend(items)

    part = ConsentDecisions(container.ctx, record)
    result = part.decide(OP, sid, "individual_marketing", ["email"], "email")
    assert result.decision.allowed
    assert [d.id for d in handed] == [result.id]
    assert _count(container, decisions, decisions.c.id, result.id) == 0  # only the recorder writes

    DecisionRecorder(container.ctx).record(handed)
    assert container.consent.decision(OP, result.id).relied_on == result.decision.relied_on
    assert _count(container, audit_entries, audit_entries.c.object_id, result.id) == 1


def test_the_application_records_decisions_through_its_group_committer(
    container: Container,
) -> None:
    assert container.consent.decisions._record == container.decision_log.submit
    sid = _subject(container)
    result = container.consent.decide(OP, sid, "individual_marketing", ["email"], "email")
    assert container.consent.decision(OP, result.id).allowed is False
