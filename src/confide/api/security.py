"""Authentication (bearer tokens) and authorization (roles per route): deny by default.

Every route under ``/v1`` is authenticated by :class:`BearerAuthMiddleware` before
anything else runs (so an anonymous caller learns nothing, not even whether its
body was well-formed), and every route declares the roles that may call it with
``Allow(...)``; the route-table test proves both for every route.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from fastapi import Depends, HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from confide.api.problems import problem
from confide.domain.access import Principal
from confide.domain.errors import AuthenticationFailed, PermissionDenied
from confide.domain.permissions import Action, roles_for

PROTECTED_PREFIX = "/v1/"
_CACHE_SECONDS = 5.0


class BearerAuthMiddleware:
    """Resolves ``Authorization: Bearer <token>`` into a Principal on ``scope['state']``.

    A short cache (5 s) keeps token look-ups off the hot path of decision requests;
    a revoked token stops working within that time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._cache: dict[str, tuple[float, Principal]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX):
            await self.app(scope, receive, send)
            return
        token = _bearer(scope)
        principal = None
        if token:
            hit = self._cache.get(token)
            if hit and hit[0] > time.monotonic():
                principal = hit[1]
            else:
                container = scope["app"].state.container
                try:
                    principal = await anyio.to_thread.run_sync(container.staff.authenticate, token)
                except AuthenticationFailed:
                    principal = None
                if principal is not None:
                    if len(self._cache) > 10_000:
                        self._cache.clear()
                    self._cache[token] = (time.monotonic() + _CACHE_SECONDS, principal)
        if principal is None:
            response = problem(
                401,
                "Authentication required",
                "send a valid API token as 'Authorization: Bearer <token>'",
                "authentication_failed",
                headers={"WWW-Authenticate": 'Bearer realm="confide"'},
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return str(token.strip())
    return None


class Allow:
    """Dependency that admits only the roles the permissions table gives ``action``, and returns
    the caller's Principal."""

    def __init__(self, action: Action) -> None:
        self.action = action
        self.roles = roles_for(action)
        if not self.roles:
            raise ValueError("a route must allow at least one role")

    def __call__(self, request: Request) -> Principal:
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:
            raise AuthenticationFailed("authentication required")
        if not principal.roles & self.roles:
            raise PermissionDenied(f"this needs one of the roles: {', '.join(sorted(self.roles))}")
        return principal


class BodyLimitMiddleware:
    """Refuses bodies larger than ``max_bytes`` with 413, whether or not Content-Length is honest."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await problem(
                    413,
                    "Request too large",
                    f"the body exceeds {self.max_bytes} bytes",
                    "body_too_large",
                )(scope, receive, send)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # FastAPI lets an HTTPException raised while reading the body through unchanged.
                    raise HTTPException(413, f"the body exceeds {self.max_bytes} bytes")
            return message

        await self.app(scope, limited, send)


def allow(action: Action) -> Any:
    """``principal: Annotated[Principal, allow(Action.SUBJECTS_READ)]`` in a route signature."""
    return Depends(Allow(action))
