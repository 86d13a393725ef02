"""Disclosure rules (DIS-1..5, ACC-4), pure domain: standard library only, no clock reads.

- ``recipients``: the recipients register (class, place, agreement, safeguards, impact
  assessment) and validation against the policy.
- ``exceptions/``: the closed list of exceptions to consent (DIS-2), one module per code with
  its evidence; ``exceptions.REGISTRY`` lists them.
- ``basis``: ``CONSENT`` or ``ExceptionBasis(code, evidence)``.
- ``engine``: ``decide_disclosure(...) -> DisclosureDecision`` (reuses the consent engine).
- ``reasons``: reason codes with their rule and EN/FR explanation.
- ``obligations``: what an allowed disclosure obliges (written notice after an emergency).
- ``ledger``: the disclosure record (DIS-1) and the account of disclosures (ACC-4).
- ``crossborder``: what is processed or stored outside Québec / Canada, by whom, how.
- ``bulk``: streaming checks of one recipient x many subjects.
- ``errors``: bad input (unknown exception code, invalid recipient, recording a refusal).
"""

from confide.domain.disclosure.basis import CONSENT, Basis, ConsentBasis, ExceptionBasis
from confide.domain.disclosure.engine import (
    DisclosureDecision,
    DisclosureSubject,
    decide_disclosure,
)
from confide.domain.disclosure.reasons import DisclosureReason, Finding
from confide.domain.disclosure.recipients import Agreement, ImpactAssessment, Place, Recipient

__all__ = [
    "CONSENT",
    "Agreement",
    "Basis",
    "ConsentBasis",
    "DisclosureDecision",
    "DisclosureReason",
    "DisclosureSubject",
    "ExceptionBasis",
    "Finding",
    "ImpactAssessment",
    "Place",
    "Recipient",
    "decide_disclosure",
]
