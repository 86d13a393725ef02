"""Retention and disposal in the console (RET-1..3): what is due today per category and rule,
what is kept back and why, the disposal runs; a run's page with its plan, its progress and,
when it is done, its certificate. The privacy officer plans, approves (after ticking that the
plan was reviewed: nothing is disposed of on one careless click), cancels or runs it now; the
auditor reads. Every action goes through the same service as the API and the CLI."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from confide.adapters.rendering.certificate import certificate_json, certificate_pdf
from confide.domain.access import Action, Principal
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.retention.runs import DisposalRun, RunStatus
from confide.web.console import console_language, container_of, render, run_form, run_signed_in
from confide.web.labels import CONSOLE_LABELS
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console/retention", include_in_schema=False)

DONE = {"planned", "approved", "cancelled", "executed"}


def _words(request: Request) -> dict[str, Any]:
    """What the retention pages need to speak of categories, methods and reasons in words."""
    lang = console_language(request)
    c = container_of(request)
    t = CONSOLE_LABELS[lang]
    names = c.retention.category_names(lang)
    return {
        "category_name": lambda cid: names.get(cid, cid.replace("_", " ").capitalize()),
        "method_word": lambda m: t.get(f"method_{m}", m),
        "held_word": lambda r: t.get(f"held_{r}", r.replace("_", " ")),
        "status_word": lambda s: t.get(f"status_{s}", s),
    }


def _rules(request: Request) -> dict[str, str]:
    lang = console_language(request)
    t = CONSOLE_LABELS[lang]
    policy = container_of(request).ctx.policy
    return {
        r.category: t["ret_rule_text"].format(
            max=r.max_days,
            event=t[f"event_{r.counted_from.value}"],
            method=t[f"method_{r.disposal.value}"],
        )
        for r in policy.retention
        if r.purpose is None
    }


def _overview(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    c = container_of(request)
    due = c.retention.due(principal)
    return render(
        request,
        "console/retention.html",
        principal=principal,
        session=session,
        due=due,
        rules=_rules(request),
        runs=c.retention.runs(principal, limit=20),
        can_plan=principal.can(Action.RETENTION_PLAN),
        done=done if done in DONE else "",
        problems=problems or [],
        **_words(request),
    )


@router.get("")
def overview(request: Request, done: str = "") -> Response:
    return run_signed_in(request, lambda p, s: _overview(request, p, s, done=done))


@router.post("")
async def plan(request: Request) -> Response:
    c = container_of(request)
    planned: list[DisposalRun] = []

    def make(principal: Principal, f: dict[str, str]) -> str:
        planned.append(c.retention.plan(principal))
        return "planned"

    response = await run_form(
        request,
        {"plan": make},
        lambda principal, session, problems: _overview(
            request, principal, session, problems=problems
        ),
        "/console/retention",
    )
    if planned and response.status_code == 303:
        return RedirectResponse(
            f"/console/retention/runs/{quote(planned[0].id)}?done=planned", status_code=303
        )
    return response


def _run_page(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    run_id: str,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    c = container_of(request)
    run = c.retention.run(principal, run_id)
    return render(
        request,
        "console/retention_run.html",
        principal=principal,
        session=session,
        run=run,
        who=c.retention.who(principal, (run.planned_by, run.approved_by)),
        rules=_rules(request),
        can_approve=principal.can(Action.RETENTION_APPROVE) and run.status is RunStatus.PLANNED,
        can_cancel=principal.can(Action.RETENTION_CANCEL)
        and run.status in (RunStatus.PLANNED, RunStatus.APPROVED),
        can_execute=principal.can(Action.RETENTION_EXECUTE)
        and run.status in (RunStatus.APPROVED, RunStatus.RUNNING),
        can_certificate=principal.can(Action.RETENTION_CERTIFICATES)
        and run.status is RunStatus.COMPLETED,
        done=done if done in DONE else "",
        problems=problems or [],
        **_words(request),
    )


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: str, done: str = "") -> Response:
    return run_signed_in(request, lambda p, s: _run_page(request, p, s, run_id, done=done))


@router.post("/runs/{run_id}")
async def run_action(request: Request, run_id: str) -> Response:
    c = container_of(request)
    t = CONSOLE_LABELS[console_language(request)]

    def approve(principal: Principal, f: dict[str, str]) -> str:
        if f.get("reviewed") != "yes":
            raise ValidationFailed(
                t["ret_not_reviewed"], [FieldProblem("reviewed", t["ret_not_reviewed"])]
            )
        c.retention.approve(principal, run_id)
        c.queue.enqueue(
            "retention.execute", {"run_id": run_id}, idempotency_key=f"retention.execute:{run_id}"
        )
        return "approved"

    def cancel(principal: Principal, f: dict[str, str]) -> str:
        c.retention.cancel(principal, run_id)
        return "cancelled"

    def execute(principal: Principal, f: dict[str, str]) -> str:
        c.retention.execute(principal, run_id)
        return "executed"

    return await run_form(
        request,
        {"approve": approve, "cancel": cancel, "execute": execute},
        lambda principal, session, problems: _run_page(
            request, principal, session, run_id, problems=problems
        ),
        f"/console/retention/runs/{quote(run_id)}",
    )


@router.get("/runs/{run_id}/certificate.pdf")
def certificate_as_pdf(request: Request, run_id: str, lang: str = "en") -> Response:
    c = container_of(request)
    chosen = "fr" if lang == "fr" else "en"

    def body(principal: Principal, session: ConsoleSession) -> Response:
        issued = c.retention.certificate(principal, run_id)
        cert = issued.certificate
        people = c.retention.who(principal, (cert.planned_by, cert.approved_by))
        return Response(
            certificate_pdf(issued, chosen, c.retention.category_names(chosen), people),
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="certificate-{run_id}-{chosen}.pdf"'
            },
        )

    return run_signed_in(request, body)


@router.get("/runs/{run_id}/certificate.json")
def certificate_as_json(request: Request, run_id: str) -> Response:
    c = container_of(request)

    def body(principal: Principal, session: ConsoleSession) -> Response:
        issued = c.retention.certificate(principal, run_id)
        return Response(
            certificate_json(issued),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="certificate-{run_id}.json"'},
        )

    return run_signed_in(request, body)
