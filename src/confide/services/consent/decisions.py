"""Use decisions (CON-1..10, CEM-1..5): the engine's answer about a subject, always recorded.

``ConsentDecisions`` reads the subject's state (through a per-process cache checked against
the store on every use), asks the engine, and hands the decision row to ``record`` before
answering. ``record`` is given at construction: the application wires a group committer
around a :class:`DecisionRecorder` (many concurrent decisions share one transaction); tests
and scripts may pass the recorder's own ``record`` (one transaction each).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.engine import Decision, decide
from confide.domain.consent.state import SubjectState, derive_state
from confide.domain.decisions import StoredDecision
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.ids import new_id
from confide.services.context import ServiceContext
from confide.services.ports.store import UnitOfWork

STATE_CACHE_SIZE = 100_000
"""Subject states a process keeps for decisions (each checked against the store on use)."""

RecordDecisions = Callable[[Sequence[StoredDecision]], None]
"""Records decision rows with their audit entries, returning once they are committed."""


@dataclass(frozen=True)
class DecisionResult:
    id: str
    decision: Decision


class DecisionRecorder:
    """Writes decision rows and their audit entries in one transaction (what a group committer
    flushes)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record(self, items: Sequence[StoredDecision]) -> None:
        """Record decisions and their audit entries in one transaction."""
        with self.ctx.uow() as uow:
            uow.consent.add_decisions(items)
            uow.audit.record_many(
                [
                    AuditRecord(
                        "decision.made",
                        d.requested_by,
                        "decision",
                        d.id,
                        d.decided_at,
                        d.policy_version,
                        d.subject_id,
                        {
                            "purpose": d.purpose_id,
                            "channel": d.channel,
                            "allowed": d.allowed,
                            "reasons": list(d.reasons),
                            "rule": d.rule,
                        },
                    )
                    for d in items
                ]
            )
            uow.commit()


class ConsentDecisions:
    """May this subject's information be used for this purpose now? Decided and recorded."""

    def __init__(self, ctx: ServiceContext, record: RecordDecisions) -> None:
        self.ctx = ctx
        self._record = record
        # Subject states derived for decisions, each under the stamp of the ledger it was
        # derived from; reused only while the store shows the same stamp (least recently used
        # dropped beyond STATE_CACHE_SIZE).
        self._states: OrderedDict[str, tuple[object, SubjectState]] = OrderedDict()
        self._states_lock = threading.Lock()

    def decide(
        self,
        principal: Principal,
        subject_id: str,
        purpose_id: str,
        categories: Sequence[str] = (),
        channel: str | None = None,
        at: datetime | None = None,
    ) -> DecisionResult:
        """May the subject's ``categories`` be used for ``purpose_id`` (on ``channel``) at ``at``?
        The decision is recorded (with its audit entry) before it is returned."""
        result, stored = self.decide_unrecorded(
            principal, subject_id, purpose_id, categories, channel, at
        )
        self._record([stored])
        return result

    def decision_state(self, uow: UnitOfWork, subject_id: str) -> SubjectState:
        """The subject's state for a decision, read from the store: one round trip for the
        profile and the ledger's stamp (event count, latest instant); the history is read and
        the state derived again only when the stamp (or profile) differs from the cached one."""
        found = uow.consent.decision_profile(subject_id)
        if found is None:
            raise NotFound("subject", subject_id)
        profile, stamp = found
        with self._states_lock:
            hit = self._states.get(subject_id)
            if hit is not None:
                self._states.move_to_end(subject_id)
        if hit is not None and hit[0] == stamp and hit[1].profile == profile:
            return hit[1]
        state = derive_state(profile, uow.consent.decision_history(subject_id))
        with self._states_lock:
            self._states[subject_id] = (stamp, state)
            self._states.move_to_end(subject_id)
            while len(self._states) > STATE_CACHE_SIZE:
                self._states.popitem(last=False)
        return state

    def decide_unrecorded(
        self,
        principal: Principal,
        subject_id: str,
        purpose_id: str,
        categories: Sequence[str] = (),
        channel: str | None = None,
        at: datetime | None = None,
    ) -> tuple[DecisionResult, StoredDecision]:
        """The decision and the row that records it; the caller must record it before answering
        (``DecisionRecorder.record``, or the group committer's ``submit_async`` from a coroutine)."""
        principal.require(Action.DECISIONS_DECIDE)
        active = self.ctx.require_active()
        now = self.ctx.now()
        when = at or now
        if when.tzinfo is None:
            raise ValidationFailed.single("at", "must include a time zone")
        with self.ctx.uow(readonly=True) as uow:
            state = self.decision_state(uow, subject_id)
            ch = active.policy.channel(channel) if channel else None
            # Only telephone decisions consult the national do-not-call list (CEM-4).
            dnc = (
                uow.consent.national_copy_for(state.profile.phone_numbers)
                if ch and ch.telephone
                else None
            )
        decision = decide(
            active.policy,
            state,
            purpose_id,
            tuple(categories),
            channel,
            at=when,
            history=active.history,
            national_dnc=dnc,
        )
        result = DecisionResult(new_id("dec", now), decision)
        return result, self._stored(result, principal, now)

    def _stored(
        self, result: DecisionResult, principal: Principal, now: datetime
    ) -> StoredDecision:
        d = result.decision
        return StoredDecision(
            id=result.id,
            subject_id=d.subject_id,
            action="use",
            purpose_id=d.purpose_id,
            channel=d.channel,
            recipient_id=None,
            categories=d.categories,
            asked_at=d.at,
            decided_at=now,
            allowed=d.allowed,
            reasons=tuple(str(r) for r in d.reasons),
            rule=d.rule,
            relied_on=d.relied_on,
            valid_until=d.valid_until,
            policy_version=self.ctx.require_active().version_id,
            requested_by=principal.user_id,
            language=d.language,
        )

    def decision(self, principal: Principal, decision_id: str) -> StoredDecision:
        principal.require(Action.DECISIONS_READ)
        with self.ctx.uow(readonly=True) as uow:
            found = uow.consent.decision(decision_id)
        if found is None:
            raise NotFound("decision", decision_id)
        return found
