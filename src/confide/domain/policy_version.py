"""A stored policy version (POL-1): its label, content hash, effective date and text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    """``<policy id>:<version>:<first 12 hex of the content hash>``: names the exact content."""
    policy_id: str
    version: str
    content_hash: str
    effective_date: date
    loaded_at: datetime
    source: str
    """The policy file's text (and product files), kept so any version can be shown and diffed."""
    purposes: tuple[str, ...] = ()
    """The purpose ids of this version (CON-4: a purpose a later version adds has no consent yet)."""

    @staticmethod
    def make_id(policy_id: str, version: str, content_hash: str) -> str:
        return f"{policy_id}:{version}:{content_hash[:12]}"
