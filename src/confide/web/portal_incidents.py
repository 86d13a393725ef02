"""The portal's incident form (BRE-1): anyone tells the privacy officer about something that
may have exposed personal information, in English or French, without an account. The form is
rate-limited per address; the answer is a reference, the same for everyone."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from confide.bootstrap import Container
from confide.domain.errors import ValidationFailed
from confide.services.breaches import PortalReport
from confide.web.i18n import Language
from confide.web.labels_breaches import BREACH_LABELS
from confide.web.portal import form_values, not_found, render_page, resolve_language, too_many
from confide.web.ratelimit import limited

router = APIRouter(prefix="/portal", include_in_schema=False)

REPORT_LIMIT = 5
_REFERENCE = re.compile(r"^INC-\d{4}-\d{4,6}$")


def _form(
    request: Request,
    lang: Language,
    *,
    values: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_page(
        request,
        "portal/incident_new.html",
        lang,
        status_code=status_code,
        b=BREACH_LABELS[lang],
        values=values or {},
        problems=problems or [],
    )


@router.get("/{lang}/incidents/new")
def incident_form(request: Request, lang: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return _form(request, language)


@router.post("/{lang}/incidents/new")
async def report_incident(request: Request, lang: str) -> Response:
    values = await form_values(request)
    # The limit and the record read and write the store: off the event loop.
    return await run_in_threadpool(_report_incident, request, lang, values)


def _report_incident(request: Request, lang: str, values: dict[str, str]) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.incident", REPORT_LIMIT):
        return too_many(request, language)
    b = BREACH_LABELS[language]
    try:
        when = date.fromisoformat(values["occurred_on"]) if values.get("occurred_on") else None
    except ValueError:
        return _form(request, language, values=values, problems=[b["portal_when"]], status_code=422)
    container: Container = request.app.state.container
    try:
        incident = container.breaches.report_from_portal(
            PortalReport(values.get("description", ""), values.get("contact", ""), language, when)
        )
    except ValidationFailed as exc:
        names = {
            "description": b["portal_description"],
            "contact": b["portal_contact"],
            "occurred_on": b["portal_when"],
        }
        problems = [f"{names.get(p.location, p.location)}: {p.message}" for p in exc.problems] or [
            "form"
        ]
        return _form(request, language, values=values, problems=problems, status_code=422)
    return RedirectResponse(
        f"/portal/{language}/incidents/received?reference={incident.reference}", status_code=303
    )


@router.get("/{lang}/incidents/received")
def received(request: Request, lang: str, reference: str = "") -> Response:
    language = resolve_language(lang)
    if language is None or not _REFERENCE.match(reference):
        return not_found(request)
    return render_page(
        request,
        "portal/incident_received.html",
        language,
        b=BREACH_LABELS[language],
        reference=reference,
    )
