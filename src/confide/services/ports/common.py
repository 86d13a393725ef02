"""The clock and the cipher every area uses."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class Cipher(Protocol):
    """Authenticated encryption of sensitive values at rest (AES-GCM with key ids and rotation)."""

    def encrypt(self, plaintext: bytes, associated_data: bytes = b"") -> bytes: ...

    def decrypt(self, blob: bytes, associated_data: bytes = b"") -> bytes: ...

    def needs_rotation(self, blob: bytes) -> bool:
        """True when ``blob`` was sealed with a key other than the active one."""
        ...
