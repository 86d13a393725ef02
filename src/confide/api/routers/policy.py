"""The policy in force and its stored versions (POL-1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import TypeAdapter

from confide.api.deps import ContainerDep
from confide.api.schemas.policy import PolicyVersionOut
from confide.api.security import allow
from confide.domain.access import Action, Principal
from confide.domain.policy import Policy

router = APIRouter(prefix="/v1/policy", tags=["policy"])
_POLICY = TypeAdapter(Policy)


@router.get("")
def current_policy(
    principal: Annotated[Principal, allow(Action.POLICY_READ)], c: ContainerDep
) -> dict[str, Any]:
    """The policy in force, as data (the same shape as the policy file)."""
    active = c.ctx.require_active()
    data: dict[str, Any] = _POLICY.dump_python(active.policy, mode="json")
    return {"version_id": active.version_id, "content_hash": active.content_hash, "policy": data}


@router.get("/versions")
def policy_versions(
    principal: Annotated[Principal, allow(Action.POLICY_READ)], c: ContainerDep
) -> list[PolicyVersionOut]:
    active = c.ctx.active.version_id if c.ctx.active else None
    return [PolicyVersionOut.of(v, active) for v in c.policies.versions(principal)]


@router.get("/versions/{version_id}")
def policy_version(
    version_id: str, principal: Annotated[Principal, allow(Action.POLICY_READ)], c: ContainerDep
) -> PolicyVersionOut:
    active = c.ctx.active.version_id if c.ctx.active else None
    return PolicyVersionOut.of(c.policies.version(principal, version_id), active)
