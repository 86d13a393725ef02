"""The breach register (BRE-1..5).

* ``POST /v1/incidents`` — record an incident (privacy officer, agent); ``GET /v1/incidents``
  — the register, filtered (``status``, ``quebec``, ``real_risk``, ``late``);
  ``GET /v1/incidents/export?format=csv|pdf|jsonld`` — for a regulator (officer, auditor);
* ``GET /v1/incidents/{id}`` (by id or reference) — the incident, what it still lacks, its
  assessments, reports and notices; ``PATCH`` — amend its facts (officer);
* ``POST .../affected`` — link the people affected (a query, or a list); ``GET .../affected``;
* ``GET .../proposal`` — Confide's risk proposal for given factors;
  ``POST .../assessments`` — the officer's assessment and decision (BRE-2);
* ``POST .../notices`` — a target date for a report or notice, or an organization to notify;
  ``POST .../notices/{kind}/sent`` — record a report or notification sent (BRE-3);
  ``POST .../notify-individuals`` — compose each person's notice into the outbox;
  ``POST .../public-notice`` — an indirect notice, with its reason (BRE-4);
* ``GET .../reports/{kind}?lang=&format=json|pdf`` — the report to the Commissioner
  (``opc_report``), the Commission (``cai_notice``) or the notice to people (``individuals``);
* ``POST .../close``; ``DELETE .../{id}`` — dispose of its records once kept long enough (BRE-5).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from confide.adapters.rendering.breach_report import (
    register_jsonld,
    register_pdf,
    report_json,
    report_pdf,
)
from confide.adapters.rendering.csv_rows import rows_csv
from confide.api.deps import ContainerDep
from confide.api.schemas.breaches import (
    AffectedIn,
    AssessmentIn,
    AssessmentOut,
    IncidentIn,
    IncidentOut,
    IncidentViewOut,
    NoticeOut,
    NotifyIn,
    PlanIn,
    PublicNoticeIn,
    RegisterRowOut,
    SentIn,
)
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.services.breaches import (
    AssessIncident,
    IncidentFacts,
    NotifyIndividuals,
    PlanNotice,
    PublicNotice,
    RecordSent,
)
from confide.services.breaches.export import register_entries, register_rows
from confide.services.ports.breaches import AffectedPerson, AffectedQuery, RegisterFilter

router = APIRouter(prefix="/v1/incidents", tags=["incidents"])
ONE = "/{incident_id}"


def _facts(body: IncidentIn) -> IncidentFacts:
    data = body.model_dump()
    for name in ("categories", "systems"):
        if data[name] is not None:
            data[name] = tuple(data[name])
    return IncidentFacts(**data)


@router.post("", status_code=status.HTTP_201_CREATED)
def record(
    body: IncidentIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_RECORD)],
    c: ContainerDep,
) -> IncidentOut:
    return IncidentOut.of(c.breaches.record(principal, _facts(body)))


@router.get("")
def register(
    principal: Annotated[Principal, allow(Action.INCIDENTS_READ)],
    c: ContainerDep,
    status_: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = None,
    quebec: bool | None = None,
    real_risk: bool | None = None,
    late: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[RegisterRowOut]:
    """Newest first. ``late=true``: incidents with a report or notice past its target date."""
    flt = RegisterFilter(
        status=status_,
        quebec=quebec,
        real_risk=real_risk,
        late_on=c.ctx.now().date() if late else None,
    )
    rows = c.breaches.register(principal, flt, offset=offset, limit=limit)
    return [RegisterRowOut.of(r) for r in rows]


@router.get("/export")
def export(
    principal: Annotated[Principal, allow(Action.INCIDENTS_EXPORT)],
    c: ContainerDep,
    format: Literal["csv", "pdf", "jsonld"] = "csv",
    lang: Literal["en", "fr"] = "en",
) -> Response:
    """The whole register for a regulator: CSV, PDF, or JSON-LD in the W3C Data Privacy
    Vocabulary's terms."""
    if format == "jsonld":
        body = register_jsonld(register_entries(c.breaches, principal))
        return Response(body, media_type="application/ld+json")
    rows = register_rows(c.breaches, principal, lang)
    if format == "pdf":
        title = "Registre des incidents" if lang == "fr" else "Breach register"
        return Response(
            register_pdf(rows, lang, title),
            media_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="breach-register.pdf"'},
        )
    return Response(
        rows_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="breach-register.csv"'},
    )


@router.get(ONE)
def view(
    incident_id: str,
    principal: Annotated[Principal, allow(Action.INCIDENTS_READ)],
    c: ContainerDep,
) -> IncidentViewOut:
    return IncidentViewOut.of(c.breaches.view(principal, incident_id), c.ctx.now().date())


