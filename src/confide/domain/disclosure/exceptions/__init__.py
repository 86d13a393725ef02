"""The closed list of legal exceptions to consent for a disclosure (DIS-2), one module each.

The registry below is the one place every exception rule is listed; it must
cover exactly ``confide.domain.policy.CLOSED_EXCEPTION_CODES`` (a test checks).
``rule_for(code)`` raises :class:`UnknownExceptionCode` for a code off the list.

=========================== ============================= ==================================
code                        evidence (kind)               checks beyond filled-in fields
=========================== ============================= ==================================
court_order                 CourtDocument                 type: court_order|warrant|subpoena
                            (document_reference)
government_authority        LawfulAuthority               institution named
                            (lawful_authority)
debt_collection             DebtReference                 owed to the company itself
                            (debt_reference)
investigation               InvestigationReference        about an agreement or a law
                            (investigation_reference)
emergency                   EmergencyDescription          written notice to the individual
                            (emergency_description)       (an obligation with a deadline)
required_by_law             LawCitation (law_citation)    -
authorized_representative   RepresentativeAuthorization   -
                            (authorization_reference)
=========================== ============================= ==================================
"""

from __future__ import annotations

from types import MappingProxyType

from confide.domain.disclosure.errors import UnknownExceptionCode
from confide.domain.disclosure.exceptions.authorized_representative import (
    AuthorizedRepresentativeRule,
    RepresentativeAuthorization,
)
from confide.domain.disclosure.exceptions.base import Evidence, ExceptionRule
from confide.domain.disclosure.exceptions.court_order import CourtDocument, CourtOrderRule
from confide.domain.disclosure.exceptions.debt_collection import DebtCollectionRule, DebtReference
from confide.domain.disclosure.exceptions.emergency import EmergencyDescription, EmergencyRule
from confide.domain.disclosure.exceptions.government_authority import (
    GovernmentAuthorityRule,
    LawfulAuthority,
)
from confide.domain.disclosure.exceptions.investigation import (
    InvestigationReference,
    InvestigationRule,
)
from confide.domain.disclosure.exceptions.required_by_law import LawCitation, RequiredByLawRule

_RULES: tuple[ExceptionRule, ...] = (
    CourtOrderRule(),
    GovernmentAuthorityRule(),
    DebtCollectionRule(),
    InvestigationRule(),
    EmergencyRule(),
    RequiredByLawRule(),
    AuthorizedRepresentativeRule(),
)

REGISTRY: MappingProxyType[str, ExceptionRule] = MappingProxyType({r.code: r for r in _RULES})
"""Exception code -> its rule."""


def rule_for(code: str) -> ExceptionRule:
    """The rule of exception ``code``; raises :class:`UnknownExceptionCode` off the closed list."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnknownExceptionCode(code) from None


__all__ = [
    "REGISTRY",
    "CourtDocument",
    "DebtReference",
    "EmergencyDescription",
    "Evidence",
    "ExceptionRule",
    "InvestigationReference",
    "LawCitation",
    "LawfulAuthority",
    "RepresentativeAuthorization",
    "rule_for",
]
