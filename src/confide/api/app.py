"""The FastAPI application factory. OpenAPI at /openapi.json, interactive docs at /docs."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import confide
from confide.api import problems
from confide.api.routers import (
    audit,
    breaches,
    complaints,
    consent,
    corrections,
    disclosures,
    health,
    holds,
    jobs,
    policy,
    requests,
    retention,
    scan,
    staff,
    subjects,
)
from confide.api.security import BearerAuthMiddleware, BodyLimitMiddleware
from confide.bootstrap import Container
from confide.web import (
    console,
    console_breaches,
    console_complaints,
    console_requests,
    console_retention,
    console_work,
    portal,
    portal_complaints,
    portal_incidents,
    portal_requests,
)
from confide.web.security import WebSecurityHeadersMiddleware

ROUTERS = (
    health.router,
    staff.router,
    policy.router,
    subjects.router,
    subjects.info_router,
    audit.router,
    consent.router,
    disclosures.router,
    scan.router,
    jobs.router,
    corrections.router,
    requests.router,
    holds.router,
    retention.router,
    breaches.router,
    complaints.router,
    # The individual's own request and its code: no staff token, rate-limited, reveals nothing.
    requests.public_router,
)


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Confide",
        version=confide.__version__,
        description="Privacy operations: the company's privacy policy, executable. "
        "Every /v1 route needs `Authorization: Bearer <token>` and one of the roles it lists; "
        "the individuals' own request routes (/requests) need none and are rate-limited.",
    )
    app.state.container = container
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # The web pages (portal, console) are outside /v1: they do not appear in the OpenAPI
    # description and carry their own security headers.
    app.include_router(portal.router)
    app.include_router(portal_requests.router)
    app.include_router(portal_incidents.router)
    app.include_router(portal_complaints.router)
    app.include_router(console.router)
    app.include_router(console_requests.router)
    app.include_router(console_work.router)
    app.include_router(console_retention.router)
    app.include_router(console_breaches.router)
    app.include_router(console_complaints.router)
    app.mount("/static", StaticFiles(directory=portal.STATIC), name="static")
    # Starlette runs the last-added middleware first: the body limit wraps authentication.
    app.add_middleware(BearerAuthMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=container.settings.max_body_bytes)
    app.add_middleware(WebSecurityHeadersMiddleware, hsts_seconds=container.settings.hsts_seconds)
    trusted = [p.strip() for p in container.settings.trusted_proxies.split(",") if p.strip()]
    if trusted:
        # Outermost: the client address every limit and log sees is the one the proxy saw.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
    return app


def create_app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` and multi-process serving: settings from CONFIDE_*."""
    from confide.bootstrap import build
    from confide.config import load_settings

    return create_app(build(load_settings()))
