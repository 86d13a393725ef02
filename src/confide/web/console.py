"""The staff console: sign in with an API token, find a subject, see its file and consent
history, and record what a caller says (verbal consent, withdrawal, channel opt-out, do-not-call).

Every page re-authenticates the session's token and every action goes through the same service
method as the API, so the roles checked there apply here too: an auditor who opens a subject
page gets a 403 page, an agent sees high-sensitivity values masked.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from confide.bootstrap import Container
from confide.domain.access import Action, Principal
from confide.domain.consent.events import (
    ChannelOptedIn,
    ChannelOptedOut,
    ConsentGiven,
    ConsentWithdrawn,
    DoNotCallRequested,
    RelationshipEventRecorded,
)
from confide.domain.errors import (
    AuthenticationFailed,
    ConfideError,
    Conflict,
    NotAllowed,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from confide.domain.policy import Policy
from confide.domain.retention.lifecycle import LifecycleKind
from confide.domain.subjects import IdentifierKind
from confide.services.consent import GiveConsentRequest
from confide.web import sessions
from confide.web.i18n import LANGUAGES, Language, other_language, pick_language
from confide.web.labels import CONSOLE_LABELS, hold_label
from confide.web.portal import environment

router = APIRouter(prefix="/console", include_in_schema=False)


# --- frame -------------------------------------------------------------------------------------
def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def console_language(request: Request) -> Language:
    chosen = request.cookies.get(sessions.LANGUAGE_COOKIE)
    for known in LANGUAGES:
        if chosen == known:
            return known
    return pick_language(request.headers.get("accept-language"))


def render(
    request: Request,
    template: str,
    *,
    principal: Principal | None = None,
    session: sessions.ConsoleSession | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = console_language(request)
    context.setdefault("csrf", session.csrf if session else "")
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=CONSOLE_LABELS[lang],
            other=other_language(lang),
            principal=principal,
            roles=sorted(r.value for r in principal.roles) if principal else [],
            role_names=sorted(CONSOLE_LABELS[lang][f"role_{r.value}"] for r in principal.roles)
            if principal
            else [],
            organization=container_of(request).ctx.policy.organization.name,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def _signed_in(request: Request) -> tuple[Principal, sessions.ConsoleSession] | None:
    container = container_of(request)
    session = sessions.unseal(
        container.keyring, request.cookies.get(sessions.COOKIE), container.ctx.now()
    )
    if session is None:
        return None
    try:
        return container.staff.authenticate(session.token), session
    except AuthenticationFailed:
        return None


def _to_login() -> RedirectResponse:
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/console")
    return response


def _error_page(
    request: Request, exc: ConfideError, principal: Principal, session: sessions.ConsoleSession
) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 409
    key = {404: "not_found", 403: "forbidden"}.get(status, "conflict")
    return render(
        request,
        "console/error.html",
        principal=principal,
        session=session,
        status_code=status,
        error_key=key,
    )


def run_signed_in(
    request: Request,
    body: Callable[[Principal, sessions.ConsoleSession], Response],
) -> Response:
    """Authenticate the session, run the page, and turn domain errors into pages."""
    signed_in = _signed_in(request)
    if signed_in is None:
        return _to_login()
    principal, session = signed_in
    try:
        return body(principal, session)
    except ValidationFailed:
        raise
    except ConfideError as exc:
        return _error_page(request, exc, principal, session)


# --- sign in / out -----------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


def _login_page(request: Request, *, failed: bool = False, status_code: int = 200) -> Response:
    """The sign-in form with a fresh login CSRF value, also set in a cookie the form must
    match: a page on another site cannot sign a browser in to an account it chose."""
    value = secrets.token_urlsafe(24)
    response = render(
        request, "console/login.html", status_code=status_code, failed=failed, csrf=value
    )
    response.set_cookie(
        sessions.LOGIN_COOKIE,
        value,
        max_age=3600,
        path="/console",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    token = str(form.get("token") or "").strip()
    submitted = str(form.get("csrf") or "")
    # Authentication reads the store: off the event loop, like every form's work.
    return await run_in_threadpool(_login, request, token, submitted)


def _login(request: Request, token: str, submitted: str) -> Response:
    expected = request.cookies.get(sessions.LOGIN_COOKIE) or ""
    if not (submitted and expected and hmac.compare_digest(submitted, expected)):
        return _login_page(request, failed=True, status_code=403)
    container = container_of(request)
    try:
        container.staff.authenticate(token)
    except AuthenticationFailed:
        return _login_page(request, failed=True, status_code=401)
    session = sessions.new_session(token, container.ctx.now())
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        sessions.seal(container.keyring, session),
        max_age=int(sessions.LIFETIME.total_seconds()),
        path="/console",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    response.delete_cookie(sessions.LOGIN_COOKIE, path="/console")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_logout, request, str(form.get("csrf") or ""))


def _logout(request: Request, submitted: str) -> Response:
    signed_in = _signed_in(request)
    if signed_in is not None and not signed_in[1].csrf_ok(submitted):
        return Response("bad form token", status_code=403)
    return _to_login()


@router.get("/language/{lang}")
def choose_language(lang: str) -> Response:
    response = RedirectResponse("/console/", status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(
            sessions.LANGUAGE_COOKIE, lang, path="/console", samesite="strict", httponly=True
        )
    return response


# --- pages -------------------------------------------------------------------------------------
@router.get("")
@router.get("/")
def dashboard(request: Request) -> Response:
    def body(principal: Principal, session: sessions.ConsoleSession) -> Response:
        return render(
            request,
            "console/dashboard.html",
            principal=principal,
            session=session,
            can_search=principal.can(Action.CONSOLE_SUBJECTS),
        )

    return run_signed_in(request, body)


@router.get("/subjects")
def search(request: Request, kind: str = "email", q: str = "") -> Response:
    def body(principal: Principal, session: sessions.ConsoleSession) -> Response:
        principal.require(Action.CONSOLE_SUBJECTS)
        try:
            ident = IdentifierKind(kind)
        except ValueError:
            ident = IdentifierKind.EMAIL
        if not q.strip():
            return render(
                request,
                "console/search.html",
                principal=principal,
                session=session,
                kinds=[k.value for k in IdentifierKind],
                kind=ident.value,
            )
        try:
            subject = container_of(request).subjects.find(principal, ident, q)
        except (NotFound, ValidationFailed):
            return render(
                request,
                "console/search.html",
                principal=principal,
                session=session,
                kinds=[k.value for k in IdentifierKind],
                kind=ident.value,
                not_found=True,
                status_code=404,
            )
        return RedirectResponse(f"/console/subjects/{quote(subject.id)}", status_code=303)

    return run_signed_in(request, body)


@router.get("/subjects/{subject_id}")
def subject_page(request: Request, subject_id: str, done: str = "") -> Response:
    def body(principal: Principal, session: sessions.ConsoleSession) -> Response:
        principal.require(Action.CONSOLE_SUBJECTS)
        return _subject(request, principal, session, subject_id, done=done)

    return run_signed_in(request, body)


def _subject(
    request: Request,
    principal: Principal,
    session: sessions.ConsoleSession,
    subject_id: str,
    *,
    done: str = "",
    problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    container = container_of(request)
    file = container.subjects.file(principal, subject_id)
    holds = [
        h
        for h in (container.requests.holds_for(principal, subject_id) if container.requests else [])
        if h.active
    ]
    policy = container.ctx.policy
    lang = console_language(request)
    sealed_ok = principal.can(Action.SUBJECTS_READ_SEALED)
    info = []
    for record in file.information:
        category = policy.category(record.category)
        sensitive = category is not None and category.encrypted_at_rest
        info.append(
            {
                "category": category.description.in_language(lang) if category else record.category,
                "value": record.value if sealed_ok or not sensitive else "••••",
                "masked": sensitive and not sealed_ok,
                "source": record.source,
                "system": record.system,
            }
        )
    t = CONSOLE_LABELS[lang]
    names = container.retention.category_names(lang)
    today = container.ctx.now().date()
    end_of_life = [
        {
            "category": names.get(life.record.category, life.record.category),
            "system": life.record.system,
            "latest": life.end.latest.isoformat() if life.end.latest else t["eol_while_service"],
            "due": life.end.due_on(today),
            "kept": bool(life.kept_by),
        }
        for life in container.retention.end_of_life(principal, subject_id)
        if life.record.current
    ]
    disposed = [
        {
            "category": names.get(d.category, d.category),
            "how": t.get(f"method_{d.method}", d.method),
            "on": d.disposed_at.strftime("%Y-%m-%d"),
        }
        for d in container.retention.disposed(principal, subject_id)
    ]
    return render(
        request,
        "console/subject.html",
        end_of_life=end_of_life,
        disposed=disposed,
        lifecycle_kinds=[(k.value, t[f"kind_{k.value}"]) for k in LifecycleKind],
        can_lifecycle=principal.can(Action.RETENTION_EVENTS),
        holds=holds,
        hold_label=hold_label,
        principal=principal,
        session=session,
        status_code=status_code,
        subject=file.subject,
        info=info,
        events=[_describe(e, policy, lang) for e in reversed(file.consent_history)],
        purposes=[
            (p.id, p.description.in_language(lang)) for p in policy.purposes if p.opt_out_allowed
        ],
        channels=[(c.id, c.description.in_language(lang)) for c in policy.channels],
        done=done
        if done in {"given", "withdrawn", "opted_out", "do_not_call", "lifecycle"}
        else "",
        problems=problems or [],
    )


def _describe(event: object, policy: Policy, lang: Language) -> dict[str, str]:
    t = CONSOLE_LABELS[lang]

    def purpose(pid: str) -> str:
        p = policy.purpose(pid)
        return p.description.in_language(lang) if p else pid

    def channel(cid: str | None) -> str:
        if cid is None:
            return ""
        c = policy.channel(cid)
        return c.description.in_language(lang) if c else cid

    at = getattr(event, "at", None)
    row = {
        "at": at.strftime("%Y-%m-%d %H:%M") if at else "",
        "what": "",
        "purpose": "",
        "channel": "",
        "detail": "",
    }
    if isinstance(event, ConsentGiven):
        row |= {
            "what": t["ev_given"],
            "purpose": purpose(event.purpose_id),
            "channel": channel(event.channel),
            "detail": f"{event.kind.value} · {event.method.value}",
        }
    elif isinstance(event, ConsentWithdrawn):
        row |= {
            "what": t["ev_withdrawn"],
            "purpose": purpose(event.purpose_id),
            "channel": channel(event.channel),
        }
    elif isinstance(event, ChannelOptedOut):
        row |= {"what": t["ev_opted_out"], "channel": channel(event.channel)}
    elif isinstance(event, ChannelOptedIn):
        row |= {"what": t["ev_opted_in"], "channel": channel(event.channel)}
    elif isinstance(event, DoNotCallRequested):
        row |= {"what": t["ev_do_not_call"]}
    elif isinstance(event, RelationshipEventRecorded):
        row |= {"what": t["ev_relationship"], "detail": event.kind.value}
    else:
        row |= {"what": type(event).__name__}
    return row


# --- forms ------------------------------------------------------------------------------------
FormAction = Callable[[Principal, dict[str, str]], str]
"""Performs one named action of a console form; returns the ``done`` key shown after it."""


def _problems(exc: ConfideError) -> list[str]:
    return [f"{p.location}: {p.message}" for p in getattr(exc, "problems", [])] or [str(exc)]


async def run_form(
    request: Request,
    actions: Mapping[str, FormAction],
    page: Callable[[Principal, sessions.ConsoleSession, list[str]], Response],
    done_url: str,
) -> Response:
    """A console form post: a signed-in session, its CSRF value, one action named by the form.
    A refused action shows the page again with its problems (422) and records nothing; a done
    one redirects to ``done_url?done=<key>``. An uploaded text file arrives as the field of
    its name, decoded as UTF-8 (the body limit bounds its size)."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    for name, value in form.items():
        if isinstance(value, StarletteUpload):
            if value.filename:
                fields[name] = (await value.read()).decode("utf-8", errors="replace")
            await value.close()

    def body(principal: Principal, session: sessions.ConsoleSession) -> Response:
        if not session.csrf_ok(fields.get("csrf")):
            return Response("bad form token", status_code=403)
        action = actions.get(fields.get("action", ""))
        try:
            if action is None:
                raise ValidationFailed.single("action", "is not an action of this form")
            done = action(principal, fields)
        except (ValidationFailed, NotAllowed, Conflict) as exc:
            response = page(principal, session, _problems(exc))
            response.status_code = 422
            return response
        return RedirectResponse(f"{done_url}?done={done}", status_code=303)

    # The action's store work runs in a thread: a form post waiting on a lock (SQLite's write
    # lock, a row lock) must not stop the event loop answering everyone else.
    return await run_in_threadpool(run_signed_in, request, body)


