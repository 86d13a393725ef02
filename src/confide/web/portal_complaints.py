"""The portal's complaint form (CMP-1): a person complains about our privacy practices, in
English or French, without an account, with the invoice or account number the policy asks
for. Rate-limited per address; answered with the complaint's reference and the date by which
they will hear back (the acknowledgement also goes to an email address given)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from confide.bootstrap import Container
from confide.domain.complaints import ComplaintTopic
from confide.domain.errors import ValidationFailed
from confide.services.complaints import RecordComplaint
from confide.web.i18n import Language
from confide.web.labels_complaints import COMPLAINT_LABELS
from confide.web.portal import form_values, not_found, render_page, resolve_language, too_many
from confide.web.ratelimit import limited

router = APIRouter(prefix="/portal", include_in_schema=False)

LIMIT = 5
_REFERENCE = re.compile(r"^CMP-\d{4}-\d{4,6}$")


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
        "portal/complaint_new.html",
        lang,
        status_code=status_code,
        k=COMPLAINT_LABELS[lang],
        topics=[t.value for t in ComplaintTopic],
        values=values or {},
        problems=problems or [],
    )


@router.get("/{lang}/complaints/new")
def complaint_form(request: Request, lang: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return _form(request, language)


@router.post("/{lang}/complaints/new")
async def complain(request: Request, lang: str) -> Response:
    values = await form_values(request)
    # The limit and the record read and write the store: off the event loop.
    return await run_in_threadpool(_complain, request, lang, values)


def _complain(request: Request, lang: str, values: dict[str, str]) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.complaint", LIMIT):
        return too_many(request, language)
    k = COMPLAINT_LABELS[language]
    container: Container = request.app.state.container
    try:
        complaint = container.complaints.record_from_portal(
            RecordComplaint(
                channel="portal",
                topic=values.get("topic", ""),
                summary=values.get("summary", ""),
                contact=values.get("contact", ""),
                language=language,
                account_ref=values.get("account_ref", ""),
            )
        )
    except ValidationFailed as exc:
        problems = [f"{k.get(p.location, p.location)}: {p.message}" for p in exc.problems]
        return _form(request, language, values=values, problems=problems, status_code=422)
    return RedirectResponse(
        f"/portal/{language}/complaints/received?reference={complaint.reference}"
        f"&day={complaint.target_on.isoformat()}",
        status_code=303,
    )


@router.get("/{lang}/complaints/received")
def received(request: Request, lang: str, reference: str = "", day: str = "") -> Response:
    language = resolve_language(lang)
    if (
        language is None
        or not _REFERENCE.match(reference)
        or not re.match(r"^\d{4}-\d{2}-\d{2}$", day)
    ):
        return not_found(request)
    return render_page(
        request,
        "portal/complaint_received.html",
        language,
        k=COMPLAINT_LABELS[language],
        reference=reference,
        day=day,
    )
