"""What a use case records in the audit log, and a signed checkpoint as stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AuditRecord:
    """What a use case tells the audit trail: who did what to which object, under which policy.

    ``details`` must hold no personal information in the clear: ids, categories,
    rule ids, counts. (The log seals it with the subject's payload key and adds it to the Merkle tree.)
    """

    action: str
    actor: str
    object_type: str
    object_id: str
    at: datetime
    policy_version: str | None = None
    subject_id: str | None = None
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed checkpoint as kept by the log: size, root, time, and the signed note text."""

    size: int
    root_hash: bytes
    issued_at: datetime
    note: str