# --- actions (what a caller asks an agent to record) -------------------------------------------
@router.post("/subjects/{subject_id}/record")
async def record(request: Request, subject_id: str) -> Response:
    consent = container_of(request).consent

    def give(principal: Principal, f: dict[str, str]) -> str:
        consent.give(
            principal,
            GiveConsentRequest(
                subject_id=subject_id,
                purposes=(f.get("purpose", ""),),
                kind="express",
                method="verbal",
                channel=f.get("channel") or None,
                evidence_ref=f.get("evidence_ref") or None,
            ),
        )
        return "given"

    def withdraw(principal: Principal, f: dict[str, str]) -> str:
        consent.withdraw(principal, subject_id, f.get("purpose", ""), f.get("channel") or None)
        return "withdrawn"

    def opt_out(principal: Principal, f: dict[str, str]) -> str:
        consent.set_channel(principal, subject_id, f.get("channel", ""), opted_out=True)
        return "opted_out"

    def do_not_call(principal: Principal, f: dict[str, str]) -> str:
        consent.do_not_call(principal, subject_id)
        return "do_not_call"

    def lifecycle(principal: Principal, f: dict[str, str]) -> str:
        at = f.get("occurred_on", "").strip()
        try:
            when = datetime.combine(date.fromisoformat(at), time(12), UTC) if at else None
        except ValueError:
            raise ValidationFailed.single("occurred_on", "is not a date (YYYY-MM-DD)") from None
        container_of(request).retention.record_event(principal, subject_id, f.get("kind", ""), when)
        return "lifecycle"

    return await run_form(
        request,
        {
            "give": give,
            "withdraw": withdraw,
            "opt_out": opt_out,
            "do_not_call": do_not_call,
            "lifecycle": lifecycle,
        },
        lambda principal, session, problems: _subject(
            request, principal, session, subject_id, problems=problems
        ),
        f"/console/subjects/{quote(subject_id)}",
    )
