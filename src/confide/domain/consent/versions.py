"""Policy versions and the purposes each added, for CON-4 and POL-3.

A consent names the policy version shown when it was given (CON-1, POL-1). A
purpose that a later version added is not covered by a consent given under an
earlier version: it is refused until consent is obtained for it (CON-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from confide.domain.consent.errors import UnknownPolicyVersion


@dataclass(frozen=True, slots=True)
class PolicyVersionInfo:
    """One version of the policy: when it took effect and which purposes it added."""

    version: str
    effective_date: date
    purposes_added: tuple[str, ...] = ()


class PolicyHistory:
    """The versions of a policy, oldest first. Purposes added by no listed version
    are taken to be there from the first version."""

    __slots__ = ("_introduced", "_rank", "versions")

    def __init__(self, versions: Sequence[PolicyVersionInfo]) -> None:
        self.versions = tuple(versions)
        self._rank = {v.version: i for i, v in enumerate(self.versions)}
        self._introduced: dict[str, PolicyVersionInfo] = {}
        for info in self.versions:
            for purpose_id in info.purposes_added:
                self._introduced.setdefault(purpose_id, info)

    def rank(self, version: str) -> int | None:
        return self._rank.get(version)

    def require(self, version: str) -> PolicyVersionInfo:
        rank = self._rank.get(version)
        if rank is None:
            raise UnknownPolicyVersion(version)
        return self.versions[rank]

    def introduced(self, purpose_id: str) -> PolicyVersionInfo | None:
        """The version that added ``purpose_id`` (None: there from the first version)."""
        info = self._introduced.get(purpose_id)
        if info is not None and self._rank[info.version] == 0:
            return None
        return info

    def covers(self, consent_version: str, purpose_id: str) -> bool:
        """Does a consent given under ``consent_version`` cover ``purpose_id``? (CON-4)"""
        introduced = self.introduced(purpose_id)
        if introduced is None:
            return True
        rank = self._rank.get(consent_version)
        return rank is not None and rank >= self._rank[introduced.version]
