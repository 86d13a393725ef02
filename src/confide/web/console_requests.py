"""The console's request queue (ACC-1..3): open requests with their due dates, days left and
overdue ones first; a request's page with what an agent or the privacy officer does next —
record an agent's identity check for a phone request (ACC-11), the one federal extension with
its notice (ACC-2; refused for Québec subjects), close."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from confide.domain.access import Action, Principal, Role
from confide.domain.errors import ValidationFailed
from confide.web.console import container_of, render, run_form, run_signed_in
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console", include_in_schema=False)

FILTERS = ("open", "due7", "overdue", "awaiting")
"""``awaiting``: individuals' own requests not verified yet, apart from the queue (ACC-11)."""


@router.get("/requests")
def queue(request: Request, show: str = "open") -> Response:
    def body(principal: Principal, session: ConsoleSession) -> Response:
        principal.require(Action.CONSOLE_REQUESTS)
        chosen = show if show in FILTERS else "open"
        rows = container_of(request).requests.listing(
            principal,
            due_within=7 if chosen == "due7" else None,
            overdue=chosen == "overdue",
            awaiting_identity=chosen == "awaiting",
        )
        return render(
            request,
            "console/requests.html",
            principal=principal,
            session=session,
            rows=rows,
            show=chosen,
            filters=FILTERS,
        )

    return run_signed_in(request, body)


@router.get("/requests/{request_id}")
def detail(request: Request, request_id: str, done: str = "") -> Response:
    def body(principal: Principal, session: ConsoleSession) -> Response:
        principal.require(Action.CONSOLE_REQUESTS)
        return _detail(request, principal, session, request_id, done=done)

    return run_signed_in(request, body)


def _detail(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    request_id: str,
    *,
    done: str = "",
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    row = container_of(request).requests.get(principal, request_id)
    return render(
        request,
        "console/request.html",
        principal=principal,
        session=session,
        status_code=status_code,
        row=row,
        r=row.request,
        is_officer=Role.PRIVACY_OFFICER in principal.roles,
        done=done if done in {"verified", "extended", "closed"} else "",
        problems=problems or [],
    )


@router.post("/requests/{request_id}/act")
async def act(request: Request, request_id: str) -> Response:
    service = container_of(request).requests

    def verify(principal: Principal, f: dict[str, str]) -> str:
        service.verify_by_agent(
            principal,
            request_id,
            f.get("how", ""),
            authority_checked=f.get("authority_checked") == "on",
        )
        return "verified"

    def extend(principal: Principal, f: dict[str, str]) -> str:
        days = f.get("days", "").strip()
        if days and not days.isdigit():
            raise ValidationFailed.single("days", "must be a number of days")
        service.extend(principal, request_id, f.get("reason", ""), days=int(days) if days else None)
        return "extended"

    def close(principal: Principal, f: dict[str, str]) -> str:
        service.close(principal, request_id)
        return "closed"

    return await run_form(
        request,
        {"verify": verify, "extend": extend, "close": close},
        lambda principal, session, problems: _detail(
            request, principal, session, request_id, problems=problems
        ),
        f"/console/requests/{quote(request_id)}",
    )
