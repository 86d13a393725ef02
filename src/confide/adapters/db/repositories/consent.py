"""The consent ledger in the store: events in, domain events out; decisions; downstream systems.

Events are appended, never updated (CON-1). A subject's whole history is one query,
ordered by time and then by the order of recording, which is what the state derivation
needs to give the same answer for the same events every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, delete, insert, or_, select, true, update

from confide.adapters.db.bulk import db_json, db_time, insert_rows
from confide.adapters.db.tables import (
    consent_events,
    consent_state,
    consent_state_builds,
    decisions,
    downstream_systems,
    national_dnc_copies,
    national_dnc_numbers,
    subject_identifiers,
    subjects,
    withdrawal_acks,
)
from confide.domain.consent.events import (
    ChannelOptedIn,
    ChannelOptedOut,
    ConsentEvent,
    ConsentExpired,
    ConsentGiven,
    ConsentKind,
    ConsentRenewed,
    ConsentWithdrawn,
    DoNotCallRequested,
    GpcSignalReceived,
    RelationshipEventRecorded,
    RelationshipKind,
    SubjectProfile,
)
from confide.domain.consent.readmodel import StateRow
from confide.domain.consent.telemarketing import NationalDoNotCallList
from confide.domain.policy import ConsentMethod
from confide.services.ports import StoredDecision

_COLUMNS = (
    "id",
    "subject_id",
    "type",
    "at",
    "recorded_at",
    "recorded_by",
    "purpose_id",
    "channel",
    "consent_kind",
    "method",
    "policy_version",
    "language",
    "evidence_ref",
    "expires_at",
    "by_guardian",
    "ref_id",
    "relationship_kind",
    "phone",
    "added_at",
)


def _row(conn: Connection, e: ConsentEvent, recorded_at: datetime) -> tuple[Any, ...]:
    def t(d: datetime | None) -> Any:
        return None if d is None else db_time(conn, d)

    base: dict[str, Any] = {
        "id": e.event_id,
        "subject_id": e.subject_id,
        "at": t(e.at),
        "recorded_at": t(recorded_at),
    }
    if isinstance(e, ConsentGiven):
        base.update(
            type="consent_given",
            recorded_by=e.recorded_by,
            purpose_id=e.purpose_id,
            channel=e.channel,
            consent_kind=e.kind.value,
            method=e.method.value,
            policy_version=e.policy_version,
            language=e.language,
            evidence_ref=e.evidence_ref,
            expires_at=t(e.expires_at),
            by_guardian=e.by_guardian,
        )
    elif isinstance(e, ConsentWithdrawn):
        base.update(
            type="consent_withdrawn",
            recorded_by=e.recorded_by,
            purpose_id=e.purpose_id,
            channel=e.channel,
        )
    elif isinstance(e, ConsentExpired):
        base.update(type="consent_expired", ref_id=e.consent_id)
    elif isinstance(e, ConsentRenewed):
        base.update(
            type="consent_renewed",
            ref_id=e.consent_id,
            recorded_by=e.recorded_by,
            policy_version=e.policy_version,
            expires_at=t(e.expires_at),
        )
    elif isinstance(e, RelationshipEventRecorded):
        base.update(type="relationship", relationship_kind=e.kind.value)
    elif isinstance(e, GpcSignalReceived):
        base.update(type="gpc_signal")
    elif isinstance(e, ChannelOptedOut):
        base.update(type="channel_opted_out", channel=e.channel)
    elif isinstance(e, ChannelOptedIn):
        base.update(type="channel_opted_in", channel=e.channel)
    elif isinstance(e, DoNotCallRequested):
        base.update(type="dnc_requested", phone=e.phone_number, added_at=t(e.added_at))
    else:  # pragma: no cover - the union is closed
        raise TypeError(type(e).__name__)
    return tuple(base.get(c) for c in _COLUMNS)


def event_from_row(r: RowMapping) -> ConsentEvent:
    kind = r["type"]
    eid, sid, at = r["id"], r["subject_id"], r["at"]
    if kind == "consent_given":
        return ConsentGiven(
            eid,
            sid,
            r["purpose_id"],
            at,
            ConsentKind(r["consent_kind"]),
            ConsentMethod(r["method"]),
            r["recorded_by"],
            r["policy_version"],
            r["language"] or "en",
            r["evidence_ref"],
            r["channel"],
            r["expires_at"],
            bool(r["by_guardian"]),
        )
    if kind == "consent_withdrawn":
        return ConsentWithdrawn(eid, sid, r["purpose_id"], at, r["recorded_by"], r["channel"])
    if kind == "consent_expired":
        return ConsentExpired(eid, sid, r["ref_id"], at)
    if kind == "consent_renewed":
        return ConsentRenewed(
            eid, sid, r["ref_id"], at, r["recorded_by"], r["policy_version"], r["expires_at"]
        )
    if kind == "relationship":
        return RelationshipEventRecorded(eid, sid, RelationshipKind(r["relationship_kind"]), at)
    if kind == "gpc_signal":
        return GpcSignalReceived(eid, sid, at)
    if kind == "channel_opted_out":
        return ChannelOptedOut(eid, sid, r["channel"], at)
    if kind == "channel_opted_in":
        return ChannelOptedIn(eid, sid, r["channel"], at)
    if kind == "dnc_requested":
        return DoNotCallRequested(eid, sid, r["phone"], at, r["added_at"])
    raise ValueError(f"unknown consent event type {kind!r}")


class SqlAlchemyConsentRepository:
    """Implements ``confide.services.ports.ConsentRepository``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_events(self, events: Sequence[ConsentEvent], recorded_at: datetime) -> None:
        insert_rows(
            self._conn, consent_events, _COLUMNS, [_row(self._conn, e, recorded_at) for e in events]
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
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        raw: Any = conn.connection.dbapi_connection  # driver rows: no per-row type processing
        cur = raw.cursor()
        try:
            for start in range(0, len(subject_ids), 900):
                part = list(subject_ids[start : start + 900])
                cur.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM consent_events WHERE subject_id IN "
                    f"({', '.join([mark] * len(part))}) ORDER BY subject_id, at, recorded_at, id",
                    part,
                )
                for r in cur.fetchall():
                    out[r[1]].append(_event_from_tuple(r, sqlite))
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

    # --- decisions -----------------------------------------------------------------------------
    def add_decisions(self, items: Sequence[StoredDecision]) -> None:
        if items:
            self._conn.execute(insert(decisions), [_decision_row(d) for d in items])

    def decision(self, decision_id: str) -> StoredDecision | None:
        r = (
            self._conn.execute(select(decisions).where(decisions.c.id == decision_id))
            .mappings()
            .first()
        )
        if r is None:
            return None
        return StoredDecision(
            id=r["id"],
            subject_id=r["subject_id"],
            action=r["action"],
            purpose_id=r["purpose_id"],
            channel=r["channel"],
            recipient_id=r["recipient_id"],
            categories=tuple(r["categories"]),
            asked_at=r["asked_at"],
            decided_at=r["decided_at"],
            allowed=bool(r["allowed"]),
            reasons=tuple(r["reasons"]),
            rule=r["rule"],
            relied_on=r["relied_on"],
            valid_until=r["valid_until"],
            policy_version=r["policy_version"],
            requested_by=r["requested_by"],
            language=r["language"],
        )

    # --- downstream systems and withdrawal acknowledgements (CON-5) ---------------------------
    def add_system(self, system_id: str, name: str, purposes: Sequence[str], at: datetime) -> None:
        self._conn.execute(
            insert(downstream_systems).values(
                id=system_id, name=name, purposes=list(purposes), created_at=at, active=True
            )
        )

    def systems(self) -> list[tuple[str, str, tuple[str, ...]]]:
        rows = self._conn.execute(
            select(
                downstream_systems.c.id, downstream_systems.c.name, downstream_systems.c.purposes
            )
            .where(downstream_systems.c.active.is_(True))
            .order_by(downstream_systems.c.name)
        )
        return [(r[0], r[1], tuple(r[2])) for r in rows]

    def add_ack(self, withdrawal_id: str, system_id: str, at: datetime, recorded_by: str) -> None:
        self._conn.execute(
            insert(withdrawal_acks).values(
                withdrawal_id=withdrawal_id,
                system_id=system_id,
                acknowledged_at=at,
                recorded_by=recorded_by,
            )
        )

    def acks(self, withdrawal_ids: Iterable[str]) -> dict[str, dict[str, datetime]]:
        ids = list(withdrawal_ids)
        out: dict[str, dict[str, datetime]] = {i: {} for i in ids}
        for start in range(0, len(ids), 900):
            for wid, sid, at in self._conn.execute(
                select(
                    withdrawal_acks.c.withdrawal_id,
                    withdrawal_acks.c.system_id,
                    withdrawal_acks.c.acknowledged_at,
                ).where(withdrawal_acks.c.withdrawal_id.in_(ids[start : start + 900]))
            ):
                out[wid][sid] = at
        return out

    def withdrawals_since(self, since: datetime) -> list[ConsentWithdrawn]:
        rows = self._conn.execute(
            select(consent_events)
            .where(consent_events.c.type == "consent_withdrawn", consent_events.c.at >= since)
            .order_by(consent_events.c.at, consent_events.c.id)
        ).mappings()
        return [e for e in (event_from_row(r) for r in rows) if isinstance(e, ConsentWithdrawn)]

    # --- national do-not-call list (CEM-4) ----------------------------------------------------
    def add_national_copy(
        self, copy_id: str, taken_at: datetime, numbers: Sequence[str], at: datetime
    ) -> None:
        self._conn.execute(
            insert(national_dnc_copies).values(
                id=copy_id, taken_at=taken_at, imported_at=at, numbers=len(numbers)
            )
        )
        insert_rows(
            self._conn, national_dnc_numbers, ("copy_id", "phone"), [(copy_id, n) for n in numbers]
        )

    def national_copy_for(self, phones: Sequence[str]) -> NationalDoNotCallList | None:
        """The latest copy, holding only which of ``phones`` it lists (what a decision needs)."""
        latest = self._conn.execute(
            select(national_dnc_copies.c.id, national_dnc_copies.c.taken_at)
            .order_by(national_dnc_copies.c.taken_at.desc())
            .limit(1)
        ).first()
        if latest is None:
            return None
        listed: frozenset[str] = frozenset()
        if phones:
            listed = frozenset(
                r[0]
                for r in self._conn.execute(
                    select(national_dnc_numbers.c.phone).where(
                        national_dnc_numbers.c.copy_id == latest[0],
                        national_dnc_numbers.c.phone.in_(list(phones)),
                    )
                )
            )
        return NationalDoNotCallList(latest[1], listed)

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
                ce.c.type == "consent_given",
                ce.c.purpose_id == purpose_id,
                or_(ce.c.channel.is_(None), ce.c.channel == channel) if channel else true(),
            )
        ]
        for kind, since in relationship_since.items():
            cond = and_(ce.c.type == "relationship", ce.c.relationship_kind == kind)
            conds.append(and_(cond, ce.c.at >= since) if since is not None else cond)
        q = (
            select(ce.c.subject_id)
            .where(or_(*conds), ce.c.subject_id > after)
            .group_by(ce.c.subject_id)
            .order_by(ce.c.subject_id)
            .limit(limit)
        )
        return [r[0] for r in self._conn.execute(q)]

    # --- the read model (consent_state) -------------------------------------------------------
    def profiles(self, subject_ids: Sequence[str]) -> dict[str, SubjectProfile]:
        """What the rules need about each subject (province, language, birth date, phones)."""
        out: dict[str, SubjectProfile] = {}
        phones: dict[str, list[str]] = {}
        for start in range(0, len(subject_ids), 900):
            part = list(subject_ids[start : start + 900])
            rows = self._conn.execute(
                select(
                    subjects.c.id, subjects.c.province, subjects.c.language, subjects.c.birth_date
                ).where(subjects.c.id.in_(part))
            ).all()
            for sid, value in self._conn.execute(
                select(subject_identifiers.c.subject_id, subject_identifiers.c.value).where(
                    subject_identifiers.c.subject_id.in_(part),
                    subject_identifiers.c.kind == "phone",
                )
            ):
                phones.setdefault(sid, []).append(value)
            for sid, province, language, born in rows:
                out[sid] = SubjectProfile(
                    sid, province, language, born, None, tuple(phones.get(sid, ()))
                )
        return out

    def decision_inputs(self, subject_id: str) -> tuple[SubjectProfile, list[ConsentEvent]] | None:
        """A subject's profile and whole history in two driver-level selects (the decision hot
        path: no per-row ORM or type processing; times converted here)."""
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        # The DB-API cursor of the unit of work's connection: SQLAlchemy's result set-up per
        # statement costs more than the query itself here.
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        try:
            cur.execute(_PROFILE_SQL.replace("?", mark), (subject_id,))
            rows = cur.fetchall()
            if not rows:
                return None
            province, language, born = rows[0][0], rows[0][1], rows[0][2]
            if sqlite and born is not None:
                born = date.fromisoformat(born)
            phones = tuple(r[3] for r in rows if r[3] is not None)
            profile = SubjectProfile(subject_id, province, language, born, None, phones)
            cur.execute(_HISTORY_SQL.replace("?", mark), (subject_id,))
            events = [_event_from_tuple(r, sqlite) for r in cur.fetchall()]
        finally:
            cur.close()
        return profile, events

    def decision_profile(self, subject_id: str) -> tuple[SubjectProfile, tuple[Any, Any]] | None:
        """The subject's profile and a stamp of its ledger (number of events, latest instant),
        in one round trip: a state derived earlier from the same ledger can be reused when the
        stamp is the same (the ledger is append-only, CON-1)."""
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        try:
            cur.execute(_STAMPED_PROFILE_SQL.replace("?", mark), (subject_id,))
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
        sqlite = conn.dialect.name == "sqlite"
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        try:
            cur.execute(_HISTORY_SQL.replace("?", "?" if sqlite else "%s"), (subject_id,))
            return [_event_from_tuple(r, sqlite) for r in cur.fetchall()]
        finally:
            cur.close()

    def subject_ids_after(self, after: str, limit: int) -> list[str]:
        return [
            r[0]
            for r in self._conn.execute(
                select(subjects.c.id)
                .where(subjects.c.id > after)
                .order_by(subjects.c.id)
                .limit(limit)
            )
        ]

    def lock_subjects(self, subject_ids: Sequence[str]) -> None:
        """Serialise read-model writers per subject (PostgreSQL row locks; SQLite has one writer)."""
        if self._conn.dialect.name != "postgresql" or not subject_ids:
            return
        for start in range(0, len(subject_ids), 900):
            self._conn.execute(
                select(subjects.c.id)
                .where(subjects.c.id.in_(sorted(subject_ids[start : start + 900])))
                .order_by(subjects.c.id)
                .with_for_update()
            ).all()

    def replace_state(
        self,
        subject_ids: Sequence[str],
        rows: Sequence[tuple[str, StateRow]],
        policy_version: str,
    ) -> None:
        """Replace the read-model rows of ``subject_ids`` with ``rows`` (subject id, row)."""
        for start in range(0, len(subject_ids), 900):
            self._conn.execute(
                delete(consent_state).where(
                    consent_state.c.subject_id.in_(subject_ids[start : start + 900])
                )
            )
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"

        def t(d: datetime | None) -> Any:
            return None if d is None else db_time(conn, d)

        insert_rows(
            conn,
            consent_state,
            _STATE_COLUMNS,
            [
                (
                    sid,
                    r.purpose,
                    r.channel,
                    int(r.allowed) if sqlite else r.allowed,
                    t(r.valid_from),
                    t(r.valid_until),
                    t(r.answer_until),
                    r.relied_on,
                    r.rule,
                    db_json(list(r.reasons)),
                    policy_version,
                )
                for sid, r in rows
            ],
        )

    def state_build(self, policy_version: str) -> tuple[datetime, datetime | None] | None:
        """When the read model's rebuild for ``policy_version`` started and completed."""
        r = self._conn.execute(
            select(consent_state_builds.c.started_at, consent_state_builds.c.completed_at).where(
                consent_state_builds.c.policy_version == policy_version
            )
        ).first()
        return None if r is None else (r[0], r[1])

    def start_state_build(self, policy_version: str, at: datetime) -> None:
        b = consent_state_builds
        if self.state_build(policy_version) is None:
            self._conn.execute(insert(b).values(policy_version=policy_version, started_at=at))
        else:
            self._conn.execute(
                update(b)
                .where(b.c.policy_version == policy_version)
                .values(started_at=at, completed_at=None)
            )

    def complete_state_build(self, policy_version: str, at: datetime) -> None:
        b = consent_state_builds
        if self.state_build(policy_version) is None:
            self._conn.execute(
                insert(b).values(policy_version=policy_version, started_at=at, completed_at=at)
            )
        else:
            self._conn.execute(
                update(b).where(b.c.policy_version == policy_version).values(completed_at=at)
            )

    def state_members(
        self, purpose_id: str, channel: str, policy_version: str, at: datetime
    ) -> Iterator[tuple[str, str | None, datetime | None, bool]]:
        """Streams (subject id, relied on, the engine's until, exact) for the rows allowed and not
        run out at ``at``: one range scan of ``ix_consent_state_audience`` through the driver's
        cursor (server-side on PostgreSQL). ``exact`` is False for a row computed after ``at`` or
        under another policy version: the caller decides that subject again from the ledger."""
        conn = self._conn
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        when = db_time(conn, at)
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor() if sqlite else raw.cursor(name="confide_audience")
        if not sqlite:
            cur.itersize = 10_000
        try:
            allowed = "1" if sqlite else "true"
            head = (
                "SELECT subject_id, relied_on, answer_until, "
                f"CASE WHEN policy_version = {mark} AND valid_from <= {mark} THEN 1 ELSE 0 END "
                f"FROM consent_state WHERE purpose = {mark} AND channel = {mark} "
                f"AND allowed = {allowed} AND valid_until "
            )
            # Two range scans of the covering index (an OR would make SQLite look rows up).
            cur.execute(
                f"{head}IS NULL UNION ALL {head}> {mark}",
                (policy_version, when, purpose_id, channel) * 2 + (when,),
            )
            utc = UTC
            if sqlite:
                for sid, relied_on, until, exact in cur:
                    yield (
                        sid,
                        relied_on,
                        None
                        if until is None
                        else datetime.fromisoformat(until).replace(tzinfo=utc),
                        exact == 1,
                    )
            else:
                for sid, relied_on, until, exact in cur:
                    yield (
                        sid,
                        relied_on,
                        None if until is None else until.replace(tzinfo=utc),
                        exact == 1,
                    )
        finally:
            cur.close()

    def state_rechecks(
        self, purpose_id: str, channel: str, policy_version: str, at: datetime
    ) -> list[str]:
        """Subjects whose stored answer may not hold at ``at``, apart from the allowed rows
        :meth:`state_members` flags: allowed answers that ran out, refused answers that may have
        lifted (or were computed later or under another version). The engine decides them."""
        cs = consent_state
        ran_out = select(cs.c.subject_id).where(
            cs.c.purpose == purpose_id,
            cs.c.channel == channel,
            cs.c.allowed.is_(True),
            cs.c.valid_until <= at,
        )
        refused = select(cs.c.subject_id).where(
            cs.c.purpose == purpose_id,
            cs.c.channel == channel,
            cs.c.allowed.is_(False),
            or_(
                cs.c.valid_until <= at,
                cs.c.valid_from > at,
                cs.c.policy_version != policy_version,
            ),
        )
        ids = {r[0] for r in self._conn.execute(ran_out)}
        ids.update(r[0] for r in self._conn.execute(refused))
        return sorted(ids)

    def state_ran_out(self, keys: Sequence[tuple[str, str]], at: datetime, limit: int) -> list[str]:
        """Subjects with a stored answer that ran out by ``at`` (index range scans per key)."""
        cs = consent_state
        ids: set[str] = set()
        for purpose_id, channel in keys:
            for allowed in (True, False):
                q = (
                    select(cs.c.subject_id)
                    .where(
                        cs.c.purpose == purpose_id,
                        cs.c.channel == channel,
                        cs.c.allowed.is_(allowed),
                        cs.c.valid_until <= at,
                    )
                    .limit(limit)
                )
                ids.update(r[0] for r in self._conn.execute(q))
        return sorted(ids)[:limit]

    def state_rows(self, subject_id: str) -> list[tuple[Any, ...]]:
        """A subject's stored rows (for tests and diagnostics)."""
        return [
            tuple(r)
            for r in self._conn.execute(
                select(consent_state).where(consent_state.c.subject_id == subject_id)
            )
        ]


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
    f"SELECT {', '.join(_COLUMNS)} FROM consent_events WHERE subject_id = ? "
    "ORDER BY at, recorded_at, id"
)
_I = {name: i for i, name in enumerate(_COLUMNS)}


