"""Subjects, their identifiers and the personal information held on them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from confide.domain.subjects import IdentifierKind, PersonalInfoRecord, Subject


class SubjectRepository(Protocol):
    def add(self, subject: Subject) -> None: ...

    def add_many(self, subjects: Sequence[Subject]) -> None: ...

    def get(self, subject_id: str) -> Subject | None: ...

    def get_many(self, subject_ids: Sequence[str]) -> list[Subject]: ...

    def find_by_identifier(self, kind: IdentifierKind, value: str) -> Subject | None: ...

    def find_by_external_ref(self, external_ref: str) -> Subject | None: ...

    def existing_identifiers(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> set[tuple[IdentifierKind, str]]: ...

    def ids_by_identifier(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> dict[tuple[IdentifierKind, str], str]:
        """The subject each of ``pairs`` names, for those that name one (in bulk)."""
        ...

    def ids_by_external_ref(self, refs: Iterable[str]) -> dict[str, str]:
        """The subject each of the company's own ids names, for those that name one."""
        ...

    def count(self) -> int: ...

    def page(self, *, offset: int = 0, limit: int = 50) -> list[Subject]: ...


class PersonalInfoRepository(Protocol):
    def add(self, record: PersonalInfoRecord) -> None: ...

    def add_many(self, records: Sequence[PersonalInfoRecord]) -> None: ...

    def get(self, record_id: str) -> PersonalInfoRecord | None: ...

    def for_subject(
        self, subject_id: str, *, history: bool = False
    ) -> list[PersonalInfoRecord]: ...

    def mark_superseded(self, record_id: str, at: datetime) -> None: ...

    def reseal_all(self, on_progress: Callable[[int], None] | None = None) -> int:
        """Re-encrypt with the active key every value sealed with an older one; returns how many."""
        ...
