"""Withdrawals reaching downstream systems (CON-5) and the national do-not-call list (CEM-4).

A withdrawal takes effect for decisions at once; the systems that hold copies of the
information must act on it within 10 business days of the subject's province, and each
says so (an acknowledgement). This tracks who has and who is late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.calendar import HolidayCalendar, zone_for
from confide.domain.consent.events import ConsentWithdrawn
from confide.domain.consent.withdrawals import (
    DownstreamSystem,
    WithdrawalProgress,
    withdrawal_progress,
)
from confide.domain.errors import NotFound, ValidationFailed
from confide.services.context import ServiceContext


@dataclass(frozen=True)
class WithdrawalStatus:
    withdrawal: ConsentWithdrawn
    progress: WithdrawalProgress


class DownstreamWithdrawals:
    """Downstream systems, their acknowledgements of withdrawals, and national list copies."""

    def __init__(self, ctx: ServiceContext, calendar: HolidayCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def register_system(self, principal: Principal, name: str, purposes: Sequence[str] = ()) -> str:
        principal.require(Action.CONSENT_SYSTEMS)
        for i, pid in enumerate(purposes):
            if self.ctx.policy.purpose(pid) is None:
                raise ValidationFailed.single(f"purposes[{i}]", "is not a purpose of the policy")
        if not name.strip() or len(name) > 100:
            raise ValidationFailed.single("name", "must have 1 to 100 characters")
        system_id = self.ctx.new_id("sys")
        with self.ctx.uow() as uow:
            uow.consent.add_system(system_id, name.strip(), purposes, self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "consent.system_registered",
                    principal.user_id,
                    "system",
                    system_id,
                    self.ctx.now(),
                    details={"purposes": list(purposes)},
                )
            )
            uow.commit()
        return system_id

    def acknowledge(self, principal: Principal, withdrawal_id: str, system_id: str) -> None:
        """A downstream system says it has acted on a withdrawal."""
        principal.require(Action.CONSENT_ACKNOWLEDGE)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            event = uow.consent.event(withdrawal_id)
            if not isinstance(event, ConsentWithdrawn):
                raise NotFound("withdrawal", withdrawal_id)
            if system_id not in {s[0] for s in uow.consent.systems()}:
                raise NotFound("downstream system", system_id)
            if system_id in uow.consent.acks([withdrawal_id])[withdrawal_id]:
                return  # idempotent: the first acknowledgement stands
            uow.consent.add_ack(withdrawal_id, system_id, now, principal.user_id)
            uow.audit.record(
                AuditRecord(
                    "consent.withdrawal_acknowledged",
                    principal.user_id,
                    "consent",
                    withdrawal_id,
                    now,
                    subject_id=event.subject_id,
                    details={"system": system_id},
                )
            )
            uow.commit()

    def withdrawal_status(self, principal: Principal, days: int = 60) -> list[WithdrawalStatus]:
        """Withdrawals of the last ``days`` days, each system's deadline (10 business days, federal and
        the subject's provincial holidays excluded) and whether it is acknowledged or overdue."""
        principal.require(Action.CONSENT_READ)
        now = self.ctx.now()
        rules = self.ctx.policy.rules
        out = []
        with self.ctx.uow(readonly=True) as uow:
            systems = uow.consent.systems()
            withdrawals = uow.consent.withdrawals_since(now - timedelta(days=days))
            acks = uow.consent.acks([w.event_id for w in withdrawals])
            subjects = {w.subject_id: uow.subjects.get(w.subject_id) for w in withdrawals}
        for w in withdrawals:
            subject = subjects[w.subject_id]
            province = subject.province if subject else self.ctx.policy.organization.home_province
            relevant = [
                DownstreamSystem(sid, name)
                for sid, name, purposes in systems
                if not purposes or w.purpose_id in purposes
            ]
            progress = withdrawal_progress(
                w.at,
                relevant,
                acks[w.event_id],
                province=province,
                tz=zone_for(province),
                calendar=self.calendar,
                rules=rules,
                as_of=now,
            )
            out.append(WithdrawalStatus(w, progress))
        return out

    # --- national do-not-call list (CEM-4) ------------------------------------------------------
    def import_national_dnc(
        self, principal: Principal, taken_at: datetime, numbers: Sequence[str]
    ) -> str:
        principal.require(Action.CONSENT_NATIONAL_DNC)
        if taken_at > self.ctx.now():
            raise ValidationFailed.single("taken_at", "is in the future")
        copy_id = self.ctx.new_id("dnc")
        with self.ctx.uow() as uow:
            uow.consent.add_national_copy(copy_id, taken_at, sorted(set(numbers)), self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "consent.national_dnc_imported",
                    principal.user_id,
                    "dnc",
                    copy_id,
                    self.ctx.now(),
                    details={"numbers": len(set(numbers))},
                )
            )
            uow.commit()
        return copy_id
