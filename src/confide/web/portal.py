"""The individuals' self-service portal: public pages in English and French.

Served under ``/portal`` by the same application as the API. Nothing here needs a staff
token: these pages show what the policy already publishes (its purposes, what is collected,
who it may be shared with, how long it is kept, its versions, and the privacy officer's
contact, CMP-3). Pages that concern one person's file sit behind identity verification.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from confide.bootstrap import Container
from confide.domain.policy import Policy, Purpose
from confide.web.i18n import LANGUAGES, Language, other_language, pick_language
from confide.web.labels import PORTAL_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(prefix="/portal", include_in_schema=False)


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )


def render_page(
    request: Request, template: str, lang: Language, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a portal page with the site frame: organization, contact, language switch."""
    container: Container = request.app.state.container
    policy = container.ctx.policy
    officer = policy.organization.privacy_officer
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=PORTAL_LABELS[lang],
            other=other_language(lang),
            switch_path=_switch_path(request.url.path, lang),
            organization=policy.organization.name,
            officer=officer,
            officer_title=officer.title.in_language(lang),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)


def _switch_path(path: str, lang: Language) -> str:
    prefix = f"/portal/{lang}"
    rest = path[len(prefix) :] if path.startswith(prefix) else "/"
    return f"/portal/{other_language(lang)}{rest or '/'}"


def resolve_language(lang: str) -> Language | None:
    """The language a path names, or None for anything else (answered with a 404 page)."""
    for known in LANGUAGES:
        if lang == known:
            return known
    return None


def not_found(request: Request) -> HTMLResponse:
    lang = pick_language(request.headers.get("accept-language"))
    return render_page(request, "portal/not_found.html", lang, status_code=404)


@router.get("")
@router.get("/")
def portal_root(request: Request) -> Response:
    """Send the browser to the portal in the language it prefers."""
    lang = pick_language(request.headers.get("accept-language"))
    return RedirectResponse(f"/portal/{lang}/", status_code=303)


@router.get("/policy")
def policy_redirect(request: Request) -> Response:
    """The policy's published address (notices link to it): in the reader's language."""
    lang = pick_language(request.headers.get("accept-language"))
    return RedirectResponse(f"/portal/{lang}/policy", status_code=303)


@router.get("/{lang}/")
def home(request: Request, lang: str) -> Response:
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    return render_page(request, "portal/home.html", language)


@router.get("/{lang}/policy")
def policy_page(request: Request, lang: str) -> Response:
    """The policy in plain language: purposes, information, recipients, retention, versions."""
    language = resolve_language(lang)
    if language is None:
        return not_found(request)
    container: Container = request.app.state.container
    active = container.ctx.require_active()
    return render_page(
        request,
        "portal/policy.html",
        language,
        **policy_view(active.policy, language),
        versions=active.history.versions if active.history else (),
    )


def policy_view(policy: Policy, lang: Language) -> dict[str, Any]:
    """What the policy page shows, already in the reader's language."""

    def text(item: Any) -> str:
        return str(item.description.in_language(lang))

    categories = {c.id: c for c in policy.categories}
    channels = {c.id: text(c) for c in policy.channels}

    def purpose_row(p: Purpose) -> dict[str, Any]:
        return {
            "id": p.id,
            "description": text(p),
            "consent": p.consent.value,
            "categories": [text(categories[c]) for c in p.categories if c in categories],
            "channels": [channels.get(c, c) for c in p.channels],
            "opt_out": p.opt_out_allowed,
            "off_by_default": p.privacy_by_default_off,
        }

    purposes = [purpose_row(p) for p in policy.purposes]
    return {
        "policy_title": policy.title.in_language(lang),
        "policy_version": policy.version,
        "effective_date": policy.effective_date.isoformat(),
        "essential": [p for p in purposes if not p["opt_out"]],
        "optional": [p for p in purposes if p["opt_out"]],
        "categories": [
            {"description": text(c), "sensitivity": c.sensitivity.value} for c in policy.categories
        ],
        "recipients": [
            {
                "description": text(r),
                "categories": [text(categories[c]) for c in r.categories if c in categories],
            }
            for r in policy.recipient_classes
        ],
        "retention": [
            {
                "category": text(categories[r.category])
                if r.category in categories
                else r.category,
                "max_days": r.max_days,
                "reason": r.reason.in_language(lang),
            }
            for r in policy.retention
        ],
    }


async def form_values(request: Request) -> dict[str, str]:
    """A posted form's text fields, trimmed (files are not taken on the portal). Read on the
    event loop; what is done with them goes to a thread (``run_in_threadpool``)."""
    form = await request.form()
    return {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}


def too_many(request: Request, lang: Language) -> Response:
    """The answer to a public form sent too often from one address (429, retry in 10 minutes)."""
    response = render_page(request, "portal/too_many.html", lang, status_code=429)
    response.headers["Retry-After"] = "600"
    return response
