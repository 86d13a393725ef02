"""What a disclosure rests on: the subject's consent, or an exception code with its evidence.

``CONSENT`` relies on the subject's consent for the purpose, as the consent
engine finds it (express where the recipient class or DIS-5 requires it).
``ExceptionBasis("court_order", CourtDocument(...))`` relies on an exception
from the closed list of DIS-2 with the evidence that exception requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from confide.domain.disclosure.exceptions.base import Evidence


@dataclass(frozen=True, slots=True)
class ConsentBasis:
    """Reliance on the subject's consent (DIS-1)."""

    @property
    def label(self) -> str:
        return "consent"


@dataclass(frozen=True, slots=True)
class ExceptionBasis:
    """Reliance on an exception to consent (DIS-2): its code and its evidence."""

    code: str
    evidence: Evidence | None = None

    @property
    def label(self) -> str:
        return self.code


Basis: TypeAlias = ConsentBasis | ExceptionBasis

CONSENT = ConsentBasis()

#: Recipient-class bases that accept any consent (implied or express).
ANY_CONSENT_BASES: frozenset[str] = frozenset({"consent", "implied_consent"})
#: Recipient-class bases that accept express consent.
EXPRESS_CONSENT_BASES: frozenset[str] = frozenset({"consent", "implied_consent", "express_consent"})
