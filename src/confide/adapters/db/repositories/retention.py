"""Retention and disposal (RET-1..3) in the store: lifecycle events, plans made inside the
database, batches disposed of in the caller's transaction, certificates kept with their runs.

Plans never bring the records into the process: each rule is one ``INSERT ... SELECT`` into
``disposal_items``, holds and open requests are ``UPDATE`` s over the run's items, and a batch
is the next ``size`` due items by record id, removed with one ``DELETE ... WHERE id IN
(SELECT ...)``. That is what keeps a run of a million records within a small multiple of the
bare ``DELETE`` and in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.sql import Select

from confide.adapters.db.tables import (
    access_requests,
    anonymized_records,
    disposal_items,
    disposal_runs,
    disposal_steps,
    personal_info,
    retention_schedule,
    subject_events,
    subject_identifiers,
    subjects,
)
from confide.domain.policy import RetentionEvent
from confide.domain.retention.lifecycle import ENDINGS, LifecycleEvent, LifecycleKind
from confide.domain.retention.runs import (
    Approval,
    Candidate,
    CountLine,
    DisposalRun,
    Disposed,
    ItemState,
    PlanLine,
    PlannedItem,
    RuleCut,
    RunStatus,
    Schedule,
    SourceStep,
    StepKind,
)
from confide.services.ports.common import Cipher

_p = personal_info.c
_i = disposal_items.c
_e = subject_events.c
_r = disposal_runs.c
_SCHEDULE_ID = "default"
_PI_AAD = b"personal_info:"


class SqlAlchemyRetentionRepository:
    """Implements ``RetentionRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    # --- lifecycle events ----------------------------------------------------------------

    def add_event(self, event: LifecycleEvent) -> None:
        self._conn.execute(
            insert(subject_events),
            {
                "id": event.id,
                "subject_id": event.subject_id,
                "kind": event.kind.value,
                "occurred_at": event.occurred_at,
                "recorded_at": event.recorded_at,
                "recorded_by": event.recorded_by,
            },
        )

    def events_for(self, subject_id: str) -> list[LifecycleEvent]:
        return self.anchors_for([subject_id]).get(subject_id, [])

    def anchors_for(self, subject_ids: Sequence[str]) -> dict[str, list[LifecycleEvent]]:
        out: dict[str, list[LifecycleEvent]] = {}
        for start in range(0, len(subject_ids), 500):
            chunk = list(subject_ids[start : start + 500])
            q = (
                select(subject_events)
                .where(_e.subject_id.in_(chunk))
                .order_by(_e.occurred_at, _e.id)
            )
            for r in self._conn.execute(q).mappings():
                out.setdefault(r["subject_id"], []).append(
                    LifecycleEvent(
                        r["id"],
                        r["subject_id"],
                        LifecycleKind(r["kind"]),
                        r["occurred_at"],
                        r["recorded_at"],
                        r["recorded_by"],
                    )
                )
        return out

    # --- planning ------------------------------------------------------------------------

    def plan_rule(self, run_id: str, cut: RuleCut) -> int:
        q = self._due_select(run_id, cut)
        result = self._conn.execute(
            insert(disposal_items).from_select(
                ["run_id", "record_id", "subject_id", "category", "system", "method", "state"], q
            )
        )
        return int(result.rowcount or 0)

    def _due_select(self, run_id: str, cut: RuleCut) -> Select[Any]:
        cols = (
            literal(run_id),
            _p.id,
            _p.subject_id,
            _p.category,
            _p.system,
            literal(cut.method),
            literal(ItemState.DUE.value),
        )
        base = select(*cols).where(_p.category == cut.category)
        event = RetentionEvent(cut.counted_from)
        if event is RetentionEvent.COLLECTION:
            return base.where(_p.collected_at < cut.cutoff)
        if event is RetentionEvent.LAST_ACTIVITY:
            later = (
                select(literal(1))
                .where(
                    _e.subject_id == _p.subject_id,
                    _e.kind == LifecycleKind.LAST_ACTIVITY.value,
                    _e.occurred_at >= cut.cutoff,
                )
                .exists()
            )
            return base.where(_p.collected_at < cut.cutoff, ~later)
        kinds = (
            [k.value for k in ENDINGS]
            if event is RetentionEvent.END_OF_SERVICE
            else [LifecycleKind.LEGAL_OBLIGATION_ENDED.value]
        )
        latest = (
            select(_e.subject_id.label("subject_id"), func.max(_e.occurred_at).label("at"))
            .where(_e.kind.in_(kinds))
            .group_by(_e.subject_id)
            .subquery("anchor")
        )
        q = base.join_from(personal_info, latest, latest.c.subject_id == _p.subject_id).where(
            latest.c.at < cut.cutoff
        )
        if event is RetentionEvent.END_OF_SERVICE:
            resumed = (
                select(literal(1))
                .where(
                    _e.subject_id == _p.subject_id,
                    _e.kind == LifecycleKind.SERVICE_RESUMED.value,
                    _e.occurred_at >= latest.c.at,
                )
                .exists()
            )
            q = q.where(~resumed)
        return q

    def candidates(self, category: str) -> Iterator[Candidate]:
        q = select(_p.id, _p.subject_id, _p.system, _p.purposes, _p.collected_at).where(
            _p.category == category
        )
        for r in self._conn.execute(q.execution_options(yield_per=2000)):
            yield Candidate(r[0], r[1], r[2], tuple(r[3] or ()), r[4])

    def add_items(self, run_id: str, items: Sequence[PlannedItem]) -> None:
        if items:
            self._conn.execute(
                insert(disposal_items),
                [
                    {
                        "run_id": run_id,
                        "record_id": i.record_id,
                        "subject_id": i.subject_id,
                        "category": i.category,
                        "system": i.system,
                        "method": i.method,
                        "state": i.state.value,
                        "reason": i.reason,
                    }
                    for i in items
                ],
            )

    def hold_back(
        self,
        run_id: str,
        reason: str,
        *,
        subject_id: str | None,
        category: str | None,
        system: str | None,
    ) -> int:
        conds = [_i.run_id == run_id, _i.state == ItemState.DUE.value]
        if subject_id is not None:
            conds.append(_i.subject_id == subject_id)
        if category is not None:
            conds.append(_i.category == category)
        if system is not None:
            conds.append(_i.system == system)
        result = self._conn.execute(
            update(disposal_items).where(*conds).values(state=ItemState.HELD.value, reason=reason)
        )
        return int(result.rowcount or 0)

    def hold_back_open_requests(self, run_id: str, open_states: Sequence[str]) -> int:
        a = access_requests.c
        pending = (
            select(literal(1))
            .where(a.subject_id == _i.subject_id, a.state.in_(list(open_states)))
            .exists()
        )
        result = self._conn.execute(
            update(disposal_items)
            .where(_i.run_id == run_id, _i.state == ItemState.DUE.value, pending)
            .values(state=ItemState.HELD.value, reason="open_request")
        )
        return int(result.rowcount or 0)

    def counts(self, run_id: str) -> list[CountLine]:
        q = (
            select(_i.category, _i.system, _i.method, _i.state, _i.reason, func.count())
            .where(_i.run_id == run_id)
            .group_by(_i.category, _i.system, _i.method, _i.state, _i.reason)
            .order_by(_i.category, _i.system, _i.method, _i.state, _i.reason)
        )
        return [CountLine(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in self._conn.execute(q)]

    def anonymity_rows(
        self, run_id: str, category: str, record_ids: Sequence[str] | None = None
    ) -> Iterator[dict[str, str]]:
        s = subjects.c
        q = (
            select(
                _p.id,
                s.province,
                s.subject_type,
                s.birth_date,
                _p.collected_at,
                _p.system,
                _p.value_text,
                _p.value_sealed,
            )
            .select_from(
                disposal_items.join(personal_info, _p.id == _i.record_id).join(
                    subjects, s.id == _p.subject_id
                )
            )
            .where(
                _i.run_id == run_id,
                _i.category == category,
                _i.state == ItemState.DUE.value,
                _i.reason.is_(None),
            )
            .order_by(_p.id)
        )
        if record_ids is not None:
            q = q.where(_i.record_id.in_(list(record_ids)))
        for r in self._conn.execute(q.execution_options(yield_per=2000)):
            yield _attributes(r, self._value(r[0], r[6], r[7]))

    def _value(self, record_id: str, text: str | None, sealed: Any) -> str | None:
        if sealed is not None:
            return self._cipher.decrypt(bytes(sealed), _PI_AAD + record_id.encode()).decode()
        return text

    def suppress(self, run_id: str, record_ids: Sequence[str]) -> None:
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start : start + 500])
            self._conn.execute(
                update(disposal_items)
                .where(_i.run_id == run_id, _i.record_id.in_(chunk))
                .values(method="delete", reason="suppressed")
            )

    # --- runs ----------------------------------------------------------------------------

    def add_run(self, run: DisposalRun) -> None:
        self._conn.execute(insert(disposal_runs), {"id": run.id, **_run_row(run)})

    def save_run(self, run: DisposalRun) -> None:
        self._conn.execute(update(disposal_runs).where(_r.id == run.id).values(**_run_row(run)))

    def get_run(self, run_id: str, *, for_update: bool = False) -> DisposalRun | None:
        q = select(disposal_runs).where(_r.id == run_id)
        if for_update and self._conn.dialect.name != "sqlite":
            q = q.with_for_update()
        row = self._conn.execute(q).mappings().first()
        return _run(row) if row else None

    def runs(self, *, limit: int = 50, offset: int = 0) -> list[DisposalRun]:
        q = select(disposal_runs).order_by(_r.planned_at.desc(), _r.id.desc())
        return [_run(r) for r in self._conn.execute(q.limit(limit).offset(offset)).mappings()]

    def runs_in(self, statuses: Sequence[RunStatus]) -> list[DisposalRun]:
        q = select(disposal_runs).where(_r.status.in_([s.value for s in statuses]))
        return [_run(r) for r in self._conn.execute(q.order_by(_r.planned_at)).mappings()]

    def certificate(self, run_id: str) -> tuple[dict[str, Any], str, int] | None:
        row = self._conn.execute(
            select(_r.certificate, _r.certificate_digest, _r.certificate_seq).where(_r.id == run_id)
        ).first()
        if row is None or row[0] is None:
            return None
        return dict(row[0]), str(row[1]), int(row[2])

    def set_certificate(self, run_id: str, body: dict[str, Any], digest: str, seq: int) -> None:
        self._conn.execute(
            update(disposal_runs)
            .where(_r.id == run_id)
            .values(certificate=body, certificate_digest=digest, certificate_seq=seq)
        )

    def items(
        self, run_id: str, *, state: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[PlannedItem]:
        q = select(disposal_items).where(_i.run_id == run_id)
        if state is not None:
            q = q.where(_i.state == state)
        q = q.order_by(_i.record_id).limit(limit).offset(offset)
        return [_item(r) for r in self._conn.execute(q).mappings()]

    # --- execution -----------------------------------------------------------------------

    def next_batch(self, run_id: str, size: int) -> list[PlannedItem]:
        q = (
            select(disposal_items)
            .where(_i.run_id == run_id, _i.state == ItemState.DUE.value)
            .order_by(_i.record_id)
            .limit(size)
        )
        return [_item(r) for r in self._conn.execute(q).mappings()]

    def dispose(
        self,
        run_id: str,
        items: Sequence[PlannedItem],
        anonymized: Sequence[tuple[str, str, Mapping[str, str], str | None]],
        at: datetime,
    ) -> int:
        if not items:
            return 0
        if anonymized:
            self._conn.execute(
                insert(anonymized_records),
                [
                    {
                        "id": rid,
                        "run_id": run_id,
                        "category": category,
                        "attributes": dict(attrs),
                        "value_text": value,
                    }
                    for rid, category, attrs, value in anonymized
                ],
            )
        first, last = items[0].record_id, items[-1].record_id
        batch = and_(
            _i.run_id == run_id,
            _i.state == ItemState.DUE.value,
            _i.record_id >= first,
            _i.record_id <= last,
        )
        destroyed = select(_i.record_id).where(batch, _i.method == "destroy")
        self._conn.execute(
            update(personal_info)
            .where(_p.id.in_(destroyed))
            .values(value_text=None, value_sealed=None)
        )
        removed = self._conn.execute(
            delete(personal_info).where(_p.id.in_(select(_i.record_id).where(batch)))
        )
        self._conn.execute(
            update(disposal_items).where(batch).values(state=ItemState.DONE.value, done_at=at)
        )
        self._conn.execute(
            update(disposal_runs).where(_r.id == run_id).values(done=_r.done + len(items))
        )
        return int(removed.rowcount or 0)

    def done_ids(self, run_id: str) -> Iterator[str]:
        q = (
            select(_i.record_id)
            .where(_i.run_id == run_id, _i.state == ItemState.DONE.value)
            .order_by(_i.record_id)
        )
        for r in self._conn.execute(q.execution_options(yield_per=5000)):
            yield r[0]

    def emptied_subjects(self, run_id: str) -> list[str]:
        left = select(literal(1)).where(_p.subject_id == _i.subject_id).exists()
        q = (
            select(_i.subject_id)
            .where(_i.run_id == run_id, _i.state == ItemState.DONE.value, ~left)
            .distinct()
            .order_by(_i.subject_id)
        )
        return [r[0] for r in self._conn.execute(q)]

    def strip_subject(self, subject_id: str) -> None:
        self._conn.execute(
            delete(subject_identifiers).where(subject_identifiers.c.subject_id == subject_id)
        )
        self._conn.execute(
            update(subjects)
            .where(subjects.c.id == subject_id)
            .values(display_name=None, birth_date=None, external_ref=None)
        )

    def disposed_for(self, subject_id: str) -> list[Disposed]:
        q = (
            select(_i.category, _i.system, _i.method, _i.done_at, _i.run_id)
            .where(_i.subject_id == subject_id, _i.state == ItemState.DONE.value)
            .order_by(_i.done_at, _i.category)
        )
        return [Disposed(*r) for r in self._conn.execute(q)]

    def anonymized(self, category: str, *, limit: int = 100) -> list[dict[str, object]]:
        a = anonymized_records.c
        q = (
            select(a.attributes, a.value_text)
            .where(a.category == category)
            .order_by(a.id)
            .limit(limit)
        )
        return [{**dict(r[0]), "value": r[1]} for r in self._conn.execute(q)]

    # --- source steps --------------------------------------------------------------------

    def add_step(self, step: SourceStep) -> None:
        self._conn.execute(insert(disposal_steps), _step_row(step))

    def save_step(self, step: SourceStep) -> None:
        row = _step_row(step)
        self._conn.execute(
            update(disposal_steps).where(disposal_steps.c.id == step.id).values(**row)
        )

    def steps(self, run_id: str) -> list[SourceStep]:
        t = disposal_steps.c
        q = select(disposal_steps).where(t.run_id == run_id).order_by(t.source, t.table_name, t.id)
        return [_step(r) for r in self._conn.execute(q).mappings()]

    def open_tasks(self) -> list[SourceStep]:
        t = disposal_steps.c
        q = (
            select(disposal_steps)
            .where(t.kind == StepKind.TASK.value, t.done_at.is_(None))
            .order_by(t.run_id, t.source, t.table_name)
        )
        return [_step(r) for r in self._conn.execute(q).mappings()]

    def get_step(self, step_id: str) -> SourceStep | None:
        row = (
            self._conn.execute(select(disposal_steps).where(disposal_steps.c.id == step_id))
            .mappings()
            .first()
        )
        return _step(row) if row else None

    # --- schedule ------------------------------------------------------------------------

    def schedule(self) -> Schedule | None:
        row = (
            self._conn.execute(
                select(retention_schedule).where(retention_schedule.c.id == _SCHEDULE_ID)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return Schedule(
            bool(row["enabled"]), tuple(row["categories"]), row["set_by"], row["set_at"]
        )

    def set_schedule(self, schedule: Schedule) -> None:
        values = {
            "enabled": schedule.enabled,
            "categories": list(schedule.categories),
            "set_by": schedule.set_by,
            "set_at": schedule.set_at,
        }
        found = self._conn.execute(
            select(exists().where(retention_schedule.c.id == _SCHEDULE_ID))
        ).scalar()
        if found:
            self._conn.execute(
                update(retention_schedule)
                .where(retention_schedule.c.id == _SCHEDULE_ID)
                .values(**values)
            )
        else:
            self._conn.execute(insert(retention_schedule), {"id": _SCHEDULE_ID, **values})


# --- rows <-> records ------------------------------------------------------------------------


def _attributes(r: Any, value: str | None) -> dict[str, str]:
    birth: date | None = r[3]
    collected: datetime = r[4]
    return {
        "id": r[0],
        "province": r[1],
        "subject_type": r[2],
        "birth_year": f"{birth.year:04d}-01-01" if birth else "*",
        "collected_month": f"{collected.year:04d}-{collected.month:02d}-01",
        "system": r[5],
        "value": value or "",
    }


def _run_row(run: DisposalRun) -> dict[str, Any]:
    return {
        "status": run.status.value,
        "as_of": run.as_of,
        "policy_version": run.policy_version,
        "categories": list(run.categories),
        "planned_at": run.planned_at,
        "planned_by": run.planned_by,
        "summary": {
            "lines": [
                {
                    "category": line.category,
                    "system": line.system,
                    "method": line.method,
                    "due": line.due,
                    "held": line.held,
                }
                for line in run.lines
            ],
            "held": dict(run.held),
            "anonymity": {k: dict(v) for k, v in run.anonymity.items()},
        },
        "total": run.total,
        "done": run.done,
        "approved_at": run.approved_at,
        "approved_by": run.approved_by,
        "approval": run.approval.value if run.approval else None,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error,
    }


def _run(r: Any) -> DisposalRun:
    summary = r["summary"] or {}
    return DisposalRun(
        id=r["id"],
        status=RunStatus(r["status"]),
        as_of=r["as_of"],
        policy_version=r["policy_version"],
        planned_at=r["planned_at"],
        planned_by=r["planned_by"],
        categories=tuple(r["categories"] or ()),
        lines=tuple(PlanLine(**line) for line in summary.get("lines", ())),
        held={str(k): int(v) for k, v in summary.get("held", {}).items()},
        anonymity={
            str(k): {str(a): int(b) for a, b in v.items()}
            for k, v in summary.get("anonymity", {}).items()
        },
        total=int(r["total"]),
        done=int(r["done"]),
        approved_at=r["approved_at"],
        approved_by=r["approved_by"],
        approval=Approval(r["approval"]) if r["approval"] else None,
        started_at=r["started_at"],
        finished_at=r["finished_at"],
        error=r["error"],
    )


def _item(r: Any) -> PlannedItem:
    return PlannedItem(
        r["record_id"],
        r["subject_id"],
        r["category"],
        r["system"],
        r["method"],
        ItemState(r["state"]),
        r["reason"],
    )


def _step_row(step: SourceStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "run_id": step.run_id,
        "source": step.source,
        "table_name": step.table,
        "category": step.category,
        "columns": list(step.columns),
        "method": step.method,
        "cutoff": step.cutoff,
        "kind": step.kind.value,
        "rows": step.rows,
        "done_at": step.done_at,
        "closed_by": step.closed_by,
        "error": step.error,
    }


def _step(r: Any) -> SourceStep:
    return SourceStep(
        id=r["id"],
        run_id=r["run_id"],
        source=r["source"],
        table=r["table_name"],
        category=r["category"],
        columns=tuple(r["columns"]),
        method=r["method"],
        cutoff=r["cutoff"],
        kind=StepKind(r["kind"]),
        rows=int(r["rows"]),
        done_at=r["done_at"],
        closed_by=r["closed_by"],
        error=r["error"],
    )
