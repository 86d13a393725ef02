"""Use cases of the tamper-evident audit trail: checkpoints, proofs, export, verification, erasure.

Appending is not here: every use case appends its own entries through ``uow.audit`` in its
own transaction. This service issues signed checkpoints (RFC 9162 tree heads in the
signed-note format), answers inclusion and consistency proofs as documents the
independent verifier (``confide.verifier``) checks, exports the log, verifies the whole
stored log with that same verifier, and erases a person's payloads by destroying their key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, TextIO

from confide.domain.access import Action, Principal
from confide.domain.audit.checkpoint import Checkpoint
from confide.domain.audit.records import AuditRecord, StoredCheckpoint
from confide.domain.errors import NotFound, ValidationFailed
from confide.services.context import ServiceContext
from confide.services.holds import CONFIDE_SYSTEM, HoldService
from confide.verifier import (
    CheckpointSigner,
    CheckpointVerifier,
    ExportWriter,
    Failure,
    FailureKind,
    VerificationReport,
    verify_export,
)
from confide.verifier.export import entry_record
from confide.verifier.proofs import consistency_document, inclusion_document


@dataclass(frozen=True)
class EntryView:
    """An entry as shown to an auditor: its fields, leaf hash, and details if still readable."""

    seq: int
    recorded_at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    policy_version: str | None
    leaf_hash: str
    payload_sha256: str | None
    details: dict[str, object] | None


class AuditService:
    def __init__(
        self,
        ctx: ServiceContext,
        signer: CheckpointSigner,
        origin: str,
        holds: HoldService | None = None,
    ) -> None:
        self.ctx = ctx
        self.holds = holds or HoldService(ctx)
        self.signer = signer
        self.origin = origin
        self.verifier = CheckpointVerifier(signer.verifier_key)

    @property
    def public_key(self) -> str:
        """The verifier key text an auditor needs (``<name>+<hash>+<base64>``)."""
        return self.signer.verifier_key.to_text()

    def checkpoint(self, principal: Principal) -> StoredCheckpoint:
        """Sign the current tree head and keep it (the same size twice returns the kept one)."""
        principal.require(Action.AUDIT_CHECKPOINT)
        with self.ctx.uow() as uow:
            tree = uow.audit.tree()
            existing = uow.audit.checkpoint(tree.size)
            if existing is not None:
                return existing
            now = self.ctx.now()
            head = Checkpoint(self.origin, tree.size, tree.root(), now)
            stored = StoredCheckpoint(tree.size, head.root_hash, now, self.signer.sign(head))
            uow.audit.add_checkpoint(stored)
            uow.commit()
        return stored

    def checkpoints(self, principal: Principal) -> list[StoredCheckpoint]:
        principal.require(Action.AUDIT_READ_CHECKPOINTS)
        with self.ctx.uow(readonly=True) as uow:
            return uow.audit.checkpoints()

    def latest_checkpoint(self, principal: Principal) -> StoredCheckpoint:
        cps = self.checkpoints(principal)
        if not cps:
            raise NotFound("checkpoint", "any (issue one with `confide audit checkpoint`)")
        return cps[-1]

    def entry(self, principal: Principal, seq: int) -> EntryView:
        principal.require(Action.AUDIT_READ_ENTRIES)
        with self.ctx.uow(readonly=True) as uow:
            found = next(uow.audit.entries(seq, seq + 1), None)
            if found is None:
                raise NotFound("audit entry", seq)
            entry, leaf = found
            details = uow.audit.read_payload(seq)
        return EntryView(
            entry.sequence,
            entry.recorded_at.isoformat(),
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.policy_version,
            leaf.hex(),
            entry.payload_hash.hex() if entry.payload_hash else None,
            details,
        )

    def inclusion_proof(
        self, principal: Principal, seq: int, size: int | None = None, *, with_entry: bool = False
    ) -> dict[str, Any]:
        """A proof that entry ``seq`` is in the tree of a signed checkpoint (default: the latest).
        ``with_entry`` adds the entry's fields (as in an export), so the verifier recomputes its
        leaf hash and an auditor reads what the proof is about (a certificate's digest is its
        object id)."""
        principal.require(Action.AUDIT_PROVE)
        with self.ctx.uow(readonly=True) as uow:
            cp = self._checkpoint_at(uow.audit.checkpoints(), size)
            if not 0 <= seq < cp.size:
                raise ValidationFailed.single(
                    "seq",
                    f"is not in the checkpoint of size {cp.size}",
                    "issue a newer checkpoint first",
                )
            tree = uow.audit.tree()
            doc = inclusion_document(
                seq, cp.size, tree.leaf_hash_at(seq), tree.inclusion_proof(seq, cp.size), cp.note
            )
            if with_entry:
                entry, leaf = next(uow.audit.entries(seq, seq + 1))
                doc["entry"] = entry_record(entry, leaf)
            return doc

    def consistency_proof(self, principal: Principal, old: int, new: int) -> dict[str, Any]:
        """A proof that the checkpoint of size ``new`` extends the one of size ``old``."""
        principal.require(Action.AUDIT_PROVE)
        if old > new:
            raise ValidationFailed.single("old", "must not be larger than new")
        with self.ctx.uow(readonly=True) as uow:
            cps = uow.audit.checkpoints()
            a, b = self._checkpoint_at(cps, old), self._checkpoint_at(cps, new)
            proof = uow.audit.tree().consistency_proof(a.size, b.size)
        return consistency_document(a.size, b.size, proof, a.note, b.note)

    @staticmethod
    def _checkpoint_at(cps: list[StoredCheckpoint], size: int | None) -> StoredCheckpoint:
        if not cps:
            raise NotFound("checkpoint", "any (issue one with `confide audit checkpoint`)")
        if size is None:
            return cps[-1]
        for cp in cps:
            if cp.size == size:
                return cp
        raise NotFound("checkpoint of size", size)

    def export(self, principal: Principal, stream: TextIO) -> int:
        """Write the whole log (entries, recorded leaf hashes, checkpoints) in the verifier's format."""
        principal.require(Action.AUDIT_EXPORT)
        with self.ctx.uow(readonly=True) as uow:
            writer = ExportWriter(stream, self.origin)
            writer.write(uow.audit.entries(), [cp.note for cp in uow.audit.checkpoints()])
            return writer.entries

    def verify(self, principal: Principal) -> VerificationReport:
        """Verify the stored log with the independent verifier, as an auditor would.

        The log is exported and checked entry by entry against the signed checkpoints;
        then the tree the store keeps for proofs is checked against the same roots.
        """
        principal.require(Action.AUDIT_VERIFY)
        buffer = io.StringIO()
        self.export(principal, buffer)
        buffer.seek(0)
        report = verify_export(buffer, self.verifier, allow_unanchored=True)
        with self.ctx.uow(readonly=True) as uow:
            tree = uow.audit.tree()
            for cp in uow.audit.checkpoints():
                if cp.size <= tree.size and tree.root(cp.size) != cp.root_hash:
                    report.failures.append(_stored_tree_mismatch(cp.size))
        return report

    def erase_subject_payloads(self, principal: Principal, subject_id: str) -> int:
        """Destroy the subject's payload keys (crypto-shredding); the log still verifies.
        Refused with :class:`~confide.domain.holds.OnHold` while a legal hold covers what the
        payloads may hold: any of the subject's information kept by Confide (ACC-8, RET-2)."""
        principal.require(Action.AUDIT_ERASE_SUBJECT)
        with self.ctx.uow() as uow:
            self.holds.require_none(uow, subject_id, None, CONFIDE_SYSTEM)
            destroyed = uow.audit.destroy_subject_key(subject_id, self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "audit.payload_keys_destroyed",
                    principal.user_id,
                    "subject",
                    subject_id,
                    self.ctx.now(),
                    details={"keys": destroyed},
                )
            )
            uow.commit()
        return destroyed

    def size(self, principal: Principal) -> int:
        principal.require(Action.AUDIT_READ_CHECKPOINTS)
        with self.ctx.uow(readonly=True) as uow:
            return uow.audit.size()


def _stored_tree_mismatch(size: int) -> Failure:
    return Failure(
        FailureKind.CHECKPOINT_MISMATCH,
        "the tree the store keeps for proofs does not give the checkpoint's root",
        sequence=size,
        checkpoint_size=size,
    )
