"""Planning a disposal run: the exact list of records due on a day, what is kept back and why.

One plan is made inside one unit of work: every rule is applied in the database (the run's
items), then holds in force and subjects' open requests keep their items back, then anonymized
categories are analysed (RET-3) and the groups too small to be kept anonymous are suppressed
(deleted instead). The summary (counts per category, system and method, counts kept back by
reason) is what the officer reviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.policy import DisposalMethod, Policy, RetentionEvent, RetentionRule
from confide.domain.requests.model import OPEN_STATES
from confide.domain.retention.lifecycle import anchors_of
from confide.domain.retention.runs import (
    Candidate,
    DisposalRun,
    HeldReason,
    ItemState,
    PlanLine,
    PlannedItem,
    RuleCut,
)
from confide.domain.retention.schedule import (
    IncompleteRule,
    UnknownRetentionRule,
    due_cutoff,
    end_of_life,
    rule_for,
    rules_by_category,
)
from confide.services.ports.store import UnitOfWork
from confide.services.retention.anonymity import plan_anonymity

HOLD_PREFIX = "hold:"


def check_categories(policy: Policy, categories: Sequence[str]) -> tuple[str, ...]:
    """The categories asked for, each known to the policy and with a rule; all when empty."""
    rules = rules_by_category(policy)
    known = {c.id for c in policy.categories}
    problems = [
        FieldProblem("category", f"{c!r} is not a category of the policy in force")
        for c in categories
        if c not in known
    ]
    if problems:
        raise ValidationFailed(problems[0].message, problems)
    for c in categories:
        if c not in rules:
            raise UnknownRetentionRule(c)
    return tuple(sorted(set(categories))) if categories else tuple(sorted(rules))


def check_rule(rule: RetentionRule) -> None:
    """A rule that can be applied as written (RET-2, RET-3)."""
    if rule.disposal is DisposalMethod.ANONYMIZE and rule.anonymization is None:
        raise IncompleteRule(
            rule.category,
            "anonymizes without naming its quasi-identifiers and k (RET-3): "
            "add `anonymization` to the rule",
        )


def plan_into(uow: UnitOfWork, run: DisposalRun, policy: Policy, now: datetime) -> DisposalRun:
    """Fill ``run`` (already added) with its items; the run with its summary."""
    by_category = rules_by_category(policy)
    for category in run.categories:
        rules = by_category[category]
        for rule in rules:
            check_rule(rule)
        if any(r.purpose is not None for r in rules):
            _plan_by_purposes(uow, run.id, policy, category, run.as_of)
        else:
            rule = rules[0]
            uow.retention.plan_rule(run.id, cut_of(rule, run.as_of))
    for hold in uow.holds.listing(active_only=True, limit=100_000):
        if hold.in_force_at(now):
            uow.retention.hold_back(
                run.id,
                HOLD_PREFIX + hold.id,
                subject_id=hold.scope.subject_id,
                category=hold.scope.category,
                system=hold.scope.system,
            )
    uow.retention.hold_back_open_requests(run.id, [s.value for s in OPEN_STATES])
    anonymity: dict[str, dict[str, int]] = {}
    for category in run.categories:
        rule = by_category[category][0]
        if rule.disposal is DisposalMethod.ANONYMIZE and rule.anonymization is not None:
            rows = list(uow.retention.anonymity_rows(run.id, category))
            if not rows:
                continue
            plan = plan_anonymity(rows, rule.anonymization)
            uow.retention.suppress(run.id, plan.suppressed)
            anonymity[category] = {
                "k": plan.k,
                "l": plan.l_diversity,
                "kept": plan.kept,
                "suppressed": len(plan.suppressed),
                **{f"level.{q}": lvl for q, lvl in plan.levels.items()},
            }
    return summarize(uow, run, anonymity)


def cut_of(rule: RetentionRule, as_of: date) -> RuleCut:
    return RuleCut(
        rule.category,
        rule.counted_from.value,
        due_cutoff(as_of, rule.max_days),
        rule.disposal.value,
    )


def _plan_by_purposes(
    uow: UnitOfWork, run_id: str, policy: Policy, category: str, as_of: date
) -> None:
    """Categories whose rules depend on purposes: each record under its own rule."""
    batch: list[Candidate] = []

    def flush() -> None:
        events = uow.retention.anchors_for(sorted({c.subject_id for c in batch}))
        items = []
        for c in batch:
            rule = rule_for(policy, category, c.purposes)
            anchor = anchors_of(events.get(c.subject_id, ())).of(
                RetentionEvent(rule.counted_from), c.collected_at
            )
            if end_of_life(rule, anchor).due_on(as_of):
                items.append(
                    PlannedItem(c.record_id, c.subject_id, category, c.system, rule.disposal.value)
                )
        uow.retention.add_items(run_id, items)
        batch.clear()

    for candidate in uow.retention.candidates(category):
        batch.append(candidate)
        if len(batch) >= 1000:
            flush()
    if batch:
        flush()


def summarize(
    uow: UnitOfWork, run: DisposalRun, anonymity: dict[str, dict[str, int]]
) -> DisposalRun:
    due: dict[tuple[str, str, str], int] = defaultdict(int)
    held_lines: dict[tuple[str, str, str], int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    for line in uow.retention.counts(run.id):
        key = (line.category, line.system, line.method)
        if line.state == ItemState.HELD.value:
            held_lines[key] += line.count
            reason = (
                HeldReason.LEGAL_HOLD.value
                if (line.reason or "").startswith(HOLD_PREFIX)
                else (line.reason or "")
            )
            held[reason] += line.count
        else:
            due[key] += line.count
    lines = tuple(
        PlanLine(c, s, m, due.get((c, s, m), 0), held_lines.get((c, s, m), 0))
        for c, s, m in sorted(set(due) | set(held_lines))
    )
    total = sum(due.values())
    return replace(run, lines=lines, held=dict(held), anonymity=anonymity, total=total)
