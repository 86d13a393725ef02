"""The portal's request pages: an individual asks to see, correct or receive a copy of their
information (ACC-1, ACC-10), then confirms their identity with the code sent to a contact we
already have on file (ACC-11).

The answer to a submitted form is the same whether or not we hold information on the person;
the code page looks the same for every reference. Both forms are rate-limited per address.

The form handlers are ``async`` only to await the posted form; the store's work (which blocks,
e.g. while SQLite's write lock is held) then runs in a worker thread (``run_in_threadpool``), so
one waiting form never holds up the event loop and every other request. The other handlers are
plain functions, which Starlette runs in its thread pool.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from confide.bootstrap import Container
from confide.domain.errors import ConfideError, ValidationFailed
from confide.domain.requests.letters import INTAKE_ANSWER
from confide.services.requests import SubmitRequest
from confide.web.i18n import Language
from confide.web.portal import not_found, render_page, resolve_language, too_many
from confide.web.ratelimit import limited
from confide.web.sessions import seal_value, unseal_value

router = APIRouter(prefix="/portal", include_in_schema=False)

REQUEST_KINDS = ("access", "correction", "portability")
IDENTIFIER_KINDS = ("email", "phone", "account")
INTAKE_LIMIT = 10
VERIFY_LIMIT = 20


def _form_page(
    request: Request,
    lang: Language,
    *,
    values: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    policy = _container(request).ctx.policy
    categories = [
        (c.id, c.description.in_language(lang))
        for c in policy.categories
        if c.collected_from_individual
    ]
    return render_page(
        request,
        "portal/request_new.html",
        lang,
        status_code=status_code,
        kinds=REQUEST_KINDS,
        identifier_kinds=IDENTIFIER_KINDS,
        categories=categories,
        values=values or {},
        problems=problems or [],
    )


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


@router.get("/{lang}/requests/new")
def request_form(request: Request, lang: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return _form_page(request, language)


@router.post("/{lang}/requests/new")
async def submit_request(request: Request, lang: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.intake", INTAKE_LIMIT):
        return too_many(request, language)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    # The store's work blocks (SQLite may wait for its write lock): never on the event loop.
    return await run_in_threadpool(_submit_request, request, language, values)


def _submit_request(request: Request, language: Language, values: dict[str, str]) -> Response:
    kind = values.get("kind", "")
    try:
        receipt = _container(request).requests.submit_public(
            SubmitRequest(
                kind=kind,
                channel="portal",
                identifier_kind=values.get("identifier_kind", ""),
                identifier=values.get("identifier", ""),
                language=language,
                note=values.get("note") or None,
                representative_name=values.get("representative_name") or None,
                representative_authority=values.get("representative_authority") or None,
                correction_category=(values.get("correction_category") or None)
                if kind == "correction"
                else None,
                correction_value=(values.get("correction_value") or None)
                if kind == "correction"
                else None,
            )
        )
    except ValidationFailed as exc:
        problems = [p.location for p in exc.problems] or ["form"]
        return _form_page(request, language, values=values, problems=problems, status_code=422)
    return RedirectResponse(
        f"/portal/{language}/requests/{receipt.reference}/verify?sent=1", status_code=303
    )


@router.get("/{lang}/requests/{reference}/verify")
def code_form(request: Request, lang: str, reference: str, sent: str = "") -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return render_page(
        request,
        "portal/request_verify.html",
        language,
        reference=reference,
        sent=bool(sent),
        intake_answer=INTAKE_ANSWER[language],
    )


@router.post("/{lang}/requests/{reference}/verify")
async def verify(request: Request, lang: str, reference: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.verify", VERIFY_LIMIT):
        return too_many(request, language)
    form = await request.form()
    code = str(form.get("code") or "").strip()
    return await run_in_threadpool(_verify, request, language, reference, code)


def _verify(request: Request, language: Language, reference: str, code: str) -> Response:
    try:
        verified = _container(request).requests.verify_code(reference, code)
    except ConfideError:
        # Wrong, expired, used up or unknown reference: one answer, nothing revealed.
        return render_page(
            request,
            "portal/request_verify.html",
            language,
            reference=reference,
            failed=True,
            status_code=400,
        )
    return render_page(
        request,
        "portal/request_verified.html",
        language,
        reference=reference,
        due=verified.effective_due.isoformat(),
    )


# --- the released response: a fresh code, then downloads for a short while ----------------------
DOWNLOAD_COOKIE = "confide_download"
_DOWNLOAD_PURPOSE = b"confide-portal-download-v1"
DOWNLOAD_MINUTES = 15
MEDIA = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}


def _granted(request: Request, reference: str) -> bool:
    container = _container(request)
    data = unseal_value(container.keyring, request.cookies.get(DOWNLOAD_COOKIE), _DOWNLOAD_PURPOSE)
    if data is None or data.get("ref") != reference:
        return False
    try:
        return float(data["exp"]) > container.ctx.now().timestamp()
    except (KeyError, TypeError, ValueError):
        return False


@router.get("/{lang}/requests/{reference}/response")
def response_page(request: Request, lang: str, reference: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return render_page(request, "portal/response.html", language, reference=reference)


@router.post("/{lang}/requests/{reference}/response/code")
def response_code(request: Request, lang: str, reference: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.intake", INTAKE_LIMIT):
        return too_many(request, language)
    _container(request).requests.send_download_code(reference)
    return render_page(request, "portal/response.html", language, reference=reference, sent=True)


@router.post("/{lang}/requests/{reference}/response/verify")
async def response_verify(request: Request, lang: str, reference: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if limited(request, "public.verify", VERIFY_LIMIT):
        return too_many(request, language)
    form = await request.form()
    code = str(form.get("code") or "")
    return await run_in_threadpool(_response_verify, request, language, reference, code)


def _response_verify(request: Request, language: Language, reference: str, code: str) -> Response:
    try:
        _container(request).requests.verify_download_code(reference, code)
    except ConfideError:
        return render_page(
            request,
            "portal/response.html",
            language,
            reference=reference,
            failed=True,
            status_code=400,
        )
    container = _container(request)
    expires = container.ctx.now().timestamp() + DOWNLOAD_MINUTES * 60
    response = RedirectResponse(
        f"/portal/{language}/requests/{reference}/response/files", status_code=303
    )
    response.set_cookie(
        DOWNLOAD_COOKIE,
        seal_value(container.keyring, {"ref": reference, "exp": expires}, _DOWNLOAD_PURPOSE),
        max_age=DOWNLOAD_MINUTES * 60,
        path="/portal",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    return response


@router.get("/{lang}/requests/{reference}/response/files")
def response_files(request: Request, lang: str, reference: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    if not _granted(request, reference):
        return RedirectResponse(f"/portal/{language}/requests/{reference}/response", 303)
    return render_page(
        request, "portal/response_files.html", language, reference=reference, formats=list(MEDIA)
    )


@router.get("/{lang}/requests/{reference}/response/files/{fmt}")
def response_file(request: Request, lang: str, reference: str, fmt: str) -> Response:
    language = resolve_language(lang)
    if language is None or fmt not in MEDIA:
        return not_found(request)
    if not _granted(request, reference):
        return RedirectResponse(f"/portal/{language}/requests/{reference}/response", 303)
    try:
        body, incomplete = _container(request).requests.individual_response(reference, fmt)
    except ConfideError:
        return not_found(request)
    headers = {
        "Content-Disposition": f'attachment; filename="{reference}.{fmt}"',
        "X-Confide-Incomplete": "true" if incomplete else "false",
    }
    return Response(body, media_type=MEDIA[fmt], headers=headers)
