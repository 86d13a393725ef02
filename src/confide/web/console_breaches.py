"""The breach register in the console (BRE-1..5): the register with its filters, and an
incident's page from report to closed — its facts and what the register still lacks, the people
affected, the risk assessment beside Confide's proposal, the reports and notices with their
targets (late ones marked), and closing. The privacy officer manages; an agent records a
report; the auditor reads. Sending notices, a public notice and closing each need a ticked
confirmation: nothing goes out on one careless click."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from confide.adapters.rendering.breach_report import (
    register_jsonld,
    register_pdf,
    report_pdf,
)
from confide.adapters.rendering.csv_rows import rows_csv
from confide.domain.access import Action, Principal
from confide.domain.breaches.model import NoticeKind, PublicNoticeReason, ReportedBy
from confide.domain.breaches.rules import FACTORS
from confide.domain.errors import FieldProblem, ValidationFailed
from confide.services.breaches import (
    AssessIncident,
    IncidentFacts,
    NotifyIndividuals,
    PlanNotice,
    PublicNotice,
    RecordSent,
)
from confide.services.breaches.export import register_entries, register_rows
from confide.services.ports.breaches import AffectedQuery, RegisterFilter
from confide.web.console import console_language, container_of, render, run_form, run_signed_in
from confide.web.i18n import Language
from confide.web.labels_breaches import BREACH_LABELS, reason_words
from confide.web.sessions import ConsoleSession

router = APIRouter(prefix="/console/incidents", include_in_schema=False)

DONE = {
    "recorded",
    "saved",
    "linked",
    "assessed",
    "planned",
    "sent",
    "notices_sent",
    "public_recorded",
    "closed",
}


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.single(field, "is not a date (YYYY-MM-DD)") from None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _checked(f: dict[str, str], prefix: str) -> tuple[str, ...]:
    return tuple(k.removeprefix(prefix) for k, v in f.items() if k.startswith(prefix) and v)


def _common(request: Request) -> dict[str, Any]:
    lang = console_language(request)
    c = container_of(request)
    names = c.retention.category_names(lang)
    return {
        "b": BREACH_LABELS[lang],
        "category_name": lambda cid: names.get(cid, cid),
        "categories": list(names.items()),
        "reporters": [r.value for r in ReportedBy],
        "factors": [f.id for f in FACTORS],
        "public_reasons": [r.value for r in PublicNoticeReason],
        "plan_kinds": ["opc_report", "cai_notice", "individuals", "organization"],
        "sent_kinds": ["opc_report", "cai_notice", "organization"],
    }


# --- the register ---------------------------------------------------------------------------------
def _register(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    *,
    status: str = "",
    late: bool = False,
    quebec: bool = False,
    done: str = "",
    problems: list[str] | None = None,
    recorded: str = "",
) -> Response:
    c = container_of(request)
    rows = []
    if principal.can(Action.INCIDENTS_READ):
        flt = RegisterFilter(
            status=status if status in ("open", "closed") else None,
            quebec=True if quebec else None,
            late_on=c.ctx.now().date() if late else None,
        )
        rows = c.breaches.register(principal, flt, limit=500)
    return render(
        request,
        "console/incidents.html",
        principal=principal,
        session=session,
        rows=rows,
        status=status,
        late=late,
        quebec=quebec,
        can_read=principal.can(Action.INCIDENTS_READ),
        can_record=principal.can(Action.INCIDENTS_RECORD),
        can_export=principal.can(Action.INCIDENTS_EXPORT),
        today=c.ctx.now().date().isoformat(),
        done=done if done in DONE else "",
        problems=problems or [],
        recorded=recorded if done == "recorded" else "",
        **_common(request),
    )


@router.get("")
def register_page(
    request: Request, status: str = "", late: bool = False, quebec: bool = False, done: str = ""
) -> Response:
    return run_signed_in(
        request,
        lambda p, s: _register(request, p, s, status=status, late=late, quebec=quebec, done=done),
    )


@router.post("")
async def record(request: Request) -> Response:
    c = container_of(request)
    made: list[str] = []

    def add(principal: Principal, f: dict[str, str]) -> str:
        incident = c.breaches.record(
            principal,
            IncidentFacts(
                title=f.get("title", ""),
                reported_by=f.get("reported_by") or "staff",
                aware_on=_day(f.get("aware_on"), "aware_on"),
                circumstances=f.get("circumstances", ""),
            ),
        )
        made.append(incident.reference)
        return "recorded"

    response = await run_form(
        request,
        {"record": add},
        lambda principal, session, problems: _register(
            request, principal, session, problems=problems
        ),
        "/console/incidents",
    )
    if made and response.status_code == 303:
        # An agent, who may record but not read the register, lands back on the form.
        return RedirectResponse(
            f"/console/incidents/{quote(made[0])}?done=recorded", status_code=303
        )
    return response


@router.get("/export.{fmt}")
def export(request: Request, fmt: str, lang: str = "en") -> Response:
    """The register for a regulator (BRE-1): CSV, PDF, or JSON-LD (W3C DPV terms)."""
    c = container_of(request)
    chosen: Language = "fr" if lang == "fr" else "en"
    if fmt not in ("csv", "pdf", "jsonld"):
        return Response("not found", status_code=404)

    def body(principal: Principal, session: ConsoleSession) -> Response:
        name = f'attachment; filename="breach-register.{fmt}"'
        if fmt == "jsonld":
            data = register_jsonld(register_entries(c.breaches, principal))
            return Response(
                data, media_type="application/ld+json", headers={"Content-Disposition": name}
            )
        rows = register_rows(c.breaches, principal, chosen)
        if fmt == "pdf":
            title = BREACH_LABELS[chosen]["incidents"]
            return Response(
                register_pdf(rows, chosen, title),
                media_type="application/pdf",
                headers={"Content-Disposition": name},
            )
        return Response(
            rows_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": name},
        )

    return run_signed_in(request, body)


# --- an incident ----------------------------------------------------------------------------------
def _page(
    request: Request,
    principal: Principal,
    session: ConsoleSession,
    incident_id: str,
    *,
    done: str = "",
    problems: list[str] | None = None,
) -> Response:
    c = container_of(request)
    lang = console_language(request)
    if not principal.can(Action.INCIDENTS_READ):
        # An agent who recorded it is told it was recorded; the register is the officer's.
        return _register(
            request, principal, session, done=done, problems=problems, recorded=incident_id
        )
    view = c.breaches.view(principal, incident_id)
    who = c.retention.who(principal, tuple(a.decided_by for a in view.assessments))
    manage = principal.can(Action.INCIDENTS_MANAGE) and view.incident.status.value == "open"
    return render(
        request,
        "console/incident.html",
        principal=principal,
        session=session,
        v=view,
        i=view.incident,
        a=view.assessment,
        who=who,
        today=c.ctx.now().date(),
        proposal_words=reason_words(view.proposal.reasons, lang),
        can_manage=manage,
        done=done if done in DONE else "",
        problems=problems or [],
        **_common(request),
    )


@router.get("/{incident_id}")
def incident_page(request: Request, incident_id: str, done: str = "") -> Response:
    return run_signed_in(request, lambda p, s: _page(request, p, s, incident_id, done=done))


@router.post("/{incident_id}")
async def incident_action(request: Request, incident_id: str) -> Response:
    c = container_of(request)
    b = BREACH_LABELS[console_language(request)]

    def confirmed(f: dict[str, str], field: str, text: str) -> None:
        if f.get(field) != "yes":
            raise ValidationFailed(text, [FieldProblem(field, text)])

    def amend(principal: Principal, f: dict[str, str]) -> str:
        estimate = f.get("affected_estimate", "").strip()
        if estimate and not estimate.isdigit():
            raise ValidationFailed.single("affected_estimate", "is not a whole number")
        c.breaches.amend(
            principal,
            incident_id,
            IncidentFacts(
                title=f.get("title"),
                reported_by=f.get("reported_by"),
                aware_on=_day(f.get("aware_on"), "aware_on"),
                circumstances=f.get("circumstances"),
                cause=f.get("cause"),
                occurred_from=_day(f.get("occurred_from"), "occurred_from"),
                occurred_to=_day(f.get("occurred_to"), "occurred_to"),
                occurred_approximate=f.get("occurred_approximate") == "yes",
                categories=_checked(f, "category_"),
                unknown_information=f.get("unknown_information"),
                systems=_split(f.get("systems")),
                affected_estimate=int(estimate) if estimate else None,
                affected_approximate=f.get("affected_approximate") == "yes",
                measures=f.get("measures"),
                individual_steps=f.get("individual_steps"),
            ),
        )
        return "saved"

    def link_query(principal: Principal, f: dict[str, str]) -> str:
        query = AffectedQuery(
            _checked(f, "link_category_"), _split(f.get("systems")), _split(f.get("sources"))
        )
        c.breaches.link_by_query(principal, incident_id, query)
        return "linked"

    def link_list(principal: Principal, f: dict[str, str]) -> str:
        text = f.get("list_file") or f.get("list", "")
        c.breaches.link_by_list(principal, incident_id, text)
        return "linked"

    def assess(principal: Principal, f: dict[str, str]) -> str:
        risk = f.get("real_risk")
        if risk not in ("yes", "no"):
            raise ValidationFailed.single("real_risk", "choose yes or no")
        serious = f.get("serious_injury")
        c.breaches.assess(
            principal,
            incident_id,
            AssessIncident(
                factors=_checked(f, "factor_"),
                real_risk=risk == "yes",
                decision_reason=f.get("decision_reason", ""),
                factors_note=f.get("factors_note", ""),
                sensitivity=f.get("sensitivity") or None,
                probability=f.get("probability") or None,
                determined_on=_day(f.get("determined_on"), "determined_on"),
                serious_injury=None if serious not in ("yes", "no") else serious == "yes",
                ill_intentioned_uses=f.get("ill_intentioned_uses", ""),
                consequences=f.get("consequences", ""),
                likelihood=f.get("likelihood") or None,
            ),
        )
        return "assessed"

    def plan(principal: Principal, f: dict[str, str]) -> str:
        c.breaches.plan(
            principal,
            incident_id,
            PlanNotice(
                f.get("kind", ""), _day(f.get("target_on"), "target_on"), f.get("party", "")
            ),
        )
        return "planned"

    def sent(principal: Principal, f: dict[str, str]) -> str:
        c.breaches.record_sent(
            principal,
            incident_id,
            f.get("kind", ""),
            RecordSent(_day(f.get("sent_on"), "sent_on"), f.get("reference", "")),
            f.get("party", ""),
        )
        return "sent"

    def notify(principal: Principal, f: dict[str, str]) -> str:
        confirmed(f, "confirm", b["notify_confirm"])
        contact = f.get("contact", "").strip() or None
        c.breaches.notify_individuals(principal, incident_id, NotifyIndividuals(contact))
        return "notices_sent"

    def public(principal: Principal, f: dict[str, str]) -> str:
        c.breaches.public_notice(
            principal,
            incident_id,
            PublicNotice(
                f.get("reason", ""),
                f.get("explanation", ""),
                f.get("how", ""),
                _day(f.get("sent_on"), "sent_on"),
            ),
        )
        return "public_recorded"

    def close(principal: Principal, f: dict[str, str]) -> str:
        confirmed(f, "confirm", b["close_confirm"])
        c.breaches.close(principal, incident_id)
        return "closed"

    return await run_form(
        request,
        {
            "amend": amend,
            "link_query": link_query,
            "link_list": link_list,
            "assess": assess,
            "plan": plan,
            "sent": sent,
            "notify": notify,
            "public": public,
            "close": close,
        },
        lambda principal, session, problems: _page(
            request, principal, session, incident_id, problems=problems
        ),
        f"/console/incidents/{quote(incident_id)}",
    )


@router.get("/{incident_id}/reports/{kind}.pdf")
def report_as_pdf(request: Request, incident_id: str, kind: str, lang: str = "en") -> Response:
    c = container_of(request)
    chosen = "fr" if lang == "fr" else "en"
    if kind not in {k.value for k in (NoticeKind.OPC_REPORT, NoticeKind.CAI_NOTICE)} | {
        "individuals"
    }:
        return Response("not found", status_code=404)

    def body(principal: Principal, session: ConsoleSession) -> Response:
        incident, sections, missing = c.breaches.report(principal, incident_id, kind, chosen)
        name = f"{incident.reference}-{kind}-{chosen}.pdf"
        return Response(
            report_pdf(incident, kind, sections, missing, chosen),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return run_signed_in(request, body)
