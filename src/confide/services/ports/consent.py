"""The consent ledger, recorded decisions, downstream systems, do-not-call lists and the read model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from confide.domain.consent.events import ConsentEvent, ConsentWithdrawn, SubjectProfile
from confide.domain.consent.readmodel import StateRow
from confide.domain.consent.telemarketing import NationalDoNotCallList
from confide.domain.decisions import StoredDecision


class ConsentRepository(Protocol):
    """The consent ledger (append-only events), recorded decisions, downstream systems."""

    def add_events(self, events: Sequence[ConsentEvent], recorded_at: datetime) -> None: ...

    def history(self, subject_id: str) -> list[ConsentEvent]: ...

    def histories(self, subject_ids: Sequence[str]) -> dict[str, list[ConsentEvent]]: ...

    def event(self, event_id: str) -> ConsentEvent | None: ...

    def add_decisions(self, items: Sequence[StoredDecision]) -> None: ...

    def decision(self, decision_id: str) -> StoredDecision | None: ...

    def add_system(
        self, system_id: str, name: str, purposes: Sequence[str], at: datetime
    ) -> None: ...

    def systems(self) -> list[tuple[str, str, tuple[str, ...]]]: ...

    def add_ack(
        self, withdrawal_id: str, system_id: str, at: datetime, recorded_by: str
    ) -> None: ...

    def acks(self, withdrawal_ids: Iterable[str]) -> dict[str, dict[str, datetime]]: ...

    def withdrawals_since(self, since: datetime) -> list[ConsentWithdrawn]: ...

    def add_national_copy(
        self, copy_id: str, taken_at: datetime, numbers: Sequence[str], at: datetime
    ) -> None: ...

    def national_copy_for(self, phones: Sequence[str]) -> NationalDoNotCallList | None: ...

    def audience_candidates(
        self,
        purpose_id: str,
        channel: str | None,
        relationship_since: dict[str, datetime | None],
        after: str = "",
        limit: int = 5000,
    ) -> list[str]: ...

    # The consent read model (issue 4): the engine's answers, recomputed on every ledger write.
    def profiles(self, subject_ids: Sequence[str]) -> dict[str, SubjectProfile]: ...

    def decision_inputs(
        self, subject_id: str
    ) -> tuple[SubjectProfile, list[ConsentEvent]] | None: ...

    def decision_profile(
        self, subject_id: str
    ) -> tuple[SubjectProfile, tuple[object, object]] | None: ...

    def decision_history(self, subject_id: str) -> list[ConsentEvent]: ...

    def subject_ids_after(self, after: str, limit: int) -> list[str]: ...

    def lock_subjects(self, subject_ids: Sequence[str]) -> None: ...

    def replace_state(
        self,
        subject_ids: Sequence[str],
        rows: Sequence[tuple[str, StateRow]],
        policy_version: str,
    ) -> None: ...

    def state_build(self, policy_version: str) -> tuple[datetime, datetime | None] | None: ...

    def start_state_build(self, policy_version: str, at: datetime) -> None: ...

    def complete_state_build(self, policy_version: str, at: datetime) -> None: ...

    def state_members(
        self, purpose_id: str, channel: str, policy_version: str, at: datetime
    ) -> Iterator[tuple[str, str | None, datetime | None, bool]]: ...

    def state_rechecks(
        self, purpose_id: str, channel: str, policy_version: str, at: datetime
    ) -> list[str]: ...

    def state_ran_out(
        self, keys: Sequence[tuple[str, str]], at: datetime, limit: int
    ) -> list[str]: ...
