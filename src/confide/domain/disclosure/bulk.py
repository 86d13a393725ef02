"""Bulk disclosure checks: one recipient, one purpose, many subjects (a nightly file to a
collection agency or a credit bureau), each checked, the refused ones listed with reasons.

:func:`check_bulk` checks the batch-level facts once (recipient, purpose,
categories, DIS-4 paperwork) and raises for bad batch input *before* the first
row; it then returns a generator yielding one :class:`BulkRow` per subject, in
input order, built by the same code as a single decision
(``engine.decide_prepared``). It holds one subject at a time, so phase 2 can
stream 100k subjects from a query with bounded memory.

A subject may carry its own basis (``BulkItem(subject, ExceptionBasis("debt_collection",
DebtReference("D-17", True)))``: each debt has its own reference); otherwise the
batch's basis applies. :class:`BulkTally` counts rows as they stream by;
:func:`record_allowed` pairs each allowed row with its ledger record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from confide.domain.consent.versions import PolicyHistory
from confide.domain.disclosure.basis import Basis
from confide.domain.disclosure.engine import (
    DisclosureDecision,
    DisclosureSubject,
    PreparedDisclosure,
    decide_prepared,
    prepare_disclosure,
)
from confide.domain.disclosure.ledger import DisclosureRecord, record_disclosure
from confide.domain.disclosure.reasons import DisclosureReason
from confide.domain.disclosure.recipients import Recipient
from confide.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class BulkItem:
    """One subject of a batch, with its own basis when it has one (e.g. its debt's reference)."""

    subject: DisclosureSubject
    basis: Basis | None = None


@dataclass(frozen=True, slots=True)
class BulkRow:
    """The decision for one subject of a batch."""

    decision: DisclosureDecision

    @property
    def subject_id(self) -> str:
        return self.decision.subject_id

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    @property
    def reasons(self) -> tuple[DisclosureReason, ...]:
        return self.decision.reasons


def check_bulk(
    policy: Policy,
    recipient: Recipient,
    items: Iterable[BulkItem | DisclosureSubject],
    categories: Iterable[str],
    purpose_id: str,
    basis: Basis,
    *,
    at: datetime,
    history: PolicyHistory | None = None,
) -> Iterator[BulkRow]:
    """Check a batch; raises for bad batch input at once, then streams one row per subject."""
    prepared = prepare_disclosure(policy, recipient, categories, purpose_id, at=at, history=history)
    return _rows(prepared, items, basis)


def _rows(
    prepared: PreparedDisclosure, items: Iterable[BulkItem | DisclosureSubject], basis: Basis
) -> Iterator[BulkRow]:
    for item in items:
        if isinstance(item, BulkItem):
            yield BulkRow(decide_prepared(prepared, item.subject, item.basis or basis))
        else:
            yield BulkRow(decide_prepared(prepared, item, basis))


@dataclass
class BulkTally:
    """Counts of a batch as it streams by: ``for row in tally.watch(rows): ...``."""

    allowed: int = 0
    refused: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)

    def watch(self, rows: Iterable[BulkRow]) -> Iterator[BulkRow]:
        for row in rows:
            if row.allowed:
                self.allowed += 1
            else:
                self.refused += 1
                self.by_reason.update(str(r) for r in row.reasons)
            yield row

    def to_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed,
            "refused": self.refused,
            "by_reason": dict(sorted(self.by_reason.items())),
        }


def record_allowed(
    rows: Iterable[BulkRow], new_id: Callable[[], str]
) -> Iterator[tuple[BulkRow, DisclosureRecord | None]]:
    """Each row with its ledger record (allowed rows only; ``new_id`` names each decision)."""
    for row in rows:
        record = record_disclosure(row.decision, new_id()) if row.allowed else None
        yield row, record


__all__ = ["BulkItem", "BulkRow", "BulkTally", "check_bulk", "record_allowed"]
