"""Opaque, time-ordered identifiers (``<prefix>_<26 chars>``), like ULIDs.

Time-ordered ids keep database indexes append-mostly; the random part makes them
unguessable. The time and randomness are passed in so the domain reads no clock.
"""

from __future__ import annotations

import secrets
from datetime import datetime

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _b32(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        out.append(_ALPHABET[n & 31])
        n >>= 5
    return "".join(reversed(out))


def new_id(prefix: str, at: datetime, rand: int | None = None) -> str:
    ms = int(at.timestamp() * 1000)
    r = secrets.randbits(80) if rand is None else rand
    return f"{prefix}_{_b32(ms, 10)}{_b32(r, 16)}"
