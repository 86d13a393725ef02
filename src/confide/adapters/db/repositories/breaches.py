"""The breach register (BRE-1..5): rows of ``incidents`` and its tables as domain records.

Each row's narrative fields are sealed together as one JSON document (the table, row id and
``sealed`` as associated data). Linking affected people is one ``INSERT ... SELECT`` in the
database, whatever their number; marking them notified is one statement per batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    RowMapping,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from confide.adapters.db.bulk import db_time
from confide.adapters.db.repositories.registers import next_reference, open_fields, seal_fields
from confide.adapters.db.tables import (
    incident_assessments,
    incident_notices,
    incident_subjects,
    incidents,
    personal_info,
    subjects,
)
from confide.domain.breaches.model import (
    AffectedCount,
    Assessment,
    Incident,
    IncidentStatus,
    Level,
    Notice,
    NoticeKind,
    Occurrence,
    PublicNoticeReason,
    ReportedBy,
)
from confide.services.ports.breaches import AffectedPerson, AffectedQuery, RegisterFilter
from confide.services.ports.common import Cipher

_i, _a, _s, _n = incidents.c, incident_assessments.c, incident_subjects.c, incident_notices.c
_INCIDENT_SEALED = (
    "circumstances",
    "cause",
    "measures",
    "individual_steps",
    "unknown_information",
    "reporter_contact",
)
_BATCH = 900


class SqlAlchemyBreachRepository:
    """Implements ``BreachRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    # --- sealing ----------------------------------------------------------------------------------
    def _seal(self, table: str, row_id: str, values: dict[str, str]) -> bytes:
        return seal_fields(self._cipher, table, row_id, values)

    def _open(self, table: str, row_id: str, blob: Any) -> dict[str, str]:
        return open_fields(self._cipher, table, row_id, blob)

    # --- the register ---------------------------------------------------------------------------
    def next_reference(self, year: int) -> str:
        return next_reference(self._conn, _i.reference, "INC", year)

    def _row(self, inc: Incident) -> dict[str, Any]:
        return {
            "id": inc.id,
            "reference": inc.reference,
            "title": inc.title,
            "status": inc.status.value,
            "reported_at": inc.reported_at,
            "reported_by": inc.reported_by.value,
            "recorded_by": inc.recorded_by,
            "aware_on": inc.aware_on,
            "occurred_from": inc.occurrence.started_on,
            "occurred_to": inc.occurrence.ended_on,
            "occurred_approximate": inc.occurrence.approximate,
            "categories": list(inc.categories),
            "systems": list(inc.systems),
            "affected_estimate": inc.affected_estimate,
            "affected_approximate": inc.affected_approximate,
            "quebec": inc.quebec,
            "sealed": self._seal(
                "incidents", inc.id, {k: getattr(inc, k) for k in _INCIDENT_SEALED}
            ),
            "closed_at": inc.closed_at,
            "closed_by": inc.closed_by,
            "determined_on": inc.determined_on,
            "keep_until": inc.keep_until,
        }

    def _incident(self, row: RowMapping) -> Incident:
        sealed = self._open("incidents", row["id"], row["sealed"])
        return Incident(
            id=row["id"],
            reference=row["reference"],
            title=row["title"],
            reported_at=row["reported_at"],
            reported_by=ReportedBy(row["reported_by"]),
            recorded_by=row["recorded_by"],
            aware_on=row["aware_on"],
            occurrence=Occurrence(
                row["occurred_from"], row["occurred_to"], bool(row["occurred_approximate"])
            ),
            categories=tuple(row["categories"]),
            systems=tuple(row["systems"]),
            affected_estimate=row["affected_estimate"],
            affected_approximate=bool(row["affected_approximate"]),
            status=IncidentStatus(row["status"]),
            closed_at=row["closed_at"],
            closed_by=row["closed_by"],
            determined_on=row["determined_on"],
            keep_until=row["keep_until"],
            quebec=bool(row["quebec"]),
            **{k: sealed.get(k, "") for k in _INCIDENT_SEALED},
        )

    def add(self, incident: Incident) -> None:
        self._conn.execute(insert(incidents), self._row(incident))

    def save(self, incident: Incident) -> None:
        values = self._row(incident)
        del values["id"]
        self._conn.execute(update(incidents).where(_i.id == incident.id).values(**values))

    def get(self, incident_id: str, *, for_update: bool = False) -> Incident | None:
        q = select(incidents).where(or_(_i.id == incident_id, _i.reference == incident_id.upper()))
        if for_update:
            q = q.with_for_update()
        row = self._conn.execute(q).mappings().first()
        return self._incident(row) if row else None

    def listing(self, flt: RegisterFilter, *, offset: int = 0, limit: int = 100) -> list[Incident]:
        q = select(incidents)
        if flt.status:
            q = q.where(_i.status == flt.status)
        if flt.quebec is not None:
            q = q.where(_i.quebec.is_(flt.quebec))
        if flt.aware_from:
            q = q.where(_i.aware_on >= flt.aware_from)
        if flt.aware_to:
            q = q.where(_i.aware_on <= flt.aware_to)
        if flt.late_on:
            q = q.where(
                exists().where(
                    _n.incident_id == _i.id,
                    _n.sent_on.is_(None),
                    _n.target_on < flt.late_on,
                )
            )
        if flt.real_risk is not None:
            latest = (
                select(_a.real_risk)
                .where(_a.incident_id == _i.id)
                .order_by(_a.decided_at.desc(), _a.id.desc())
                .limit(1)
                .scalar_subquery()
            )
            q = q.where(latest.is_(flt.real_risk))
        q = q.order_by(_i.reported_at.desc(), _i.id.desc()).offset(offset).limit(limit)
        return [self._incident(r) for r in self._conn.execute(q).mappings()]

    def delete(self, incident_id: str) -> None:
        for table, column in (
            (incident_subjects, _s.incident_id),
            (incident_notices, _n.incident_id),
            (incident_assessments, _a.incident_id),
            (incidents, _i.id),
        ):
            self._conn.execute(delete(table).where(column == incident_id))

    # --- assessments ------------------------------------------------------------------------------
    def add_assessment(self, a: Assessment) -> None:
        sealed = {
            "factors_note": a.factors_note,
            "decision_reason": a.decision_reason,
            "ill_intentioned_uses": a.ill_intentioned_uses,
            "consequences": a.consequences,
        }
        self._conn.execute(
            insert(incident_assessments),
            {
                "id": a.id,
                "incident_id": a.incident_id,
                "sensitivity": a.sensitivity.value,
                "probability": a.probability.value,
                "likelihood": a.likelihood.value if a.likelihood else None,
                "factors": list(a.factors),
                "proposed_real_risk": a.proposed_real_risk,
                "proposed_serious_injury": a.proposed_serious_injury,
                "proposed_reasons": list(a.proposed_reasons),
                "real_risk": a.real_risk,
                "serious_injury": a.serious_injury,
                "determined_on": a.determined_on,
                "decided_by": a.decided_by,
                "decided_at": a.decided_at,
                "sealed": self._seal("incident_assessments", a.id, sealed),
            },
        )

    def _assessment(self, row: RowMapping) -> Assessment:
        sealed = self._open("incident_assessments", row["id"], row["sealed"])
        return Assessment(
            id=row["id"],
            incident_id=row["incident_id"],
            sensitivity=Level(row["sensitivity"]),
            probability=Level(row["probability"]),
            factors=tuple(row["factors"]),
            factors_note=sealed.get("factors_note", ""),
            proposed_real_risk=bool(row["proposed_real_risk"]),
            proposed_reasons=tuple(row["proposed_reasons"]),
            real_risk=bool(row["real_risk"]),
            decision_reason=sealed.get("decision_reason", ""),
            decided_by=row["decided_by"],
            decided_at=row["decided_at"],
            determined_on=row["determined_on"],
            ill_intentioned_uses=sealed.get("ill_intentioned_uses", ""),
            consequences=sealed.get("consequences", ""),
            likelihood=Level(row["likelihood"]) if row["likelihood"] else None,
            proposed_serious_injury=row["proposed_serious_injury"],
            serious_injury=row["serious_injury"],
        )

    def assessments(self, incident_id: str) -> list[Assessment]:
        rows = self._conn.execute(
            select(incident_assessments)
            .where(_a.incident_id == incident_id)
            .order_by(_a.decided_at, _a.id)
        ).mappings()
        return [self._assessment(r) for r in rows]

    def latest_assessments(self, incident_ids: Sequence[str]) -> dict[str, Assessment]:
        out: dict[str, Assessment] = {}
        for start in range(0, len(incident_ids), _BATCH):
            rows = self._conn.execute(
                select(incident_assessments)
                .where(_a.incident_id.in_(incident_ids[start : start + _BATCH]))
                .order_by(_a.decided_at, _a.id)
            ).mappings()
            for r in rows:
                out[r["incident_id"]] = self._assessment(r)  # the last one stands
        return out

    # --- affected people --------------------------------------------------------------------------
    def link_query(self, incident_id: str, query: AffectedQuery, at: datetime, method: str) -> int:
        p = personal_info.c
        conds: list[ColumnElement[bool]] = []
        if query.categories:
            conds.append(p.category.in_(query.categories))
        if query.systems:
            conds.append(p.system.in_(query.systems))
        if query.sources:
            conds.append(p.source.in_(query.sources))
        if query.held_to:
            conds.append(p.collected_at <= query.held_to)
        if query.held_from:
            conds.append(or_(p.disposed_at.is_(None), p.disposed_at >= query.held_from))
        # A semi-join (IN), which both planners run as one pass over the matching records.
        holding = subjects.c.id.in_(select(p.subject_id).where(*conds))
        chosen = select(
            literal(incident_id),
            subjects.c.id,
            subjects.c.province,
            literal(at, incident_subjects.c.linked_at.type),
            literal(method),
        ).where(holding)
        if self._conn.dialect.name == "postgresql":
            # Links to one incident are made one at a time: the count below stays true until
            # this transaction ends (SQLite's write lock already serializes writers).
            self._conn.execute(
                select(incidents.c.id).where(incidents.c.id == incident_id).with_for_update()
            )
        before = self._linked(incident_id)
        columns = ["incident_id", "subject_id", "province", "linked_at", "method"]
        if before == 0:
            # Nobody linked yet: a plain insert (a third faster on PostgreSQL than one that
            # must look for a conflict row by row).
            self._conn.execute(insert(incident_subjects).from_select(columns, chosen))
        elif self._conn.dialect.name == "postgresql":
            # People already linked are skipped by the primary key (ON CONFLICT DO NOTHING),
            # not by an anti-join on the table being filled, which PostgreSQL rescans row
            # after row.
            pg = postgresql.insert(incident_subjects).from_select(columns, chosen)
            self._conn.execute(pg.on_conflict_do_nothing())
        else:
            lite = sqlite.insert(incident_subjects).from_select(columns, chosen)
            self._conn.execute(lite.on_conflict_do_nothing())
        # Counted, not the rowcount: psycopg reports -1 for INSERT ... SELECT here.
        added = self._linked(incident_id) - before
        if added > 1000 and self._conn.dialect.name == "postgresql":
            # A bulk load: without fresh statistics the planner takes the new rows for a
            # handful, and reading them back to compose the notices crawls (PostgreSQL's
            # advice after a bulk load; autovacuum would only come later).
            self._conn.execute(text("ANALYZE incident_subjects"))
        return added

    def _linked(self, incident_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(incident_subjects)
                .where(_s.incident_id == incident_id)
            ).scalar_one()
        )

    def link_subjects(
        self, incident_id: str, subject_ids: Sequence[str], at: datetime, method: str
    ) -> int:
        added = 0
        ids = sorted(set(subject_ids))
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            linked = set(
                self._conn.execute(
                    select(_s.subject_id).where(
                        _s.incident_id == incident_id, _s.subject_id.in_(chunk)
                    )
                ).scalars()
            )
            rows = [
                {
                    "incident_id": incident_id,
                    "subject_id": sid,
                    "province": province,
                    "linked_at": at,
                    "method": method,
                }
                for sid, province in self._conn.execute(
                    select(subjects.c.id, subjects.c.province).where(subjects.c.id.in_(chunk))
                )
                if sid not in linked
            ]
            if rows:
                self._conn.execute(insert(incident_subjects), rows)
                added += len(rows)
        return added

    def counts(self, incident_id: str) -> list[AffectedCount]:
        rows = self._conn.execute(
            select(_s.province, func.count(), func.count(_s.notified_at))
            .where(_s.incident_id == incident_id)
            .group_by(_s.province)
            .order_by(_s.province)
        ).all()
        return [AffectedCount(p, int(n), int(k)) for p, n, k in rows]

    def affected(
        self, incident_id: str, *, offset: int = 0, limit: int = 100
    ) -> list[AffectedPerson]:
        rows = self._conn.execute(
            select(incident_subjects)
            .where(_s.incident_id == incident_id)
            .order_by(_s.subject_id)
            .offset(offset)
            .limit(limit)
        ).mappings()
        return [
            AffectedPerson(
                r["subject_id"],
                r["province"],
                r["linked_at"],
                r["method"],
                r["notified_at"],
                r["channel"],
            )
            for r in rows
        ]

    def pending_notices(
        self, incident_id: str, after: str, limit: int
    ) -> list[tuple[str, str, str, str | None]]:
        # Straight to the driver: a batch of thousands of plain strings needs none of
        # SQLAlchemy's row processing (this read is most of composing 100,000 notices).
        mark = "?" if self._conn.dialect.paramstyle == "qmark" else "%s"
        # The address by a correlated look-up (one index probe a person): a join would let a
        # planner hash every identifier again for each batch. On SQLite the probe is pinned to
        # the subject's index: without statistics (a store nobody ran ANALYZE on) its planner
        # takes the (kind, value) index for the ORDER BY and reads every email for each
        # person, hours for 100,000 people.
        pinned = " INDEXED BY ix_subject_identifiers_subject_id" if mark == "?" else ""
        sql = (
            "SELECT s.subject_id, p.language, p.province, (SELECT i.value FROM "
            f"subject_identifiers i{pinned} WHERE i.subject_id = s.subject_id "
            "AND i.kind = 'email' ORDER BY i.value LIMIT 1) FROM incident_subjects s "
            "JOIN subjects p ON p.id = s.subject_id "
            f"WHERE s.incident_id = {mark} AND s.notified_at IS NULL AND s.subject_id > {mark} "
            f"ORDER BY s.subject_id LIMIT {int(limit)}"
        )
        rows = self._conn.exec_driver_sql(sql, (incident_id, after)).all()
        return [(sid, lang, prov, mail) for sid, lang, prov, mail in rows]

    def mark_notified(
        self, incident_id: str, channel: str, subject_ids: Sequence[str], at: datetime
    ) -> None:
        if not subject_ids:
            return
        # The caller knows each person's channel from the batch it just read: no look-up here.
        # The ids go as one parameter (an array on PostgreSQL, a JSON list on SQLite): an IN
        # list of thousands of bound values costs more to build than the update itself.
        if self._conn.dialect.name == "postgresql":
            sql = (
                "UPDATE incident_subjects SET notified_at = %s, channel = %s "
                "WHERE incident_id = %s AND subject_id = ANY(%s)"
            )
            ids: Any = list(subject_ids)
        else:
            sql = (
                "UPDATE incident_subjects SET notified_at = ?, channel = ? "
                "WHERE incident_id = ? AND subject_id IN (SELECT value FROM json_each(?))"
            )
            ids = json.dumps(list(subject_ids))
        self._conn.exec_driver_sql(sql, (db_time(self._conn, at), channel, incident_id, ids))

    def keeping(self, subject_ids: Sequence[str], today: date) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(subject_ids), _BATCH):
            rows = self._conn.execute(
                select(_s.subject_id, _s.incident_id)
                .join(incidents, _i.id == _s.incident_id)
                .where(
                    _s.subject_id.in_(subject_ids[start : start + _BATCH]),
                    or_(_i.keep_until.is_(None), _i.keep_until > today),
                )
            ).all()
            out.update({sid: iid for sid, iid in rows})
        return out

    # --- reports, notices, notifications ----------------------------------------------------------
    def _notice_row(self, n: Notice) -> dict[str, Any]:
        return {
            "id": n.id,
            "incident_id": n.incident_id,
            "kind": n.kind.value,
            "party": n.party,
            "reason": n.reason.value if n.reason else None,
            "target_on": n.target_on,
            "sent_on": n.sent_on,
            "sent_by": n.sent_by,
            "reference": n.reference,
            "count": n.count,
            "created_at": n.created_at,
            "created_by": n.created_by,
            "sealed": self._seal("incident_notices", n.id, {"details": n.details}),
        }

    def _notice(self, row: RowMapping | Row[Any]) -> Notice:
        r = row._mapping if isinstance(row, Row) else row
        sealed = self._open("incident_notices", r["id"], r["sealed"])
        return Notice(
            id=r["id"],
            incident_id=r["incident_id"],
            kind=NoticeKind(r["kind"]),
            created_at=r["created_at"],
            created_by=r["created_by"],
            target_on=r["target_on"],
            party=r["party"],
            reason=PublicNoticeReason(r["reason"]) if r["reason"] else None,
            details=sealed.get("details", ""),
            sent_on=r["sent_on"],
            sent_by=r["sent_by"],
            reference=r["reference"],
            count=int(r["count"]),
        )

    def add_notice(self, notice: Notice) -> None:
        self._conn.execute(insert(incident_notices), self._notice_row(notice))

    def save_notice(self, notice: Notice) -> None:
        values = self._notice_row(notice)
        del values["id"]
        self._conn.execute(update(incident_notices).where(_n.id == notice.id).values(**values))

    def notices(self, incident_id: str) -> list[Notice]:
        return self.notices_of([incident_id]).get(incident_id, [])

    def notices_of(self, incident_ids: Sequence[str]) -> dict[str, list[Notice]]:
        out: dict[str, list[Notice]] = {}
        for start in range(0, len(incident_ids), _BATCH):
            rows = self._conn.execute(
                select(incident_notices)
                .where(_n.incident_id.in_(incident_ids[start : start + _BATCH]))
                .order_by(_n.created_at, _n.id)
            ).mappings()
            for r in rows:
                out.setdefault(r["incident_id"], []).append(self._notice(r))
        return out
