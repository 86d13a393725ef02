"""Staff accounts and their API tokens as stored (tokens as hashes only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StaffUser:
    id: str
    username: str
    roles: frozenset[str]
    created_at: datetime
    active: bool = True


@dataclass(frozen=True)
class ApiToken:
    id: str
    user_id: str
    token_hash: str
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
