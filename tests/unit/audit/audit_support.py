"""Builders for the audit tests: deterministic entries, a signed log, its export lines."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from confide.domain.audit.checkpoint import Checkpoint
from confide.domain.audit.entry import AuditEntry, EncryptedPayload
from confide.domain.audit.merkle import DictNodeStore, MerkleTree
from confide.verifier.export import ExportWriter
from confide.verifier.notes import CheckpointSigner, CheckpointVerifier

ORIGIN = "confide.test/audit"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
ACTIONS = ("consent.given", "consent.withdrawn", "decision.made", "disclosure.recorded")


def make_entry(seq: int) -> AuditEntry:
    payload = None
    if seq % 3:
        payload = EncryptedPayload.seal(f"sk-{seq % 7}", f"ciphertext-{seq}".encode())
    return AuditEntry(
        sequence=seq,
        recorded_at=T0 + timedelta(seconds=seq, microseconds=seq * 13 % 1_000_000),
        actor="system" if seq % 5 == 0 else f"staff:{seq % 11}",
        action=ACTIONS[seq % len(ACTIONS)],
        object_type="consent",
        object_id=f"c-{seq}",
        policy_version=None if seq % 4 == 0 else f"pv-{seq // 10}",
        payload=payload,
    )


@dataclass
class SignedLog:
    """A log of ``n`` entries with signed checkpoints, and its export as lines."""

    signer: CheckpointSigner
    tree: MerkleTree
    entries: list[AuditEntry]
    notes: dict[int, str]

    @property
    def verifier(self) -> CheckpointVerifier:
        return CheckpointVerifier(self.signer.verifier_key)

    def checkpoint(self, size: int) -> str:
        cp = Checkpoint(ORIGIN, size, self.tree.root(size), T0 + timedelta(days=1))
        return self.signer.sign(cp)

    def export_lines(self) -> list[str]:
        buf = io.StringIO()
        writer = ExportWriter(buf, ORIGIN)
        leaves = [self.tree.leaf_hash_at(e.sequence) for e in self.entries]
        writer.write(zip(self.entries, leaves, strict=True), self.notes.values())
        return buf.getvalue().splitlines(keepends=True)


def seeded_signer(seed: int = 7) -> CheckpointSigner:
    return CheckpointSigner(ORIGIN, Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


def build_log(
    n: int,
    checkpoint_sizes: Sequence[int],
    seed: int = 7,
    entries: list[AuditEntry] | None = None,
) -> SignedLog:
    """A log of ``n`` generated entries (or of ``entries``), signed at ``checkpoint_sizes``."""
    tree = MerkleTree(DictNodeStore())
    entries = [make_entry(i) for i in range(n)] if entries is None else list(entries)
    tree.append(e.canonical_bytes() for e in entries)
    log = SignedLog(seeded_signer(seed), tree, entries, {})
    log.notes = {size: log.checkpoint(size) for size in checkpoint_sizes}
    return log


def records(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


def dump(recs: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in recs]
