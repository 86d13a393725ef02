"""The recipients register, the disclosure ledger and written notices in the store.

The ledger is append-only (DIS-1): rows are inserted, never updated. Ledger rows and the
decisions of a bulk disclosure go to the driver as tuples (``bulk.insert_rows``: COPY on
PostgreSQL), so checking and recording 100k subjects stays close to a bare insert.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from confide.adapters.db.bulk import db_time, insert_rows
from confide.adapters.db.tables import decisions, disclosures, notices, recipients, subjects
from confide.domain.decisions import StoredDecision
from confide.domain.disclosure.ledger import DisclosureRecord
from confide.domain.disclosure.recipients import Agreement, ImpactAssessment, Place, Recipient
from confide.domain.disclosure.records import DisclosureFacts, DisclosureNotice, StoredDisclosure

_CHUNK = 900  # ids per IN (...) list: well under every driver's parameter limit

_DISCLOSURE_COLUMNS = (
    "id",
    "subject_id",
    "recipient_id",
    "recipient_class",
    "at",
    "categories",
    "purpose_id",
    "basis",
    "exception_code",
    "consent_kind",
    "relied_on",
    "evidence_ref",
    "decision_id",
    "policy_version",
    "recorded_by",
    "bulk_id",
)

_DECISION_COLUMNS = (
    "id",
    "subject_id",
    "action",
    "purpose_id",
    "channel",
    "recipient_id",
    "categories",
    "asked_at",
    "decided_at",
    "allowed",
    "reasons",
    "rule",
    "relied_on",
    "valid_until",
    "policy_version",
    "requested_by",
    "language",
)


class SqlAlchemyDisclosureRepository:
    """Implements ``confide.services.ports.DisclosureRepository``; never commits."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pg = conn.dialect.name == "postgresql"
        self._times: dict[datetime, Any] = {}

    # --- the recipients register ----------------------------------------------------------------
    def add_recipient(self, recipient: Recipient, created_at: datetime) -> None:
        agreement = recipient.agreement
        assessment = recipient.impact_assessment
        self._conn.execute(
            insert(recipients).values(
                id=recipient.id,
                name=recipient.name,
                class_id=recipient.class_id,
                contact=recipient.contact,
                categories=list(recipient.categories),
                purposes=list(recipient.purposes),
                country=recipient.place.country,
                province=recipient.place.province,
                agreement_ref=agreement.reference if agreement else None,
                agreement_signed=agreement.signed_on if agreement else None,
                agreement_expires=agreement.expires_on if agreement else None,
                safeguards=recipient.safeguards,
                assessment_ref=assessment.reference if assessment else None,
                assessment_date=assessment.done_on if assessment else None,
                created_at=created_at,
            )
        )

    def recipient(self, recipient_id: str) -> Recipient | None:
        row = (
            self._conn.execute(select(recipients).where(recipients.c.id == recipient_id))
            .mappings()
            .first()
        )
        return _recipient(row) if row else None

    def recipient_by_name(self, name: str) -> Recipient | None:
        row = (
            self._conn.execute(select(recipients).where(recipients.c.name == name))
            .mappings()
            .first()
        )
        return _recipient(row) if row else None

    def recipients(self) -> list[Recipient]:
        rows = self._conn.execute(select(recipients).order_by(recipients.c.name)).mappings()
        return [_recipient(r) for r in rows]

    # --- what decisions need about subjects -----------------------------------------------------
    def subject_facts(
        self, subject_ids: Sequence[str], categories: Sequence[str] | None = None
    ) -> dict[str, DisclosureFacts]:
        # The bulk hot path: one query per chunk of ids straight through the driver (no SQL
        # compilation or per-row type processing): each subject's profile, joined with its
        # current categories (only those asked for), one row per category (or one with NULL).
        ids = list(dict.fromkeys(subject_ids))
        out: dict[str, DisclosureFacts] = {}
        if not ids:
            return out
        sqlite = self._conn.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        cats = list(dict.fromkeys(categories)) if categories is not None else None
        if cats == []:
            wanted = " AND 1 = 0"
        elif cats is not None:
            wanted = f" AND p.category IN ({', '.join([mark] * len(cats))})"
        else:
            wanted = ""
        raw: Any = self._conn.connection.dbapi_connection
        cur = raw.cursor()
        try:
            for start in range(0, len(ids), _CHUNK):
                part = ids[start : start + _CHUNK]
                cur.execute(
                    "SELECT s.id, s.subject_type, s.province, s.language, s.birth_date, "
                    "p.category FROM subjects s LEFT OUTER JOIN personal_info p "
                    f"ON p.subject_id = s.id AND p.superseded_at IS NULL{wanted} "
                    f"WHERE s.id IN ({', '.join([mark] * len(part))})",
                    [*(cats or ()), *part],
                )
                found: dict[str, tuple[tuple[Any, ...], set[str]]] = {}
                for sid, stype, province, language, birth, category in cur.fetchall():
                    entry = found.get(sid)
                    if entry is None:
                        entry = found[sid] = ((stype, province, language, birth), set())
                    if category is not None:
                        entry[1].add(category)
                for sid, ((stype, province, language, birth), on_file) in found.items():
                    if sqlite and birth is not None:
                        birth = _date(birth)
                    out[sid] = DisclosureFacts(
                        sid, stype, province, language, birth, frozenset(on_file)
                    )
        finally:
            cur.close()
        return out

    def existing_subjects(self, subject_ids: Sequence[str]) -> set[str]:
        ids = list(dict.fromkeys(subject_ids))
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            part = ids[start : start + _CHUNK]
            found.update(
                self._conn.execute(select(subjects.c.id).where(subjects.c.id.in_(part))).scalars()
            )
        return found

    # --- decisions and the ledger ---------------------------------------------------------------
    def add_decisions(self, items: Sequence[StoredDecision]) -> None:
        t, js = self._time, _json_cache()
        rows = [
            (
                d.id,
                d.subject_id,
                d.action,
                d.purpose_id,
                d.channel,
                d.recipient_id,
                js(d.categories),
                t(d.asked_at),
                t(d.decided_at),
                d.allowed if self._pg else int(d.allowed),
                js(d.reasons),
                d.rule,
                d.relied_on,
                None if d.valid_until is None else t(d.valid_until),
                d.policy_version,
                d.requested_by,
                d.language,
            )
            for d in items
        ]
        insert_rows(self._conn, decisions, _DECISION_COLUMNS, rows)

    def add_disclosures(self, items: Sequence[StoredDisclosure]) -> None:
        t, js = self._time, _json_cache()
        rows = []
        for item in items:
            r = item.record
            consent = r.legal_basis == "consent"
            rows.append(
                (
                    item.id,
                    r.subject_id,
                    r.recipient_id,
                    r.recipient_class,
                    t(r.at),
                    js(r.categories),
                    r.purpose_id,
                    "consent" if consent else "exception",
                    None if consent else r.legal_basis,
                    r.consent_kind,
                    r.relied_on,
                    r.evidence_reference,
                    r.decision_id,
                    r.policy_version,
                    item.recorded_by,
                    item.bulk_id,
                )
            )
        insert_rows(self._conn, disclosures, _DISCLOSURE_COLUMNS, rows)

    def for_subject(self, subject_id: str) -> list[StoredDisclosure]:
        rows = self._conn.execute(
            select(disclosures, recipients.c.name.label("recipient_name"))
            .select_from(
                disclosures.outerjoin(recipients, recipients.c.id == disclosures.c.recipient_id)
            )
            .where(disclosures.c.subject_id == subject_id)
            .order_by(disclosures.c.at, disclosures.c.id)
        ).mappings()
        return [_stored(r) for r in rows]

    def count(self, bulk_id: str | None = None) -> int:
        q = select(func.count()).select_from(disclosures)
        if bulk_id is not None:
            q = q.where(disclosures.c.bulk_id == bulk_id)
        return int(self._conn.execute(q).scalar_one())

    # --- written notices (emergency disclosures) ------------------------------------------------
    def add_notices(self, items: Sequence[DisclosureNotice]) -> None:
        if items:
            self._conn.execute(
                insert(notices),
                [
                    {
                        "id": n.id,
                        "subject_id": n.subject_id,
                        "disclosure_id": n.disclosure_id,
                        "due_at": n.due_at,
                        "done_at": n.done_at,
                    }
                    for n in items
                ],
            )

    def notices(
        self,
        subject_id: str | None = None,
        *,
        open_only: bool = False,
        due_before: datetime | None = None,
        sent_only: bool = False,
    ) -> list[DisclosureNotice]:
        q = (
            select(notices, disclosures.c.at.label("disclosed_at"))
            .select_from(notices.join(disclosures, disclosures.c.id == notices.c.disclosure_id))
            .order_by(notices.c.due_at, notices.c.id)
        )
        if subject_id is not None:
            q = q.where(notices.c.subject_id == subject_id)
        if open_only:
            q = q.where(notices.c.done_at.is_(None))
        if sent_only:
            q = q.where(notices.c.done_at.is_not(None))
        if due_before is not None:
            q = q.where(notices.c.due_at < due_before)
        return [_notice(r) for r in self._conn.execute(q).mappings()]

    def notice(self, notice_id: str) -> DisclosureNotice | None:
        r = (
            self._conn.execute(
                select(notices, disclosures.c.at.label("disclosed_at"))
                .select_from(notices.join(disclosures, disclosures.c.id == notices.c.disclosure_id))
                .where(notices.c.id == notice_id)
            )
            .mappings()
            .first()
        )
        return _notice(r) if r else None

    def close_notice(
        self,
        notice_id: str,
        sent_at: datetime,
        sent_via: str,
        sent_by: str,
        sent_reference: str | None,
    ) -> bool:
        # Only an open notice is closed: two people recording the same letter cannot both win.
        done = self._conn.execute(
            update(notices)
            .where(notices.c.id == notice_id, notices.c.done_at.is_(None))
            .values(
                done_at=sent_at,
                sent_via=sent_via,
                sent_by=sent_by,
                sent_reference=sent_reference,
            )
        )
        return done.rowcount == 1

    def _time(self, at: datetime) -> Any:
        # A bulk's rows share a handful of instants: convert each once.
        found = self._times.get(at)
        if found is None:
            if len(self._times) > 10_000:
                self._times.clear()
            found = self._times[at] = db_time(self._conn, at)
        return found


