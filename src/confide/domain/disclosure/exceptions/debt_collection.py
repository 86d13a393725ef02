"""``debt_collection``: to collect a debt owed to the company itself (DIS-2).

Evidence: the debt's reference, and that the debt is owed to the company
itself (a debt owed to someone else is not this exception).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule, invalid
from confide.domain.disclosure.reasons import Finding


@dataclass(frozen=True)
class DebtReference(Evidence):
    """The debt being collected; ``owed_to_company`` must be stated, and true."""

    kind: ClassVar[str] = "debt_reference"

    debt_reference: str
    owed_to_company: bool


class DebtCollectionRule(ExceptionRule):
    code = "debt_collection"
    evidence_type = DebtReference
    required_fields = ("debt_reference",)

    def conditions(self, evidence: Evidence) -> tuple[Finding, ...]:
        assert isinstance(evidence, DebtReference)
        if evidence.owed_to_company is True:
            return ()
        return (invalid("debt_reference.owed_to_company"),)
