"""Use cases of retention and disposal (RET-1..3).

* lifecycle: record a subject's event a retention period counts from (service ended ...);
* end of life: each of a subject's records under its rule, with what keeps it (a hold, a request);
* due: what a plan made on a day would dispose of, without making one;
* plan, approve, cancel: a run's exact list, reviewed and approved by the privacy officer (or by
  the schedule the officer set);
* execute: an approved run in batches, each one transaction, resumable after a crash;
* certificate: issued when a run completes, its digest written into the audit log.

Who may do what is in :mod:`confide.domain.permissions` (``retention.*``). A run is only ever
executed once approved, so the workers (integration role) execute the officer's decisions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.holds import HoldScope, holds_applying
from confide.domain.policy import DisposalMethod, Policy, category_names
from confide.domain.retention.certificate import (
    Certificate,
    CertifiedLine,
    CertifiedRule,
    CertifiedSourceStep,
    IssuedCertificate,
    records_sha256,
)
from confide.domain.retention.lifecycle import LifecycleEvent, LifecycleKind, anchors_of
from confide.domain.retention.runs import (
    IDENTIFIER_CATEGORIES,
    Approval,
    Chunk,
    DisposalRun,
    Disposed,
    ItemState,
    PlannedItem,
    RunStatus,
    Schedule,
    SourceStep,
    StalePlan,
)
from confide.domain.retention.schedule import EndOfLife, end_of_life, rule_for
from confide.domain.subjects import PersonalInfoRecord
from confide.services.context import ServiceContext
from confide.services.holds import HoldService
from confide.services.ports.sources import SourceConnectors
from confide.services.ports.store import UnitOfWork
from confide.services.retention.anonymity import anonymized_attributes
from confide.services.retention.planning import check_categories, plan_into
from confide.services.retention.sources import close_task, execute_steps, plan_steps

log = logging.getLogger(__name__)

SCHEDULE_ACTOR = "schedule"


@dataclass(frozen=True)
class RecordLife:
    """One record of a subject's file under its rule, and what keeps it past its end."""

    record: PersonalInfoRecord
    end: EndOfLife
    kept_by: tuple[str, ...]
    """Ids of the legal holds in force on it."""


Scrub = Callable[[str], str]
"""Replaces the personal information found in a value by its type (irreversible)."""


