"""The consent read model: the engine's answer per (purpose, channel), and for how long it holds.

An audience over a million subjects cannot run the engine for every subject on every
question; it reads answers the engine has already given. ``ReadModelPlan.rows`` asks the
engine (``engine.decide``, never a second copy of the rules) about each (purpose, channel)
the model keeps, at an instant ``at``, and says until when that answer holds *if the
subject's ledger does not change*: the earliest of the engine's own ``valid_until`` and the
next instant at which any input the engine reads can change by itself (a consent's
expiry, the end of a relationship event's window in the subject's local days, a Québec
minor's fourteenth birthday, an event dated later than ``at``). That list of instants is a
superset: an answer is never kept past a point where it could change, at worst re-checked
early. Whoever changes the ledger recomputes the subject's rows in the same transaction.
The rows come from a state in ledger order (``state.ledger_order``), so like the engine they
do not depend on the order events of one instant were recorded in (CON-5), and every instant
they scan for is taken from the events whatever their order.

Kept: every purpose x channel an audience can be asked for, except telephone channels
(calling hours and the national do-not-call list copy change answers without a ledger
event: telephone audiences are decided by the engine) and purposes resting on a legal
obligation (allowed without any event). Rows are produced only for answers
that are allowed, or refused but may lift by themselves (``valid_until`` set); a key
without a row is refused until the next ledger write for the subject.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from confide.domain.consent.casl import window_end
from confide.domain.consent.compiled import compiled
from confide.domain.consent.engine import decide
from confide.domain.consent.events import (
    ConsentGiven,
    ConsentRenewed,
    DoNotCallRequested,
    RelationshipEventRecorded,
)
from confide.domain.consent.state import SubjectState
from confide.domain.consent.versions import PolicyHistory
from confide.domain.policy import ConsentMode, Policy


class StateRow(NamedTuple):
    """One stored answer: ``allowed`` from ``valid_from`` until ``valid_until`` (None: until
    the ledger changes); ``answer_until`` is the engine's own "until when" (for proof)."""

    purpose: str
    channel: str  # '' when the purpose has no channel
    allowed: bool
    valid_from: datetime
    valid_until: datetime | None
    answer_until: datetime | None
    relied_on: str | None
    rule: str
    reasons: tuple[str, ...]


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is UTC else at.astimezone(UTC)


class ReadModelPlan:
    """Which (purpose, channel) keys the read model keeps under ``policy``, built once."""

    __slots__ = ("keys", "policy", "windows")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        index = compiled(policy)
        keys: list[tuple[str, str]] = []
        windows: dict[tuple[str, str], tuple[tuple[object, int | None, int | None], ...]] = {}
        for purpose in policy.purposes:
            if purpose.consent is ConsentMode.LEGAL_OBLIGATION:
                continue  # allowed with no event at all: "no row = refused" would not hold
            entry = index.purposes[purpose.id]
            for channel_id in purpose.channels:
                channel = index.channels.get(channel_id)
                if channel is None or channel.telephone:
                    continue
                keys.append((purpose.id, channel_id))
                plans = entry.plans_electronic if channel.electronic else entry.plans_other
                windows[(purpose.id, channel_id)] = tuple(
                    (source, plan.days, plan.months)
                    for plan in plans
                    if plan.days is not None or plan.months is not None
                    for source in plan.sources
                )
        self.keys: tuple[tuple[str, str], ...] = tuple(keys)
        self.windows = windows

    def keeps(self, purpose_id: str, channel: str) -> bool:
        return (purpose_id, channel) in self.windows

    def rows(
        self,
        state: SubjectState,
        at: datetime,
        history: PolicyHistory | None = None,
        keys: tuple[tuple[str, str], ...] | None = None,
    ) -> list[StateRow]:
        """The engine's answers for the subject at ``at`` that the read model stores."""
        at = _utc(at)
        later = _later_changes(self.policy, state, at)
        out: list[StateRow] = []
        firsts: dict[object, datetime | None] = {}
        for purpose_id, channel in keys or self.keys:
            d = decide(self.policy, state, purpose_id, (), channel, at=at, history=history)
            answer_until = None if d.valid_until is None else _utc(d.valid_until)
            until = answer_until
            windows = self.windows[(purpose_id, channel)]
            if windows in firsts:
                first = firsts[windows]
            else:
                ends = _window_ends(state, windows, at)
                first = min(ends) if ends else None
                if later and (first is None or later[0] < first):
                    first = later[0]
                firsts[windows] = first
            if first is not None and (until is None or first < until):
                until = first
            if not d.allowed and until is None:
                continue  # refused until the ledger changes: no row
            out.append(
                StateRow(
                    purpose_id,
                    channel,
                    d.allowed,
                    at,
                    until,
                    answer_until,
                    d.relied_on,
                    d.rule,
                    tuple(str(r) for r in d.reasons),
                )
            )
        return out


def _later_changes(policy: Policy, state: SubjectState, at: datetime) -> list[datetime]:
    """Instants after ``at`` at which the subject's inputs change by themselves, sorted."""
    out: list[datetime] = []
    for e in state.events:
        t = _utc(e.at)
        if t > at:
            out.append(t)
        if isinstance(e, ConsentGiven | ConsentRenewed) and e.expires_at is not None:
            t = _utc(e.expires_at)
            if t > at:
                out.append(t)
        elif isinstance(e, DoNotCallRequested) and e.added_at is not None:
            t = _utc(e.added_at)
            if t > at:
                out.append(t)
    if state.profile.birth_date is not None:
        of_age = state.of_age_at(policy.rules.quebec_minor_age)
        if of_age > at:
            out.append(of_age)
    out.sort()
    return out


def _window_ends(
    state: SubjectState,
    windows: tuple[tuple[object, int | None, int | None], ...],
    at: datetime,
) -> list[datetime]:
    """Ends (after ``at``) of the windows relationship events open for the key's triggers."""
    if not windows:
        return []
    out: list[datetime] = []
    for e in state.events:
        if not isinstance(e, RelationshipEventRecorded):
            continue
        for source, days, months in windows:
            if e.kind is source:
                end = _utc(window_end(e.at, state, days=days, months=months))
                if end > at:
                    out.append(end)
    return out
