"""A use decision: the engine's answer, with its explanation (architecture habit 6)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from confide.domain.consent.reasons import Reason
from confide.domain.policy import Text


class Decision(NamedTuple):
    """The answer to a use question, with its explanation (architecture habit 6). Immutable."""

    allowed: bool
    reasons: tuple[Reason, ...]
    rule: str
    text: Text
    language: str
    relied_on: str | None
    """``consent:<event id>``, ``event:<event id>``, ``policy:purposes/<id>``, ``rules:<name>``."""
    valid_until: datetime | None
    """Until when this answer holds if nothing else happens (None: until something changes)."""
    subject_id: str
    purpose_id: str
    channel: str | None
    categories: tuple[str, ...]
    policy_version: str
    at: datetime

    @property
    def explanation(self) -> str:
        return self.text.in_language(self.language)

    def to_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed,
            "reasons": [str(r) for r in self.reasons],
            "rule": self.rule,
            "explanation": self.explanation,
            "explanation_en": self.text.en,
            "explanation_fr": self.text.fr,
            "relied_on": self.relied_on,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "subject_id": self.subject_id,
            "purpose_id": self.purpose_id,
            "channel": self.channel,
            "categories": list(self.categories),
            "policy_version": self.policy_version,
            "at": self.at.isoformat(),
        }
