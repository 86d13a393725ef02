"""The consent read model in the store (``consent_state``): the engine's answers per subject,
purpose and channel, replaced whenever the subject's ledger changes, and its rebuilds.

Written only from rows ``domain.consent.readmodel.ReadModelPlan`` computed; read by
audiences (``state_members``, ``state_rechecks``) and by the periodic upkeep
(``state_ran_out``). See ``docs/consent.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from confide.adapters.db.bulk import db_json, db_time, insert_rows
from confide.adapters.db.repositories.consent._driver import Store
from confide.adapters.db.tables import (
    consent_state,
    consent_state_builds,
    subject_identifiers,
    subjects,
)
from confide.domain.consent.events import SubjectProfile
from confide.domain.consent.readmodel import StateRow


class SqlAlchemyConsentStateRows(Store):
    """The ``consent_state`` rows and ``consent_state_builds``, and what recomputing them reads."""

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
