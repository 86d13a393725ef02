"""``court_order``: to comply with a warrant, subpoena or court order (DIS-2).

Evidence: the reference of the order, warrant or subpoena document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule, invalid
from confide.domain.disclosure.reasons import Finding

DOCUMENT_TYPES: frozenset[str] = frozenset({"court_order", "warrant", "subpoena"})


@dataclass(frozen=True)
class CourtDocument(Evidence):
    """The order, warrant or subpoena the company must comply with."""

    kind: ClassVar[str] = "document_reference"

    document_reference: str
    document_type: str = "court_order"
    """``court_order``, ``warrant`` or ``subpoena``."""


class CourtOrderRule(ExceptionRule):
    code = "court_order"
    evidence_type = CourtDocument
    required_fields = ("document_reference", "document_type")

    def conditions(self, evidence: Evidence) -> tuple[Finding, ...]:
        assert isinstance(evidence, CourtDocument)
        if not evidence.document_type.strip() or evidence.document_type in DOCUMENT_TYPES:
            return ()
        return (invalid("document_reference.document_type"),)
