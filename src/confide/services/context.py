"""What every use case receives: the unit of work factory, the clock and the active policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from confide.domain.consent.versions import PolicyHistory
from confide.domain.errors import Conflict
from confide.domain.ids import new_id
from confide.domain.outbox import AddressAllowList
from confide.domain.policy import Policy
from confide.services.ports.common import Clock
from confide.services.ports.store import UnitOfWorkFactory


@dataclass
class ActivePolicy:
    """The policy decisions are made under, and the stored version id records name (POL-1)."""

    policy: Policy
    version_id: str
    content_hash: str
    source: str = field(repr=False, default="")
    history: PolicyHistory | None = field(repr=False, default=None)
    """The stored versions and the purposes each added (CON-4)."""


@dataclass
class ServiceContext:
    uow: UnitOfWorkFactory
    clock: Clock
    active: ActivePolicy | None = None
    webhook_hosts: AddressAllowList = field(default_factory=AddressAllowList)
    """Non-public hosts recipients' webhooks may reach (``CONFIDE_WEBHOOK_ALLOWED_HOSTS``)."""

    @property
    def policy(self) -> Policy:
        return self.require_active().policy

    def require_active(self) -> ActivePolicy:
        if self.active is None:
            raise Conflict("no policy is active: run `confide policy activate` first")
        return self.active

    def now(self) -> datetime:
        return self.clock.now()

    def new_id(self, prefix: str) -> str:
        return new_id(prefix, self.clock.now())
