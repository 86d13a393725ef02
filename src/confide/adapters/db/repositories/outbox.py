"""The outbox in the store: messages (payload sealed: addresses, subject lines, bodies, values),
attempts, statements of disagreement (sealed), recipients' correction endpoints.

``add`` is an insert-or-ignore on the idempotency key (``ON CONFLICT DO NOTHING`` on SQLite and
PostgreSQL): a job run twice adds its message once, even when both runs race.

The claim is a compare-and-set ``UPDATE ... WHERE claimed_by IS NULL OR claim_until < now``
committed before the delivery: the same on SQLite and PostgreSQL, and two workers can never
both see one row updated by their own statement.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import Any, cast

from sqlalchemy import Connection, Insert, RowMapping, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from confide.adapters.db.bulk import db_time, insert_rows
from confide.adapters.db.tables import (
    correction_endpoints,
    disagreements,
    outbox_attempts,
    outbox_messages,
)
from confide.domain.ids import new_id
from confide.domain.outbox import (
    BulkNotices,
    Channel,
    DeliveryAttempt,
    DeliveryState,
    Disagreement,
    OutboxKind,
    OutboxMessage,
    TargetType,
)
from confide.services.ports.common import Cipher
from confide.services.ports.outbox import SealedRows

_PAYLOAD_AAD = b"outbox_messages:"
_STATEMENT_AAD = b"disagreements:"
_SECRET_AAD = b"correction_endpoints:"
SECRET_PREFIX = "whsec_"


_COLUMNS = (
    "id",
    "kind",
    "target_type",
    "target_id",
    "subject_id",
    "category",
    "correction_id",
    "request_id",
    "payload_sealed",
    "state",
    "attempts",
    "max_attempts",
    "next_attempt_at",
    "last_error",
    "last_attempt_at",
    "delivered_at",
    "created_at",
    "claimed_by",
    "claim_until",
    "channel",
    "idempotency_key",
)
"""Every column of ``outbox_messages``, in the order rows are written."""


_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)
_json_text = functools.lru_cache(maxsize=64)(encode_basestring_ascii)


def payload_json(payload: dict[str, object]) -> bytes:
    """``json.dumps(payload, separators=(",", ":"), sort_keys=True)``, with long strings
    encoded once per bulk: the notices of one incident share their subject line and text."""
    parts = []
    for key in sorted(payload):
        value = payload[key]
        if isinstance(value, str):
            encoded = _json_text(value) if len(value) > 200 else encode_basestring_ascii(value)
        else:
            encoded = _ENCODER.encode(value)
        parts.append(f"{encode_basestring_ascii(key)}:{encoded}")
    return ("{" + ",".join(parts) + "}").encode()


def new_signing_secret() -> str:
    """A webhook signing secret: 32 random bytes, URL-safe base64, with a recognisable prefix."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class SqlAlchemyOutboxRepository:
    """Implements ``confide.services.ports.OutboxRepository``; never commits."""

    def __init__(self, conn: Connection, cipher: Cipher) -> None:
        self._conn = conn
        self._cipher = cipher

    # --- messages ---------------------------------------------------------------------------------
    def add_messages(self, messages: Sequence[OutboxMessage]) -> None:
        self.add_sealed(self.seal_messages(messages))

    def seal_messages(self, messages: Sequence[OutboxMessage]) -> list[tuple[Any, ...]]:
        # Below SQLAlchemy's per-row type processing: a bulk of notices is one COPY on
        # PostgreSQL. Times go in the form the UtcDateTime column stores them; a bulk shares a
        # few instants, each converted once. Nothing here touches the connection: a caller
        # may seal in another thread.
        stored: dict[datetime, Any] = {}

        def time(at: datetime) -> Any:
            found = stored.get(at)
            if found is None:
                found = stored[at] = db_time(self._conn, at)  # reads the dialect's name only
            return found

        return [self._values(m, time) for m in messages]

    def seal_bulk(self, notices: BulkNotices) -> list[tuple[Any, ...]]:
        """The rows of a bulk of notices, each one the row :meth:`seal_messages` writes for
        ``notices.message(n)``: the payload's JSON is put together from the texts' encoded
        once and each person's own parts. No use of the connection (a thread may call it)."""
        at = db_time(self._conn, notices.at)
        heads = {
            variant: (
                '{"language":' + encode_basestring_ascii(language) + ',"message_id":',
                ',"subject":' + _json_text(title) + ',"text":' + _json_text(text),
            )
            for variant, (title, text, language) in notices.texts.items()
        }
        kind, target_type = notices.kind.value, notices.target_type.value
        pending, tries = DeliveryState.PENDING.value, notices.max_attempts
        email, letter = Channel.EMAIL.value, Channel.LETTER.value
        encrypt = self._cipher.encrypt
        rows = []
        for mid, subject_id, variant, to, key, mail_id in notices.people:
            head, texts = heads[variant]
            tail = "}" if to is None else ',"to":' + encode_basestring_ascii(to) + "}"
            payload = (head + encode_basestring_ascii(mail_id) + texts + tail).encode()
            rows.append(
                (
                    mid,
                    kind,
                    target_type,
                    subject_id,
                    subject_id,
                    None,
                    None,
                    None,
                    encrypt(payload, _PAYLOAD_AAD + mid.encode()),
                    pending,
                    0,
                    tries,
                    None if to is None else at,  # a letter waits for staff, not a worker
                    None,
                    None,
                    None,
                    at,
                    None,
                    None,
                    letter if to is None else email,
                    key,
                )
            )
        return rows

    def add_sealed(self, rows: SealedRows) -> None:
        # What seal_messages returned: a list of row tuples.
        insert_rows(self._conn, outbox_messages, _COLUMNS, cast(list[tuple[Any, ...]], rows))

    def add(self, message: OutboxMessage) -> bool:
        if message.idempotency_key is None:
            self._conn.execute(insert(outbox_messages), self._row(message))
            return True
        dialect = self._conn.dialect.name
        stmt: Insert
        if dialect == "postgresql":
            stmt = postgresql.insert(outbox_messages).on_conflict_do_nothing(
                index_elements=["idempotency_key"]
            )
        elif dialect == "sqlite":
            stmt = sqlite.insert(outbox_messages).on_conflict_do_nothing(
                index_elements=["idempotency_key"]
            )
        else:  # another database: look first (the unique index still refuses a racing twin)
            if self.by_key(message.idempotency_key) is not None:
                return False
            stmt = insert(outbox_messages)
        # RETURNING says whether the row went in (rowcount is not reliable for ON CONFLICT).
        found = self._conn.execute(stmt.returning(outbox_messages.c.id), self._row(message))
        return found.first() is not None

    def by_key(self, key: str) -> OutboxMessage | None:
        row = (
            self._conn.execute(
                select(outbox_messages).where(outbox_messages.c.idempotency_key == key)
            )
            .mappings()
            .first()
        )
        return self._message(row) if row else None

    def get(self, message_id: str) -> OutboxMessage | None:
        row = (
            self._conn.execute(select(outbox_messages).where(outbox_messages.c.id == message_id))
            .mappings()
            .first()
        )
        return self._message(row) if row else None

    def messages(
        self,
        *,
        state: DeliveryState | None = None,
        subject_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        channel: Channel | None = None,
    ) -> list[OutboxMessage]:
        q = select(outbox_messages)
        if state is not None:
            q = q.where(outbox_messages.c.state == state.value)
        if channel is not None:
            q = q.where(outbox_messages.c.channel == channel.value)
        if subject_id is not None:
            q = q.where(outbox_messages.c.subject_id == subject_id)
        q = q.order_by(outbox_messages.c.id).offset(offset).limit(limit)
        return [self._message(r) for r in self._conn.execute(q).mappings()]

    def count(self, state: DeliveryState | None = None) -> int:
        q = select(func.count()).select_from(outbox_messages)
        if state is not None:
            q = q.where(outbox_messages.c.state == state.value)
        return int(self._conn.execute(q).scalar_one())

    def due(self, at: datetime, limit: int) -> list[str]:
        t = outbox_messages.c
        q = (
            select(t.id)
            .where(
                t.state == DeliveryState.PENDING.value,
                t.next_attempt_at <= at,
                or_(t.claimed_by.is_(None), t.claim_until < at),
            )
            .order_by(t.next_attempt_at, t.id)
            .limit(limit)
        )
        return [i for (i,) in self._conn.execute(q)]

    def next_due_at(self) -> datetime | None:
        t = outbox_messages.c
        found = self._conn.execute(
            select(func.min(t.next_attempt_at)).where(t.state == DeliveryState.PENDING.value)
        ).scalar_one_or_none()
        return found if isinstance(found, datetime) else None

    def claim(self, message_id: str, worker: str, at: datetime, until: datetime) -> bool:
        t = outbox_messages.c
        result = self._conn.execute(
            update(outbox_messages)
            .where(
                t.id == message_id,
                t.state == DeliveryState.PENDING.value,
                t.next_attempt_at <= at,
                or_(t.claimed_by.is_(None), t.claim_until < at),
            )
            .values(claimed_by=worker, claim_until=until)
        )
        return result.rowcount == 1

    def record_attempt(
        self,
        attempt: DeliveryAttempt,
        state: DeliveryState,
        next_attempt_at: datetime | None,
        worker: str,
    ) -> bool:
        t = outbox_messages.c
        result = self._conn.execute(
            update(outbox_messages)
            .where(
                t.id == attempt.message_id,
                t.claimed_by == worker,
                t.state == DeliveryState.PENDING.value,
            )
            .values(
                state=state.value,
                attempts=t.attempts + 1,
                next_attempt_at=next_attempt_at,
                last_error=attempt.error,
                last_attempt_at=attempt.at,
                delivered_at=attempt.at if state is DeliveryState.DELIVERED else None,
                claimed_by=None,
                claim_until=None,
            )
        )
        if result.rowcount != 1:
            return False
        self._insert_attempt(attempt, worker)
        return True

    def _insert_attempt(self, attempt: DeliveryAttempt, worker: str) -> None:
        self._conn.execute(
            insert(outbox_attempts).values(
                id=new_id("oba", attempt.at),
                message_id=attempt.message_id,
                number=attempt.number,
                at=attempt.at,
                channel=attempt.channel.value,
                outcome="delivered" if attempt.delivered else "failed",
                error=attempt.error,
                status=attempt.status,
                worker=worker[:80],
            )
        )

    def mark_posted(self, attempt: DeliveryAttempt, by: str) -> bool:
        t = outbox_messages.c
        result = self._conn.execute(
            update(outbox_messages)
            .where(
                t.id == attempt.message_id,
                t.channel == Channel.LETTER.value,
                t.state == DeliveryState.PENDING.value,
            )
            .values(
                state=DeliveryState.DELIVERED.value,
                attempts=t.attempts + 1,
                next_attempt_at=None,
                last_error=None,
                last_attempt_at=attempt.at,
                delivered_at=attempt.at,
            )
        )
        if result.rowcount != 1:
            return False
        self._insert_attempt(attempt, by)
        return True

    def attempts(self, message_id: str) -> list[DeliveryAttempt]:
        t = outbox_attempts.c
        rows = self._conn.execute(
            select(outbox_attempts).where(t.message_id == message_id).order_by(t.number, t.id)
        ).mappings()
        return [
            DeliveryAttempt(
                message_id=r["message_id"],
                number=r["number"],
                at=r["at"],
                channel=Channel(r["channel"]),
                delivered=r["outcome"] == "delivered",
                error=r["error"],
                status=r["status"],
            )
            for r in rows
        ]

    def retry(self, message_id: str, at: datetime, extra_attempts: int) -> None:
        t = outbox_messages.c
        self._conn.execute(
            update(outbox_messages)
            .where(t.id == message_id)
            .values(
                state=DeliveryState.PENDING.value,
                max_attempts=t.attempts + extra_attempts,
                next_attempt_at=at,
                claimed_by=None,
                claim_until=None,
            )
        )

    # --- statements of disagreement -------------------------------------------------------------
    def add_disagreement(self, item: Disagreement) -> None:
        self._conn.execute(
            insert(disagreements).values(
                id=item.id,
                subject_id=item.subject_id,
                category=item.category,
                statement_sealed=self._cipher.encrypt(
                    item.statement.encode(), _STATEMENT_AAD + item.id.encode()
                ),
                request_id=item.request_id,
                recorded_by=item.recorded_by,
                recorded_at=item.recorded_at,
            )
        )

    def disagreements(self, subject_id: str) -> list[Disagreement]:
        t = disagreements.c
        rows = self._conn.execute(
            select(disagreements).where(t.subject_id == subject_id).order_by(t.recorded_at, t.id)
        ).mappings()
        return [
            Disagreement(
                id=r["id"],
                subject_id=r["subject_id"],
                category=r["category"],
                statement=self._cipher.decrypt(
                    bytes(r["statement_sealed"]), _STATEMENT_AAD + r["id"].encode()
                ).decode(),
                recorded_at=r["recorded_at"],
                recorded_by=r["recorded_by"],
                request_id=r["request_id"],
            )
            for r in rows
        ]

    # --- correction endpoints -------------------------------------------------------------------
    def set_endpoint(self, recipient_id: str, webhook_url: str | None, at: datetime) -> None:
        t = correction_endpoints.c
        self._conn.execute(delete(correction_endpoints).where(t.recipient_id == recipient_id))
        if webhook_url is not None:
            # A new URL gets a new signing secret (setting it again rotates the secret).
            secret = new_signing_secret()
            self._conn.execute(
                insert(correction_endpoints).values(
                    recipient_id=recipient_id,
                    webhook_url=webhook_url,
                    secret_sealed=self._cipher.encrypt(
                        secret.encode(), _SECRET_AAD + recipient_id.encode()
                    ),
                    updated_at=at,
                )
            )

    def endpoint(self, recipient_id: str) -> str | None:
        t = correction_endpoints.c
        found = self._conn.execute(
            select(t.webhook_url).where(t.recipient_id == recipient_id)
        ).scalar_one_or_none()
        return str(found) if found is not None else None

    def signing_secret(self, recipient_id: str) -> str | None:
        t = correction_endpoints.c
        found = self._conn.execute(
            select(t.secret_sealed).where(t.recipient_id == recipient_id)
        ).scalar_one_or_none()
        if found is None:
            return None
        return self._cipher.decrypt(bytes(found), _SECRET_AAD + recipient_id.encode()).decode()

    # --- rows -----------------------------------------------------------------------------------
    def _values(self, m: OutboxMessage, time: Callable[[datetime], Any]) -> tuple[Any, ...]:
        """The row of ``m`` in :data:`_COLUMNS` order, its payload sealed, its times through
        ``time``."""
        sealed = self._cipher.encrypt(payload_json(m.payload), _PAYLOAD_AAD + m.id.encode())
        return (
            m.id,
            m.kind.value,
            m.target_type.value,
            m.target_id,
            m.subject_id,
            m.category,
            m.correction_id,
            m.request_id,
            sealed,
            m.state.value,
            m.attempts,
            m.max_attempts,
            None if m.next_attempt_at is None else time(m.next_attempt_at),
            m.last_error,
            None if m.last_attempt_at is None else time(m.last_attempt_at),
            None if m.delivered_at is None else time(m.delivered_at),
            time(m.created_at),
            None,
            None,
            m.channel.value if m.channel else None,
            m.idempotency_key,
        )

    def _row(self, m: OutboxMessage) -> dict[str, Any]:
        return dict(zip(_COLUMNS, self._values(m, lambda t: t), strict=True))

    def _message(self, r: RowMapping) -> OutboxMessage:
        payload = json.loads(
            self._cipher.decrypt(bytes(r["payload_sealed"]), _PAYLOAD_AAD + r["id"].encode())
        )
        return OutboxMessage(
            id=r["id"],
            kind=OutboxKind(r["kind"]),
            target_type=TargetType(r["target_type"]),
            target_id=r["target_id"],
            subject_id=r["subject_id"],
            category=r["category"],
            payload=payload if isinstance(payload, dict) else {},
            created_at=r["created_at"],
            next_attempt_at=r["next_attempt_at"],
            state=DeliveryState(r["state"]),
            attempts=r["attempts"],
            max_attempts=r["max_attempts"],
            last_error=r["last_error"],
            last_attempt_at=r["last_attempt_at"],
            delivered_at=r["delivered_at"],
            correction_id=r["correction_id"],
            request_id=r["request_id"],
            channel=Channel(r["channel"]) if r["channel"] else None,
            idempotency_key=r["idempotency_key"],
        )
