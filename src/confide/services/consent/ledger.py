"""Recording consent events (CON-1..10, CEM-2, CEM-4): the ledger's use cases.

The rules live in ``confide.domain.consent.ledger``; this module loads a subject's state
from the ledger, calls the rule, and appends the resulting events, their audit entries and
the subject's read-model rows in one unit of work. Events are never updated (CON-1): a
withdrawal, an opt-out or a do-not-call request is a new event.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent import ledger
from confide.domain.consent.codec import name_of, to_json
from confide.domain.consent.events import (
    ChannelOptedIn,
    ChannelOptedOut,
    ConsentEvent,
    ConsentExpired,
    ConsentGiven,
    ConsentKind,
    ConsentRenewed,
    ConsentWithdrawn,
    DoNotCallRequested,
    GiveConsent,
    RecordRelationshipEvent,
    RelationshipKind,
    WithdrawConsent,
)
from confide.domain.consent.receipts import iso_27560_record, kantara_receipt
from confide.domain.consent.state import SubjectState, derive_state
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.ids import new_id
from confide.domain.policy import ConsentMethod
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.consent.readmodel import ConsentReadModel, profile_of
from confide.services.context import ServiceContext
from confide.services.ports.store import UnitOfWork

POLICY_URL = "/portal/policy"  # where the portal publishes the policy in force

_AUDITED = (
    "purpose_id",
    "channel",
    "kind",
    "method",
    "policy_version",
    "evidence_ref",
    "by_guardian",
)
"""The event fields an audit entry carries (no times: the entry has its own)."""


def _audit_details(e: ConsentEvent) -> dict[str, object]:
    fields = to_json(e)
    return {name: fields[name] for name in _AUDITED if name in fields}


@dataclass(frozen=True)
class GiveConsentRequest:
    subject_id: str
    purposes: tuple[str, ...]
    kind: str
    method: str
    channel: str | None = None
    evidence_ref: str | None = None
    language: str | None = None
    at: datetime | None = None
    expires_at: datetime | None = None
    by_guardian: bool = False
    gpc: bool = False
    policy_version: str | None = None


class ConsentLedger:
    """Records consent events (CON-1): each use case checks the command against the policy
    (``domain.consent.ledger``), appends the events with their audit entries and recomputes
    the subject's read-model rows, all in one unit of work."""

    def __init__(self, ctx: ServiceContext, read_model: ConsentReadModel) -> None:
        self.ctx = ctx
        self.read_model = read_model

    # --- loading -------------------------------------------------------------------------------
    def _subject_and_state(self, uow: UnitOfWork, subject_id: str) -> tuple[Subject, SubjectState]:
        subject = uow.subjects.get(subject_id)
        if subject is None:
            raise NotFound("subject", subject_id)
        return subject, derive_state(profile_of(subject), uow.consent.history(subject_id))

    def _ids(self) -> Callable[[], str]:
        """Event ids that sort in the order they are minted: among events of one type at one
        instant, ledger order follows the id (``domain.consent.state.ledger_order``)."""
        now = self.ctx.now()
        counter = iter(range(1 << 20))
        base = int.from_bytes(os.urandom(8), "big") << 20
        return lambda: new_id("cev", now, base | next(counter))

    def _append(
        self, uow: UnitOfWork, principal: Principal, events: Sequence[ConsentEvent]
    ) -> None:
        now = self.ctx.now()
        uow.consent.add_events(events, now)
        active = self.ctx.require_active()
        version = active.version_id
        # The read model follows the ledger in the same transaction (never lags a decision).
        self.read_model.refresh(uow, active, [e.subject_id for e in events], now)
        uow.audit.record_many(
            [
                AuditRecord(
                    f"consent.{name_of(e)}",
                    principal.user_id,
                    "consent",
                    e.event_id,
                    now,
                    version,
                    e.subject_id,
                    _audit_details(e),
                )
                for e in events
            ]
        )

    # --- the ledger ----------------------------------------------------------------------------
    def give(self, principal: Principal, req: GiveConsentRequest) -> list[ConsentEvent]:
        principal.require(Action.CONSENT_GIVE)
        try:
            kind = ConsentKind(req.kind)
        except ValueError:
            raise ValidationFailed.single("kind", "must be implied or express") from None
        try:
            method = ConsentMethod(req.method)
        except ValueError:
            raise ValidationFailed.single(
                "method",
                "is not a way of giving consent",
                ", ".join(m.value for m in ConsentMethod),
            ) from None
        active = self.ctx.require_active()
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            subject, state = self._subject_and_state(uow, req.subject_id)
            command = GiveConsent(
                subject_id=subject.id,
                purpose_ids=req.purposes,
                at=req.at or now,
                kind=kind,
                method=method,
                recorded_by=principal.user_id,
                policy_version=req.policy_version or active.policy.version,
                language=req.language or subject.language,
                evidence_ref=req.evidence_ref,
                channel=req.channel,
                expires_at=req.expires_at,
                by_guardian=req.by_guardian,
                gpc=req.gpc,
            )
            events = ledger.give_consent(
                active.policy, state, command, now=now, new_id=self._ids(), history=active.history
            )
            self._append(uow, principal, events)
            uow.commit()
        return list(events)

    def withdraw(
        self,
        principal: Principal,
        subject_id: str,
        purpose_id: str,
        channel: str | None = None,
        at: datetime | None = None,
        gpc: bool = False,
    ) -> list[ConsentEvent]:
        """Withdraw a consent or opt out of a purpose; effective for decisions at once (CON-5)."""
        principal.require(Action.CONSENT_WITHDRAW)
        active = self.ctx.require_active()
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            subject, state = self._subject_and_state(uow, subject_id)
            command = WithdrawConsent(
                subject.id, purpose_id, at or now, principal.user_id, channel, gpc
            )
            events = ledger.withdraw_consent(
                active.policy, state, command, now=now, new_id=self._ids()
            )
            self._append(uow, principal, events)
            uow.commit()
        return list(events)

    def record_relationship(
        self, principal: Principal, subject_id: str, kind: str, at: datetime | None = None
    ) -> ConsentEvent:
        """A registration, purchase, inquiry, contract start/end, address given or termination."""
        principal.require(Action.CONSENT_RELATIONSHIP)
        try:
            rkind = RelationshipKind(kind)
        except ValueError:
            raise ValidationFailed.single(
                "kind", "is not a relationship event", ", ".join(k.value for k in RelationshipKind)
            ) from None
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            subject, _ = self._subject_and_state(uow, subject_id)
            event = ledger.record_relationship_event(
                RecordRelationshipEvent(subject.id, rkind, at or now), now=now, new_id=self._ids()
            )
            self._append(uow, principal, [event])
            uow.commit()
        return event

    def set_channel(
        self,
        principal: Principal,
        subject_id: str,
        channel: str,
        opted_out: bool,
        at: datetime | None = None,
    ) -> ConsentEvent:
        """Opt out of (or back into) all marketing on a channel (CEM-2)."""
        principal.require(Action.CONSENT_CHANNEL)
        if self.ctx.policy.channel(channel) is None:
            raise ValidationFailed.single(
                "channel",
                "is not a marketing channel of the policy",
                ", ".join(c.id for c in self.ctx.policy.channels),
            )
        now = self.ctx.now()
        when = at or now
        if when > now:
            raise ValidationFailed.single("at", "is in the future")
        with self.ctx.uow() as uow:
            subject, _ = self._subject_and_state(uow, subject_id)
            eid = self._ids()()
            event: ConsentEvent = (
                ChannelOptedOut(eid, subject.id, channel, when)
                if opted_out
                else ChannelOptedIn(eid, subject.id, channel, when)
            )
            self._append(uow, principal, [event])
            uow.commit()
        return event

    def do_not_call(
        self, principal: Principal, subject_id: str, phone: str | None = None
    ) -> ConsentEvent:
        """Put the subject's number on the internal do-not-call list (CEM-4), effective at once."""
        principal.require(Action.CONSENT_DO_NOT_CALL)
        now = self.ctx.now()
        with self.ctx.uow() as uow:
            subject, _ = self._subject_and_state(uow, subject_id)
            number = phone or subject.identifier(IdentifierKind.PHONE)
            if not number:
                raise ValidationFailed.single(
                    "phone", "the subject has no telephone number on file"
                )
            event = DoNotCallRequested(self._ids()(), subject.id, number, now, now)
            self._append(uow, principal, [event])
            uow.commit()
        return event

    def history(self, principal: Principal, subject_id: str) -> list[ConsentEvent]:
        principal.require(Action.CONSENT_READ)
        with self.ctx.uow(readonly=True) as uow:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            return uow.consent.history(subject_id)

    def receipt(
        self, principal: Principal, event_id: str
    ) -> tuple[dict[str, object], dict[str, object], str]:
        """The consent's ISO/IEC TS 27560 record, Kantara v1.1 receipt, and the subject's language."""
        principal.require(Action.CONSENT_READ)
        policy = self.ctx.policy
        with self.ctx.uow(readonly=True) as uow:
            event = uow.consent.event(event_id)
            if not isinstance(event, ConsentGiven):
                raise NotFound("consent", event_id)
            subject = uow.subjects.get(event.subject_id)
            later = uow.consent.history(event.subject_id)
        assert subject is not None
        status_events = [
            e
            for e in later
            if isinstance(e, (ConsentWithdrawn, ConsentExpired, ConsentRenewed))
            and e.at >= event.at
        ]
        iso = iso_27560_record(event, policy, later_events=status_events, policy_url=POLICY_URL)
        kantara = kantara_receipt(event, policy, policy_url=POLICY_URL, later_events=status_events)
        return iso, kantara, subject.language
