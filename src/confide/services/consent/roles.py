"""The principal the consent upkeep acts as (what each role may do is `domain/permissions.py`)."""

from __future__ import annotations

from confide.domain.access import Principal, Role

OFFICER_ON_DUTY = Principal(
    user_id="system", username="system", roles=frozenset({Role.PRIVACY_OFFICER})
)
"""The worker's upkeep rebuilds the read model on the officer's behalf (audited as system)."""
