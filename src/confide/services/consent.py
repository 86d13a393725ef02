"""Use cases of the consent ledger and the use-decision engine (CON-1..10, CEM-1..5).

The rules live in ``confide.domain.consent``; this module loads a subject's state from the
ledger, calls the rule, appends the resulting events and their audit entries in one unit
of work, and records every decision.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from confide.domain.access import Principal, Role
from confide.domain.calendar import HolidayCalendar, zone_for
from confide.domain.consent import ledger
from confide.domain.consent.engine import Decision, decide
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
    SubjectProfile,
    WithdrawConsent,
)
from confide.domain.consent.readmodel import ReadModelPlan, StateRow
from confide.domain.consent.receipts import iso_27560_record, kantara_receipt
from confide.domain.consent.reconsent import purposes_to_reconsent
from confide.domain.consent.state import SubjectState, derive_state
from confide.domain.consent.versions import PolicyHistory
from confide.domain.consent.withdrawals import (
    DownstreamSystem,
    WithdrawalProgress,
    withdrawal_progress,
)
from confide.domain.errors import NotFound, ValidationFailed
from confide.domain.ids import new_id
from confide.domain.policy import ConsentMethod, Policy
from confide.domain.subjects import IdentifierKind, Subject
from confide.services.context import ActivePolicy, ServiceContext
from confide.services.ports import AuditRecord, StoredDecision, UnitOfWork

RECORDERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
DECIDERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.INTEGRATION})
READERS = frozenset({Role.PRIVACY_OFFICER, Role.AGENT, Role.AUDITOR, Role.INTEGRATION})
OFFICERS = frozenset({Role.PRIVACY_OFFICER})
STATE_KEEPERS = frozenset({Role.PRIVACY_OFFICER, Role.INTEGRATION})
OFFICER_ON_DUTY = Principal(
    user_id="system", username="system", roles=frozenset({Role.PRIVACY_OFFICER})
)
"""The worker's upkeep rebuilds the read model on the officer's behalf (audited as system)."""
STATE_CACHE_SIZE = 100_000
"""Subject states a process keeps for decisions (each checked against the store on use)."""
POLICY_URL = "/portal/policy"  # where the portal publishes the policy in force


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


@dataclass(frozen=True)
class DecisionResult:
    id: str
    decision: Decision


@dataclass(frozen=True)
class WithdrawalStatus:
    withdrawal: ConsentWithdrawn
    progress: WithdrawalProgress


def profile_of(subject: Subject) -> SubjectProfile:
    phones = tuple(i.value for i in subject.identifiers if i.kind is IdentifierKind.PHONE)
    return SubjectProfile(
        subject.id, subject.province, subject.language, subject.birth_date, None, phones
    )


_PLANS: list[ReadModelPlan] = []


def read_model_plan(policy: Policy) -> ReadModelPlan:
    """The read-model plan of ``policy``, built once per policy object."""
    for plan in _PLANS:
        if plan.policy is policy:
            return plan
    plan = ReadModelPlan(policy)
    _PLANS[:] = [plan, *_PLANS[:3]]
    return plan


def refresh_consent_state(
    uow: UnitOfWork,
    active: ActivePolicy,
    subject_ids: Sequence[str],
    at: datetime,
    known: dict[str, tuple[SubjectProfile, Sequence[ConsentEvent]]] | None = None,
) -> int:
    """Recompute the consent read model of ``subject_ids`` at ``at`` in ``uow``'s transaction.

    Every ledger write calls this for the subjects it touched, so the stored answers never
    lag the ledger. ``known`` gives profiles and whole histories already in memory (a bulk
    load); otherwise they are read from the store under a per-subject lock. Returns the
    number of rows written.
    """
    ids = sorted(set(subject_ids))
    if not ids:
        return 0
    plan = read_model_plan(active.policy)
    if known is None:
        uow.consent.lock_subjects(ids)
        profiles = uow.consent.profiles(ids)
        histories = uow.consent.histories(ids)
        known = {sid: (profiles[sid], histories.get(sid, [])) for sid in ids if sid in profiles}
    rows: list[tuple[str, StateRow]] = []
    for sid in ids:
        found = known.get(sid)
        if found is None:
            continue
        state = derive_state(found[0], found[1])
        rows.extend((sid, r) for r in plan.rows(state, at, active.history))
    uow.consent.replace_state(ids, rows, active.version_id)
    return len(rows)


class ConsentService:
    def __init__(
        self,
        ctx: ServiceContext,
        calendar: HolidayCalendar,
        record_decisions: Callable[[Sequence[StoredDecision]], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.calendar = calendar
        # Decisions are recorded through a group committer when one is wired (many concurrent
        # decisions share one transaction); otherwise each in its own.
        self._record_decisions = record_decisions or self.record_decisions_now
        # Subject states derived for decisions, each under the stamp of the ledger it was
        # derived from; reused only while the store shows the same stamp (least recently used
        # dropped beyond STATE_CACHE_SIZE).
        self._states: OrderedDict[str, tuple[object, SubjectState]] = OrderedDict()
        self._states_lock = threading.Lock()

    def use_recorder(self, record_decisions: Callable[[Sequence[StoredDecision]], None]) -> None:
        """Record decisions through ``record_decisions`` (e.g. a group committer) from now on."""
        self._record_decisions = record_decisions

    # --- loading -------------------------------------------------------------------------------
    def _subject_and_state(self, uow: UnitOfWork, subject_id: str) -> tuple[Subject, SubjectState]:
        subject = uow.subjects.get(subject_id)
        if subject is None:
            raise NotFound("subject", subject_id)
        return subject, derive_state(profile_of(subject), uow.consent.history(subject_id))

    def _ids(self) -> Callable[[], str]:
        """Event ids that sort in the order they are minted (state derivation relies on order)."""
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
        refresh_consent_state(uow, active, [e.subject_id for e in events], now)
        uow.audit.record_many(
            [
                AuditRecord(
                    f"consent.{_event_name(e)}",
                    principal.user_id,
                    "consent",
                    e.event_id,
                    now,
                    version,
                    e.subject_id,
                    _event_details(e),
                )
                for e in events
            ]
        )

    # --- the ledger ----------------------------------------------------------------------------
    def give(self, principal: Principal, req: GiveConsentRequest) -> list[ConsentEvent]:
        principal.require(RECORDERS, "consent.give")
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
        principal.require(RECORDERS, "consent.withdraw")
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
        principal.require(RECORDERS, "consent.relationship")
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
        principal.require(RECORDERS, "consent.channel")
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
        principal.require(RECORDERS, "consent.do_not_call")
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
        principal.require(READERS, "consent.read")
        with self.ctx.uow(readonly=True) as uow:
            if uow.subjects.get(subject_id) is None:
                raise NotFound("subject", subject_id)
            return uow.consent.history(subject_id)

    def receipt(
        self, principal: Principal, event_id: str
    ) -> tuple[dict[str, object], dict[str, object], str]:
        """The consent's ISO/IEC TS 27560 record, Kantara v1.1 receipt, and the subject's language."""
        principal.require(READERS, "consent.read")
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

    # --- decisions -----------------------------------------------------------------------------
    def decide(
        self,
        principal: Principal,
        subject_id: str,
        purpose_id: str,
        categories: Sequence[str] = (),
        channel: str | None = None,
        at: datetime | None = None,
    ) -> DecisionResult:
        """May the subject's ``categories`` be used for ``purpose_id`` (on ``channel``) at ``at``?
        The decision is recorded (with its audit entry) before it is returned."""
        result, stored = self.decide_unrecorded(
            principal, subject_id, purpose_id, categories, channel, at
        )
        self._record_decisions([stored])
        return result

    def decision_state(self, uow: UnitOfWork, subject_id: str) -> SubjectState:
        """The subject's state for a decision, read from the store: one round trip for the
        profile and the ledger's stamp (event count, latest instant); the history is read and
        the state derived again only when the stamp (or profile) differs from the cached one."""
        found = uow.consent.decision_profile(subject_id)
        if found is None:
            raise NotFound("subject", subject_id)
        profile, stamp = found
        with self._states_lock:
            hit = self._states.get(subject_id)
            if hit is not None:
                self._states.move_to_end(subject_id)
        if hit is not None and hit[0] == stamp and hit[1].profile == profile:
            return hit[1]
        state = derive_state(profile, uow.consent.decision_history(subject_id))
        with self._states_lock:
            self._states[subject_id] = (stamp, state)
            self._states.move_to_end(subject_id)
            while len(self._states) > STATE_CACHE_SIZE:
                self._states.popitem(last=False)
        return state

    def decide_unrecorded(
        self,
        principal: Principal,
        subject_id: str,
        purpose_id: str,
        categories: Sequence[str] = (),
        channel: str | None = None,
        at: datetime | None = None,
    ) -> tuple[DecisionResult, StoredDecision]:
        """The decision and the row that records it; the caller must record it before answering
        (``record_decisions_now``, or the group committer's ``submit_async`` from a coroutine)."""
        principal.require(DECIDERS, "decisions.decide")
        active = self.ctx.require_active()
        now = self.ctx.now()
        when = at or now
        if when.tzinfo is None:
            raise ValidationFailed.single("at", "must include a time zone")
        with self.ctx.uow(readonly=True) as uow:
            state = self.decision_state(uow, subject_id)
            ch = active.policy.channel(channel) if channel else None
            # Only telephone decisions consult the national do-not-call list (CEM-4).
            dnc = (
                uow.consent.national_copy_for(state.profile.phone_numbers)
                if ch and ch.telephone
                else None
            )
        decision = decide(
            active.policy,
            state,
            purpose_id,
            tuple(categories),
            channel,
            at=when,
            history=active.history,
            national_dnc=dnc,
        )
        result = DecisionResult(new_id("dec", now), decision)
        return result, self._stored(result, principal, now)

    def _stored(
        self, result: DecisionResult, principal: Principal, now: datetime
    ) -> StoredDecision:
        d = result.decision
        return StoredDecision(
            id=result.id,
            subject_id=d.subject_id,
            action="use",
            purpose_id=d.purpose_id,
            channel=d.channel,
            recipient_id=None,
            categories=d.categories,
            asked_at=d.at,
            decided_at=now,
            allowed=d.allowed,
            reasons=tuple(str(r) for r in d.reasons),
            rule=d.rule,
            relied_on=d.relied_on,
            valid_until=d.valid_until,
            policy_version=self.ctx.require_active().version_id,
            requested_by=principal.user_id,
            language=d.language,
        )

    def record_decisions_now(self, items: Sequence[StoredDecision]) -> None:
        """Record decisions and their audit entries in one transaction."""
        with self.ctx.uow() as uow:
            uow.consent.add_decisions(items)
            uow.audit.record_many(
                [
                    AuditRecord(
                        "decision.made",
                        d.requested_by,
                        "decision",
                        d.id,
                        d.decided_at,
                        d.policy_version,
                        d.subject_id,
                        {
                            "purpose": d.purpose_id,
                            "channel": d.channel,
                            "allowed": d.allowed,
                            "reasons": list(d.reasons),
                            "rule": d.rule,
                        },
                    )
                    for d in items
                ]
            )
            uow.commit()

    def decision(self, principal: Principal, decision_id: str) -> StoredDecision:
        principal.require(READERS, "decisions.read")
        with self.ctx.uow(readonly=True) as uow:
            found = uow.consent.decision(decision_id)
        if found is None:
            raise NotFound("decision", decision_id)
        return found

    # --- withdrawals reaching downstream systems (CON-5) ----------------------------------------
    def register_system(self, principal: Principal, name: str, purposes: Sequence[str] = ()) -> str:
        principal.require(OFFICERS, "consent.systems")
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
        principal.require(RECORDERS, "consent.acknowledge")
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
        principal.require(READERS, "consent.read")
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

    # --- re-consent after a policy change (CON-4, POL-3) ----------------------------------------
    def reconsent(
        self, principal: Principal, batch: int = 2000
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every subject who must be asked again, with the purposes: those a later policy version
        added that rest on consent and that no consent in force covers. Streamed in id order."""
        principal.require(OFFICERS, "consent.reconsent")
        active = self.ctx.require_active()
        history = active.history
        if history is None or not any(v.purposes_added for v in history.versions[1:]):
            return iter(())
        return self._reconsent(active.policy, history, batch)

    def _reconsent(
        self, policy: Policy, history: PolicyHistory, batch: int
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        now = self.ctx.now()
        offset = 0
        while True:
            with self.ctx.uow(readonly=True) as uow:
                subjects = uow.subjects.page(offset=offset, limit=batch)
                histories = uow.consent.histories([s.id for s in subjects])
            if not subjects:
                return
            for subject in subjects:
                state = derive_state(profile_of(subject), histories[subject.id])
                wanted = purposes_to_reconsent(policy, history, state, now)
                if wanted:
                    yield subject.id, wanted
            offset += len(subjects)

    # --- the consent read model ------------------------------------------------------------------
    def state_is_current(self) -> bool:
        """Was the read model fully built for the active policy version?"""
        active = self.ctx.require_active()
        with self.ctx.uow(readonly=True) as uow:
            build = uow.consent.state_build(active.version_id)
        return build is not None and build[1] is not None

    def rebuild_state(
        self,
        principal: Principal,
        batch: int = 2000,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Recompute the read model of every subject under the active policy version, in chunks
        (one transaction each). Until it completes, audiences decide from the ledger."""
        principal.require(OFFICERS, "consent.rebuild_state")
        if not 1 <= batch <= 50_000:
            raise ValidationFailed.single("batch", "must be between 1 and 50,000")
        active = self.ctx.require_active()
        with self.ctx.uow() as uow:
            uow.consent.start_state_build(active.version_id, self.ctx.now())
            uow.commit()
        after, done, rows = "", 0, 0
        while True:
            with self.ctx.uow() as uow:
                ids = uow.consent.subject_ids_after(after, batch)
                if not ids:
                    break
                rows += refresh_consent_state(uow, active, ids, self.ctx.now())
                uow.commit()
            after = ids[-1]
            done += len(ids)
            if on_progress:
                on_progress(done)
        with self.ctx.uow() as uow:
            uow.consent.complete_state_build(active.version_id, self.ctx.now())
            uow.audit.record(
                AuditRecord(
                    "consent.state_rebuilt",
                    principal.user_id,
                    "consent_state",
                    active.version_id,
                    self.ctx.now(),
                    active.version_id,
                    details={"subjects": done, "rows": rows},
                )
            )
            uow.commit()
        return done

    def maintain_state(self, principal: Principal, batch: int = 2000) -> int:
        """The periodic upkeep of the read model: rebuild it if it is not built for the active
        policy version; otherwise recompute the subjects whose stored answers ran out (so
        audiences re-check few subjects from the ledger). Returns the subjects recomputed."""
        principal.require(STATE_KEEPERS, "consent.maintain_state")
        if not self.state_is_current():
            return self.rebuild_state(OFFICER_ON_DUTY, batch)
        active = self.ctx.require_active()
        keys = read_model_plan(active.policy).keys
        done = 0
        while True:
            now = self.ctx.now()
            with self.ctx.uow() as uow:
                ids = uow.consent.state_ran_out(keys, now, batch)
                if ids:
                    refresh_consent_state(uow, active, ids, now)
                    uow.commit()
            done += len(ids)
            if len(ids) < batch:
                return done

    # --- national do-not-call list (CEM-4) ------------------------------------------------------
    def import_national_dnc(
        self, principal: Principal, taken_at: datetime, numbers: Sequence[str]
    ) -> str:
        principal.require(OFFICERS, "consent.national_dnc")
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


def _event_name(e: ConsentEvent) -> str:
    names = {
        "ConsentGiven": "given",
        "ConsentWithdrawn": "withdrawn",
        "ConsentExpired": "expired",
        "ConsentRenewed": "renewed",
        "RelationshipEventRecorded": "relationship_recorded",
        "GpcSignalReceived": "gpc_received",
        "ChannelOptedOut": "channel_opted_out",
        "ChannelOptedIn": "channel_opted_in",
        "DoNotCallRequested": "do_not_call_requested",
    }
    return names[type(e).__name__]


def _event_details(e: ConsentEvent) -> dict[str, object]:
    details: dict[str, object] = {}
    for name in (
        "purpose_id",
        "channel",
        "kind",
        "method",
        "policy_version",
        "evidence_ref",
        "by_guardian",
    ):
        value = getattr(e, name, None)
        if value is not None:
            details[name] = str(value) if not isinstance(value, bool) else value
    return details
