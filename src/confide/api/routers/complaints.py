"""Complaints (CMP-1, CMP-2).

* ``POST /v1/complaints`` — record a complaint (agent, privacy officer); acknowledged through
  the outbox; ``GET /v1/complaints`` — the register (``status``, ``level``, ``topic``,
  ``outcome``, ``overdue``); ``GET /v1/complaints/export`` (CSV); ``GET .../monthly?year=``;
  ``GET .../actions`` — actions not yet done;
* ``GET /v1/complaints/{id}`` (by id or reference), with its notes and actions;
* ``POST .../notes``, ``.../escalate``, ``.../answer`` (agent at the first level; the officer
  once escalated); ``.../actions``, ``.../close`` (privacy officer; CMP-2).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from confide.adapters.rendering.csv_rows import rows_csv
from confide.api.deps import ContainerDep
from confide.api.schemas.complaints import (
    ActionIn,
    ActionOut,
    AnswerIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintViewOut,
    NoteIn,
    NoteOut,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.services.complaints import RecordAction, RecordComplaint
from confide.services.ports.complaints import ComplaintFilter

router = APIRouter(prefix="/v1/complaints", tags=["complaints"])
ONE = "/{complaint_id}"


@router.post("", status_code=status.HTTP_201_CREATED)
def record(
    body: ComplaintIn,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_RECORD)],
    c: ContainerDep,
) -> ComplaintOut:
    complaint = c.complaints.record(principal, RecordComplaint(**body.model_dump()))
    return ComplaintOut.of(complaint, c.ctx.now().date())


def _filter(
    c: ContainerDep,
    status_: str | None,
    level: str | None,
    topic: str | None,
    outcome: str | None,
    overdue: bool,
) -> ComplaintFilter:
    return ComplaintFilter(
        status=status_,
        level=level,
        topic=topic,
        outcome=outcome,
        overdue_on=c.ctx.now().date() if overdue else None,
    )


@router.get("")
def register(
    principal: Annotated[Principal, allow(Action.COMPLAINTS_READ)],
    c: ContainerDep,
    status_: Annotated[str | None, Query(alias="status", max_length=10)] = None,
    level: Annotated[str | None, Query(max_length=10)] = None,
    topic: Annotated[str | None, Query(max_length=20)] = None,
    outcome: Annotated[str | None, Query(max_length=20)] = None,
    overdue: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ComplaintOut]:
    """Newest first; ``overdue=true``: open complaints past the company's target date."""
    flt = _filter(c, status_, level, topic, outcome, overdue)
    today = c.ctx.now().date()
    return [
        ComplaintOut.of(x, today)
        for x in c.complaints.listing(principal, flt, offset=offset, limit=limit)
    ]


@router.get("/export")
def export(
    principal: Annotated[Principal, allow(Action.COMPLAINTS_READ)], c: ContainerDep
) -> Response:
    """The register as CSV (no summaries or contacts: ids, topics, dates, outcomes)."""
    rows = [
        {
            "reference": x.reference,
            "received_at": x.received_at.isoformat(),
            "channel": x.channel.value,
            "topic": x.topic.value,
            "quebec": "yes" if x.quebec else "no",
            "level": x.level.value,
            "status": x.status.value,
            "target_on": x.target_on.isoformat(),
            "escalated_at": x.escalated_at.isoformat() if x.escalated_at else "",
            "outcome": x.outcome.value if x.outcome else "",
            "answered_at": x.answered_at.isoformat() if x.answered_at else "",
            "closed_at": x.closed_at.isoformat() if x.closed_at else "",
        }
        for x in c.complaints.listing(principal, ComplaintFilter(), limit=1000)
    ]
    return Response(
        rows_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="complaints.csv"'},
    )


@router.get("/monthly")
def monthly(
    principal: Annotated[Principal, allow(Action.COMPLAINTS_READ)],
    c: ContainerDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[dict[str, object]]:
    """Counts per month, topic and outcome, for the privacy officer's annual review."""
    chosen = year or c.ctx.now().year
    return [
        {"month": m, "topic": t, "outcome": o, "count": n}
        for m, t, o, n in c.complaints.monthly(principal, chosen)
    ]


@router.get("/actions")
def open_actions(
    principal: Annotated[Principal, allow(Action.COMPLAINTS_READ)], c: ContainerDep
) -> list[ActionOut]:
    today = c.ctx.now().date()
    return [ActionOut.of(a, today) for a in c.complaints.open_actions(principal)]


@router.get(ONE)
def view(
    complaint_id: str,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_READ)],
    c: ContainerDep,
) -> ComplaintViewOut:
    v = c.complaints.view(principal, complaint_id)
    today = c.ctx.now().date()
    return ComplaintViewOut(
        complaint=ComplaintOut.of(v.complaint, today),
        notes=[NoteOut.of(n) for n in v.notes],
        actions=[ActionOut.of(a, today) for a in v.actions],
    )


@router.post(ONE + "/notes", status_code=status.HTTP_201_CREATED)
def note(
    complaint_id: str,
    body: NoteIn,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_HANDLE)],
    c: ContainerDep,
) -> NoteOut:
    return NoteOut.of(c.complaints.note(principal, complaint_id, body.text))


@router.post(ONE + "/escalate")
def escalate(
    complaint_id: str,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_HANDLE)],
    c: ContainerDep,
) -> ComplaintOut:
    return ComplaintOut.of(c.complaints.escalate(principal, complaint_id), c.ctx.now().date())


@router.post(ONE + "/answer")
def answer(
    complaint_id: str,
    body: AnswerIn,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_HANDLE)],
    c: ContainerDep,
) -> ComplaintOut:
    done = c.complaints.answer(principal, complaint_id, body.outcome, body.reasons)
    return ComplaintOut.of(done, c.ctx.now().date())


@router.post(ONE + "/actions", status_code=status.HTTP_201_CREATED)
def add_action(
    complaint_id: str,
    body: ActionIn,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_MANAGE)],
    c: ContainerDep,
) -> ActionOut:
    done = c.complaints.add_action(principal, complaint_id, RecordAction(**body.model_dump()))
    return ActionOut.of(done, c.ctx.now().date())


@router.post(ONE + "/close")
def close(
    complaint_id: str,
    principal: Annotated[Principal, allow(Action.COMPLAINTS_MANAGE)],
    c: ContainerDep,
) -> ComplaintOut:
    return ComplaintOut.of(c.complaints.close(principal, complaint_id), c.ctx.now().date())
