"""``investigation``: investigating a breach of an agreement or a contravention of a law (DIS-2).

Evidence: the investigation's reference and what it is about (``agreement`` or ``law``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule, invalid
from confide.domain.disclosure.reasons import Finding

BREACH_OF: frozenset[str] = frozenset({"agreement", "law"})


@dataclass(frozen=True)
class InvestigationReference(Evidence):
    kind: ClassVar[str] = "investigation_reference"

    investigation_reference: str
    breach_of: str = "agreement"
    """``agreement`` or ``law``."""


class InvestigationRule(ExceptionRule):
    code = "investigation"
    evidence_type = InvestigationReference
    required_fields = ("investigation_reference", "breach_of")

    def conditions(self, evidence: Evidence) -> tuple[Finding, ...]:
        assert isinstance(evidence, InvestigationReference)
        if not evidence.breach_of.strip() or evidence.breach_of in BREACH_OF:
            return ()
        return (invalid("investigation_reference.breach_of"),)
