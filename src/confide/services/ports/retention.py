"""Retention and disposal (RET-1..3): lifecycle events, plans, batches, certificates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from confide.domain.retention.lifecycle import LifecycleEvent
from confide.domain.retention.runs import (
    Candidate,
    CountLine,
    DisposalRun,
    Disposed,
    PlannedItem,
    RuleCut,
    RunStatus,
    Schedule,
    SourceStep,
)


class RetentionRepository(Protocol):
    # --- lifecycle events ------------------------------------------------------------------
    def add_event(self, event: LifecycleEvent) -> None: ...

    def events_for(self, subject_id: str) -> list[LifecycleEvent]: ...

    # --- planning --------------------------------------------------------------------------
    def plan_rule(self, run_id: str, cut: RuleCut) -> int:
        """Add to the run every record of ``cut.category`` due under the cut (state ``due``);
        the number added. Done in the database (no row comes back to the process)."""
        ...

    def candidates(self, category: str) -> Iterator[Candidate]:
        """Every record of ``category``, for categories whose rules depend on the purposes a
        record serves: the service decides them one by one."""
        ...

    def anchors_for(self, subject_ids: Sequence[str]) -> dict[str, list[LifecycleEvent]]: ...

    def add_items(self, run_id: str, items: Sequence[PlannedItem]) -> None: ...

    def hold_back(
        self,
        run_id: str,
        reason: str,
        *,
        subject_id: str | None,
        category: str | None,
        system: str | None,
    ) -> int:
        """Mark the run's due items in scope as held with ``reason``; how many."""
        ...

    def hold_back_open_requests(self, run_id: str, open_states: Sequence[str]) -> int:
        """Mark held the due items of subjects with a request in one of ``open_states``."""
        ...

    def counts(self, run_id: str) -> list[CountLine]: ...

    def anonymity_rows(
        self, run_id: str, category: str, record_ids: Sequence[str] | None = None
    ) -> Iterator[dict[str, str]]:
        """The due items of ``category`` (those of ``record_ids`` only, if given), with what
        re-identification analysis needs: ``id`` (record id), ``province``, ``subject_type``,
        ``birth_year``, ``collected_month``, ``system`` and ``value``."""
        ...

    def suppress(self, run_id: str, record_ids: Sequence[str]) -> None:
        """Items that cannot be kept anonymous (their group is too small): deleted instead."""
        ...

    # --- runs ------------------------------------------------------------------------------
    def add_run(self, run: DisposalRun) -> None: ...

    def get_run(self, run_id: str, *, for_update: bool = False) -> DisposalRun | None: ...

    def save_run(self, run: DisposalRun) -> None: ...

    def runs(self, *, limit: int = 50, offset: int = 0) -> list[DisposalRun]: ...

    def runs_in(self, statuses: Sequence[RunStatus]) -> list[DisposalRun]:
        """Runs in one of ``statuses``, oldest plan first (the worker resumes these)."""
        ...

    def certificate(self, run_id: str) -> tuple[dict[str, Any], str, int] | None:
        """The run's certificate body, its digest and the audit entry holding it."""
        ...

    def set_certificate(self, run_id: str, body: dict[str, Any], digest: str, seq: int) -> None: ...

    def items(
        self, run_id: str, *, state: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[PlannedItem]: ...

    # --- execution -------------------------------------------------------------------------
    def next_batch(self, run_id: str, size: int) -> list[PlannedItem]:
        """The next ``size`` due items of the run, by record id."""
        ...

    def dispose(
        self,
        run_id: str,
        items: Sequence[PlannedItem],
        anonymized: Sequence[tuple[str, str, Mapping[str, str], str | None]],
        at: datetime,
    ) -> int:
        """In the caller's transaction: write the anonymized rows (id, category, attributes,
        value), remove the items' records (values overwritten first for ``destroy``), mark the
        items done; the number of records removed."""
        ...

    def done_ids(self, run_id: str) -> Iterator[str]:
        """Ids of the run's records disposed of, sorted."""
        ...

    def emptied_subjects(self, run_id: str) -> list[str]:
        """Subjects the run disposed of something for and who have no information left."""
        ...

    def strip_subject(self, subject_id: str) -> None:
        """Remove what identified a subject whose information is all disposed of: identifiers,
        display name, birth date, external reference (the id and the disposal record stay)."""
        ...

    def disposed_for(self, subject_id: str) -> list[Disposed]: ...

    def anonymized(self, category: str, *, limit: int = 100) -> list[dict[str, object]]: ...

    # --- source steps ----------------------------------------------------------------------
    def add_step(self, step: SourceStep) -> None: ...

    def steps(self, run_id: str) -> list[SourceStep]: ...

    def save_step(self, step: SourceStep) -> None: ...

    def get_step(self, step_id: str) -> SourceStep | None: ...

    def open_tasks(self) -> list[SourceStep]:
        """Tasks handed to read-only sources' owners and not closed yet."""
        ...

    # --- schedule --------------------------------------------------------------------------
    def schedule(self) -> Schedule | None: ...

    def set_schedule(self, schedule: Schedule) -> None: ...
