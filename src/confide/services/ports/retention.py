"""Retention and disposal (RET-1..3): lifecycle events, plans, batches, certificates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from confide.domain.holds import HoldScope
from confide.domain.retention.lifecycle import LifecycleEvent
from confide.domain.retention.runs import (
    Candidate,
    Chunk,
    DisposalRun,
    Disposed,
    DueRecord,
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
    def due_records(self, cut: RuleCut) -> Iterator[DueRecord]:
        """Records still held (not disposed of) of ``cut.category`` due under the cut, streamed
        in no particular order (ids, subjects, systems and positions: no value leaves the store)."""
        ...

    def plan_mixed(
        self,
        run_id: str,
        cuts: Sequence[RuleCut],
        first_seq: int,
        size: int,
        now: datetime,
        open_states: Sequence[str],
    ) -> tuple[int, list[tuple[str, str, str, int]]]:
        """Inside the database, write the records due under ``cuts`` that nothing keeps (no hold
        in force at ``now``, no request of their subject in ``open_states``) as chunks of
        ``size`` ids per method (``MIXED`` category), in the order the store keeps them,
        numbered from ``first_seq``. The next free number, and (category, system, method,
        count) of what was listed."""
        ...

    def kept_records(
        self, cuts: Sequence[RuleCut], now: datetime, open_states: Sequence[str]
    ) -> Iterator[tuple[DueRecord, str, str, str]]:
        """The records due under ``cuts`` that a hold or an open request keeps:
        (record, category, method, reason: ``hold:<id>`` or ``open_request``)."""
        ...

    def candidates(self, category: str) -> Iterator[Candidate]:
        """Every record of ``category`` still held, for categories whose rules depend on the
        purposes a record serves: the service decides them one by one."""
        ...

    def anchors_for(self, subject_ids: Sequence[str]) -> dict[str, list[LifecycleEvent]]: ...

    def open_request_subjects(self, open_states: Sequence[str]) -> set[str]:
        """Subjects with a request in one of ``open_states`` (ACC-8 keeps their information)."""
        ...

    def attributes(self, record_ids: Sequence[str]) -> Iterator[dict[str, str]]:
        """What re-identification analysis and anonymization need of each record still held:
        ``id``, ``province``, ``subject_type``, ``birth_year``, ``collected_month``,
        ``system``, ``value`` (clear), ``subject_id`` and ``category``; by id."""
        ...

    def add_chunks(self, chunks: Sequence[Chunk]) -> None: ...

    def chunks(self, run_id: str, *, state: str | None = None) -> list[Chunk]: ...

    def chunk_meta(self, run_id: str) -> list[Chunk]:
        """The run's chunks without their ids."""
        ...

    # --- runs --------------------------------------------------------------------------------
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

    def describe(self, record_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """(subject id, category, system) of each record, disposed of or not."""
        ...

    # --- execution ---------------------------------------------------------------------------
    def dispose(
        self,
        chunk: Chunk,
        anonymized: Sequence[tuple[str, str, Mapping[str, str], str | None]],
        kept: Sequence[HoldScope],
        at: datetime,
    ) -> int:
        """In the caller's transaction: write the anonymized rows (id, category, attributes,
        value), erase the values of the chunk's records not disposed of yet and outside every
        scope of ``kept`` (leaving tombstones), mark the chunk done; how many were disposed of."""
        ...

    def disposed_lines(self, run_id: str) -> list[tuple[str, str, str, int]]:
        """(category, system, method, count) of what the run disposed of, from the tombstones."""
        ...

    def done_ids(self, run_id: str) -> Iterator[str]:
        """Ids of the run's records disposed of, sorted."""
        ...

    def emptied_subjects(self, run_id: str) -> list[str]:
        """Subjects the run disposed of something for and who have no information left."""
        ...

    def strip_identifiers(self, run_id: str, kind: str, category: str) -> int:
        """Delete the identifiers of ``kind`` of the subjects the run disposed of ``category``
        for and who have no record of it left; how many."""
        ...

    def strip_subjects(self, subject_ids: Sequence[str]) -> None:
        """Remove what identified subjects whose information is all disposed of: identifiers,
        display name, birth date, external reference (the id and the tombstones stay)."""
        ...

    def disposed_for(self, subject_id: str) -> list[Disposed]: ...

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
