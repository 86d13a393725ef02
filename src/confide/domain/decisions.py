"""A decision as recorded: what was asked, the answer and what it rested on (consent or disclosure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoredDecision:
    """A decision as recorded: inputs, answer, explanation's rule, and the policy version (POL-1)."""

    id: str
    subject_id: str
    action: str
    purpose_id: str
    channel: str | None
    recipient_id: str | None
    categories: tuple[str, ...]
    asked_at: datetime
    decided_at: datetime
    allowed: bool
    reasons: tuple[str, ...]
    rule: str
    relied_on: str | None
    valid_until: datetime | None
    policy_version: str
    requested_by: str
    language: str
