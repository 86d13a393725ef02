"""Complaints in the console (CMP-1, CMP-2): the register with its filters (open, escalated,
overdue), a form for an agent taking a complaint on the telephone, and a complaint's page —
notes, escalation, the answer in writing, the actions it led to, closing (with a ticked
confirmation). Agents handle the first level; the privacy officer escalated complaints,
actions and closing; the auditor reads."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from confide.adapters.rendering.csv_rows import rows_csv
from confide.domain.access import Action, Principal
from confide.domain.complaints import ActionKind, ComplaintChannel, ComplaintTopic, Outcome
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.services.complaints import RecordAction, RecordComplaint
from confide.services.ports.complaints import ComplaintFilter
from confide.web.console import console_language, container_of, render, run_form, run_signed_in
from confide.web.labels_complaints import COMPLAINT_LABELS
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console/complaints", include_in_schema=False)

DONE = {"recorded", "noted", "escalated", "answered", "action_recorded", "closed"}


def _common(request: Request) -> dict[str, Any]:
    return {
        "k": COMPLAINT_LABELS[console_language(request)],
        "topics": [t.value for t in ComplaintTopic],
        "channels": [c.value for c in ComplaintChannel if c is not ComplaintChannel.PORTAL],
        "outcomes": [o.value for o in Outcome],
        "action_kinds": [a.value for a in ActionKind],
    }


def _register(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    *,
    flt: ComplaintFilter | None = None,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    c = container_of(request)
    can_read = principal.can(Action.COMPLAINTS_READ)
    rows = c.complaints.listing(principal, flt or ComplaintFilter(), limit=500) if can_read else []
    year = c.ctx.now().year
    monthly = c.complaints.monthly(principal, year) if can_read else []
    actions = c.complaints.open_actions(principal) if can_read else []
    return render(
        request,
        "console/complaints.html",
        principal=principal,
        session=session,
        rows=rows,
        flt=flt or ComplaintFilter(),
        year=year,
        monthly=monthly,
        actions=actions,
        today=c.ctx.now().date(),
        can_read=can_read,
        can_record=principal.can(Action.COMPLAINTS_RECORD),
        done=done if done in DONE else "",
        problems=problems or [],
        **_common(request),
    )


@router.get("")
def register_page(
    request: Request,
    open: bool = False,
    escalated: bool = False,
    overdue: bool = False,
    topic: str = "",
    outcome: str = "",
    done: str = "",
) -> Response:
    def body(principal: Principal, session: ConsoleSession) -> Response:
        flt = ComplaintFilter(
            status="open" if open else None,
            level="senior" if escalated else None,
            topic=topic if topic in {t.value for t in ComplaintTopic} else None,
            outcome=outcome if outcome in {o.value for o in Outcome} else None,
            overdue_on=container_of(request).ctx.now().date() if overdue else None,
        )
        return _register(request, principal, session, flt=flt, done=done)

    return run_signed_in(request, body)


@router.get("/export.csv")
def export(request: Request) -> Response:
    """The register as CSV (no summaries or contacts)."""
    c = container_of(request)

    def body(principal: Principal, session: ConsoleSession) -> Response:
        rows = [
            {
                "reference": x.reference,
                "received_at": x.received_at.isoformat(),
                "channel": x.channel.value,
                "topic": x.topic.value,
                "level": x.level.value,
                "status": x.status.value,
                "target_on": x.target_on.isoformat(),
                "outcome": x.outcome.value if x.outcome else "",
                "closed_at": x.closed_at.isoformat() if x.closed_at else "",
            }
            for x in c.complaints.listing(principal, ComplaintFilter(), limit=1000)
        ]
        return Response(
            rows_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="complaints.csv"'},
        )

    return run_signed_in(request, body)


@router.post("")
async def record(request: Request) -> Response:
    c = container_of(request)
    made: list[str] = []

    def add(principal: Principal, f: dict[str, str]) -> str:
        complaint = c.complaints.record(
            principal,
            RecordComplaint(
                channel=f.get("channel", ""),
                topic=f.get("topic", ""),
                summary=f.get("summary", ""),
                contact=f.get("contact", ""),
                language=f.get("language", "en"),
                account_ref=f.get("account_ref", ""),
                about_id=f.get("about_id") or None,
            ),
        )
        made.append(complaint.reference)
        return "recorded"

    response = await run_form(
        request,
        {"record": add},
        lambda principal, session, problems: _register(
            request, principal, session, problems=problems
        ),
        "/console/complaints",
    )
    if made and response.status_code == 303:
        return RedirectResponse(
            f"/console/complaints/{quote(made[0])}?done=recorded", status_code=303
        )
    return response


def _page(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    complaint_id: str,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    c = container_of(request)
    view = c.complaints.view(principal, complaint_id)
    x = view.complaint
    is_open = x.status.value != "closed"
    senior = x.level.value == "senior"
    handle = principal.can(Action.COMPLAINTS_HANDLE) and is_open
    manage = principal.can(Action.COMPLAINTS_MANAGE) and is_open
    return render(
        request,
        "console/complaint.html",
        principal=principal,
        session=session,
        v=view,
        x=x,
        today=c.ctx.now().date(),
        can_note=handle,
        can_escalate=handle and not senior,
        can_answer=(manage if senior else handle) and x.status.value == "open",
        can_act=manage,
        can_close=manage and x.status.value == "answered",
        done=done if done in DONE else "",
        problems=problems or [],
        **_common(request),
    )


@router.get("/{complaint_id}")
def complaint_page(request: Request, complaint_id: str, done: str = "") -> Response:
    return run_signed_in(request, lambda p, s: _page(request, p, s, complaint_id, done=done))


@router.post("/{complaint_id}")
async def complaint_action(request: Request, complaint_id: str) -> Response:
    c = container_of(request)
    k = COMPLAINT_LABELS[console_language(request)]

    def note(principal: Principal, f: dict[str, str]) -> str:
        c.complaints.note(principal, complaint_id, f.get("text", ""))
        return "noted"

    def escalate(principal: Principal, f: dict[str, str]) -> str:
        c.complaints.escalate(principal, complaint_id)
        return "escalated"

    def answer(principal: Principal, f: dict[str, str]) -> str:
        c.complaints.answer(principal, complaint_id, f.get("outcome", ""), f.get("reasons", ""))
        return "answered"

    def act(principal: Principal, f: dict[str, str]) -> str:
        due = f.get("due_on") or ""
        try:
            due_on = date.fromisoformat(due) if due else None
        except ValueError:
            raise ValidationFailed.single("due_on", "is not a date (YYYY-MM-DD)") from None
        c.complaints.add_action(
            principal,
            complaint_id,
            RecordAction(
                kind=f.get("kind", ""),
                correction_id=f.get("correction_id") or None,
                description=f.get("description", ""),
                owner=f.get("owner", ""),
                due_on=due_on,
                policy_version=f.get("policy_version") or None,
            ),
        )
        return "action_recorded"

    def close(principal: Principal, f: dict[str, str]) -> str:
        if f.get("confirm") != "yes":
            raise ValidationFailed(
                k["close_confirm"], [FieldProblem("confirm", k["close_confirm"])]
            )
        c.complaints.close(principal, complaint_id)
        return "closed"

    return await run_form(
        request,
        {"note": note, "escalate": escalate, "answer": answer, "action": act, "close": close},
        lambda principal, session, problems: _page(
            request, principal, session, complaint_id, problems=problems
        ),
        f"/console/complaints/{quote(complaint_id)}",
    )
