"""Who may do what with consents (checked by every use case and by the API's route guards)."""

from __future__ import annotations

from confide.domain.access import Principal, Role

RECORDERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
DECIDERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
READERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.AUDITOR, Role.INTEGRATION})
OFFICERS = frozenset({Role.PRIVACY_OFFICER})
STATE_KEEPERS = frozenset({Role.PRIVACY_OFFICER, Role.INTEGRATION})
OFFICER_ON_DUTY = Principal(
    user_id="system", username="system", roles=frozenset({Role.PRIVACY_OFFICER})
)
"""The worker's upkeep rebuilds the read model on the officer's behalf (audited as system)."""
