"""Use cases of legal holds (ACC-8, RET-2): open, close, list, and the check every destructive
path makes.

A hold keeps information whatever its retention schedule until the matter that caused it is
closed. The privacy officer opens and closes holds for litigation, regulators' orders, breach
investigations and complaints, each with a reason; the request lifecycle opens and closes the
holds of verified requests (:meth:`HoldService.open_for_request`, :meth:`close_for_request`)
inside its own unit of work.

Every path that destroys, deletes or anonymizes personal information calls
:meth:`HoldService.require_none` inside the unit of work that does it, so a hold opened by a
concurrent transaction is either seen or commits after the destruction it could not have stopped
anyway. Each change to a hold writes its audit entry in the same unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from confide.domain.holds import (
    OPENED_BY_HAND,
    REQUEST_KINDS,
    HoldClosed,
    HoldKind,
    HoldScope,
    LegalHold,
    OnHold,
    holds_applying,
)
from confide.domain.requests.model import AccessRequest, RequestKind
from confide.services.context import ServiceContext
from confide.services.ports.store import UnitOfWork

CONFIDE_SYSTEM = "confide"
"""The system name of what Confide itself keeps (its records and its audit payloads)."""

MAX_REASON = 2000
MAX_NAME = 100


@dataclass(frozen=True)
class OpenHold:
    """What the privacy officer gives to open a hold: its kind, why, and what it keeps."""

    kind: str
    reason: str
    subject_id: str | None = None
    category: str | None = None
    system: str | None = None
    cause: str | None = None
    """What caused it, by reference: a complaint, a breach, a court or regulator's file number."""


