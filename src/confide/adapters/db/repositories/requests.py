"""Requests and one-time codes (ACC-1..11); personal values sealed with the Cipher.

State changes are compare-and-set on the state (``save(..., expected=...)``): two workers running
the periodic clock job at once cannot both deem the same request refused.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from confide.adapters.db.tables import access_requests, verification_codes
from confide.domain.requests.model import (
    AccessRequest,
    AuthorityKind,
    Channel,
    CorrectionAsk,
    Extension,
    Fee,
    Outcome,
    PendingIntake,
    Representative,
    RequestKind,
    RequestState,
    Verification,
    VerificationCode,
    VerificationMethod,
)
from confide.services.ports.common import Cipher


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqlAlchemyRequestRepository:
    """Implements ``RequestRepository``; never commits (the unit of work does)."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    # --- sealing ----------------------------------------------------------------------------------
    def _seal(self, request_id: str, field: str, value: object) -> bytes | None:
        if value is None:
            return None
        aad = f"access_requests:{request_id}:{field}".encode()
        return self._cipher.encrypt(json.dumps(value).encode(), aad)

    def _open(self, request_id: str, field: str, blob: Any) -> Any:
        if blob is None:
            return None
        aad = f"access_requests:{request_id}:{field}".encode()
        return json.loads(self._cipher.decrypt(bytes(blob), aad))

    # --- requests ----------------------------------------------------------------------------------
    def add(self, request: AccessRequest, intake: PendingIntake | None = None) -> None:
        """Add ``request``; ``intake`` (an individual's own request, not matched yet) is kept
        sealed until :meth:`record_match` or :meth:`expire` disposes of it."""
        sealed = None
        if intake is not None:
            sealed = self._seal(
                request.id, "intake", {"identifier": intake.identifier, "language": intake.language}
            )
        self._conn.execute(
            insert(access_requests),
            {
                "id": request.id,
                **self._values(request),
                **self._fixed(request),
                "intake_sealed": sealed,
            },
        )

    def pending_intake(self, request_id: str) -> PendingIntake | None:
        blob = self._conn.execute(
            select(access_requests.c.intake_sealed).where(access_requests.c.id == request_id)
        ).scalar_one_or_none()
        data = self._open(request_id, "intake", blob)
        if not isinstance(data, dict):
            return None
        return PendingIntake(str(data["identifier"]), data.get("language"))

    def awaiting_intake(self, received_before: datetime, limit: int = 1000) -> list[str]:
        """Ids of requests awaiting identity not matched yet, received at or before the time given."""
        a = access_requests.c
        q = (
            select(a.id)
            .where(
                a.state == RequestState.AWAITING_IDENTITY.value,
                a.intake_sealed.is_not(None),
                a.received_at <= received_before,
            )
            .order_by(a.received_at, a.id)
            .limit(limit)
        )
        return [str(r) for r in self._conn.execute(q).scalars()]

    def record_match(self, request: AccessRequest) -> bool:
        """Write what matching found (the subject, if any; its time zone, province, language and
        due date) and dispose of the sealed intake, only if the request is still awaiting
        identity and not matched yet (compare-and-set: two matchers match it once)."""
        a = access_requests.c
        result = self._conn.execute(
            update(access_requests)
            .where(
                a.id == request.id,
                a.state == RequestState.AWAITING_IDENTITY.value,
                a.intake_sealed.is_not(None),
            )
            .values(
                subject_id=request.subject_id,
                time_zone=request.time_zone,
                province=request.province,
                language=request.language,
                due_on=request.due_on,
                intake_sealed=None,
            )
        )
        return result.rowcount == 1

    def expire(self, request_id: str, *, dispose: bool) -> bool:
        """Mark a request still awaiting identity ``expired``; with ``dispose``, what it carried
        goes too: the identifier typed, the subject it matched (and their province), the note,
        the representative and the requested correction. False when it was no longer awaiting
        identity."""
        a = access_requests.c
        values: dict[str, Any] = {"state": RequestState.EXPIRED.value}
        if dispose:
            values |= {
                "intake_sealed": None,
                "subject_id": None,
                "province": None,
                "note_sealed": None,
                "representative_sealed": None,
                "correction_category": None,
                "correction_sealed": None,
            }
        result = self._conn.execute(
            update(access_requests)
            .where(a.id == request_id, a.state == RequestState.AWAITING_IDENTITY.value)
            .values(**values)
        )
        return result.rowcount == 1

    def save(self, request: AccessRequest, *, expected: RequestState) -> bool:
        """Write the request's mutable fields if its stored state is still ``expected``."""
        result = self._conn.execute(
            update(access_requests)
            .where(access_requests.c.id == request.id, access_requests.c.state == expected.value)
            .values(**self._values(request))
        )
        return result.rowcount == 1

    def get(self, request_id: str) -> AccessRequest | None:
        row = (
            self._conn.execute(select(access_requests).where(access_requests.c.id == request_id))
            .mappings()
            .first()
        )
        return self._request(row) if row else None

    def listing(
        self,
        *,
        states: Collection[RequestState] | None = None,
        due_until: date | None = None,
        subject_id: str | None = None,
        received_before: datetime | None = None,
        limit: int = 500,
    ) -> list[AccessRequest]:
        q = select(access_requests)
        if received_before is not None:
            q = q.where(access_requests.c.received_at < received_before)
        if states is not None:
            q = q.where(access_requests.c.state.in_([s.value for s in states]))
        if subject_id is not None:
            q = q.where(access_requests.c.subject_id == subject_id)
        if due_until is not None:
            # The effective due date may be the extended one: filter on the first due date
            # (always earlier or equal), the service filters precisely.
            q = q.where(access_requests.c.due_on <= due_until)
        q = q.order_by(access_requests.c.due_on, access_requests.c.id).limit(limit)
        return [self._request(r) for r in self._conn.execute(q).mappings()]

    def set_file(self, request_id: str, data: dict[str, object] | None, at: datetime) -> None:
        self._conn.execute(
            update(access_requests)
            .where(access_requests.c.id == request_id)
            .values(file_sealed=self._seal(request_id, "file", data), file_prepared_at=at)
        )

    def file(self, request_id: str) -> dict[str, object] | None:
        blob = self._conn.execute(
            select(access_requests.c.file_sealed).where(access_requests.c.id == request_id)
        ).scalar_one_or_none()
        data = self._open(request_id, "file", blob)
        return data if isinstance(data, dict) else None

    def _fixed(self, r: AccessRequest) -> dict[str, Any]:
        return {
            "kind": r.kind.value,
            "channel": r.channel.value,
            "subject_id": r.subject_id,
            "identifier_kind": r.identifier_kind,
            "received_at": r.received_at,
            "time_zone": r.time_zone,
            "province": r.province,
            "language": r.language,
            "recorded_by": r.recorded_by,
            "correction_category": r.correction.category if r.correction else None,
            "correction_sealed": self._seal(r.id, "correction", r.correction.value)
            if r.correction
            else None,
            "note_sealed": self._seal(r.id, "note", r.note),
            "released_incomplete": r.released_incomplete,
        }

    def _values(self, r: AccessRequest) -> dict[str, Any]:
        rep = r.representative
        v = r.verification
        e = r.extension
        return {
            "due_on": r.due_on,
            "state": r.state.value,
            "representative_sealed": self._seal(
                r.id,
                "representative",
                None
                if rep is None
                else {
                    "name": rep.name,
                    "authority": rep.authority.value,
                    "document_ref": rep.document_ref,
                    "subject_id": rep.subject_id,
                    "checked_by": rep.checked_by,
                    "checked_at": rep.checked_at.isoformat() if rep.checked_at else None,
                },
            ),
            "fee": {
                "amount_cents": r.fee.amount_cents,
                "estimated_at": r.fee.estimated_at.isoformat() if r.fee.estimated_at else None,
                "accepted_at": r.fee.accepted_at.isoformat() if r.fee.accepted_at else None,
            },
            "verification": None
            if v is None
            else {"method": v.method.value, "at": v.at.isoformat(), "by": v.by, "how": v.how},
            "extension": None
            if e is None
            else {
                "new_due": e.new_due.isoformat(),
                "reason": e.reason,
                "notice_sent_at": e.notice_sent_at.isoformat(),
                "by": e.by,
            },
            "outcome": r.outcome.value if r.outcome else None,
            "reasons_sealed": self._seal(r.id, "reasons", list(r.reasons)) if r.reasons else None,
            "released_incomplete": r.released_incomplete,
            "responded_at": r.responded_at,
            "reminders": list(r.reminders_sent),
            "escalated_at": r.escalated_at,
            "closed_at": r.closed_at,
        }

    def _request(self, row: Any) -> AccessRequest:
        rid = row["id"]
        rep = self._open(rid, "representative", row["representative_sealed"])
        fee = row["fee"] or {}
        v = row["verification"]
        e = row["extension"]
        category = row["correction_category"]
        return AccessRequest(
            id=rid,
            kind=RequestKind(row["kind"]),
            channel=Channel(row["channel"]),
            subject_id=row["subject_id"],
            identifier_kind=row["identifier_kind"],
            received_at=row["received_at"],
            due_on=row["due_on"],
            time_zone=row["time_zone"],
            province=row["province"],
            language=row["language"],
            state=RequestState(row["state"]),
            recorded_by=row["recorded_by"],
            representative=None
            if rep is None
            else Representative(
                name=rep["name"],
                authority=AuthorityKind(rep["authority"]),
                document_ref=rep["document_ref"],
                subject_id=rep["subject_id"],
                checked_by=rep["checked_by"],
                checked_at=_time(rep["checked_at"]),
            ),
            correction=None
            if category is None
            else CorrectionAsk(category, self._open(rid, "correction", row["correction_sealed"])),
            fee=Fee(
                amount_cents=int(fee.get("amount_cents", 0)),
                estimated_at=_time(fee.get("estimated_at")),
                accepted_at=_time(fee.get("accepted_at")),
            ),
            verification=None
            if v is None
            else Verification(
                VerificationMethod(v["method"]), datetime.fromisoformat(v["at"]), v["by"], v["how"]
            ),
            extension=None
            if e is None
            else Extension(
                date.fromisoformat(e["new_due"]),
                e["reason"],
                datetime.fromisoformat(e["notice_sent_at"]),
                e["by"],
            ),
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
            reasons=tuple(self._open(rid, "reasons", row["reasons_sealed"]) or ()),
            released_incomplete=bool(row["released_incomplete"]),
            responded_at=row["responded_at"],
            reminders_sent=tuple(int(d) for d in row["reminders"] or ()),
            escalated_at=row["escalated_at"],
            closed_at=row["closed_at"],
            note=self._open(rid, "note", row["note_sealed"]),
        )

    # --- one-time codes ----------------------------------------------------------------------------
    def add_code(self, code: VerificationCode) -> None:
        self._conn.execute(
            insert(verification_codes),
            {
                "id": code.id,
                "request_id": code.request_id,
                "subject_id": code.subject_id,
                "address_hash": code.address_hash,
                "code_hash": code.code_hash,
                "key_sealed": self._cipher.encrypt(code.mac_key, f"code:{code.id}".encode()),
                "created_at": code.created_at,
                "expires_at": code.expires_at,
                "attempts": code.attempts,
                "used_at": code.used_at,
            },
        )

    def latest_code(self, request_id: str) -> VerificationCode | None:
        row = (
            self._conn.execute(
                select(verification_codes)
                .where(verification_codes.c.request_id == request_id)
                # An unused code first: a code already used (the intake's) never shadows a newer
                # one issued in the same millisecond (e.g. the download code).
                .order_by(
                    verification_codes.c.used_at.is_(None).desc(),
                    verification_codes.c.created_at.desc(),
                    verification_codes.c.id.desc(),
                )
                .limit(1)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return VerificationCode(
            id=row["id"],
            request_id=row["request_id"],
            subject_id=row["subject_id"],
            address_hash=row["address_hash"],
            code_hash=row["code_hash"],
            mac_key=self._cipher.decrypt(bytes(row["key_sealed"]), f"code:{row['id']}".encode()),
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            attempts=row["attempts"],
            used_at=row["used_at"],
        )

    def take_attempt(self, code_id: str, max_attempts: int) -> int | None:
        """Count one try at the code, atomically: only while fewer than ``max_attempts`` were
        counted and the code is unused. Returns the tries counted now (this one included), or
        None when none is left (the caller then compares nothing).

        One ``UPDATE ... RETURNING``: PostgreSQL re-checks the condition on the row it waited
        for, SQLite (3.35 or newer) runs writers one at a time, so concurrent guesses cannot all
        read the same count."""
        taken = self._conn.execute(
            update(verification_codes)
            .where(
                verification_codes.c.id == code_id,
                verification_codes.c.attempts < max_attempts,
                verification_codes.c.used_at.is_(None),
            )
            .values(attempts=verification_codes.c.attempts + 1)
            .returning(verification_codes.c.attempts)
        ).scalar_one_or_none()
        return None if taken is None else int(taken)

    def use_code(self, code_id: str, at: datetime) -> bool:
        """Mark the code used, once: False when it was already used."""
        result = self._conn.execute(
            update(verification_codes)
            .where(verification_codes.c.id == code_id, verification_codes.c.used_at.is_(None))
            .values(used_at=at)
        )
        return result.rowcount == 1

    def delete_codes(self, request_id: str) -> int:
        """Delete the request's codes (an expired request's); returns how many."""
        result = self._conn.execute(
            delete(verification_codes).where(verification_codes.c.request_id == request_id)
        )
        return int(result.rowcount)

    def codes_since(
        self, since: datetime, *, subject_id: str | None = None, address_hash: str | None = None
    ) -> int:
        q = select(func.count()).select_from(verification_codes)
        q = q.where(verification_codes.c.created_at >= since)
        if subject_id is not None:
            q = q.where(verification_codes.c.subject_id == subject_id)
        if address_hash is not None:
            q = q.where(verification_codes.c.address_hash == address_hash)
        return int(self._conn.execute(q).scalar_one())
