"""Implied consent from relationship events: CASL windows (CEM-1) and the policy's triggers (CON-2).

A purpose lists the relationship events that imply consent to it
(``Purpose.implied_by``). For a commercial electronic message (an electronic
channel) only the CASL relationships count, within the windows of
``policy.rules``: ``casl_purchase_window_days`` after a purchase,
``casl_contract_end_window_days`` after the end of a contract (a contract still
running counts), ``casl_inquiry_window_months`` after an inquiry. A trigger's
own window applies too when it is shorter (a policy may be stricter, never
weaker). Elsewhere a trigger lasts its own window, or while the relationship
lasts (until the service is terminated) when it has none.

Windows are counted on the subject's local calendar: an event on local day D
with a window of N days implies consent through the whole of day D+N (a
message on day 730 after a purchase is inside, day 731 is not). Each new
event of a kind restarts its window; of several triggers the one ending last
wins.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from confide.domain.calendar import end_of_local_day, local_date, window_last_day
from confide.domain.consent.events import RelationshipEventRecorded, RelationshipKind
from confide.domain.consent.state import SubjectState
from confide.domain.policy import LegalRules, Purpose

CASL_RELATIONSHIPS = frozenset(
    {
        RelationshipKind.PURCHASE,
        RelationshipKind.CONTRACT_START,
        RelationshipKind.CONTRACT_END,
        RelationshipKind.INQUIRY,
    }
)
"""Relationship events that can imply consent to a commercial electronic message."""


class ImpliedBasis(NamedTuple):
    """An implied consent in force: the event it rests on and until when.

    ``valid_until`` None means while the relationship lasts.
    """

    event: RelationshipEventRecorded
    valid_until: datetime | None
    rule: str


class ImpliedOutcome(NamedTuple):
    basis: ImpliedBasis | None
    expired: ImpliedBasis | None
    """When no basis is in force: the latest trigger whose window has passed."""


class TriggerPlan(NamedTuple):
    """One trigger of a purpose, resolved for a kind of channel: which events fire it,
    its window, or (windowless) which events end it."""

    sources: tuple[RelationshipKind, ...]
    days: int | None
    months: int | None
    ended_by: tuple[RelationshipKind, ...]


def window_end(
    event_at: datetime,
    state: SubjectState,
    *,
    days: int | None = None,
    months: int | None = None,
) -> datetime:
    """When a window of ``days`` (or ``months``) after ``event_at`` ends, in local days."""
    return end_of_local_day(window_last_day(local_date(event_at, state.tz), days, months), state.tz)


def _stricter(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def plan_triggers(
    purpose: Purpose, rules: LegalRules, *, electronic: bool
) -> tuple[TriggerPlan, ...]:
    """Resolve a purpose's triggers once: CASL relationships and windows on electronic channels."""
    plans = []
    for trigger in purpose.implied_by:
        try:
            kind = RelationshipKind(trigger.event)
        except ValueError:
            continue
        if electronic and kind not in CASL_RELATIONSHIPS:
            continue
        days, months = trigger.window_days, trigger.window_months
        if electronic:
            if kind is RelationshipKind.PURCHASE:
                days = _stricter(days, rules.casl_purchase_window_days)
            elif kind is RelationshipKind.CONTRACT_END:
                days = _stricter(days, rules.casl_contract_end_window_days)
            elif kind is RelationshipKind.INQUIRY:
                months = _stricter(months, rules.casl_inquiry_window_months)
        sources: tuple[RelationshipKind, ...] = (kind,)
        if kind is RelationshipKind.CONTRACT_END:
            # Terminating the service ends the contract too.
            sources = (kind, RelationshipKind.SERVICE_TERMINATED)
        ended_by: tuple[RelationshipKind, ...] = (RelationshipKind.SERVICE_TERMINATED,)
        if kind is RelationshipKind.CONTRACT_START:
            # A running contract: until it ends (the contract-end trigger takes over).
            ended_by = (RelationshipKind.CONTRACT_END, RelationshipKind.SERVICE_TERMINATED)
        plans.append(TriggerPlan(sources, days, months, ended_by))
    return tuple(plans)


def implied_consent(
    purpose: Purpose,
    state: SubjectState,
    at: datetime,
    rules: LegalRules,
    *,
    electronic: bool,
    not_before: datetime | None = None,
) -> ImpliedOutcome:
    """The implied consent to ``purpose`` in force at ``at``, from relationship events.

    Events before ``not_before`` (a withdrawal, or the start of the policy
    version that introduced the purpose, CON-4) do not count.
    """
    plans = plan_triggers(purpose, rules, electronic=electronic)
    return implied_by_plans(plans, state, at, "CEM-1" if electronic else "CON-2", not_before)


def implied_by_plans(
    plans: tuple[TriggerPlan, ...],
    state: SubjectState,
    at: datetime,
    rule: str,
    not_before: datetime | None = None,
) -> ImpliedOutcome:
    """:func:`implied_consent` with the purpose's triggers already resolved (the hot path)."""
    best: RelationshipEventRecorded | None = None
    best_until: datetime | None = None  # end of the best window; None: open-ended
    expired: RelationshipEventRecorded | None = None
    expired_until: datetime | None = None
    for plan in plans:
        days, months = plan.days, plan.months
        for source in plan.sources:
            if days is None and months is None:
                event = state.latest_relationship(source, at)
                if event is None or (not_before is not None and event.at < not_before):
                    continue
                if _ended_after(state, event, at, plan.ended_by):
                    continue
                if best is None or best_until is not None:
                    best, best_until = event, None
                continue
            found = state.latest_relationship_until(source, at, days, months)
            if found is None:
                continue
            event, until = found
            if not_before is not None and event.at < not_before:
                continue
            if until <= at:
                if expired_until is None or until > expired_until:
                    expired, expired_until = event, until
                continue
            if best is None or (best_until is not None and until > best_until):
                best, best_until = event, until
    if best is not None:
        return ImpliedOutcome(ImpliedBasis(best, best_until, rule), None)
    if expired is not None:
        return ImpliedOutcome(None, ImpliedBasis(expired, expired_until, rule))
    return ImpliedOutcome(None, None)


def _ended_after(
    state: SubjectState,
    event: RelationshipEventRecorded,
    at: datetime,
    ends: tuple[RelationshipKind, ...],
) -> bool:
    for kind in ends:
        later = state.latest_relationship(kind, at)
        if later is not None and later.at >= event.at:
            return True
    return False
