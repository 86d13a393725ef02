"""The audit log: checkpoints, proofs, entries and verification (auditors and the privacy officer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from confide.api.deps import ContainerDep
from confide.api.security import allow
from confide.domain.access import Action, Principal

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class CheckpointOut(BaseModel):
    size: int
    root_hash: str
    issued_at: str
    note: str


class VerificationOut(BaseModel):
    ok: bool
    entries: int
    verified_size: int
    checkpoints_verified: int
    summary: str
    failures: list[str]


@router.get("/public-key", response_class=PlainTextResponse)
def public_key(
    principal: Annotated[Principal, allow(Action.AUDIT_READ_CHECKPOINTS)], c: ContainerDep
) -> str:
    """The verifier key (signed-note format) that checks every checkpoint."""
    return c.audit.public_key


@router.get("/checkpoints")
def checkpoints(
    principal: Annotated[Principal, allow(Action.AUDIT_READ_CHECKPOINTS)], c: ContainerDep
) -> list[CheckpointOut]:
    return [
        CheckpointOut(
            size=cp.size,
            root_hash=cp.root_hash.hex(),
            issued_at=cp.issued_at.isoformat(),
            note=cp.note,
        )
        for cp in c.audit.checkpoints(principal)
    ]


@router.post("/checkpoints", status_code=status.HTTP_201_CREATED)
def issue_checkpoint(
    principal: Annotated[Principal, allow(Action.AUDIT_CHECKPOINT)], c: ContainerDep
) -> CheckpointOut:
    cp = c.audit.checkpoint(principal)
    return CheckpointOut(
        size=cp.size, root_hash=cp.root_hash.hex(), issued_at=cp.issued_at.isoformat(), note=cp.note
    )


@router.get("/entries/{seq}")
def entry(
    seq: int, principal: Annotated[Principal, allow(Action.AUDIT_READ_ENTRIES)], c: ContainerDep
) -> dict[str, Any]:
    return dict(c.audit.entry(principal, seq).__dict__)


@router.get("/entries/{seq}/proof")
def inclusion_proof(
    seq: int,
    principal: Annotated[Principal, allow(Action.AUDIT_PROVE)],
    c: ContainerDep,
    size: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """Proof that the entry is in the tree of a signed checkpoint (default: the latest)."""
    return c.audit.inclusion_proof(principal, seq, size)


@router.get("/consistency")
def consistency_proof(
    principal: Annotated[Principal, allow(Action.AUDIT_PROVE)],
    c: ContainerDep,
    old: Annotated[int, Query(ge=0)],
    new: Annotated[int, Query(ge=0)],
) -> dict[str, Any]:
    return c.audit.consistency_proof(principal, old, new)


@router.post("/verify")
def verify(
    principal: Annotated[Principal, allow(Action.AUDIT_VERIFY)], c: ContainerDep
) -> VerificationOut:
    """Verify the whole stored log with the independent verifier."""
    report = c.audit.verify(principal)
    return VerificationOut(
        ok=report.ok,
        entries=report.entries,
        verified_size=report.verified_size,
        checkpoints_verified=report.checkpoints_verified,
        summary=report.summary(),
        failures=[f.describe() for f in sorted(report.failures, key=lambda f: f.sort_key())[:50]],
    )
