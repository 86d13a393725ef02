"""Policy versions: activating a policy file stores its version (POL-1) and makes it the one in force."""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.versions import PolicyHistory, PolicyVersionInfo
from confide.domain.errors import NotFound
from confide.domain.policy import Policy
from confide.domain.policy_version import PolicyVersion
from confide.services.context import ActivePolicy, ServiceContext


@dataclass(frozen=True)
class LoadedPolicyInput:
    """What the policy reader produced: the validated policy, its content hash and source text."""

    policy: Policy
    content_hash: str
    source: str


def policy_history(stored: list[PolicyVersion], active: PolicyVersion) -> PolicyHistory:
    """The versions in the order they were stored, each with the purposes it added (CON-4).

    Versions after the active one (stored ahead of time) are left out; a version label seen
    twice keeps its first appearance.
    """
    infos: list[PolicyVersionInfo] = []
    seen: set[str] = set()
    known: set[str] = set()
    for v in sorted(stored, key=lambda v: (v.loaded_at, v.id)):
        if v.version in seen:
            continue
        seen.add(v.version)
        added = tuple(pid for pid in v.purposes if pid not in known)
        known.update(v.purposes)
        infos.append(PolicyVersionInfo(v.version, v.effective_date, added))
        if v.id == active.id:
            break
    return PolicyHistory(infos)


class PolicyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def activate(self, principal: Principal, loaded: LoadedPolicyInput) -> PolicyVersion:
        """Store the version if its content is new, and make it the active policy."""
        principal.require(Action.POLICY_ACTIVATE)
        p = loaded.policy
        with self.ctx.uow() as uow:
            version = uow.policies.by_hash(loaded.content_hash)
            if version is None:
                version = PolicyVersion(
                    id=PolicyVersion.make_id(p.id, p.version, loaded.content_hash),
                    policy_id=p.id,
                    version=p.version,
                    content_hash=loaded.content_hash,
                    effective_date=p.effective_date,
                    loaded_at=self.ctx.now(),
                    source=loaded.source,
                    purposes=tuple(x.id for x in p.purposes),
                )
                uow.policies.add(version)
                uow.audit.record(
                    AuditRecord(
                        "policy.version_stored",
                        principal.user_id,
                        "policy",
                        version.id,
                        self.ctx.now(),
                        policy_version=version.id,
                        details={"content_hash": loaded.content_hash},
                    )
                )
                uow.commit()
            history = policy_history(uow.policies.all_versions(), version)
        self.ctx.active = ActivePolicy(p, version.id, loaded.content_hash, loaded.source, history)
        return version

    def versions(self, principal: Principal) -> list[PolicyVersion]:
        principal.require(Action.POLICY_READ)
        with self.ctx.uow(readonly=True) as uow:
            return uow.policies.all_versions()

    def version(self, principal: Principal, version_id: str) -> PolicyVersion:
        principal.require(Action.POLICY_READ)
        with self.ctx.uow(readonly=True) as uow:
            v = uow.policies.get(version_id)
        if v is None:
            raise NotFound("policy version", version_id)
        return v