def _json_cache() -> Callable[[tuple[str, ...]], str]:
    seen: dict[tuple[str, ...], str] = {}

    def dump(values: tuple[str, ...]) -> str:
        text = seen.get(values)
        if text is None:
            text = seen[values] = json.dumps(list(values))
        return text

    return dump


def _notice(r: RowMapping) -> DisclosureNotice:
    return DisclosureNotice(
        r["id"],
        r["subject_id"],
        r["disclosure_id"],
        r["due_at"],
        r["done_at"],
        r["sent_via"],
        r["sent_by"],
        r["sent_reference"],
        r["disclosed_at"],
    )


def _recipient(r: RowMapping) -> Recipient:
    agreement = None
    if r["agreement_ref"] is not None and r["agreement_signed"] is not None:
        agreement = Agreement(r["agreement_ref"], r["agreement_signed"], r["agreement_expires"])
    assessment = None
    if r["assessment_ref"] is not None and r["assessment_date"] is not None:
        assessment = ImpactAssessment(r["assessment_ref"], _date(r["assessment_date"]))
    return Recipient(
        id=r["id"],
        name=r["name"],
        class_id=r["class_id"],
        place=Place(r["country"], r["province"]),
        contact=r["contact"],
        categories=tuple(r["categories"]),
        purposes=tuple(r["purposes"]),
        agreement=agreement,
        safeguards=r["safeguards"],
        impact_assessment=assessment,
    )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _stored(r: RowMapping) -> StoredDisclosure:
    record = DisclosureRecord(
        decision_id=r["decision_id"],
        subject_id=r["subject_id"],
        recipient_class=r["recipient_class"],
        at=r["at"],
        categories=tuple(r["categories"]),
        purpose_id=r["purpose_id"],
        legal_basis=r["exception_code"] if r["basis"] == "exception" else "consent",
        recipient_id=r["recipient_id"],
        recipient_name=r["recipient_name"],
        consent_kind=r["consent_kind"],
        relied_on=r["relied_on"],
        evidence_reference=r["evidence_ref"],
        policy_version=r["policy_version"],
    )
    return StoredDisclosure(r["id"], record, r["recorded_by"], r["bulk_id"])
