"""``government_authority``: a government institution that states its lawful authority (DIS-2).

Evidence: the institution and the lawful authority it invoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule


@dataclass(frozen=True)
class LawfulAuthority(Evidence):
    """The lawful authority a government institution stated when it asked."""

    kind: ClassVar[str] = "lawful_authority"

    lawful_authority: str
    institution: str


class GovernmentAuthorityRule(ExceptionRule):
    code = "government_authority"
    evidence_type = LawfulAuthority
    required_fields = ("lawful_authority", "institution")
