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

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from confide.domain.consent.events import RelationshipEventRecorded, RelationshipKind
from confide.domain.consent.state import SubjectState
from confide.domain.consent.zones import add_months, end_of_local_day, local_date
from confide.domain.policy import ImpliedConsentTrigger, LegalRules, Purpose

CASL_RELATIONSHIPS = frozenset(
    {
        RelationshipKind.PURCHASE,
        RelationshipKind.CONTRACT_START,
        RelationshipKind.CONTRACT_END,
        RelationshipKind.INQUIRY,
    }
)
"""Relationship events that can imply consent to a commercial electronic message."""


@dataclass(frozen=True, slots=True)
class ImpliedBasis:
    """An implied consent in force: the event it rests on and until when.

    ``valid_until`` None means while the relationship lasts.
    """

    event: RelationshipEventRecorded
    valid_until: datetime | None
    rule: str


@dataclass(frozen=True, slots=True)
class ImpliedOutcome:
    basis: ImpliedBasis | None
    expired: ImpliedBasis | None
    """When no basis is in force: the latest trigger whose window has passed."""


def window_end(
    event_at: datetime,
    state: SubjectState,
    *,
    days: int | None = None,
    months: int | None = None,
) -> datetime:
    """When a window of ``days`` (or ``months``) after ``event_at`` ends, in local days."""
    start = local_date(event_at, state.tz)
    candidates: list[date] = []
    if days is not None:
        candidates.append(start + timedelta(days=days))
    if months is not None:
        candidates.append(add_months(start, months))
    if not candidates:
        raise ValueError("a window needs days or months")
    return end_of_local_day(min(candidates), state.tz)


def _stricter(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _casl_window(
    trigger: ImpliedConsentTrigger, rules: LegalRules
) -> tuple[int | None, int | None]:
    kind = trigger.event
    if kind == RelationshipKind.PURCHASE:
        return _stricter(
            trigger.window_days, rules.casl_purchase_window_days
        ), trigger.window_months
    if kind == RelationshipKind.CONTRACT_END:
        return (
            _stricter(trigger.window_days, rules.casl_contract_end_window_days),
            trigger.window_months,
        )
    if kind == RelationshipKind.INQUIRY:
        return trigger.window_days, _stricter(
            trigger.window_months, rules.casl_inquiry_window_months
        )
    return trigger.window_days, trigger.window_months


def _ended_after(
    state: SubjectState, event: RelationshipEventRecorded, at: datetime, *ends: RelationshipKind
) -> bool:
    for kind in ends:
        later = state.latest_relationship(kind, at)
        if later is not None and later.at >= event.at:
            return True
    return False


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
    best: ImpliedBasis | None = None
    expired: ImpliedBasis | None = None
    rule = "CEM-1" if electronic else "CON-2"
    for trigger in purpose.implied_by:
        try:
            kind = RelationshipKind(trigger.event)
        except ValueError:
            continue
        if electronic and kind not in CASL_RELATIONSHIPS:
            continue
        candidates = [kind]
        if kind is RelationshipKind.CONTRACT_END:
            # Terminating the service ends the contract too.
            candidates.append(RelationshipKind.SERVICE_TERMINATED)
        for candidate in candidates:
            event = state.latest_relationship(candidate, at)
            if event is None or (not_before is not None and event.at < not_before):
                continue
            if electronic:
                days, months = _casl_window(trigger, rules)
            else:
                days, months = trigger.window_days, trigger.window_months
            if kind is RelationshipKind.CONTRACT_START and days is None and months is None:
                # A running contract: until it ends (the contract-end trigger takes over).
                if _ended_after(
                    state,
                    event,
                    at,
                    RelationshipKind.CONTRACT_END,
                    RelationshipKind.SERVICE_TERMINATED,
                ):
                    continue
                until = None
            elif days is None and months is None:
                if _ended_after(state, event, at, RelationshipKind.SERVICE_TERMINATED):
                    continue
                until = None
            else:
                until = window_end(event.at, state, days=days, months=months)
            basis = ImpliedBasis(event, until, rule)
            if until is not None and until <= at:
                if expired is None or (expired.valid_until or at) < until:
                    expired = basis
                continue
            if best is None or _later(basis.valid_until, best.valid_until):
                best = basis
    return ImpliedOutcome(best, None if best else expired)


def _later(a: datetime | None, b: datetime | None) -> bool:
    if a is None:
        return b is not None
    if b is None:
        return False
    return a > b
