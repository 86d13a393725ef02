"""Who must be asked for consent again after a policy change (CON-4, POL-3)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.domain.access import Action, Principal
from confide.domain.consent.reconsent import purposes_to_reconsent
from confide.domain.consent.state import derive_state
from confide.domain.consent.versions import PolicyHistory
from confide.domain.policy import Policy
from confide.services.consent.readmodel import profile_of
from confide.services.context import ServiceContext


class Reconsent:
    """Streams the subjects to ask again, reading the ledger in pages (one read each)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def reconsent(
        self, principal: Principal, batch: int = 2000
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every subject who must be asked again, with the purposes: those a later policy version
        added that rest on consent and that no consent in force covers. Streamed in id order."""
        principal.require(Action.CONSENT_RECONSENT)
        active = self.ctx.require_active()
        history = active.history
        if history is None or not any(v.purposes_added for v in history.versions[1:]):
            return iter(())
        return self._reconsent(active.policy, history, batch)

    def _reconsent(
        self, policy: Policy, history: PolicyHistory, batch: int
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        now = self.ctx.now()
        offset = 0
        while True:
            with self.ctx.uow(readonly=True) as uow:
                subjects = uow.subjects.page(offset=offset, limit=batch)
                histories = uow.consent.histories([s.id for s in subjects])
            if not subjects:
                return
            for subject in subjects:
                state = derive_state(profile_of(subject), histories[subject.id])
                wanted = purposes_to_reconsent(policy, history, state, now)
                if wanted:
                    yield subject.id, wanted
            offset += len(subjects)
