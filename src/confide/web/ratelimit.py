"""The rate limit of the public front doors (portal forms, public API routes).

Counted by the container's :class:`~confide.services.ports.ratelimits.RateLimits`, in the
store or in Redis, so every serving process shares the counts: a deployment of several
processes or hosts allows what one would. The caller is the connection's peer address, or the
address a trusted proxy forwarded (``CONFIDE_TRUSTED_PROXIES``; none is trusted by default).
The call does blocking I/O: make it from a thread, not on the event loop.
"""

from __future__ import annotations

from starlette.requests import Request

WINDOW_SECONDS = 600


def limited(request: Request, name: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """True when the caller's address has used up ``limit`` calls of ``name`` in the window.

    Counts are shared by the portal and the API (the same ``name``) and by every process.
    """
    caller = request.client.host if request.client else "unknown"
    return not request.app.state.container.rate_limits.hit(name, caller, limit, window)
