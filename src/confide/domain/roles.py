"""The closed set of staff roles. What each role may do is the permissions table
(:mod:`confide.domain.permissions`), not this module."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRIVACY_OFFICER = "privacy_officer"
    """Keeps the policy, the requests queue, registers and reports; may do everything staff may do."""
    AGENT = "agent"
    """Customer-service agent: records consents and requests for a caller, sees what it needs."""
    AUDITOR = "auditor"
    """Reads the audit trail, proofs and registers; changes nothing."""
    INTEGRATION = "integration"
    """The company's other systems: record collection, ask for decisions, pull audiences."""


ALL_STAFF: frozenset[Role] = frozenset(Role)
