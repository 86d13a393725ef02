"""Planning a disposal run: the exact list of records due on a day, what is kept back and why.

One plan is made inside one unit of work: each rule's due records are streamed (ids only) from
one indexed query; a record a hold in force covers, or whose subject has an open request, is
kept back with its reason; anonymized categories are analysed (RET-3) and the groups too small
to be kept anonymous are suppressed (deleted instead). The list is written in chunks of
:data:`CHUNK_SIZE` ids; the summary (counts per category, system and method, counts kept back
by reason) is what the officer reviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

from confide.domain.errors import FieldProblem, ValidationFailed
from confide.domain.policy import DisposalMethod, Policy, RetentionEvent, RetentionRule
from confide.domain.requests.model import OPEN_STATES
from confide.domain.retention.lifecycle import anchors_of
from confide.domain.retention.runs import (
    MIXED,
    Candidate,
    Chunk,
    DisposalRun,
    DueRecord,
    HeldReason,
    ItemState,
    PlanLine,
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


CHUNK_SIZE = 50_000
"""Record ids per chunk of a run's list (and per transaction when it is executed)."""


class _Lists:
    """Sorts a plan's records into chunks and counts them.

    Records deleted or destroyed are gathered across categories and chunked in the order the
    store keeps them (so each chunk's transaction rewrites the table's pages about once);
    anonymized, suppressed and held records are chunked per category and reason."""

    def __init__(self, uow: UnitOfWork, run_id: str) -> None:
        self.uow = uow
        self.run_id = run_id
        self.open: dict[tuple[str, str, ItemState, str | None], list[str]] = {}
        self.mixed: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.seq = 0
        self.due: dict[tuple[str, str, str], int] = defaultdict(int)
        self.held_lines: dict[tuple[str, str, str], int] = defaultdict(int)
        self.held: dict[str, int] = defaultdict(int)

    def add(
        self,
        record: DueRecord,
        category: str,
        method: str,
        state: ItemState = ItemState.DUE,
        reason: str | None = None,
    ) -> None:
        if state is ItemState.HELD:
            self.held_lines[(category, record.system, method)] += 1
            self.held[
                HeldReason.LEGAL_HOLD.value
                if (reason or "").startswith(HOLD_PREFIX)
                else reason or ""
            ] += 1
        else:
            self.due[(category, record.system, method)] += 1
        if state is ItemState.DUE and reason is None and method != DisposalMethod.ANONYMIZE.value:
            self.mixed[method].append((record.position, record.record_id))
            return
        key = (category, method, state, reason)
        ids = self.open.setdefault(key, [])
        ids.append(record.record_id)
        if len(ids) >= CHUNK_SIZE:
            self._write(category, method, state, reason, self.open.pop(key))

    def _write(
        self, category: str, method: str, state: ItemState, reason: str | None, ids: list[str]
    ) -> None:
        ids.sort()
        self.uow.retention.add_chunks(
            [Chunk(self.run_id, self.seq, category, method, state, tuple(ids), reason)]
        )
        self.seq += 1

    def close(self) -> None:
        for method in sorted(self.mixed):
            placed = sorted(self.mixed.pop(method))
            for start in range(0, len(placed), CHUNK_SIZE):
                ids = [rid for _, rid in placed[start : start + CHUNK_SIZE]]
                self._write(MIXED, method, ItemState.DUE, None, ids)
        for key in sorted(self.open, key=lambda k: (k[0], k[1], k[2].value, k[3] or "")):
            self._write(*key, self.open.pop(key))

    def lines(self) -> tuple[PlanLine, ...]:
        keys = sorted(set(self.due) | set(self.held_lines))
        return tuple(
            PlanLine(c, s, m, self.due.get((c, s, m), 0), self.held_lines.get((c, s, m), 0))
            for c, s, m in keys
        )