def _time(value: Any, sqlite: bool) -> datetime | None:
    if value is None:
        return None
    if sqlite:
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


def _event_from_tuple(r: Sequence[Any], sqlite: bool) -> ConsentEvent:
    """:func:`event_from_row` for a driver row in ``_COLUMNS`` order."""
    kind = r[2]
    eid, sid = r[0], r[1]
    at = _time(r[3], sqlite)
    assert at is not None
    if kind == "relationship":
        return RelationshipEventRecorded(eid, sid, RelationshipKind(r[_I["relationship_kind"]]), at)
    if kind == "consent_given":
        return ConsentGiven(
            eid,
            sid,
            r[_I["purpose_id"]],
            at,
            ConsentKind(r[_I["consent_kind"]]),
            ConsentMethod(r[_I["method"]]),
            r[_I["recorded_by"]],
            r[_I["policy_version"]],
            r[_I["language"]] or "en",
            r[_I["evidence_ref"]],
            r[_I["channel"]],
            _time(r[_I["expires_at"]], sqlite),
            bool(r[_I["by_guardian"]]),
        )
    if kind == "consent_withdrawn":
        return ConsentWithdrawn(
            eid, sid, r[_I["purpose_id"]], at, r[_I["recorded_by"]], r[_I["channel"]]
        )
    if kind == "consent_expired":
        return ConsentExpired(eid, sid, r[_I["ref_id"]], at)
    if kind == "consent_renewed":
        return ConsentRenewed(
            eid,
            sid,
            r[_I["ref_id"]],
            at,
            r[_I["recorded_by"]],
            r[_I["policy_version"]],
            _time(r[_I["expires_at"]], sqlite),
        )
    if kind == "gpc_signal":
        return GpcSignalReceived(eid, sid, at)
    if kind == "channel_opted_out":
        return ChannelOptedOut(eid, sid, r[_I["channel"]], at)
    if kind == "channel_opted_in":
        return ChannelOptedIn(eid, sid, r[_I["channel"]], at)
    if kind == "dnc_requested":
        return DoNotCallRequested(eid, sid, r[_I["phone"]], at, _time(r[_I["added_at"]], sqlite))
    raise ValueError(f"unknown consent event type {kind!r}")


_STATE_COLUMNS = (
    "subject_id",
    "purpose",
    "channel",
    "allowed",
    "valid_from",
    "valid_until",
    "answer_until",
    "relied_on",
    "rule",
    "reasons",
    "policy_version",
)


def _decision_row(d: StoredDecision) -> dict[str, Any]:
    return {
        "id": d.id,
        "subject_id": d.subject_id,
        "action": d.action,
        "purpose_id": d.purpose_id,
        "channel": d.channel,
        "recipient_id": d.recipient_id,
        "categories": list(d.categories),
        "asked_at": d.asked_at,
        "decided_at": d.decided_at,
        "allowed": d.allowed,
        "reasons": list(d.reasons),
        "rule": d.rule,
        "relied_on": d.relied_on,
        "valid_until": d.valid_until,
        "policy_version": d.policy_version,
        "requested_by": d.requested_by,
        "language": d.language,
    }