class RetentionService:
    def __init__(
        self,
        ctx: ServiceContext,
        holds: HoldService,
        scrub: Scrub,
        connectors: SourceConnectors | None = None,
    ) -> None:
        self.ctx = ctx
        self.holds = holds
        self.scrub = scrub
        self.connectors = connectors
        """The data map's connectors: with them, runs reach the connected sources too."""

    # --- lifecycle events ------------------------------------------------------------------

    def record_event(
        self, principal: Principal, subject_id: str, kind: str, occurred_at: datetime | None
    ) -> LifecycleEvent:
        principal.require(Action.RETENTION_EVENTS)
        if kind not in set(LifecycleKind):
            raise ValidationFailed.single(
                "kind",
                f"{kind!r} is not a lifecycle event",
                ", ".join(k.value for k in LifecycleKind),
            )
        now = self.ctx.now()
        if occurred_at is not None and occurred_at.tzinfo is None:
            raise ValidationFailed.single("occurred_at", "needs a time zone (e.g. Z or -05:00)")
        event = LifecycleEvent(
            self.ctx.new_id("sev"),
            subject_id,
            LifecycleKind(kind),
            occurred_at or now,
            now,
            principal.user_id,
        )
        with self.ctx.uow() as uow:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            uow.retention.add_event(event)
            uow.audit.record(
                AuditRecord(
                    "retention.event_recorded",
                    principal.user_id,
                    "subject",
                    subject_id,
                    now,
                    subject_id=subject_id,
                    details={
                        "kind": event.kind.value,
                        "occurred_at": event.occurred_at.isoformat(),
                    },
                )
            )
            uow.commit()
        return event

    def events(self, principal: Principal, subject_id: str) -> list[LifecycleEvent]:
        principal.require(Action.SUBJECTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.retention.events_for(subject_id)

    # --- end of life -------------------------------------------------------------------------

    def end_of_life(self, principal: Principal, subject_id: str) -> list[RecordLife]:
        """Each current and past value held on the subject under its rule (RET-1)."""
        principal.require(Action.SUBJECTS_READ)
        policy = self.ctx.policy
        now = self.ctx.now()
        with self.ctx.uow(readonly=True) as uow:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            records = uow.personal_info.for_subject(subject_id, history=True)
            anchors = anchors_of(uow.retention.events_for(subject_id))
            holds = uow.holds.covering(subject_id, None, None)
        out = []
        for r in records:
            rule = rule_for(policy, r.category, r.purposes)
            end = end_of_life(rule, anchors.of(rule.counted_from, r.collected_at))
            kept = holds_applying(holds, subject_id, r.category, r.system, now)
            out.append(RecordLife(r, end, tuple(h.id for h in kept)))
        return out

    def disposed(self, principal: Principal, subject_id: str) -> list[Disposed]:
        """What was disposed of on the subject, when and how (no value)."""
        principal.require(Action.SUBJECTS_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.retention.disposed_for(subject_id)

    # --- plans -------------------------------------------------------------------------------

    def due(
        self, principal: Principal, as_of: date | None = None, categories: Sequence[str] = ()
    ) -> DisposalRun:
        """What a plan made for ``as_of`` (default today) would hold; nothing is kept."""
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow() as uow:
            run = self._plan(uow, principal, as_of, categories, allow_future=True)
            uow.rollback()
        return run

    def plan(
        self, principal: Principal, as_of: date | None = None, categories: Sequence[str] = ()
    ) -> DisposalRun:
        principal.require(Action.RETENTION_PLAN)
        with self.ctx.uow() as uow:
            run = self._plan(uow, principal, as_of, categories, allow_future=False)
            uow.audit.record(self._audit("retention.planned", principal, run, _counts(run)))
            uow.commit()
        return run

    def _plan(
        self,
        uow: UnitOfWork,
        principal: Principal,
        as_of: date | None,
        categories: Sequence[str],
        *,
        allow_future: bool,
    ) -> DisposalRun:
        active = self.ctx.require_active()
        now = self.ctx.now()
        day = as_of or now.date()
        if day > now.date() and not allow_future:
            raise ValidationFailed.single(
                "as_of", "is in the future: nothing may be disposed of before it is due"
            )
        chosen = check_categories(active.policy, categories)
        run = DisposalRun(
            id=self.ctx.new_id("drun"),
            status=RunStatus.PLANNED,
            as_of=day,
            policy_version=active.version_id,
            planned_at=now,
            planned_by=principal.user_id,
            categories=chosen if categories else (),
        )
        uow.retention.add_run(run)
        run = plan_into(uow, replace(run, categories=chosen), active.policy, now)
        if self.connectors is not None:
            kept = plan_steps(uow, run, active.policy, self.connectors, self.ctx.new_id, now)
            for reason, n in kept.items():
                run.held[reason] = run.held.get(reason, 0) + n
        run = replace(run, categories=chosen if categories else ())
        uow.retention.save_run(run)
        return run

    def approve(self, principal: Principal, run_id: str) -> DisposalRun:
        principal.require(Action.RETENTION_APPROVE)
        return self._approve(principal, run_id, Approval.OFFICER, principal.user_id)

    def _approve(
        self, principal: Principal, run_id: str, approval: Approval, by: str
    ) -> DisposalRun:
        active = self.ctx.require_active()
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            run = self._get(uow, run_id, for_update=True)
            run.require(RunStatus.PLANNED, to="approve it")
            why = run.stale_at(now, active.version_id)
            if why:
                raise StalePlan(run.id, why)
            run = replace(
                run,
                status=RunStatus.APPROVED,
                approved_at=now,
                approved_by=by,
                approval=approval,
            )
            uow.retention.save_run(run)
            uow.audit.record(
                self._audit("retention.approved", principal, run, {"approval": approval.value})
            )
            uow.commit()
        return run

    def cancel(self, principal: Principal, run_id: str) -> DisposalRun:
        principal.require(Action.RETENTION_CANCEL)
        with self.ctx.uow() as uow:
            run = self._get(uow, run_id, for_update=True)
            run.require(RunStatus.PLANNED, RunStatus.APPROVED, to="cancel it")
            run = replace(run, status=RunStatus.CANCELLED, finished_at=self.ctx.now())
            uow.retention.save_run(run)
            uow.audit.record(self._audit("retention.cancelled", principal, run, {}))
            uow.commit()
        return run

    # --- reading -----------------------------------------------------------------------------

    def run(self, principal: Principal, run_id: str) -> DisposalRun:
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            return self._get(uow, run_id)

    def runs(self, principal: Principal, *, limit: int = 50, offset: int = 0) -> list[DisposalRun]:
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.retention.runs(limit=limit, offset=offset)

    def items(
        self,
        principal: Principal,
        run_id: str,
        *,
        state: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[PlannedItem]:
        """The run's records (``state``: due, held or done), in list order, with why they are
        kept back where they are."""
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            self._get(uow, run_id)
            page: list[tuple[str, Chunk]] = []
            skipped = 0
            for chunk in uow.retention.chunks(run_id, state=state):
                if skipped + len(chunk.ids) <= offset:
                    skipped += len(chunk.ids)
                    continue
                for rid in chunk.ids[max(offset - skipped, 0) :]:
                    page.append((rid, chunk))
                    if len(page) >= limit:
                        break
                skipped = offset
                if len(page) >= limit:
                    break
            known = uow.retention.describe([rid for rid, _ in page])
        return [
            PlannedItem(
                rid,
                known.get(rid, ("", chunk.category, ""))[0],
                known.get(rid, ("", chunk.category, ""))[1],
                known.get(rid, ("", chunk.category, ""))[2],
                chunk.method,
                chunk.state,
                chunk.reason,
            )
            for rid, chunk in page
        ]

    # --- execution ---------------------------------------------------------------------------

    def execute(
        self,
        principal: Principal,
        run_id: str,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        max_chunks: int | None = None,
    ) -> DisposalRun:
        """Dispose of an approved run's records chunk by chunk, each chunk one transaction;
        run again after an interruption, it goes on with the first chunk not done. A hold
        opened since the plan keeps its records. ``max_chunks`` stops early (tests)."""
        principal.require(Action.RETENTION_EXECUTE)
        policy = self.ctx.policy
        with self.ctx.uow() as uow:
            run = self._get(uow, run_id, for_update=True)
            if run.status is RunStatus.COMPLETED:
                return run
            run.require(RunStatus.APPROVED, RunStatus.RUNNING, to="execute it")
            if run.status is RunStatus.APPROVED:
                run = replace(run, status=RunStatus.RUNNING, started_at=self.ctx.now())
                uow.retention.save_run(run)
                uow.audit.record(self._audit("retention.started", principal, run, {}))
                uow.commit()
            pending = [c.seq for c in uow.retention.chunk_meta(run_id) if c.state is ItemState.DUE]
        for n, seq in enumerate(pending):
            if max_chunks is not None and n >= max_chunks:
                with self.ctx.uow(readonly=True) as uow:
                    return self._get(uow, run_id)
            done = self._chunk(principal, run, seq)
            if on_progress is not None:
                on_progress(done, run.total)
        if self.connectors is not None and not execute_steps(
            self.ctx, self.connectors, principal, run_id
        ):
            with self.ctx.uow(readonly=True) as uow:
                return self._get(uow, run_id)  # a source is unreachable: still running
        return self._finish(principal, run_id, policy)

    def _chunk(self, principal: Principal, run: DisposalRun, seq: int) -> int:
        """Dispose of one chunk in one transaction; the run's count of records done."""
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            current = self._get(uow, run.id, for_update=True)
            chunk = next(
                (
                    c
                    for c in uow.retention.chunks(run.id, state=ItemState.DUE.value)
                    if c.seq == seq
                ),
                None,
            )
            if current.status is not RunStatus.RUNNING or chunk is None:
                return current.done  # done meanwhile by another worker
            kept = [
                h.scope
                for h in uow.holds.listing(active_only=True, limit=100_000)
                if h.in_force_at(now)
            ]
            anonymized = (
                self._anonymized(uow, chunk, kept)
                if chunk.method == DisposalMethod.ANONYMIZE.value
                else []
            )
            disposed = uow.retention.dispose(chunk, anonymized, kept, now)
            uow.audit.record(
                self._audit(
                    "retention.chunk_disposed",
                    principal,
                    run,
                    {
                        "chunk": chunk.seq,
                        "category": chunk.category,
                        "method": chunk.method,
                        "listed": len(chunk.ids),
                        "disposed": disposed,
                        "ids_sha256": records_sha256(chunk.ids),
                    },
                )
            )
            uow.commit()
        return current.done + disposed

    def _anonymized(
        self, uow: UnitOfWork, chunk: Chunk, kept: Sequence[HoldScope]
    ) -> list[tuple[str, str, dict[str, str], str | None]]:
        run = self._get(uow, chunk.run_id)
        stats = run.anonymity.get(chunk.category, {})
        levels = {k[6:]: v for k, v in stats.items() if k.startswith("level.")}
        out: list[tuple[str, str, dict[str, str], str | None]] = []
        for row in uow.retention.attributes(chunk.ids):
            if any(h.covers(row["subject_id"], row["category"], row["system"]) for h in kept):
                continue  # kept by a hold opened since the plan: not disposed of, not copied
            attrs = anonymized_attributes(row, levels)
            value = self.scrub(row["value"]) if row["value"] else None
            out.append((self.ctx.new_id("anon"), chunk.category, attrs, value))
        return out

    def _finish(self, principal: Principal, run_id: str, policy: Policy) -> DisposalRun:
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            run = self._get(uow, run_id, for_update=True)
            if run.status is RunStatus.COMPLETED:
                return run
            if any(s.done_at is None for s in uow.retention.steps(run_id)):
                return run  # a source's step or an owner's task is not done yet
            for kind, category in IDENTIFIER_CATEGORIES.items():
                uow.retention.strip_identifiers(run_id, kind, category)
            emptied = uow.retention.emptied_subjects(run_id)
            uow.retention.strip_subjects(emptied)
            # People a breach still kept links keep their audit payloads (BRE-5).
            kept = uow.breaches.keeping(emptied, now.date())
            uow.audit.destroy_subject_keys([s for s in emptied if s not in kept], now)
            run = replace(run, status=RunStatus.COMPLETED, finished_at=now)
            uow.retention.save_run(run)
            certificate = self._certificate(uow, run, policy, now)
            digest = certificate.digest()
            seq = uow.audit.size()
            # The digest is in the entry's object id, in clear in the leaf: an auditor checks
            # the certificate against the log without any key (an inclusion proof of ``seq``).
            uow.audit.record(
                AuditRecord(
                    "retention.certificate_issued",
                    principal.user_id,
                    "disposal_certificate",
                    f"{run.id}:{digest}",
                    now,
                    policy_version=run.policy_version,
                    details={
                        "records_sha256": certificate.records_sha256,
                        "total": certificate.total,
                        "subjects_emptied": len(emptied),
                    },
                )
            )
            uow.retention.set_certificate(run_id, certificate.body(), digest, seq)
            uow.commit()
        return run

    def _certificate(
        self, uow: UnitOfWork, run: DisposalRun, policy: Policy, now: datetime
    ) -> Certificate:
        lines = {(c, s, m): n for c, s, m, n in uow.retention.disposed_lines(run.id)}
        categories = sorted({c for c, _, _ in lines} | set(run.categories))
        rules = []
        for category in categories:
            for rule in policy.retention:
                if rule.category == category:
                    rules.append(
                        CertifiedRule(
                            category,
                            rule.min_days,
                            rule.max_days,
                            rule.counted_from.value,
                            rule.disposal.value,
                        )
                    )
        steps = [
            CertifiedSourceStep(
                s.source, s.table, s.category, s.method, s.rows, s.kind.value, s.closed_by
            )
            for s in uow.retention.steps(run.id)
        ]
        return Certificate(
            run_id=run.id,
            issued_at=_iso(now),
            as_of=run.as_of.isoformat(),
            policy_version=run.policy_version,
            planned_by=run.planned_by,
            planned_at=_iso(run.planned_at),
            approved_by=run.approved_by or "",
            approved_at=_iso(run.approved_at) if run.approved_at else "",
            approval=run.approval.value if run.approval else "",
            started_at=_iso(run.started_at) if run.started_at else "",
            finished_at=_iso(now),
            rules=tuple(rules),
            lines=tuple(CertifiedLine(c, s, m, n) for (c, s, m), n in sorted(lines.items())),
            total=sum(lines.values()),
            records_sha256=records_sha256(uow.retention.done_ids(run.id)),
            sources=tuple(steps),
            held=dict(run.held),
            anonymity={k: dict(v) for k, v in run.anonymity.items()},
        )

    # --- connected sources' tasks -------------------------------------------------------------

    def tasks(self, principal: Principal) -> list[SourceStep]:
        """Disposal tasks handed to read-only sources' owners and not closed yet."""
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.retention.open_tasks()

    def steps(self, principal: Principal, run_id: str) -> list[SourceStep]:
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            self._get(uow, run_id)
            return uow.retention.steps(run_id)

    def close_task(self, principal: Principal, step_id: str) -> DisposalRun:
        """Close an owner's task; the run completes (and is certified) when nothing is left."""
        step = close_task(self.ctx, principal, step_id)
        with self.ctx.uow(readonly=True) as uow:
            run = self._get(uow, step.run_id)
        if run.status is RunStatus.RUNNING and run.done >= run.total:
            return self._finish(principal, run.id, self.ctx.policy)
        return run

    # --- certificates ------------------------------------------------------------------------

    def certificate(self, principal: Principal, run_id: str) -> IssuedCertificate:
        principal.require(Action.RETENTION_CERTIFICATES)
        with self.ctx.uow(readonly=True) as uow:
            self._get(uow, run_id)
            stored = uow.retention.certificate(run_id)
        if stored is None:
            raise NotFound("certificate of disposal", run_id)
        body, digest, seq = stored
        return IssuedCertificate(Certificate.from_body(body), seq, digest)

    def record_ids(self, principal: Principal, run_id: str) -> list[str]:
        """The exact list the certificate's ``records_sha256`` is the hash of."""
        principal.require(Action.RETENTION_CERTIFICATES)
        with self.ctx.uow(readonly=True) as uow:
            self._get(uow, run_id)
            return list(uow.retention.done_ids(run_id))

    def who(self, principal: Principal, user_ids: Iterable[str | None]) -> dict[str, str]:
        """Staff usernames for the ids a run or its certificate names (planned by, approved by,
        ``schedule:<id>``), for people to read; an id naming no staff member stays as it is."""
        principal.require(Action.RETENTION_READ)
        ids = {i for i in user_ids if i}
        with self.ctx.uow(readonly=True) as uow:
            found = {i: uow.staff.user(i.split(":", 1)[-1]) for i in ids}
        return {i: u.username for i, u in found.items() if u is not None}

    def category_names(self, lang: str) -> dict[str, str]:
        """Short names of the policy's categories in ``lang`` for documents such as the
        certificate ("Email address", "Adresse courriel"): the category's ``name`` in the policy,
        else the start of its description."""
        return category_names(self.ctx.policy, lang)

    # --- the schedule and the worker's tick ---------------------------------------------------

    def set_schedule(
        self, principal: Principal, enabled: bool, categories: Sequence[str] = ()
    ) -> Schedule:
        principal.require(Action.RETENTION_SCHEDULE)
        chosen = check_categories(self.ctx.policy, categories) if categories else ()
        schedule = Schedule(enabled, tuple(chosen), principal.user_id, self.ctx.now())
        with self.ctx.uow() as uow:
            uow.retention.set_schedule(schedule)
            uow.audit.record(
                AuditRecord(
                    "retention.schedule_set",
                    principal.user_id,
                    "retention_schedule",
                    "default",
                    schedule.set_at,
                    details={"enabled": enabled, "categories": list(chosen)},
                )
            )
            uow.commit()
        return schedule

    def schedule(self, principal: Principal) -> Schedule | None:
        principal.require(Action.RETENTION_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.retention.schedule()

    def tick(self, principal: Principal) -> list[str]:
        """The worker's periodic step: plan and approve today's run if the officer's schedule
        says so (once a day), then execute every approved or interrupted run. Run ids touched."""
        principal.require(Action.RETENTION_TICK)
        touched: list[str] = []
        today = self.ctx.now().date()
        with self.ctx.uow(readonly=True) as uow:
            schedule = uow.retention.schedule()
            recent = uow.retention.runs(limit=20)
        if (
            schedule is not None
            and schedule.enabled
            and self.ctx.active is not None
            and not any(r.approval is Approval.SCHEDULE and r.as_of == today for r in recent)
        ):
            with self.ctx.uow() as uow:
                planner = Principal(
                    user_id=SCHEDULE_ACTOR, username=SCHEDULE_ACTOR, roles=principal.roles
                )
                run = self._plan(uow, planner, today, schedule.categories, allow_future=False)
                uow.audit.record(self._audit("retention.planned", planner, run, _counts(run)))
                uow.commit()
            self._approve(planner, run.id, Approval.SCHEDULE, f"{SCHEDULE_ACTOR}:{schedule.set_by}")
        with self.ctx.uow(readonly=True) as uow:
            pending = uow.retention.runs_in([RunStatus.APPROVED, RunStatus.RUNNING])
        for run in pending:
            self.execute(principal, run.id)
            touched.append(run.id)
        return touched

    # --- helpers -----------------------------------------------------------------------------

    def _get(self, uow: UnitOfWork, run_id: str, *, for_update: bool = False) -> DisposalRun:
        run = uow.retention.get_run(run_id, for_update=for_update)
        if run is None:
            raise NotFound("disposal run", run_id)
        return run

    def _audit(
        self, action: str, principal: Principal, run: DisposalRun, details: dict[str, Any]
    ) -> AuditRecord:
        return AuditRecord(
            action,
            principal.user_id,
            "disposal_run",
            run.id,
            self.ctx.now(),
            policy_version=run.policy_version,
            details=details,
        )


def _counts(run: DisposalRun) -> dict[str, Any]:
    return {
        "as_of": run.as_of.isoformat(),
        "categories": list(run.categories),
        "due": run.total,
        "held": dict(run.held),
        "lines": [[line.category, line.system, line.method, line.due] for line in run.lines],
    }


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


__all__ = ["RecordLife", "RetentionService"]
