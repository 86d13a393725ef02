"""``required_by_law``: where a law requires or permits the disclosure (DIS-2).

Evidence: the law cited (and, optionally, its provision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule


@dataclass(frozen=True)
class LawCitation(Evidence):
    kind: ClassVar[str] = "law_citation"

    law: str
    provision: str | None = None


class RequiredByLawRule(ExceptionRule):
    code = "required_by_law"
    evidence_type = LawCitation
    required_fields = ("law",)