class HoldService:
    """Legal holds: one transaction per use case, its audit entry in it."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- the officer's holds ----------------------------------------------------------------------
    def open(self, principal: Principal, cmd: OpenHold) -> LegalHold:
        principal.require(Action.HOLDS_OPEN)
        problems: list[FieldProblem] = []
        kind = HoldKind(cmd.kind) if cmd.kind in set(HoldKind) else None
        if kind not in OPENED_BY_HAND:
            problems.append(
                FieldProblem(
                    "kind",
                    "is not a kind of hold opened by hand (a request's hold opens with it)",
                    ", ".join(sorted(k.value for k in OPENED_BY_HAND)),
                )
            )
        reason = (cmd.reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            problems.append(FieldProblem("reason", f"must have 1 to {MAX_REASON} characters"))
        subject_id, category, system, cause = (
            (v.strip() or None) if v else None
            for v in (cmd.subject_id, cmd.category, cmd.system, cmd.cause)
        )
        if subject_id is None and category is None and system is None:
            problems.append(FieldProblem("scope", "name a subject, a category or a system"))
        if category is not None and self.ctx.policy.category(category) is None:
            problems.append(FieldProblem("category", "is not a category of the policy"))
        for field, value in (("system", system), ("cause", cause)):
            if value is not None and len(value) > MAX_NAME:
                problems.append(FieldProblem(field, f"is longer than {MAX_NAME} characters"))
        if problems:
            raise ValidationFailed("the hold cannot be opened", problems)
        assert kind is not None
        hold = LegalHold(
            id=self.ctx.new_id("hold"),
            kind=kind,
            scope=HoldScope(subject_id, category, system),
            opened_at=self.ctx.now(),
            opened_by=principal.user_id,
            reason=reason,
            cause=cause,
        )
        with self.ctx.uow() as uow:
            if subject_id is not None and uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            self.add_in(uow, principal, hold)
            uow.commit()
        return hold

    def close(self, principal: Principal, hold_id: str, reason: str) -> LegalHold:
        """Close a hold the officer opened: the matter is over. A request's hold closes with the
        request, never by hand."""
        principal.require(Action.HOLDS_CLOSE)
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise ValidationFailed.single("reason", f"must have 1 to {MAX_REASON} characters")
        with self.ctx.uow() as uow:
            hold = uow.holds.get(hold_id)
            if hold is None:
                raise NotFound("hold", hold_id)
            if hold.kind in REQUEST_KINDS:
                raise Conflict(
                    "a request's hold closes when the request is closed", hold_id=hold_id
                )
            closed = self.close_in(uow, principal, hold, reason)
            uow.commit()
        return closed

    def get(self, principal: Principal, hold_id: str) -> LegalHold:
        principal.require(Action.HOLDS_READ)
        with self.ctx.uow(readonly=True) as uow:
            hold = uow.holds.get(hold_id)
        if hold is None:
            raise NotFound("hold", hold_id)
        return hold

    def listing(
        self, principal: Principal, *, subject_id: str | None = None, active_only: bool = False
    ) -> list[LegalHold]:
        """Holds oldest first. With ``subject_id``: those covering the subject's information,
        including holds on a whole category or system."""
        principal.require(Action.HOLDS_READ)
        with self.ctx.uow(readonly=True) as uow:
            if subject_id is None:
                return uow.holds.listing(active_only=active_only)
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            return uow.holds.covering(subject_id, None, None, active_only=active_only)

    # --- the check every destructive path makes ---------------------------------------------------
    def check(
        self,
        uow: UnitOfWork,
        subject_id: str | None,
        category: str | None = None,
        system: str | None = None,
    ) -> list[LegalHold]:
        """The holds that apply now to (subject, category, system); None means all of them.

        A person linked to a breach whose records are still kept (BRE-5) is held too, for what
        Confide itself keeps on them (system ``confide``: their audit payloads): the register
        is the hold, named by the incident's id."""
        now = self.ctx.now()
        found = holds_applying(
            uow.holds.covering(subject_id, category, system), subject_id, category, system, now
        )
        if subject_id is not None and system in (None, CONFIDE_SYSTEM):
            for incident_id in set(uow.breaches.keeping([subject_id], now.date()).values()):
                found.append(
                    LegalHold(
                        id=incident_id,
                        kind=HoldKind.BREACH_INVESTIGATION,
                        scope=HoldScope(subject_id=subject_id, system=CONFIDE_SYSTEM),
                        opened_at=now,
                        opened_by="breach register",
                        reason="BRE-5: the records of a breach are kept",
                        cause=incident_id,
                    )
                )
        return found

    def require_none(
        self,
        uow: UnitOfWork,
        subject_id: str | None,
        category: str | None = None,
        system: str | None = None,
    ) -> None:
        """Raise :class:`OnHold` (naming the holds) when any hold applies; call it inside the
        unit of work that destroys."""
        applying = self.check(uow, subject_id, category, system)
        if applying:
            raise OnHold(h.id for h in applying)

    def is_on_hold(self, subject_id: str) -> bool:
        """Whether any of the subject's information is under a hold now (ACC-8)."""
        with self.ctx.uow(readonly=True) as uow:
            return bool(self.check(uow, subject_id))

    # --- the holds of requests (called inside the request's unit of work) ----------------------
    def open_for_request(
        self, uow: UnitOfWork, principal: Principal, request: AccessRequest
    ) -> LegalHold | None:
        """Open the hold of a request whose requester is known (once: a second call returns the
        hold already open). A request naming no subject holds nothing."""
        if request.subject_id is None:
            return None
        existing = uow.holds.listing(cause=request.id, active_only=True)
        if existing:
            return existing[0]
        kind = (
            HoldKind.CORRECTION_REQUEST
            if request.kind is RequestKind.CORRECTION
            else HoldKind.ACCESS_REQUEST
        )
        hold = LegalHold(
            id=self.ctx.new_id("hold"),
            kind=kind,
            scope=HoldScope(subject_id=request.subject_id),
            opened_at=self.ctx.now(),
            opened_by=principal.user_id,
            reason=f"{request.kind.value} request {request.id} pending (ACC-8)",
            cause=request.id,
        )
        self.add_in(uow, principal, hold)
        return hold

    def close_for_request(
        self, uow: UnitOfWork, principal: Principal, request_id: str, reason: str
    ) -> int:
        """Close the open holds a request caused; returns how many."""
        closed = 0
        for hold in uow.holds.listing(cause=request_id, active_only=True):
            if hold.kind in REQUEST_KINDS:
                self.close_in(uow, principal, hold, reason)
                closed += 1
        return closed

    # --- helpers ----------------------------------------------------------------------------------
    def add_in(self, uow: UnitOfWork, principal: Principal, hold: LegalHold) -> None:
        """Add ``hold`` with its audit entry, in the caller's unit of work (a register opening
        the hold its matter needs)."""
        uow.holds.add(hold)
        uow.audit.record(self._audit(principal, "hold.opened", hold))

    def close_in(
        self, uow: UnitOfWork, principal: Principal, hold: LegalHold, reason: str
    ) -> LegalHold:
        """Close ``hold`` with its audit entry, in the caller's unit of work."""
        closed = hold.close(self.ctx.now(), principal.user_id, reason)
        if not uow.holds.close(closed):
            raise HoldClosed(hold.id)
        uow.audit.record(self._audit(principal, "hold.closed", closed))
        return closed

    def _audit(self, principal: Principal, action: str, hold: LegalHold) -> AuditRecord:
        # The reason stays out of the details: it may name people (it is sealed with the hold).
        active = self.ctx.active
        return AuditRecord(
            action=action,
            actor=principal.user_id,
            object_type="legal_hold",
            object_id=hold.id,
            at=self.ctx.now(),
            policy_version=active.version_id if active else None,
            subject_id=hold.scope.subject_id,
            details={
                "kind": hold.kind.value,
                "category": hold.scope.category,
                "system": hold.scope.system,
                "cause": hold.cause,
                "rule": "ACC-8",
            },
        )
