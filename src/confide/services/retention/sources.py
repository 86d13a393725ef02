"""Disposal in the connected sources of the data map (RET-2).

For each mapped table with a retention column (``retention_from``) and each of its categories a
run covers, the rows whose date is before the rule's cutoff are due. A writable SQL source is
disposed of through its mapping by the run (the category's columns emptied in one transaction
of the source); a read-only source (CSV, Parquet, a read-only database) gets a task for its
owner, which the privacy officer closes once done. Holds and open requests are respected: a
hold on the whole category or system keeps the step back; the rows of held subjects, and of
subjects with an open request, are left alone (matched by their identifiers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import Conflict, NotFound
from confide.domain.holds import LegalHold
from confide.domain.policy import Policy
from confide.domain.requests.model import OPEN_STATES
from confide.domain.retention.runs import DisposalRun, SourceStep, StepKind
from confide.domain.retention.schedule import due_cutoff, rule_for
from confide.domain.sources import DataSource, LookupKey, SourceKind, SourceUnavailable
from confide.services.context import ServiceContext
from confide.services.ports.sources import SourceConnectors
from confide.services.ports.store import UnitOfWork
from confide.services.sources import lookup_keys


def _systems(source: DataSource) -> tuple[str, ...]:
    return (source.owner_system, source.name)


def plan_steps(
    uow: UnitOfWork,
    run: DisposalRun,
    policy: Policy,
    connectors: SourceConnectors,
    new_id: object,
    now: datetime,
) -> dict[str, int]:
    """Add the run's steps in every connected source; rows kept back by a hold, by reason."""
    holds = [h for h in uow.holds.listing(active_only=True, limit=100_000) if h.in_force_at(now)]
    pending = uow.retention.open_request_subjects([s.value for s in OPEN_STATES])
    held: dict[str, int] = {}
    for source in uow.sources.all():
        for m in source.mappings:
            if m.retention_from is None:
                continue
            for category in run.categories:
                columns = m.category_columns(category)
                if not columns:
                    continue
                rule = rule_for(policy, category)
                cutoff = due_cutoff(run.as_of, rule.max_days)
                whole = [h for h in holds if _keeps_all(h, category, source)]
                exclude = _excluded(uow, holds, pending, category, source)
                connector = connectors.open(source)
                rows = connector.count_due(m.table, columns, cutoff, exclude)
                if not rows:
                    continue
                if whole:
                    held["legal_hold"] = held.get("legal_hold", 0) + rows
                    continue
                writable = source.kind is SourceKind.SQL and source.writable
                uow.retention.add_step(
                    SourceStep(
                        id=new_id("dstep"),  # type: ignore[operator]
                        run_id=run.id,
                        source=source.name,
                        table=m.table,
                        category=category,
                        columns=columns,
                        method=rule.disposal.value,
                        cutoff=cutoff,
                        kind=StepKind.DISPOSE if writable else StepKind.TASK,
                        rows=rows,
                    )
                )
    return held


def _keeps_all(hold: LegalHold, category: str, source: DataSource) -> bool:
    return (
        hold.scope.subject_id is None
        and any(hold.scope.covers(None, category, system) for system in _systems(source))
        and (hold.scope.category is not None or hold.scope.system is not None)
    )


def _excluded(
    uow: UnitOfWork,
    holds: Sequence[LegalHold],
    pending: set[str],
    category: str,
    source: DataSource,
) -> list[LookupKey]:
    """Identifiers of the subjects whose rows stay: held for this category and source, or
    with an open request."""
    subjects = {
        h.scope.subject_id
        for h in holds
        if h.scope.subject_id is not None
        and any(h.scope.covers(h.scope.subject_id, category, s) for s in _systems(source))
    } | pending
    keys: list[LookupKey] = []
    for sid in sorted(s for s in subjects if s):
        subject = uow.subjects.get(sid)
        if subject is not None:
            keys.extend(lookup_keys(subject))
    return keys


def execute_steps(
    ctx: ServiceContext, connectors: SourceConnectors, principal: Principal, run_id: str
) -> bool:
    """Dispose of the run's steps in writable sources not done yet; True when none is left.
    A source that cannot be reached (or was removed) records the error on its step and stops
    the run there: the run stays running and a later execution tries again."""
    now = ctx.now()
    with ctx.uow(readonly=True) as uow:
        steps = [
            s
            for s in uow.retention.steps(run_id)
            if s.kind is StepKind.DISPOSE and s.done_at is None
        ]
        sources = {s.name: s for s in uow.sources.all()}
        pending = uow.retention.open_request_subjects([s.value for s in OPEN_STATES])
        holds = [
            h for h in uow.holds.listing(active_only=True, limit=100_000) if h.in_force_at(now)
        ]
    for step in steps:
        source = sources.get(step.source)
        kept = [h for h in holds if source is not None and _keeps_all(h, step.category, source)]
        if kept:
            # A hold on the whole category or system opened since the plan: nothing is touched.
            with ctx.uow() as uow:
                uow.retention.save_step(
                    replace(
                        step, done_at=ctx.now(), rows=0, error=f"kept by legal hold {kept[0].id}"
                    )
                )
                uow.commit()
            continue
        try:
            if source is None:
                raise SourceUnavailable(step.source, "the source was removed from the data map")
            with ctx.uow(readonly=True) as uow:
                exclude = _excluded(uow, holds, pending, step.category, source)
            changed = connectors.open(source).dispose_due(
                step.table, step.columns, step.cutoff, exclude
            )
        except SourceUnavailable as exc:
            with ctx.uow() as uow:
                uow.retention.save_step(replace(step, error=str(exc)))
                uow.commit()
            return False
        with ctx.uow() as uow:
            uow.retention.save_step(replace(step, done_at=ctx.now(), rows=changed, error=None))
            uow.audit.record(
                AuditRecord(
                    "retention.source_disposed",
                    principal.user_id,
                    "disposal_run",
                    run_id,
                    ctx.now(),
                    details={
                        "source": step.source,
                        "table": step.table,
                        "category": step.category,
                        "rows": changed,
                    },
                )
            )
            uow.commit()
    return True


def close_task(ctx: ServiceContext, principal: Principal, step_id: str) -> SourceStep:
    """The officer confirms a read-only source's owner disposed of the rows of a task."""
    principal.require(Action.RETENTION_TASKS_CLOSE)
    with ctx.uow() as uow:
        step = uow.retention.get_step(step_id)
        if step is None:
            raise NotFound("disposal task", step_id)
        if step.kind is not StepKind.TASK or step.done_at is not None:
            raise Conflict(f"disposal task {step_id} is not an open task", step=step_id)
        closed = replace(step, done_at=ctx.now(), closed_by=principal.user_id)
        uow.retention.save_step(closed)
        uow.audit.record(
            AuditRecord(
                "retention.task_closed",
                principal.user_id,
                "disposal_run",
                step.run_id,
                ctx.now(),
                details={"source": step.source, "table": step.table, "category": step.category},
            )
        )
        uow.commit()
    return closed
