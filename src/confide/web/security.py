"""Security headers on every answer: the web pages (portal and console) get no inline script
or style and no framing; answers that may carry personal information (the pages, ``/v1`` and
the individuals' ``/requests`` routes) are never stored by a browser or a shared cache; and
Strict-Transport-Security when the deployment says it is reached over HTTPS only."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEB_PREFIXES = ("/portal", "/console", "/static")
API_PREFIXES = ("/v1/", "/requests")

PAGE_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
API_HEADERS = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


class WebSecurityHeadersMiddleware:
    """Adds :data:`PAGE_HEADERS` under the web prefixes, :data:`API_HEADERS` under the API's,
    and ``Strict-Transport-Security`` everywhere when ``hsts_seconds`` is set."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains" if hsts_seconds else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(WEB_PREFIXES):
            extra = {
                k: v
                for k, v in PAGE_HEADERS.items()
                if not (k == "cache-control" and path.startswith("/static"))
            }
        elif path.startswith(API_PREFIXES):
            extra = dict(API_HEADERS)
        else:
            extra = {}
        if self.hsts:
            extra["strict-transport-security"] = self.hsts
        if not extra:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
