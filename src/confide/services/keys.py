"""Key rotation: re-encrypt sealed values with the active key, in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.services.context import ServiceContext


class KeyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def reencrypt(
        self, principal: Principal, on_progress: Callable[[int], None] | None = None
    ) -> int:
        principal.require(Action.KEYS_ROTATE)
        with self.ctx.uow() as uow:
            count = uow.personal_info.reseal_all(on_progress)
            rewrapped = uow.audit.rewrap_keys()  # the audit trail's per-subject payload keys too
            uow.audit.record(
                AuditRecord(
                    "keys.values_resealed",
                    principal.user_id,
                    "keyring",
                    "active",
                    self.ctx.now(),
                    details={"values": count, "payload_keys": rewrapped},
                )
            )
            uow.commit()
        return count
