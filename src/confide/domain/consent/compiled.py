"""A policy compiled for decisions: look-ups and trigger plans resolved once per policy object.

Decisions run hot; everything that depends only on the policy (category sets per
purpose, sensitive categories, implied-consent trigger plans per kind of channel,
calling hours in minutes) is computed once and cached by policy identity.
"""

from __future__ import annotations

from confide.domain.consent.casl import plan_triggers
from confide.domain.policy import Channel, Policy, Purpose, Sensitivity


class PurposeIndex:
    """What a decision needs about one purpose, resolved once per policy."""

    __slots__ = (
        "categories",
        "channels",
        "high",
        "plans_electronic",
        "plans_other",
        "policy_ref",
        "purpose",
    )

    def __init__(self, purpose: Purpose, policy: Policy, high: frozenset[str]) -> None:
        self.purpose = purpose
        self.categories = frozenset(purpose.categories)
        self.channels = frozenset(purpose.channels)
        self.high = high & self.categories
        self.policy_ref = f"policy:purposes/{purpose.id}"
        self.plans_electronic = plan_triggers(purpose, policy.rules, electronic=True)
        self.plans_other = plan_triggers(purpose, policy.rules, electronic=False)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class PolicyIndex:
    """Look-ups a decision needs, built once per policy object."""

    __slots__ = ("channels", "hours", "known_categories", "policy", "purposes")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        high = frozenset(c.id for c in policy.categories if c.sensitivity is Sensitivity.HIGH)
        self.purposes = {p.id: PurposeIndex(p, policy, high) for p in policy.purposes}
        self.channels: dict[str, Channel] = {c.id: c for c in policy.channels}
        self.known_categories = frozenset(c.id for c in policy.categories)
        h = policy.rules.calling_hours
        self.hours = (
            (_minutes(h.weekday_start), _minutes(h.weekday_end)),
            (_minutes(h.weekend_start), _minutes(h.weekend_end)),
        )


_INDEXES: dict[int, PolicyIndex] = {}
LAST: list[PolicyIndex | None] = [None]
"""The policy compiled most recently: the engine checks it first."""


def compiled(policy: Policy) -> PolicyIndex:
    last = LAST[0]
    if last is not None and last.policy is policy:
        return last
    found = _INDEXES.get(id(policy))
    if len(_INDEXES) > 32:
        _INDEXES.clear()
    if found is None or found.policy is not policy:
        found = PolicyIndex(policy)
        _INDEXES[id(policy)] = found
    LAST[0] = found
    return found
