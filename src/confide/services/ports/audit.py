"""The append-only audit log with its Merkle tree and checkpoints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from confide.domain.audit.entry import AuditEntry
from confide.domain.audit.merkle import MerkleTree
from confide.domain.audit.records import AuditRecord, StoredCheckpoint


class AuditLog(Protocol):
    """The tamper-evident log: appends in the caller's transaction, and its tree's reads."""

    def record(self, entry: AuditRecord) -> None: ...

    def record_many(self, entries: Sequence[AuditRecord]) -> None: ...

    def count(self) -> int: ...

    def size(self) -> int: ...

    def tree(self) -> MerkleTree:
        """The Merkle tree at the current size (roots and proofs for any size up to it)."""
        ...

    def entries(
        self, start: int = 0, end: int | None = None, batch: int = 5000
    ) -> Iterator[tuple[AuditEntry, bytes]]:
        """(entry, recorded leaf hash) in sequence order."""
        ...

    def read_payload(self, seq: int) -> dict[str, object] | None: ...

    def destroy_subject_key(self, subject_id: str, at: datetime) -> int: ...

    def destroy_subject_keys(self, subject_ids: Sequence[str], at: datetime) -> int:
        """Destroy many subjects' payload keys; how many keys were destroyed."""
        ...

    def rewrap_keys(self) -> int:
        """Re-encrypt the payload keys sealed with an older key-ring key; returns how many."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None: ...

    def checkpoints(self) -> list[StoredCheckpoint]: ...

    def checkpoint(self, size: int) -> StoredCheckpoint | None: ...
