"""A per-address rate limit for the public front doors (portal forms, public API routes).

In-process sliding window: each serving process keeps its own counts, which bounds guessing
per process; a deployment with several processes multiplies the allowance by their number.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from starlette.requests import Request


class RateLimiter:
    """At most ``limit`` calls per ``window`` seconds per key (a client address)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._calls) > 100_000:
                self._calls.clear()
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return False
            calls.append(now)
            return True


WINDOW_SECONDS = 600.0


def limited(request: Request, name: str, limit: int, window: float = WINDOW_SECONDS) -> bool:
    """True when the caller's address has used up ``limit`` calls of ``name`` in the window.

    Limiters live on the application's state, so the portal and the API share their counts.
    """
    limiters: dict[str, RateLimiter] = request.app.state.__dict__.setdefault("rate_limiters", {})
    limiter = limiters.setdefault(name, RateLimiter(limit, window))
    return not limiter.allow(request.client.host if request.client else "unknown")
