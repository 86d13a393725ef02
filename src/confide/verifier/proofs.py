"""Verify single proofs against signed checkpoints, and the proof documents that carry them.

Proof documents (JSON; what ``confide audit prove`` / ``consistency`` will emit)::

    {"type": "inclusion", "index": 41, "size": 1000, "leaf_hash": "<hex>",
     "proof": ["<hex>", ...], "checkpoint": "<signed note of size 1000>",
     "entry": {<export entry line, optional>}}

    {"type": "consistency", "old_size": 500, "new_size": 1000, "proof": ["<hex>", ...],
     "old_checkpoint": "<signed note>", "new_checkpoint": "<signed note>"}

When ``entry`` is present its leaf hash is recomputed from its fields and must equal
``leaf_hash``, so the auditor sees which entry the proof is about.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from confide.domain.audit.checkpoint import Checkpoint
from confide.domain.audit.entry import encode_fields
from confide.domain.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from confide.domain.errors import ConfideError
from confide.verifier.notes import CheckpointVerifier


@dataclass(frozen=True, slots=True)
class ProofVerdict:
    """Yes or no, with the reason; ``checkpoint`` is the verified (newest) checkpoint."""

    ok: bool
    reason: str
    checkpoint: Checkpoint | None = None


def _open(key: CheckpointVerifier, note: str) -> Checkpoint | ProofVerdict:
    try:
        return key.open(note)
    except ConfideError as exc:
        return ProofVerdict(False, str(exc))


def verify_inclusion_proof(
    key: CheckpointVerifier,
    checkpoint_note: str,
    index: int,
    leaf: bytes,
    proof: Sequence[bytes],
) -> ProofVerdict:
    """Is leaf hash ``leaf`` at ``index`` of the log the signed checkpoint describes?"""
    opened = _open(key, checkpoint_note)
    if isinstance(opened, ProofVerdict):
        return opened
    if verify_inclusion(index, opened.size, leaf, proof, opened.root_hash):
        return ProofVerdict(True, f"entry {index} is in the log of size {opened.size}", opened)
    return ProofVerdict(False, f"inclusion proof for entry {index} does not verify", opened)


def verify_consistency_proof(
    key: CheckpointVerifier, old_note: str, new_note: str, proof: Sequence[bytes]
) -> ProofVerdict:
    """Is the log of the old signed checkpoint a prefix of the new one's?"""
    old = _open(key, old_note)
    if isinstance(old, ProofVerdict):
        return old
    new = _open(key, new_note)
    if isinstance(new, ProofVerdict):
        return new
    if old.origin != new.origin:
        return ProofVerdict(False, "the two checkpoints are of different logs", new)
    if verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof):
        return ProofVerdict(True, f"size {old.size} is a prefix of size {new.size}", new)
    return ProofVerdict(
        False, f"consistency proof from size {old.size} to {new.size} does not verify", new
    )


def leaf_hash_of_record(record: Mapping[str, Any]) -> bytes:
    """The leaf hash of an export entry line, recomputed from its fields."""
    payload = record["payload"]
    return leaf_hash(
        encode_fields(
            record["seq"],
            record["at"],
            record["actor"],
            record["action"],
            record["object_type"],
            record["object_id"],
            record["policy_version"],
            None if payload is None else payload["key_id"],
            None if payload is None else bytes.fromhex(payload["sha256"]),
        )
    )


def verify_proof_document(key: CheckpointVerifier, doc: Mapping[str, Any]) -> ProofVerdict:
    """Verify an inclusion or consistency proof document (see the module docstring)."""
    try:
        proof = [bytes.fromhex(p) for p in doc["proof"]]
        if doc.get("type") == "inclusion":
            leaf = bytes.fromhex(doc["leaf_hash"])
            entry = doc.get("entry")
            if entry is not None:
                if leaf_hash_of_record(entry) != leaf:
                    return ProofVerdict(False, "the entry does not hash to the proof's leaf hash")
                if entry["seq"] != doc["index"]:
                    return ProofVerdict(False, "the entry's sequence is not the proof's index")
            verdict = verify_inclusion_proof(key, doc["checkpoint"], doc["index"], leaf, proof)
            if verdict.checkpoint is not None and verdict.checkpoint.size != doc["size"]:
                return ProofVerdict(False, "the proof's size is not the checkpoint's size")
            return verdict
        if doc.get("type") == "consistency":
            verdict = verify_consistency_proof(
                key, doc["old_checkpoint"], doc["new_checkpoint"], proof
            )
            return verdict
    except (KeyError, TypeError, ValueError, AttributeError, struct.error):
        return ProofVerdict(False, "proof document is malformed")
    return ProofVerdict(False, "proof document type is neither inclusion nor consistency")


def inclusion_document(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], checkpoint_note: str
) -> dict[str, Any]:
    return {
        "type": "inclusion",
        "index": index,
        "size": size,
        "leaf_hash": leaf.hex(),
        "proof": [p.hex() for p in proof],
        "checkpoint": checkpoint_note,
    }


def consistency_document(
    old_size: int, new_size: int, proof: Sequence[bytes], old_note: str, new_note: str
) -> dict[str, Any]:
    return {
        "type": "consistency",
        "old_size": old_size,
        "new_size": new_size,
        "proof": [p.hex() for p in proof],
        "old_checkpoint": old_note,
        "new_checkpoint": new_note,
    }
