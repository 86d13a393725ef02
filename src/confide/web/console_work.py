"""The privacy officer's work list in the console: outbox messages (corrections, codes, notices,
refusals, escalations) that failed after every retry, named in words, with a retry; the letters
waiting to be printed and posted, with a form to record one as sent; and the written notices
owed after emergency disclosures (DIS-2) that are overdue or open, with a form to record one as
sent."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from confide.domain.access import Action, Principal
from confide.domain.disclosure.notices import NoticeMethod
from confide.domain.outbox import DeliveryState
from confide.services.disclosures.notices import NoticeSent
from confide.web.console import console_language, container_of, render, run_form, run_signed_in
from confide.web.labels import message_label
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console", include_in_schema=False)


def _page(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    principal.require(Action.CONSOLE_WORK)
    c = container_of(request)
    failed = c.outbox.messages(principal, state=DeliveryState.FAILED)
    letters = c.outbox.letters(principal)
    lang = console_language(request)
    notices = c.disclosures.notices(principal, status="open")
    now = c.ctx.now()
    return render(
        request,
        "console/work.html",
        principal=principal,
        session=session,
        failed=failed,
        letters=letters,
        label=lambda m: message_label(
            m.kind.value, m.target_type.value, lang, m.channel.value if m.channel else None
        ),
        notices=[(n, n.due_at < now) for n in notices],
        methods=[m.value for m in NoticeMethod],
        done=done if done in {"retried", "notice_sent", "posted"} else "",
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

    def posted(principal: Principal, f: dict[str, str]) -> str:
        c.outbox.mark_posted(principal, f.get("message_id", ""))
        return "posted"

    def notice_sent(principal: Principal, f: dict[str, str]) -> str:
        c.disclosures.close_notice(
            principal,
            f.get("notice_id", ""),
            NoticeSent(method=f.get("method", ""), reference=f.get("reference") or None),
        )
        return "notice_sent"

    return await run_form(
        request,
        {"retry": retry, "notice_sent": notice_sent, "posted": posted},
        lambda principal, session, problems: _page(request, principal, session, problems=problems),
        "/console/work",
    )
