"""Audiences: who may receive this campaign on this channel now (CEM-1..4, CON-5).

Fast path: the consent read model (``consent_state``, the engine's answers recomputed on
every ledger write, see ``domain.consent.readmodel``) is built for the active policy
version, the channel is one it keeps and the instant is now or later. The audience is then
one indexed range scan streaming the subjects whose stored answer is "allowed" at that
instant, with what it relies on (CEM-3); the few rows whose answer may have changed by
then (it ran out, or was written under another policy version) are decided again by the
engine from the ledger.

Otherwise (telephone, a past instant, a read model not yet rebuilt after a policy change)
the database narrows the subject base to candidates (anyone with a consent given for the
purpose, or a relationship event that can imply it, inside the widest window), and each
candidate is decided by the engine from their whole history. Either way an audience never
disagrees with ``decide`` (tested subject by subject); memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.casl import plan_triggers
from confide.domain.consent.engine import decide
from confide.domain.consent.state import derive_state
from confide.domain.errors import NotFound, ValidationFailed
from confide.services.consent import profile_of, read_model_plan
from confide.services.context import ActivePolicy, ServiceContext

BATCH = 2000


class AudienceMember(NamedTuple):
    """A subject who may receive the campaign, what that rests on (CEM-3) and until when."""

    subject_id: str
    relied_on: str | None
    valid_until: datetime | None


@dataclass
class AudienceSummary:
    candidates: int = 0
    members: int = 0


class AudienceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def stream(
        self,
        principal: Principal,
        purpose_id: str,
        channel: str,
        at: datetime | None = None,
        summary: AudienceSummary | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> Iterator[AudienceMember]:
        principal.require(Action.AUDIENCE_COMPUTE)
        active = self.ctx.require_active()
        policy = active.policy
        purpose = policy.purpose(purpose_id)
        if purpose is None:
            raise NotFound("purpose", purpose_id)
        ch = policy.channel(channel)
        if ch is None:
            raise NotFound("channel", channel)
        if channel not in purpose.channels:
            raise ValidationFailed.single(
                "channel", f"purpose {purpose_id} does not use this channel"
            )
        now = self.ctx.now()
        when = at or now
        if when.tzinfo is None:
            raise ValidationFailed.single("at", "must include a time zone")
        since: dict[str, datetime | None] = {}
        for plan in plan_triggers(purpose, policy.rules, electronic=ch.electronic):
            # Two days of slack around local-calendar windows: the engine has the last word.
            window = (
                None
                if plan.days is None and plan.months is None
                else timedelta(days=(plan.days or 0) + 31 * (plan.months or 0) + 2)
            )
            for source in plan.sources:
                previous = since.get(source.value, when)
                since[source.value] = (
                    None if window is None or previous is None else min(previous, when - window)
                )
        summary = summary if summary is not None else AudienceSummary()
        # Everything above is checked now; the members are produced lazily (a generator), so a
        # caller that streams them (HTTP, CSV file) has already seen any bad-input error.
        if (
            not ch.telephone
            and when >= now  # the read model answers for now or later
            and read_model_plan(policy).keeps(purpose_id, channel)
        ):
            with self.ctx.uow(readonly=True) as uow:
                build = uow.consent.state_build(active.version_id)
            if build is not None and build[1] is not None:
                return self._from_state(
                    principal, active, purpose_id, channel, when, summary, on_progress
                )
        return self._members(
            principal, active, purpose_id, channel, when, since, summary, on_progress
        )

    def _from_state(
        self,
        principal: Principal,
        active: ActivePolicy,
        purpose_id: str,
        channel: str,
        when: datetime,
        summary: AudienceSummary,
        on_progress: Callable[[int], None] | None,
    ) -> Iterator[AudienceMember]:
        version = active.version_id
        with self.ctx.uow(readonly=True) as uow:
            recheck = uow.consent.state_rechecks(purpose_id, channel, version, when)
            n = 0
            for sid, relied_on, until, exact in uow.consent.state_members(
                purpose_id, channel, version, when
            ):
                if not exact:
                    recheck.append(sid)
                    continue
                n += 1
                yield AudienceMember(sid, relied_on, until)
                if on_progress and n % 10_000 == 0:
                    on_progress(n)
        summary.members += n
        summary.candidates += n
        for start in range(0, len(recheck), BATCH):
            ids = recheck[start : start + BATCH]
            with self.ctx.uow(readonly=True) as uow:
                profiles = uow.consent.profiles(ids)
                histories = uow.consent.histories(ids)
            for sid in ids:
                profile = profiles.get(sid)
                if profile is None:
                    continue
                state = derive_state(profile, histories[sid])
                d = decide(
                    active.policy, state, purpose_id, (), channel, at=when, history=active.history
                )
                if d.allowed:
                    summary.members += 1
                    yield AudienceMember(sid, d.relied_on, d.valid_until)
            summary.candidates += len(ids)
            if on_progress:
                on_progress(summary.candidates)
        self._record(principal, active, purpose_id, channel, when, summary, "read model")

    def _record(
        self,
        principal: Principal,
        active: ActivePolicy,
        purpose_id: str,
        channel: str,
        when: datetime,
        summary: AudienceSummary,
        source: str,
    ) -> None:
        with self.ctx.uow() as uow:
            uow.audit.record(
                AuditRecord(
                    "audience.computed",
                    principal.user_id,
                    "audience",
                    f"{purpose_id}.{channel}",
                    self.ctx.now(),
                    active.version_id,
                    details={
                        "members": summary.members,
                        "candidates": summary.candidates,
                        "at": when.isoformat(),
                        "source": source,
                    },
                )
            )
            uow.commit()

    def _members(
        self,
        principal: Principal,
        active: ActivePolicy,
        purpose_id: str,
        channel: str,
        when: datetime,
        since: dict[str, datetime | None],
        summary: AudienceSummary,
        on_progress: Callable[[int], None] | None,
    ) -> Iterator[AudienceMember]:
        policy = active.policy  # the version checked above, whatever is activated meanwhile
        after = ""
        while True:
            with self.ctx.uow(readonly=True) as uow:
                ids = uow.consent.audience_candidates(purpose_id, channel, since, after, BATCH)
                if not ids:
                    break
                subjects = {s.id: s for s in uow.subjects.get_many(ids)}
                histories = uow.consent.histories(ids)
            after = ids[-1]
            for sid in ids:
                subject = subjects.get(sid)
                if subject is None:
                    continue
                state = derive_state(profile_of(subject), histories[sid])
                d = decide(policy, state, purpose_id, (), channel, at=when, history=active.history)
                if d.allowed:
                    summary.members += 1
                    yield AudienceMember(sid, d.relied_on, d.valid_until)
            summary.candidates += len(ids)
            if on_progress:
                on_progress(summary.candidates)
        self._record(principal, active, purpose_id, channel, when, summary, "ledger")
