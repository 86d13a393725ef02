"""Retention and disposal (RET-1..3) in the store: lifecycle events, plans, chunks of a run's
list, tombstones, certificates kept with their runs.

A plan streams the ids of due records (no values) out of one indexed query per rule; the
service sorts them into chunks (category, method, state) written as a few large rows. A chunk
is executed with one ``UPDATE personal_info ... WHERE id IN (...)`` that erases the values and
leaves tombstones (``disposed_at``, ``disposal_run``, ``disposal_method``), skipping the records
a hold opened since the plan keeps. What a run disposed of is then read from the tombstones.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from confide.adapters.db.tables import (
    access_requests,
    anonymized_records,
    disposal_chunks,
    disposal_runs,
    disposal_steps,
    legal_holds,
    personal_info,
    retention_schedule,
    subject_events,
    subject_identifiers,
    subjects,
)
from confide.domain.holds import HoldScope
from confide.domain.policy import RetentionEvent
from confide.domain.retention.lifecycle import ENDINGS, LifecycleEvent, LifecycleKind
from confide.domain.retention.runs import (
    MIXED,
    Approval,
    Candidate,
    Chunk,
    DisposalRun,
    Disposed,
    DueRecord,
    ItemState,
    PlanLine,
    RuleCut,
    RunStatus,
    Schedule,
    SourceStep,
    StepKind,
)
from confide.services.ports.common import Cipher

_p = personal_info.c
_c = disposal_chunks.c
_e = subject_events.c
_r = disposal_runs.c
_SCHEDULE_ID = "default"
_PI_AAD = b"personal_info:"


def _scope(h: HoldScope) -> ColumnElement[bool]:
    """The records a hold's scope covers (every dimension it sets must match)."""
    conds = [
        column == value
        for column, value in (
            (_p.subject_id, h.subject_id),
            (_p.category, h.category),
            (_p.system, h.system),
        )
        if value is not None
    ]
    return and_(*conds) if conds else false()


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

    def due_records(self, cut: RuleCut) -> Iterator[DueRecord]:
        q = self._due_select(cut)
        for r in self._conn.execute(q.execution_options(yield_per=10_000)):
            yield DueRecord(r[0], r[1], r[2], r[3])

    def _due_select(self, cut: RuleCut) -> Select[Any]:
        # SQLite's rowid: the plan orders chunks by it, so each chunk updates the table's pages
        # in order (and each page about once) instead of all over the file.
        position: ColumnElement[int] = literal_column(
            "personal_info.rowid" if self._conn.dialect.name == "sqlite" else "0"
        ).label("position")
        base = select(_p.id, _p.subject_id, _p.system, position, _p.category).where(
            _p.category == cut.category, _p.disposed_at.is_(None)
        )
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

    def _kept(self, now: datetime, open_states: Sequence[str]) -> ColumnElement[bool]:
        """A record a hold in force covers, or whose subject has an open request (ACC-8).

        Holds and pending requests are few: they are read first and written into the
        condition, so the plan's scans test plain columns instead of two subqueries a row."""
        h, a = legal_holds.c, access_requests.c
        holds = self._conn.execute(
            select(h.subject_id, h.category, h.system).where(
                h.opened_at <= now, h.closed_at.is_(None)
            )
        ).all()
        pending = [
            r[0]
            for r in self._conn.execute(
                select(a.subject_id)
                .where(a.state.in_(list(open_states)), a.subject_id.is_not(None))
                .distinct()
            )
        ]
        conds = [_scope(HoldScope(*row)) for row in holds]
        if len(pending) > 20_000:  # too many to list: ask the table row by row
            conds.append(
                select(literal(1))
                .where(a.subject_id == _p.subject_id, a.state.in_(list(open_states)))
                .exists()
            )
        elif pending:
            conds.append(_p.subject_id.in_(pending))
        return or_(*conds) if conds else false()

    def plan_mixed(
        self,
        run_id: str,
        cuts: Sequence[RuleCut],
        first_seq: int,
        size: int,
        now: datetime,
        open_states: Sequence[str],
    ) -> tuple[int, list[tuple[str, str, str, int]]]:
        if not cuts:
            return first_seq, []
        kept = self._kept(now, open_states)
        due = union_all(
            *(
                self._due_select(cut).add_columns(literal(cut.method).label("method")).where(~kept)
                for cut in cuts
            )
        ).subquery("due")
        seq = first_seq
        for method in sorted({cut.method for cut in cuts}):
            ranked = (
                select(
                    due.c.id,
                    func.row_number().over(order_by=(due.c.position, due.c.id)).label("rn"),
                )
                .where(due.c.method == method)
                .subquery("ranked")
            )
            bucket = (ranked.c.rn - 1) // size
            ids = (
                func.group_concat(ranked.c.id, "\n")
                if self._conn.dialect.name == "sqlite"
                else func.string_agg(ranked.c.id, literal("\n"))
            )
            q = select(
                literal(run_id),
                literal(seq) + bucket,
                literal(MIXED),
                literal(method),
                literal(ItemState.DUE.value),
                func.count(),
                ids,
            ).group_by(bucket)
            self._conn.execute(
                insert(disposal_chunks).from_select(
                    ["run_id", "seq", "category", "method", "state", "count", "ids"], q
                )
            )
            top = self._conn.execute(select(func.max(_c.seq)).where(_c.run_id == run_id)).scalar()
            seq = seq if top is None else max(seq, int(top) + 1)
        lines = select(due.c.category, due.c.system, due.c.method, func.count()).group_by(
            due.c.category, due.c.system, due.c.method
        )
        return seq, [(r[0], r[1], r[2], int(r[3])) for r in self._conn.execute(lines)]

    def kept_records(
        self, cuts: Sequence[RuleCut], now: datetime, open_states: Sequence[str]
    ) -> Iterator[tuple[DueRecord, str, str, str]]:
        h = legal_holds.c
        first_hold = (
            select(func.min(h.id))
            .where(
                h.opened_at <= now,
                h.closed_at.is_(None),
                or_(h.subject_id.is_(None), h.subject_id == _p.subject_id),
                or_(h.category.is_(None), h.category == _p.category),
                or_(h.system.is_(None), h.system == _p.system),
            )
            .scalar_subquery()
        )
        kept = self._kept(now, open_states)
        for cut in cuts:
            q = self._due_select(cut).add_columns(first_hold).where(kept)
            for r in self._conn.execute(q.execution_options(yield_per=10_000)):
                reason = f"hold:{r[5]}" if r[5] is not None else "open_request"
                yield DueRecord(r[0], r[1], r[2], r[3]), r[4], cut.method, reason

    def candidates(self, category: str) -> Iterator[Candidate]:
        q = select(_p.id, _p.subject_id, _p.system, _p.purposes, _p.collected_at).where(
            _p.category == category, _p.disposed_at.is_(None)
        )
        for r in self._conn.execute(q.order_by(_p.id).execution_options(yield_per=2000)):
            yield Candidate(r[0], r[1], r[2], tuple(r[3] or ()), r[4])

    def open_request_subjects(self, open_states: Sequence[str]) -> set[str]:
        a = access_requests.c
        q = select(a.subject_id).where(a.state.in_(list(open_states)), a.subject_id.is_not(None))
        return {r[0] for r in self._conn.execute(q.distinct())}

    def attributes(self, record_ids: Sequence[str]) -> Iterator[dict[str, str]]:
        s = subjects.c
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start : start + 500])
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
                    _p.subject_id,
                    _p.category,
                )
                .join_from(personal_info, subjects, s.id == _p.subject_id)
                .where(_p.id.in_(chunk), _p.disposed_at.is_(None))
                .order_by(_p.id)
            )
            for r in self._conn.execute(q):
                yield _attributes(r, self._value(r[0], r[6], r[7]))

    def _value(self, record_id: str, text: str | None, sealed: Any) -> str | None:
        if sealed is not None:
            return self._cipher.decrypt(bytes(sealed), _PI_AAD + record_id.encode()).decode()
        return text

    def add_chunks(self, chunks: Sequence[Chunk]) -> None:
        if chunks:
            self._conn.execute(insert(disposal_chunks), [_chunk_row(c) for c in chunks])

    def chunks(self, run_id: str, *, state: str | None = None) -> list[Chunk]:
        q = select(disposal_chunks).where(_c.run_id == run_id)
        if state is not None:
            q = q.where(_c.state == state)
        return [_chunk(r) for r in self._conn.execute(q.order_by(_c.seq)).mappings()]

    def chunk_meta(self, run_id: str) -> list[Chunk]:
        """The run's chunks without their ids (for counts)."""
        q = select(
            _c.run_id,
            _c.seq,
            _c.category,
            _c.method,
            _c.state,
            _c.reason,
            _c.count,
            _c.disposed,
            _c.done_at,
        ).where(_c.run_id == run_id)
        return [
            Chunk(r[0], r[1], r[2], r[3], ItemState(r[4]), (), r[5], r[7], r[8])
            for r in self._conn.execute(q.order_by(_c.seq))
        ]

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

    def describe(self, record_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """(subject id, category, system) of each record, disposed of or not."""
        out: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start : start + 500])
            q = select(_p.id, _p.subject_id, _p.category, _p.system).where(_p.id.in_(chunk))
            out.update({r[0]: (r[1], r[2], r[3]) for r in self._conn.execute(q)})
        return out

    # --- execution -----------------------------------------------------------------------

    def dispose(
        self,
        chunk: Chunk,
        anonymized: Sequence[tuple[str, str, Mapping[str, str], str | None]],
        kept: Sequence[HoldScope],
        at: datetime,
    ) -> int:
        if anonymized:
            self._conn.execute(
                insert(anonymized_records),
                [
                    {
                        "id": rid,
                        "run_id": chunk.run_id,
                        "category": category,
                        "attributes": dict(attrs),
                        "value_text": value,
                    }
                    for rid, category, attrs, value in anonymized
                ],
            )
        conds = [_p.disposed_at.is_(None), *(~_scope(h) for h in kept)]
        disposed = 0
        ids = list(chunk.ids)
        step = 10_000
        for start in range(0, len(ids), step):
            result = self._conn.execute(
                update(personal_info)
                .where(_p.id.in_(ids[start : start + step]), *conds)
                .values(
                    value_text=None,
                    value_sealed=None,
                    disposed_at=at,
                    disposal_run=chunk.run_id,
                    disposal_method=chunk.method,
                )
            )
            disposed += int(result.rowcount or 0)
        self._conn.execute(
            update(disposal_chunks)
            .where(_c.run_id == chunk.run_id, _c.seq == chunk.seq)
            .values(state=ItemState.DONE.value, disposed=disposed, done_at=at)
        )
        self._conn.execute(
            update(disposal_runs).where(_r.id == chunk.run_id).values(done=_r.done + disposed)
        )
        return disposed

    def disposed_lines(self, run_id: str) -> list[tuple[str, str, str, int]]:
        q = (
            select(_p.category, _p.system, _p.disposal_method, func.count())
            .where(_p.disposal_run == run_id)
            .group_by(_p.category, _p.system, _p.disposal_method)
            .order_by(_p.category, _p.system, _p.disposal_method)
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in self._conn.execute(q)]

    def done_ids(self, run_id: str) -> Iterator[str]:
        q = select(_p.id).where(_p.disposal_run == run_id).order_by(_p.id)
        for r in self._conn.execute(q.execution_options(yield_per=10_000)):
            yield r[0]

    def emptied_subjects(self, run_id: str) -> list[str]:
        live = aliased(personal_info)
        left = (
            select(literal(1))
            .where(live.c.subject_id == _p.subject_id, live.c.disposed_at.is_(None))
            .exists()
        )
        q = (
            select(_p.subject_id)
            .where(_p.disposal_run == run_id, ~left)
            .distinct()
            .order_by(_p.subject_id)
        )
        return [r[0] for r in self._conn.execute(q)]

    def strip_identifiers(self, run_id: str, kind: str, category: str) -> int:
        # The subjects come from the run's tombstones (its partial index), then their
        # identifiers go in chunks named by id: a single statement joining the two left the
        # plan to statistics that lag behind a run's updates, and PostgreSQL went quadratic.
        touched = [
            r[0]
            for r in self._conn.execute(
                select(_p.subject_id)
                .where(_p.disposal_run == run_id, _p.category == category)
                .distinct()
            )
        ]
        si = subject_identifiers.c
        live = aliased(personal_info)
        still = (
            select(literal(1))
            .where(
                live.c.subject_id == si.subject_id,
                live.c.category == category,
                live.c.disposed_at.is_(None),
            )
            .exists()
        )
        removed = 0
        for start in range(0, len(touched), 500):
            result = self._conn.execute(
                delete(subject_identifiers).where(
                    si.kind == kind, si.subject_id.in_(touched[start : start + 500]), ~still
                )
            )
            removed += int(result.rowcount or 0)
        return removed

    def strip_subjects(self, subject_ids: Sequence[str]) -> None:
        for start in range(0, len(subject_ids), 500):
            chunk = list(subject_ids[start : start + 500])
            self._conn.execute(
                delete(subject_identifiers).where(subject_identifiers.c.subject_id.in_(chunk))
            )
            self._conn.execute(
                update(subjects)
                .where(subjects.c.id.in_(chunk))
                .values(display_name=None, birth_date=None, external_ref=None)
            )

    def disposed_for(self, subject_id: str) -> list[Disposed]:
        q = (
            select(_p.category, _p.system, _p.disposal_method, _p.disposed_at, _p.disposal_run)
            .where(_p.subject_id == subject_id, _p.disposed_at.is_not(None))
            .order_by(_p.disposed_at, _p.category, _p.id)
        )
        return [Disposed(*r) for r in self._conn.execute(q)]

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
        "subject_id": r[8],
        "category": r[9],
    }


def _chunk_row(c: Chunk) -> dict[str, Any]:
    return {
        "run_id": c.run_id,
        "seq": c.seq,
        "category": c.category,
        "method": c.method,
        "state": c.state.value,
        "reason": c.reason,
        "count": len(c.ids),
        "ids": "\n".join(c.ids),
        "disposed": c.disposed,
        "done_at": c.done_at,
    }


def _chunk(r: Any) -> Chunk:
    return Chunk(
        r["run_id"],
        r["seq"],
        r["category"],
        r["method"],
        ItemState(r["state"]),
        tuple(r["ids"].split("\n")) if r["ids"] else (),
        r["reason"],
        r["disposed"],
        r["done_at"],
    )


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
