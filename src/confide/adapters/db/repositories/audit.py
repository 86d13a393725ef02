"""The audit log in the store: entries, their Merkle tree, checkpoints and payload keys.

Invariants:

* **Same transaction.** Entries are appended in the caller's unit of work, so a change and
  its entry commit or roll back together.
* **One total order.** Every append first locks the single ``audit_head`` row
  (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write lock, taken by ``BEGIN
  IMMEDIATE``, does the same), reads the size, and writes entries ``size .. size+k-1``:
  several API processes on one PostgreSQL database never give two entries one position
  and never leave a gap.
* **The tree is kept, not recomputed.** Complete-subtree hashes live in ``audit_nodes``
  (RFC 9162 hashing, ``confide.domain.audit.merkle``); an append writes only new nodes,
  and any past root or proof reads ``O(log n)`` of them. Level 0 holds the leaf hashes.
* **No personal information in clear.** An entry holds ids and a sealed payload: the
  details are encrypted with a per-subject data key (wrapped by the key ring) that can be
  destroyed. The leaf commits to the SHA-256 of the ciphertext, so erasing a person (the
  key) never changes a leaf and never breaks verification.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, RowMapping, and_, insert, or_, select, update

from confide.adapters.db.bulk import db_time, insert_rows
from confide.adapters.db.tables import (
    audit_checkpoints,
    audit_entries,
    audit_head,
    audit_nodes,
    payload_keys,
)
from confide.domain.audit.entry import AuditEntry, EncryptedPayload
from confide.domain.audit.merkle import LEAF_PREFIX, MerkleTree, NodeKey, NodeRun
from confide.domain.audit.records import AuditRecord, StoredCheckpoint
from confide.services.ports.common import Cipher

SYSTEM_KEY_OWNER = "system"


class PayloadKeyCache:
    """Unwrapped payload keys by key id, shared by the units of work of one process.

    Which key belongs to which subject is always read from the store (so a key destroyed
    by another process is never used again); only the unwrapping is cached.
    """

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key_id: str) -> bytes | None:
        return self._keys.get(key_id)

    def put(self, key_id: str, key: bytes) -> None:
        with self._lock:
            if len(self._keys) > 100_000:
                self._keys.clear()
            self._keys[key_id] = key

    def forget(self, key_id: str) -> None:
        with self._lock:
            self._keys.pop(key_id, None)


class DbNodeStore:
    """``NodeStore`` over the ``audit_nodes`` table, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_many(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        wanted = list(dict.fromkeys(keys))
        out: dict[NodeKey, bytes] = {}
        for start in range(0, len(wanted), 200):
            chunk = wanted[start : start + 200]
            cond = or_(
                *[and_(audit_nodes.c.level == lv, audit_nodes.c.idx == ix) for lv, ix in chunk]
            )
            for level, idx, digest in self._conn.execute(
                select(audit_nodes.c.level, audit_nodes.c.idx, audit_nodes.c.hash).where(cond)
            ):
                out[(int(level), int(idx))] = bytes(digest)
        return out

    def put_many(self, runs: Sequence[NodeRun]) -> None:
        rows = [
            (level, i, digest)
            for level, first, hashes in runs
            for i, digest in enumerate(hashes, first)
        ]
        insert_rows(self._conn, audit_nodes, ("level", "idx", "hash"), rows)


_ENTRY_COLUMNS = (
    "seq",
    "recorded_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "policy_version",
    "subject_id",
    "key_id",
    "payload_digest",
    "payload",
)


def audit_actor(actor: str) -> str:
    """Entries name actors as ``system`` or ``<kind>:<id>``; staff ids get ``staff:``."""
    return actor if actor == "system" or ":" in actor else f"staff:{actor}"


class SqlAlchemyAuditLog:
    """Implements ``confide.services.ports.AuditLog``."""

    def __init__(self, conn: Connection, cipher: Cipher, keys: PayloadKeyCache) -> None:
        self._conn = conn
        self._cipher = cipher
        self._keys = keys

    # --- appending ---------------------------------------------------------------------------
    def record(self, entry: AuditRecord) -> None:
        self.record_many([entry])

    def record_many(self, entries: Sequence[AuditRecord]) -> None:
        if not entries:
            return
        size = self._lock_head()
        owners = {e.subject_id or SYSTEM_KEY_OWNER for e in entries}
        keys = self._keys_for(owners, entries[0].at)
        rows: list[tuple[object, ...]] = []
        leaves: list[bytes] = []
        aead = {owner: (key_id, AESGCM(key)) for owner, (key_id, key) in keys.items()}
        # Entries of one batch usually share their time: format it once.
        last: list[object] = [None, None]

        def stamp(at: datetime) -> object:
            if last[0] != at:
                last[0], last[1] = at, db_time(self._conn, at)
            return last[1]

        for offset, record in enumerate(entries):
            seq = size + offset
            key_id, cipher = aead[record.subject_id or SYSTEM_KEY_OWNER]
            nonce = os.urandom(12)
            plaintext = json.dumps(record.details, sort_keys=True, default=str).encode()
            ciphertext = nonce + cipher.encrypt(nonce, plaintext, f"audit:{seq}".encode())
            entry = AuditEntry(
                seq,
                record.at,
                audit_actor(record.actor),
                record.action,
                record.object_type,
                record.object_id,
                record.policy_version,
                EncryptedPayload.seal(key_id, ciphertext),
            )
            leaves.append(sha256(LEAF_PREFIX + entry.canonical_bytes()).digest())
            rows.append(
                (
                    seq,
                    stamp(record.at),
                    entry.actor,
                    record.action,
                    record.object_type,
                    record.object_id,
                    record.policy_version,
                    record.subject_id,
                    key_id,
                    entry.payload_hash,
                    ciphertext,
                )
            )
        insert_rows(self._conn, audit_entries, _ENTRY_COLUMNS, rows)
        tree = MerkleTree.open(DbNodeStore(self._conn), size)
        tree.append_leaf_hashes(leaves)
        self._conn.execute(update(audit_head).where(audit_head.c.id == 1).values(size=tree.size))

    def _lock_head(self) -> int:
        size = self._conn.execute(
            select(audit_head.c.size).where(audit_head.c.id == 1).with_for_update()
        ).scalar_one()
        return int(size)

    def _keys_for(self, owners: set[str], at: datetime) -> dict[str, tuple[str, bytes]]:
        found: dict[str, tuple[str, bytes]] = {}
        rows = self._conn.execute(
            select(payload_keys.c.id, payload_keys.c.subject_id, payload_keys.c.wrapped).where(
                payload_keys.c.subject_id.in_(sorted(owners)), payload_keys.c.destroyed_at.is_(None)
            )
        ).all()
        for key_id, owner, wrapped in rows:
            found[owner] = (key_id, self._unwrap(key_id, bytes(wrapped)))
        new_rows = []
        when = db_time(self._conn, at)
        head = secrets.token_hex(6)  # one random head per batch, then a counter: unique, cheap
        for n, owner in enumerate(sorted(owners - found.keys())):
            key_id = f"pk_{head}{n:06x}"
            key = AESGCM.generate_key(bit_length=256)
            new_rows.append((key_id, owner, self._cipher.encrypt(key, _key_aad(key_id)), when))
            self._keys.put(key_id, key)
            found[owner] = (key_id, key)
        insert_rows(
            self._conn, payload_keys, ("id", "subject_id", "wrapped", "created_at"), new_rows
        )
        return found

    def _unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        key = self._keys.get(key_id)
        if key is None:
            key = self._cipher.decrypt(wrapped, _key_aad(key_id))
            self._keys.put(key_id, key)
        return key

    def rewrap_keys(self) -> int:
        """Re-encrypt every live payload key sealed with an older key-ring key (key rotation)."""
        done = 0
        rows = self._conn.execute(
            select(payload_keys.c.id, payload_keys.c.wrapped).where(
                payload_keys.c.wrapped.is_not(None)
            )
        ).all()
        for key_id, wrapped in rows:
            blob = bytes(wrapped)
            if self._cipher.needs_rotation(blob):
                fresh = self._cipher.encrypt(
                    self._cipher.decrypt(blob, _key_aad(key_id)), _key_aad(key_id)
                )
                self._conn.execute(
                    update(payload_keys).where(payload_keys.c.id == key_id).values(wrapped=fresh)
                )
                done += 1
        return done

    # --- erasure -------------------------------------------------------------------------------
    def destroy_subject_key(self, subject_id: str, at: datetime) -> int:
        """Destroy the subject's payload keys: their payloads become unreadable, leaves stay."""
        return self.destroy_subject_keys([subject_id], at)

    def destroy_subject_keys(self, subject_ids: Sequence[str], at: datetime) -> int:
        """:meth:`destroy_subject_key` for many subjects at once (a disposal run's)."""
        destroyed = 0
        for start in range(0, len(subject_ids), 500):
            chunk = list(subject_ids[start : start + 500])
            ids = [
                r[0]
                for r in self._conn.execute(
                    select(payload_keys.c.id).where(
                        payload_keys.c.subject_id.in_(chunk), payload_keys.c.destroyed_at.is_(None)
                    )
                )
            ]
            if ids:
                # The owner column is cleared so a later entry about the subject gets a new key.
                self._conn.execute(
                    update(payload_keys)
                    .where(payload_keys.c.id.in_(ids))
                    .values(wrapped=None, destroyed_at=at, subject_id=None)
                )
                for key_id in ids:
                    self._keys.forget(key_id)
            destroyed += len(ids)
        return destroyed

    def read_payload(self, seq: int) -> dict[str, object] | None:
        """The clear details of entry ``seq``; None when its key was destroyed."""
        row = self._conn.execute(
            select(audit_entries.c.key_id, audit_entries.c.payload, payload_keys.c.wrapped)
            .select_from(
                audit_entries.outerjoin(payload_keys, payload_keys.c.id == audit_entries.c.key_id)
            )
            .where(audit_entries.c.seq == seq)
        ).first()
        if row is None or row.payload is None or row.wrapped is None:
            return None
        key = self._unwrap(row.key_id, bytes(row.wrapped))
        blob = bytes(row.payload)
        try:
            plain = AESGCM(key).decrypt(blob[:12], blob[12:], f"audit:{seq}".encode())
        except InvalidTag:
            return None
        data: dict[str, object] = json.loads(plain)
        return data

    # --- reading the tree ---------------------------------------------------------------------
    def size(self) -> int:
        return int(
            self._conn.execute(select(audit_head.c.size).where(audit_head.c.id == 1)).scalar_one()
        )

    def count(self) -> int:
        return self.size()

    def tree(self) -> MerkleTree:
        return MerkleTree.open(DbNodeStore(self._conn), self.size())

    def entries(
        self, start: int = 0, end: int | None = None, batch: int = 5000
    ) -> Iterator[tuple[AuditEntry, bytes]]:
        """``(entry, recorded leaf hash)`` in sequence order, read in batches."""
        pos = start
        while end is None or pos < end:
            limit = batch if end is None else min(batch, end - pos)
            q = (
                select(audit_entries, audit_nodes.c.hash)
                .select_from(
                    audit_entries.outerjoin(
                        audit_nodes,
                        and_(audit_nodes.c.level == 0, audit_nodes.c.idx == audit_entries.c.seq),
                    )
                )
                .where(audit_entries.c.seq >= pos)
                .order_by(audit_entries.c.seq)
                .limit(limit)
            )
            rows = self._conn.execute(q).mappings().all()
            if not rows:
                return
            for r in rows:
                yield _entry(r), bytes(r["hash"] or b"")
            pos = int(rows[-1]["seq"]) + 1

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        self._conn.execute(
            insert(audit_checkpoints),
            {
                "size": checkpoint.size,
                "root_hash": checkpoint.root_hash,
                "issued_at": checkpoint.issued_at,
                "note": checkpoint.note,
            },
        )

    def checkpoints(self) -> list[StoredCheckpoint]:
        rows = self._conn.execute(
            select(audit_checkpoints).order_by(audit_checkpoints.c.size)
        ).mappings()
        return [
            StoredCheckpoint(int(r["size"]), bytes(r["root_hash"]), r["issued_at"], r["note"])
            for r in rows
        ]

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        r = (
            self._conn.execute(select(audit_checkpoints).where(audit_checkpoints.c.size == size))
            .mappings()
            .first()
        )
        return (
            StoredCheckpoint(int(r["size"]), bytes(r["root_hash"]), r["issued_at"], r["note"])
            if r
            else None
        )


def _key_aad(key_id: str) -> bytes:
    return b"payload_key:" + key_id.encode()


def _entry(r: RowMapping) -> AuditEntry:
    payload = None
    if r["key_id"] is not None and r["payload_digest"] is not None:
        blob = r["payload"]
        payload = EncryptedPayload(
            str(r["key_id"]), bytes(r["payload_digest"]), None if blob is None else bytes(blob)
        )
    return AuditEntry(
        int(r["seq"]),
        r["recorded_at"],
        str(r["actor"]),
        str(r["action"]),
        str(r["object_type"]),
        str(r["object_id"]),
        None if r["policy_version"] is None else str(r["policy_version"]),
        payload,
    )
