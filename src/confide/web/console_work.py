"""The privacy officer's work list in the console: correction deliveries that failed after every
retry (ACC-9), with a retry; and the written notices owed after emergency disclosures (DIS-2)
that are overdue or open, with a form to record one as sent."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from confide.domain.access import Principal, Role
from confide.domain.disclosure.notices import NoticeMethod
from confide.domain.outbox import DeliveryState
from confide.services.disclosures.notices import NoticeSent
from confide.web.console import container_of, render, run_form, run_signed_in
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console", include_in_schema=False)

OFFICERS = frozenset({Role.PRIVACY_OFFICER})


def _page(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    principal.require(OFFICERS, "console.work")
    c = container_of(request)
    failed = c.outbox.messages(principal, state=DeliveryState.FAILED)
    notices = c.disclosures.notices(principal, status="open")
    now = c.ctx.now()
    return render(
        request,
        "console/work.html",
        principal=principal,
        session=session,
        failed=failed,
        notices=[(n, n.due_at < now) for n in notices],
        methods=[m.value for m in NoticeMethod],
        done=done if done in {"retried", "notice_sent"} else "",
        problems=problems or [],
    )


@router.get("/work")
def work(request: Request, done: str = "") -> Response:
    return run_signed_in(request, lambda p, s: _page(request, p, s, done=done))


@router.post("/work")
async def work_action(request: Request) -> Response:
    c = container_of(request)

    def retry(principal: Principal, f: dict[str, str]) -> str:
        c.outbox.retry(principal, f.get("message_id", ""))
        return "retried"

    def notice_sent(principal: Principal, f: dict[str, str]) -> str:
        c.disclosures.close_notice(
            principal,
            f.get("notice_id", ""),
            NoticeSent(method=f.get("method", ""), reference=f.get("reference") or None),
        )
        return "notice_sent"

    return await run_form(
        request,
        {"retry": retry, "notice_sent": notice_sent},
        lambda principal, session, problems: _page(request, principal, session, problems=problems),
        "/console/work",
    )
