"""Rate limits shared by every process that serves the public front doors."""

from __future__ import annotations

from typing import Protocol


class RateLimits(Protocol):
    def hit(self, name: str, caller: str, limit: int, window_seconds: int) -> bool:
        """Count one call of ``name`` by ``caller`` (a client address) in the current window
        of ``window_seconds``; False when that makes more than ``limit`` calls in it."""
        ...
