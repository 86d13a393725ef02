"""The consent ledger in the store: events in, domain events out (CON-1).

Events are appended, never updated. A subject's whole history is one query, ordered by
time, then by the order of recording; the state derivation puts it in ledger order itself
(``domain.consent.state.ledger_order``), so the answer never depends on that order (CON-5).
Rows are written and read through the one table of event types (``domain.consent.codec``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select, true

from confide.adapters.db.bulk import insert_rows
from confide.adapters.db.repositories.consent._driver import (
    EVENT_COLUMNS,
    Store,
    cursor,
    driver_reader,
    event_from_row,
    event_row,
    mark,
)
from confide.adapters.db.tables import consent_events
from confide.domain.consent.codec import kind_of
from confide.domain.consent.events import (
    ConsentEvent,
    ConsentGiven,
    RelationshipEventRecorded,
    SubjectProfile,
)

_GIVEN = kind_of(ConsentGiven)
_RELATIONSHIP = kind_of(RelationshipEventRecorded)


class SqlAlchemyConsentLedger(Store):
    """The append-only ``consent_events``: writing events, reading histories and the inputs
    of a decision (profile, ledger stamp, history), and audience candidates."""

    def add_events(self, events: Sequence[ConsentEvent], recorded_at: datetime) -> None:
        conn = self._conn
        insert_rows(
            conn, consent_events, EVENT_COLUMNS, [event_row(conn, e, recorded_at) for e in events]
        )

    def history(self, subject_id: str) -> list[ConsentEvent]:
        rows = self._conn.execute(
            select(consent_events)
            .where(consent_events.c.subject_id == subject_id)
            .order_by(consent_events.c.at, consent_events.c.recorded_at, consent_events.c.id)
        ).mappings()
        return [event_from_row(r) for r in rows]

    def histories(self, subject_ids: Sequence[str]) -> dict[str, list[ConsentEvent]]:
        out: dict[str, list[ConsentEvent]] = {sid: [] for sid in subject_ids}
        conn = self._conn
        read, m = driver_reader(conn), mark(conn)
        cur = cursor(conn)  # driver rows: no per-row type processing
        try:
            for start in range(0, len(subject_ids), 900):
                part = list(subject_ids[start : start + 900])
                cur.execute(
                    f"SELECT {', '.join(EVENT_COLUMNS)} FROM consent_events WHERE subject_id IN "
                    f"({', '.join([m] * len(part))}) ORDER BY subject_id, at, recorded_at, id",
                    part,
                )
                for r in cur.fetchall():
                    out[r[1]].append(read(r))
        finally:
            cur.close()
        return out

    def event(self, event_id: str) -> ConsentEvent | None:
        r = (
            self._conn.execute(select(consent_events).where(consent_events.c.id == event_id))
            .mappings()
            .first()
        )
        return event_from_row(r) if r else None

    # --- the decision hot path ----------------------------------------------------------------
    def decision_inputs(self, subject_id: str) -> tuple[SubjectProfile, list[ConsentEvent]] | None:
        """A subject's profile and whole history in two driver-level selects (the decision hot
        path: no per-row ORM or type processing; times converted here)."""
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"
        read, m = driver_reader(conn), mark(conn)
        cur = cursor(conn)
        try:
            cur.execute(_PROFILE_SQL.replace("?", m), (subject_id,))
            rows = cur.fetchall()
            if not rows:
                return None
            province, language, born = rows[0][0], rows[0][1], rows[0][2]
            if sqlite and born is not None:
                born = date.fromisoformat(born)
            phones = tuple(r[3] for r in rows if r[3] is not None)
            profile = SubjectProfile(subject_id, province, language, born, None, phones)
            cur.execute(_HISTORY_SQL.replace("?", m), (subject_id,))
            events = [read(r) for r in cur.fetchall()]
        finally:
            cur.close()
        return profile, events

    def decision_profile(self, subject_id: str) -> tuple[SubjectProfile, tuple[Any, Any]] | None:
        """The subject's profile and a stamp of its ledger (number of events, latest instant),
        in one round trip: a state derived earlier from the same ledger can be reused when the
        stamp is the same (the ledger is append-only, CON-1)."""
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"
        cur = cursor(conn)
        try:
            cur.execute(_STAMPED_PROFILE_SQL.replace("?", mark(conn)), (subject_id,))
            rows = cur.fetchall()
        finally:
            cur.close()
        if not rows:
            return None
        province, language, born = rows[0][0], rows[0][1], rows[0][2]
        if sqlite and born is not None:
            born = date.fromisoformat(born)
        phones = tuple(sorted(r[3] for r in rows if r[3] is not None))
        profile = SubjectProfile(subject_id, province, language, born, None, phones)
        return profile, (rows[0][4], rows[0][5])

    def decision_history(self, subject_id: str) -> list[ConsentEvent]:
        """:meth:`history` through the driver's cursor (the decision hot path)."""
        conn = self._conn
        read = driver_reader(conn)
        cur = cursor(conn)
        try:
            cur.execute(_HISTORY_SQL.replace("?", mark(conn)), (subject_id,))
            return [read(r) for r in cur.fetchall()]
        finally:
            cur.close()

    # --- audiences ------------------------------------------------------------------------------
    def audience_candidates(
        self,
        purpose_id: str,
        channel: str | None,
        relationship_since: dict[str, datetime | None],
        after: str = "",
        limit: int = 5000,
    ) -> list[str]:
        """Subject ids, in id order after ``after``, that *may* be in the audience: a consent given
        for the purpose, or a relationship event of a kind that implies it since the given time
        (None: any time). A superset computed in the database; the engine decides each exactly.
        """
        ce = consent_events
        conds = [
            and_(
                ce.c.type == _GIVEN,
                ce.c.purpose_id == purpose_id,
                or_(ce.c.channel.is_(None), ce.c.channel == channel) if channel else true(),
            )
        ]
        for kind, since in relationship_since.items():
            cond = and_(ce.c.type == _RELATIONSHIP, ce.c.relationship_kind == kind)
            conds.append(and_(cond, ce.c.at >= since) if since is not None else cond)
        q = (
            select(ce.c.subject_id)
            .where(or_(*conds), ce.c.subject_id > after)
            .group_by(ce.c.subject_id)
            .order_by(ce.c.subject_id)
            .limit(limit)
        )
        return [r[0] for r in self._conn.execute(q)]


_PROFILE_SQL = (
    "SELECT s.province, s.language, s.birth_date, i.value FROM subjects s "
    "LEFT OUTER JOIN subject_identifiers i ON i.subject_id = s.id AND i.kind = 'phone' "
    "WHERE s.id = ?"
)
_STAMPED_PROFILE_SQL = (
    "SELECT s.province, s.language, s.birth_date, i.value, "
    "(SELECT count(*) FROM consent_events e WHERE e.subject_id = s.id), "
    "(SELECT max(e.at) FROM consent_events e WHERE e.subject_id = s.id) "
    "FROM subjects s "
    "LEFT OUTER JOIN subject_identifiers i ON i.subject_id = s.id AND i.kind = 'phone' "
    "WHERE s.id = ?"
)
_HISTORY_SQL = (
    f"SELECT {', '.join(EVENT_COLUMNS)} FROM consent_events WHERE subject_id = ? "
    "ORDER BY at, recorded_at, id"
)
