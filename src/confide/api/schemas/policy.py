"""Bodies for policy versions."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from confide.domain.policy_version import PolicyVersion


class PolicyVersionOut(BaseModel):
    id: str
    policy_id: str
    version: str
    content_hash: str
    effective_date: date
    loaded_at: datetime
    active: bool

    @classmethod
    def of(cls, v: PolicyVersion, active_id: str | None) -> PolicyVersionOut:
        return cls(
            id=v.id,
            policy_id=v.policy_id,
            version=v.version,
            content_hash=v.content_hash,
            effective_date=v.effective_date,
            loaded_at=v.loaded_at,
            active=v.id == active_id,
        )
