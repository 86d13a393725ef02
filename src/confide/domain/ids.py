"""Opaque, time-ordered identifiers (``<prefix>_<26 chars>``), like ULIDs.

Time-ordered ids keep database indexes append-mostly; the random part makes them
unguessable. The time and randomness are passed in so the domain reads no clock.
"""

from __future__ import annotations

import secrets
from datetime import datetime

# Crockford base32, lower case: ASCII order equals numeric order, so ids sort by time.
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
# Two characters (10 bits) per look-up: ids are minted in bulk (demo, imports), so this is hot.
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]


def new_id(prefix: str, at: datetime, rand: int | None = None) -> str:
    """``prefix_`` + 10 characters of milliseconds + 16 characters of randomness (80 bits)."""
    ms = int(at.timestamp() * 1000) & ((1 << 50) - 1)
    n = (ms << 80) | ((secrets.randbits(80) if rand is None else rand) & ((1 << 80) - 1))
    parts = []
    for _ in range(13):
        parts.append(_PAIRS[n & 1023])
        n >>= 10
    return prefix + "_" + "".join(reversed(parts))
