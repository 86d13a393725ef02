"""The consent read model (``consent_state``): kept with the ledger, rebuilt per policy version.

Every ledger write recomputes the rows of the subjects it touched in its own transaction
(:meth:`ConsentReadModel.refresh`), so stored answers never lag the ledger; a rebuild
recomputes everyone under the active policy version, one transaction per chunk; the
periodic upkeep recomputes the subjects whose stored answers ran out. The rows themselves
come from ``domain.consent.readmodel`` (the engine's answers, never a second copy of the rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.events import ConsentEvent, SubjectProfile
from confide.domain.consent.readmodel import ReadModelPlan, StateRow
from confide.domain.consent.state import derive_state
from confide.domain.errors import ValidationFailed
from confide.domain.policy import Policy
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.consent.roles import OFFICER_ON_DUTY
from confide.services.context import ActivePolicy, ServiceContext
from confide.services.ports.store import UnitOfWork


def profile_of(subject: Subject) -> SubjectProfile:
    """What the consent rules need about ``subject`` (province, language, birth date, phones)."""
    phones = tuple(i.value for i in subject.identifiers if i.kind is IdentifierKind.PHONE)
    return SubjectProfile(
        subject.id, subject.province, subject.language, subject.birth_date, None, phones
    )


_PLANS: list[ReadModelPlan] = []


def read_model_plan(policy: Policy) -> ReadModelPlan:
    """The read-model plan of ``policy``, built once per policy object."""
    for plan in _PLANS:
        if plan.policy is policy:
            return plan
    plan = ReadModelPlan(policy)
    _PLANS[:] = [plan, *_PLANS[:3]]
    return plan


def refresh_consent_state(
    uow: UnitOfWork,
    active: ActivePolicy,
    subject_ids: Sequence[str],
    at: datetime,
    known: dict[str, tuple[SubjectProfile, Sequence[ConsentEvent]]] | None = None,
) -> int:
    """Recompute the consent read model of ``subject_ids`` at ``at`` in ``uow``'s transaction.

    Every ledger write calls this for the subjects it touched, so the stored answers never
    lag the ledger. ``known`` gives profiles and whole histories already in memory (a bulk
    load); otherwise they are read from the store under a per-subject lock. Returns the
    number of rows written.
    """
    ids = sorted(set(subject_ids))
    if not ids:
        return 0
    plan = read_model_plan(active.policy)
    if known is None:
        uow.consent.lock_subjects(ids)
        profiles = uow.consent.profiles(ids)
        histories = uow.consent.histories(ids)
        known = {sid: (profiles[sid], histories.get(sid, [])) for sid in ids if sid in profiles}
    rows: list[tuple[str, StateRow]] = []
    for sid in ids:
        found = known.get(sid)
        if found is None:
            continue
        state = derive_state(found[0], found[1])
        rows.extend((sid, r) for r in plan.rows(state, at, active.history))
    uow.consent.replace_state(ids, rows, active.version_id)
    return len(rows)


class ConsentReadModel:
    """Keeps ``consent_state`` in step with the ledger and the active policy version."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def refresh(
        self, uow: UnitOfWork, active: ActivePolicy, subject_ids: Sequence[str], at: datetime
    ) -> int:
        """:func:`refresh_consent_state` in the caller's unit of work (a ledger write's)."""
        return refresh_consent_state(uow, active, subject_ids, at)

    def state_is_current(self) -> bool:
        """Was the read model fully built for the active policy version?"""
        active = self.ctx.require_active()
        with self.ctx.uow(readonly=True) as uow:
            build = uow.consent.state_build(active.version_id)
        return build is not None and build[1] is not None

    def rebuild_state(
        self,
        principal: Principal,
        batch: int = 2000,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Recompute the read model of every subject under the active policy version, in chunks
        (one transaction each). Until it completes, audiences decide from the ledger."""
        principal.require(Action.CONSENT_REBUILD_STATE)
        if not 1 <= batch <= 50_000:
            raise ValidationFailed.single("batch", "must be between 1 and 50,000")
        active = self.ctx.require_active()
        with self.ctx.uow() as uow:
            uow.consent.start_state_build(active.version_id, self.ctx.now())
            uow.commit()
        after, done, rows = "", 0, 0
        while True:
            with self.ctx.uow() as uow:
                ids = uow.consent.subject_ids_after(after, batch)
                if not ids:
                    break
                rows += refresh_consent_state(uow, active, ids, self.ctx.now())
                uow.commit()
            after = ids[-1]
            done += len(ids)
            if on_progress:
                on_progress(done)
        with self.ctx.uow() as uow:
            uow.consent.complete_state_build(active.version_id, self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "consent.state_rebuilt",
                    principal.user_id,
                    "consent_state",
                    active.version_id,
                    self.ctx.now(),
                    active.version_id,
                    details={"subjects": done, "rows": rows},
                )
            )
            uow.commit()
        return done

    def maintain_state(self, principal: Principal, batch: int = 2000) -> int:
        """The periodic upkeep of the read model: rebuild it if it is not built for the active
        policy version; otherwise recompute the subjects whose stored answers ran out (so
        audiences re-check few subjects from the ledger). Returns the subjects recomputed."""
        principal.require(Action.CONSENT_MAINTAIN_STATE)
        if not self.state_is_current():
            return self.rebuild_state(OFFICER_ON_DUTY, batch)
        active = self.ctx.require_active()
        keys = read_model_plan(active.policy).keys
        done = 0
        while True:
            now = self.ctx.now()
            with self.ctx.uow() as uow:
                ids = uow.consent.state_ran_out(keys, now, batch)
                if ids:
                    refresh_consent_state(uow, active, ids, now)
                    uow.commit()
            done += len(ids)
            if len(ids) < batch:
                return done
