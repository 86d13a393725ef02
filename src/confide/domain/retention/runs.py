"""Disposal runs: planned, reviewed and approved, executed in batches, certified (RET-2).

A run is the exact list of records due on its day (``as_of``) under the policy version in
force, each with the rule applied and what will be done to it. Records that are due but kept
are listed too, with why (a legal hold, an open request). The privacy officer approves a
plan (or a schedule the officer set approves it); workers then execute it in batches, each
batch one transaction, so a run interrupted at any point resumes without disposing of
anything twice or skipping anything. A completed run yields a certificate.

States::

    planned ──approve──▶ approved ──start──▶ running ──finish──▶ completed
       └──────cancel──────┘ (cancelled)

Errors (under :class:`~confide.domain.errors.ConfideError`)::

    Conflict
    ├── RunStateConflict    approving a run not planned, executing one not approved, ...
    └── StalePlan           a plan made under an older policy version, or too old to approve
    NotAllowed
    └── (OnHold from domain.holds, for a subject-level disposal)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from confide.domain.errors import Conflict

PLAN_VALID_FOR = timedelta(hours=24)
"""A plan older than this is stale: holds, requests and lifecycle events move every day."""


class RunStatus(StrEnum):
    PLANNED = "planned"
    APPROVED = "approved"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ItemState(StrEnum):
    DUE = "due"
    """To be disposed of by this run."""
    HELD = "held"
    """Due, but kept: the reason says why (a legal hold, an open request)."""
    DONE = "done"
    """Disposed of by this run."""


class HeldReason(StrEnum):
    LEGAL_HOLD = "legal_hold"
    OPEN_REQUEST = "open_request"


class Approval(StrEnum):
    OFFICER = "officer"
    SCHEDULE = "schedule"


class StepKind(StrEnum):
    """What a run does in a connected source: dispose through the mapping (a writable SQL
    source) or hand its owner a task (a read-only CSV or Parquet source)."""

    DISPOSE = "dispose"
    TASK = "task"


@dataclass(frozen=True)
class PlanLine:
    """One line of a plan's summary: a category in a system, under one rule and method."""

    category: str
    system: str
    method: str
    due: int
    held: int = 0


@dataclass(frozen=True)
class SourceStep:
    """A connected source's share of a run: the rows of one mapped table whose retention
    column is before the rule's cutoff, and the columns of the category to dispose of."""

    id: str
    run_id: str
    source: str
    table: str
    category: str
    columns: tuple[str, ...]
    method: str
    cutoff: datetime
    kind: StepKind
    rows: int
    done_at: datetime | None = None
    closed_by: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class DisposalRun:
    id: str
    status: RunStatus
    as_of: date
    policy_version: str
    planned_at: datetime
    planned_by: str
    categories: tuple[str, ...] = ()
    """Empty: every category with a rule."""
    lines: tuple[PlanLine, ...] = ()
    held: dict[str, int] = field(default_factory=dict)
    """Counts of records kept, by reason."""
    anonymity: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per anonymized category: the k and l the kept table reaches, and records suppressed."""
    total: int = 0
    done: int = 0
    approved_at: datetime | None = None
    approved_by: str | None = None
    approval: Approval | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None

    @property
    def due(self) -> int:
        return sum(line.due for line in self.lines)

    def stale_at(self, now: datetime, policy_version: str) -> str | None:
        """Why this plan may not be approved at ``now`` under ``policy_version``, or None."""
        if policy_version != self.policy_version:
            return (
                f"it was made under policy version {self.policy_version}, "
                f"and {policy_version} is in force"
            )
        if now - self.planned_at > PLAN_VALID_FOR:
            return "it is more than 24 hours old"
        return None

    def require(self, *allowed: RunStatus, to: str) -> None:
        if self.status not in allowed:
            raise RunStateConflict(self.id, self.status, to)


class RunStateConflict(Conflict):
    def __init__(self, run_id: str, status: RunStatus, to: str) -> None:
        why = " before the privacy officer approves it" if status is RunStatus.PLANNED else ""
        super().__init__(f"disposal run {run_id} is {status.value}: cannot {to}{why}", run=run_id)
        self.run_id = run_id


class StalePlan(Conflict):
    code = "stale_plan"

    def __init__(self, run_id: str, why: str) -> None:
        super().__init__(f"disposal plan {run_id} is stale ({why}): make a new plan", run=run_id)
        self.run_id = run_id


@dataclass(frozen=True)
class RuleCut:
    """One rule applied on a plan's day: records of ``category`` whose anchor (under
    ``counted_from``) is before ``cutoff`` are due, to be disposed of by ``method``."""

    category: str
    counted_from: str
    cutoff: datetime
    method: str


@dataclass(frozen=True)
class Candidate:
    """A record whose rule depends on its purposes, for the service to decide."""

    record_id: str
    subject_id: str
    system: str
    purposes: tuple[str, ...]
    collected_at: datetime


@dataclass(frozen=True)
class DueRecord:
    """A record due under a rule, as a plan reads it (no value)."""

    record_id: str
    subject_id: str
    system: str
    position: int = 0
    """Where the store keeps the row (SQLite's rowid), so chunks touch the table in order."""


IDENTIFIER_CATEGORIES: dict[str, str] = {"email": "email", "phone": "telephone_number"}
"""A subject's identifier of a kind (key) is the value of a policy category (value): when a run
disposes of the last record of that category, the identifier goes with it (so no audience or
lookup reaches the person by it any more)."""

MIXED = "*"
"""The category of a chunk that deletes or destroys records of several categories."""


@dataclass(frozen=True)
class Chunk:
    """Part of a run's exact list: record ids (sorted) with one method and state, of one
    category or (``MIXED``) of several, in the order the store keeps them; a held chunk says
    why (``hold:<id>``, ``open_request``), a suppressed one too."""

    run_id: str
    seq: int
    category: str
    method: str
    state: ItemState
    ids: tuple[str, ...]
    reason: str | None = None
    disposed: int | None = None
    """Records this chunk's execution disposed of (a hold opened meanwhile keeps the others)."""
    done_at: datetime | None = None


@dataclass(frozen=True)
class PlannedItem:
    """A record of a run, as planned (the rule applied, what will be done)."""

    record_id: str
    subject_id: str
    category: str
    system: str
    method: str
    state: ItemState = ItemState.DUE
    reason: str | None = None


@dataclass(frozen=True)
class Disposed:
    """What remains of a disposed value in a subject's file: that it was, when, how."""

    category: str
    system: str
    method: str
    disposed_at: datetime
    run_id: str


@dataclass(frozen=True)
class Schedule:
    """The privacy officer's standing approval: plans for these categories (all when empty)
    are approved by the schedule and executed without a second look."""

    enabled: bool
    categories: tuple[str, ...]
    set_by: str
    set_at: datetime