def plan_into(uow: UnitOfWork, run: DisposalRun, policy: Policy, now: datetime) -> DisposalRun:
    """Write ``run``'s exact list (the run is already added); the run with its summary."""
    by_category = rules_by_category(policy)
    holds = [h for h in uow.holds.listing(active_only=True, limit=100_000) if h.in_force_at(now)]
    pending = uow.retention.open_request_subjects([s.value for s in OPEN_STATES])
    lists = _Lists(uow, run.id)
    anonymity: dict[str, dict[str, int]] = {}

    def why_kept(subject_id: str, category: str, system: str) -> str | None:
        for hold in holds:
            if hold.scope.covers(subject_id, category, system):
                return HOLD_PREFIX + hold.id
        return HeldReason.OPEN_REQUEST.value if subject_id in pending else None

    in_database: list[RuleCut] = []
    for category in run.categories:
        rules = by_category[category]
        for rule in rules:
            check_rule(rule)
        rule = rules[0]
        if any(r.purpose is not None for r in rules):
            due: Iterable[tuple[DueRecord, RetentionRule]] = _due_by_purposes(
                uow, policy, category, run.as_of
            )
        elif rule.disposal is DisposalMethod.ANONYMIZE:
            due = ((d, rule) for d in uow.retention.due_records(cut_of(rule, run.as_of)))
        else:
            # The common case never brings a record into the process (see plan_mixed).
            in_database.append(cut_of(rule, run.as_of))
            continue
        to_anonymize: list[tuple[DueRecord, RetentionRule]] = []
        for record, rule in due:
            reason = why_kept(record.subject_id, category, record.system)
            if reason is not None:
                lists.add(record, category, rule.disposal.value, ItemState.HELD, reason)
            elif rule.disposal is DisposalMethod.ANONYMIZE:
                to_anonymize.append((record, rule))
            else:
                lists.add(record, category, rule.disposal.value)
        if to_anonymize:
            anonymity[category] = _anonymize(uow, lists, category, to_anonymize)
    open_states = [s.value for s in OPEN_STATES]
    for record, category, method, reason in uow.retention.kept_records(
        in_database, now, open_states
    ):
        lists.add(record, category, method, ItemState.HELD, reason)
    lists.close()
    _, listed = uow.retention.plan_mixed(
        run.id, in_database, lists.seq, CHUNK_SIZE, now, open_states
    )
    for category, system, method, count in listed:
        lists.due[(category, system, method)] += count
    return replace(
        run,
        lines=lists.lines(),
        held=dict(lists.held),
        anonymity=anonymity,
        total=sum(lists.due.values()),
    )


def _anonymize(
    uow: UnitOfWork,
    lists: _Lists,
    category: str,
    records: list[tuple[DueRecord, RetentionRule]],
) -> dict[str, int]:
    """Re-identification analysis of what would be kept (RET-3): groups too small are
    suppressed (deleted instead); the figures the plan shows."""
    settings = records[0][1].anonymization
    assert settings is not None  # check_rule refused the rule otherwise
    rows = list(uow.retention.attributes([r.record_id for r, _ in records]))
    plan = plan_anonymity(rows, settings)
    suppressed = set(plan.suppressed)
    for record, _rule in records:
        if record.record_id in suppressed:
            lists.add(record, category, DisposalMethod.DELETE.value, ItemState.DUE, "suppressed")
        else:
            lists.add(record, category, DisposalMethod.ANONYMIZE.value)
    return {
        "k": plan.k,
        "l": plan.l_diversity,
        "kept": plan.kept,
        "suppressed": len(plan.suppressed),
        **{f"level.{q}": lvl for q, lvl in plan.levels.items()},
    }


def cut_of(rule: RetentionRule, as_of: date) -> RuleCut:
    return RuleCut(
        rule.category,
        rule.counted_from.value,
        due_cutoff(as_of, rule.max_days),
        rule.disposal.value,
    )


def _due_by_purposes(
    uow: UnitOfWork, policy: Policy, category: str, as_of: date
) -> Iterator[tuple[DueRecord, RetentionRule]]:
    """Categories whose rules depend on purposes: each record under its own rule."""
    batch: list[Candidate] = []

    def decide() -> Iterator[tuple[DueRecord, RetentionRule]]:
        events = uow.retention.anchors_for(sorted({c.subject_id for c in batch}))
        for c in batch:
            rule = rule_for(policy, category, c.purposes)
            anchor = anchors_of(events.get(c.subject_id, ())).of(
                RetentionEvent(rule.counted_from), c.collected_at
            )
            if end_of_life(rule, anchor).due_on(as_of):
                yield DueRecord(c.record_id, c.subject_id, c.system), rule
        batch.clear()

    for candidate in uow.retention.candidates(category):
        batch.append(candidate)
        if len(batch) >= 1000:
            yield from decide()
    if batch:
        yield from decide()