@router.patch(ONE)
def amend(
    incident_id: str,
    body: IncidentIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> IncidentOut:
    return IncidentOut.of(c.breaches.amend(principal, incident_id, _facts(body)))


@router.post(ONE + "/affected")
def link(
    incident_id: str,
    body: AffectedIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> dict[str, int]:
    """Link the people a query finds, or those a list names (a line that matches no one, or
    more than one person, refuses the whole list)."""
    if body.identifiers is not None:
        added = c.breaches.link_by_list(principal, incident_id, body.identifiers)
    else:
        query = AffectedQuery(
            tuple(body.categories),
            tuple(body.systems),
            tuple(body.sources),
            body.held_from,
            body.held_to,
        )
        added = c.breaches.link_by_query(principal, incident_id, query)
    return {"added": added}


@router.get(ONE + "/affected")
def affected(
    incident_id: str,
    principal: Annotated[Principal, allow(Action.INCIDENTS_READ)],
    c: ContainerDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AffectedPerson]:
    return c.breaches.affected(principal, incident_id, offset=offset, limit=limit)


@router.get(ONE + "/proposal")
def proposal(
    incident_id: str,
    principal: Annotated[Principal, allow(Action.INCIDENTS_READ)],
    c: ContainerDep,
    factors: Annotated[list[str] | None, Query(max_length=20)] = None,
    likelihood: Annotated[str | None, Query(max_length=10)] = None,
) -> dict[str, object]:
    p = c.breaches.proposal(principal, incident_id, factors or [], likelihood)
    return {
        "sensitivity": p.sensitivity.value,
        "probability": p.probability.value,
        "real_risk": p.real_risk,
        "serious_injury": p.serious_injury,
        "reasons": list(p.reasons),
    }


@router.post(ONE + "/assessments", status_code=status.HTTP_201_CREATED)
def assess(
    incident_id: str,
    body: AssessmentIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> AssessmentOut:
    data = body.model_dump()
    data["factors"] = tuple(data["factors"])
    return AssessmentOut.of(c.breaches.assess(principal, incident_id, AssessIncident(**data)))


@router.post(ONE + "/notices", status_code=status.HTTP_201_CREATED)
def plan(
    incident_id: str,
    body: PlanIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> NoticeOut:
    notice = c.breaches.plan(principal, incident_id, PlanNotice(**body.model_dump()))
    return NoticeOut.of(notice, c.ctx.now().date())


@router.post(ONE + "/notices/{kind}/sent")
def sent(
    incident_id: str,
    kind: str,
    body: SentIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> NoticeOut:
    notice = c.breaches.record_sent(
        principal, incident_id, kind, RecordSent(body.sent_on, body.reference), body.party
    )
    return NoticeOut.of(notice, c.ctx.now().date())


@router.post(ONE + "/notify-individuals")
def notify(
    incident_id: str,
    body: NotifyIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> NoticeOut:
    notice = c.breaches.notify_individuals(principal, incident_id, NotifyIndividuals(body.contact))
    return NoticeOut.of(notice, c.ctx.now().date())


@router.post(ONE + "/public-notice", status_code=status.HTTP_201_CREATED)
def public_notice(
    incident_id: str,
    body: PublicNoticeIn,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> NoticeOut:
    notice = c.breaches.public_notice(principal, incident_id, PublicNotice(**body.model_dump()))
    return NoticeOut.of(notice, c.ctx.now().date())


@router.get(ONE + "/reports/{kind}")
def report(
    incident_id: str,
    kind: Literal["opc_report", "cai_notice", "individuals"],
    principal: Annotated[Principal, allow(Action.INCIDENTS_READ)],
    c: ContainerDep,
    lang: Literal["en", "fr"] = "en",
    format: Literal["json", "pdf"] = "json",
) -> Response:
    """The report assembled with the contents its regulation lists; ``missing`` names those
    still lacking (the PDF is then marked as a draft)."""
    incident, sections, missing = c.breaches.report(principal, incident_id, kind, lang)
    if format == "pdf":
        name = f"{incident.reference}-{kind}-{lang}.pdf"
        return Response(
            report_pdf(incident, kind, sections, missing, lang),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return Response(
        report_json(incident, kind, sections, missing, lang), media_type="application/json"
    )


@router.post(ONE + "/close")
def close(
    incident_id: str,
    principal: Annotated[Principal, allow(Action.INCIDENTS_MANAGE)],
    c: ContainerDep,
) -> IncidentOut:
    return IncidentOut.of(c.breaches.close(principal, incident_id))


@router.delete(ONE)
def dispose(
    incident_id: str,
    principal: Annotated[Principal, allow(Action.INCIDENTS_DISPOSE)],
    c: ContainerDep,
) -> dict[str, str]:
    """Refused (BRE-5) until the records have been kept as long as the law requires."""
    return {"disposed": c.breaches.dispose(principal, incident_id)}


__all__ = ["router"]
