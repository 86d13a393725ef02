"""Who must be asked again when a policy version adds purposes (CON-4, POL-3).

A consent given under an earlier version does not carry over to a purpose a
later version added; for each subject, :func:`purposes_to_reconsent` lists the
consent-based purposes added after the first version that no consent in force
covers. The privacy officer's list is this function over the subject base
(phase 2 runs it over the store).
"""

from __future__ import annotations

from datetime import datetime

from confide.domain.consent.state import SubjectState
from confide.domain.consent.versions import PolicyHistory
from confide.domain.policy import ConsentMode, Policy

_CONSENT_BASED = (ConsentMode.IMPLIED, ConsentMode.EXPRESS)


def purposes_to_reconsent(
    policy: Policy, history: PolicyHistory, state: SubjectState, at: datetime
) -> tuple[str, ...]:
    """Purposes of ``policy`` added by a later version that this subject has not consented to."""
    wanted = []
    for purpose in policy.purposes:
        if purpose.consent not in _CONSENT_BASED or history.introduced(purpose.id) is None:
            continue
        channels: tuple[str | None, ...] = (None, *purpose.channels)
        covered = any(
            history.covers(grant.policy_version, purpose.id)
            for channel in channels
            for grant in state.consents(purpose.id, channel, at).in_force
        )
        if not covered:
            wanted.append(purpose.id)
    return tuple(wanted)
