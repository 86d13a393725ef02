"""The stored policy versions."""

from __future__ import annotations

from typing import Protocol

from confide.domain.policy_version import PolicyVersion


class PolicyVersionRepository(Protocol):
    def add(self, version: PolicyVersion) -> None: ...

    def get(self, version_id: str) -> PolicyVersion | None: ...

    def by_hash(self, content_hash: str) -> PolicyVersion | None: ...

    def latest(self) -> PolicyVersion | None: ...

    def all_versions(self) -> list[PolicyVersion]: ...
