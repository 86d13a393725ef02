"""End of life of personal information under its retention rule (RET-1, RET-2).

A rule keeps a category at least ``min_days`` and at most ``max_days`` from its event. The
*earliest* disposal date is the anchor's day plus ``min_days`` (disposing of it sooner breaks
a duty to keep it); the *latest* is the anchor's day plus ``max_days``: from that day on it is
due, and a disposal run takes it unless something stops it (a legal hold, an open request).
Days are counted on UTC calendar days of the anchor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from confide.domain.errors import FieldProblem, NotFound, ValidationFailed
from confide.domain.policy import DisposalMethod, Policy, RetentionEvent, RetentionRule


def rules_by_category(policy: Policy) -> dict[str, list[RetentionRule]]:
    out: dict[str, list[RetentionRule]] = {}
    for rule in policy.retention:
        out.setdefault(rule.category, []).append(rule)
    return out


def rule_for(policy: Policy, category: str, purposes: Iterable[str] = ()) -> RetentionRule:
    """The rule that keeps a record of ``category`` used for ``purposes``: a rule written for
    one of its purposes first (the longest of them, since information serving several
    purposes is kept as long as the longest need), else the category's general rule.

    Raises :class:`UnknownRetentionRule` when the policy has none (RET-1 says every category
    has one; a policy check enforces it, so this is a policy that was loaded unchecked)."""
    rules = [r for r in policy.retention if r.category == category]
    wanted = set(purposes)
    specific = [r for r in rules if r.purpose is not None and r.purpose in wanted]
    if specific:
        return max(specific, key=lambda r: r.max_days)
    general = [r for r in rules if r.purpose is None]
    if not general:
        raise UnknownRetentionRule(category)
    return general[0]


def due_cutoff(as_of: date, days: int) -> datetime:
    """Records whose anchor is strictly before this instant have passed ``days`` on ``as_of``
    (the anchor's UTC day plus ``days`` is ``as_of`` or earlier)."""
    return datetime.combine(as_of - timedelta(days=days - 1), time(0), UTC)


@dataclass(frozen=True)
class EndOfLife:
    """Where one record stands under its rule on a given day."""

    category: str
    counted_from: RetentionEvent
    method: DisposalMethod
    min_days: int
    max_days: int
    anchor: datetime | None
    """``None`` while the event has not happened (for example, the service still runs)."""

    @property
    def earliest(self) -> date | None:
        return None if self.anchor is None else self.anchor.date() + timedelta(self.min_days)

    @property
    def latest(self) -> date | None:
        return None if self.anchor is None else self.anchor.date() + timedelta(self.max_days)

    def due_on(self, day: date) -> bool:
        return self.latest is not None and self.latest <= day

    def may_dispose_on(self, day: date) -> bool:
        """Disposal before the minimum breaks a duty to keep (for example tax records)."""
        return self.earliest is not None and self.earliest <= day


def end_of_life(rule: RetentionRule, anchor: datetime | None) -> EndOfLife:
    return EndOfLife(
        rule.category,
        rule.counted_from,
        rule.disposal,
        rule.min_days,
        rule.max_days,
        anchor,
    )


class UnknownRetentionRule(NotFound):
    def __init__(self, category: str) -> None:
        super().__init__("retention rule", category)
        self.category = category


class IncompleteRule(ValidationFailed):
    """A rule the policy names but cannot be applied as written (an anonymizing rule without
    its quasi-identifiers and thresholds, RET-3)."""

    def __init__(self, category: str, message: str) -> None:
        super().__init__(
            f"retention rule for {category}: {message}",
            [FieldProblem(f"retention.{category}", message)],
        )
        self.category = category
