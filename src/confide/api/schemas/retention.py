"""Bodies of the retention and disposal routes (RET-1..3)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from confide.domain.retention.lifecycle import LifecycleEvent
from confide.domain.retention.runs import DisposalRun, Disposed, PlannedItem, Schedule, SourceStep
from confide.services.retention import RecordLife


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LifecycleEventIn(_In):
    """An event a retention period counts from: ``service_ended``, ``service_resumed``,
    ``employment_ended``, ``last_activity`` or ``legal_obligation_ended``."""

    kind: str = Field(max_length=30, examples=["service_ended"])
    occurred_at: datetime | None = Field(
        default=None, description="When it happened (with a zone); default now."
    )


class LifecycleEventOut(BaseModel):
    id: str
    subject_id: str
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, e: LifecycleEvent) -> LifecycleEventOut:
        return cls(
            id=e.id,
            subject_id=e.subject_id,
            kind=e.kind.value,
            occurred_at=e.occurred_at,
            recorded_at=e.recorded_at,
            recorded_by=e.recorded_by,
        )


class RecordLifeOut(BaseModel):
    record_id: str
    category: str
    system: str
    counted_from: str
    anchor: datetime | None
    earliest: date | None
    latest: date | None
    due: bool
    kept_by: list[str]

    @classmethod
    def of(cls, life: RecordLife, today: date) -> RecordLifeOut:
        end = life.end
        return cls(
            record_id=life.record.id,
            category=life.record.category,
            system=life.record.system,
            counted_from=end.counted_from.value,
            anchor=end.anchor,
            earliest=end.earliest,
            latest=end.latest,
            due=end.due_on(today),
            kept_by=list(life.kept_by),
        )


class DisposedOut(BaseModel):
    category: str
    system: str
    method: str
    disposed_at: datetime
    run_id: str

    @classmethod
    def of(cls, d: Disposed) -> DisposedOut:
        return cls(
            category=d.category,
            system=d.system,
            method=d.method,
            disposed_at=d.disposed_at,
            run_id=d.run_id,
        )


class EndOfLifeOut(BaseModel):
    """Each record still held under its rule, and what was disposed of (never a value)."""

    records: list[RecordLifeOut]
    disposed: list[DisposedOut]


class PlanLineOut(BaseModel):
    category: str
    system: str
    method: str
    due: int
    held: int


class RunOut(BaseModel):
    id: str | None
    status: str | None
    as_of: date
    policy_version: str
    planned_at: datetime
    planned_by: str
    categories: list[str]
    total: int
    done: int
    lines: list[PlanLineOut]
    held: dict[str, int]
    anonymity: dict[str, dict[str, int]]
    approved_at: datetime | None
    approved_by: str | None
    approval: str | None
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, r: DisposalRun, *, planned: bool = True) -> RunOut:
        return cls(
            id=r.id if planned else None,
            status=r.status.value if planned else None,
            as_of=r.as_of,
            policy_version=r.policy_version,
            planned_at=r.planned_at,
            planned_by=r.planned_by,
            categories=list(r.categories),
            total=r.total,
            done=r.done,
            lines=[
                PlanLineOut(
                    category=x.category, system=x.system, method=x.method, due=x.due, held=x.held
                )
                for x in r.lines
            ],
            held=dict(r.held),
            anonymity={k: dict(v) for k, v in r.anonymity.items()},
            approved_at=r.approved_at,
            approved_by=r.approved_by,
            approval=r.approval.value if r.approval else None,
            started_at=r.started_at,
            finished_at=r.finished_at,
        )


class PlanIn(_In):
    categories: list[str] = Field(
        default_factory=list, max_length=100, description="Only these categories (default all)."
    )


class ItemOut(BaseModel):
    record_id: str
    subject_id: str
    category: str
    system: str
    method: str
    state: str
    reason: str | None

    @classmethod
    def of(cls, i: PlannedItem) -> ItemOut:
        return cls(
            record_id=i.record_id,
            subject_id=i.subject_id,
            category=i.category,
            system=i.system,
            method=i.method,
            state=i.state.value,
            reason=i.reason,
        )


class ScheduleIn(_In):
    enabled: bool
    categories: list[str] = Field(default_factory=list, max_length=100)


class ScheduleOut(BaseModel):
    enabled: bool
    categories: list[str]
    set_by: str | None
    set_at: datetime | None

    @classmethod
    def of(cls, s: Schedule | None) -> ScheduleOut:
        if s is None:
            return cls(enabled=False, categories=[], set_by=None, set_at=None)
        return cls(
            enabled=s.enabled, categories=list(s.categories), set_by=s.set_by, set_at=s.set_at
        )


class StepOut(BaseModel):
    id: str
    run_id: str
    source: str
    table: str
    category: str
    method: str
    cutoff: datetime
    kind: str
    """``dispose``: done by the run in a writable source; ``task``: for the source's owner."""
    rows: int
    done_at: datetime | None
    closed_by: str | None
    error: str | None

    @classmethod
    def of(cls, s: SourceStep) -> StepOut:
        return cls(
            id=s.id,
            run_id=s.run_id,
            source=s.source,
            table=s.table,
            category=s.category,
            method=s.method,
            cutoff=s.cutoff,
            kind=s.kind.value,
            rows=s.rows,
            done_at=s.done_at,
            closed_by=s.closed_by,
            error=s.error,
        )
