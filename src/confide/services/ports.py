"""The ports: what the use cases need from the outside world, as protocols.

Adapters implement them (``confide.adapters``) and fakes imitate them
(``confide.testing``). The unit of work owns the transaction::

    with uow:
        uow.subjects.add(subject)
        uow.audit.record(...)
        uow.commit()          # leaving the block without commit rolls back

Repositories never commit, and the audit record of a change is written in the
same unit of work as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from confide.domain.errors import FieldProblem
from confide.domain.policy_version import PolicyVersion
from confide.domain.sources import DataSource, LookupKey, SampleRows, SourceRow
from confide.domain.subjects import IdentifierKind, PersonalInfoRecord, RelationshipEvent, Subject


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class Cipher(Protocol):
    """Authenticated encryption of sensitive values at rest (AES-GCM with key ids and rotation)."""

    def encrypt(self, plaintext: bytes, associated_data: bytes = b"") -> bytes: ...

    def decrypt(self, blob: bytes, associated_data: bytes = b"") -> bytes: ...

    def needs_rotation(self, blob: bytes) -> bool:
        """True when ``blob`` was sealed with a key other than the active one."""
        ...


class SubjectRepository(Protocol):
    def add(self, subject: Subject) -> None: ...

    def add_many(self, subjects: Sequence[Subject]) -> None: ...

    def get(self, subject_id: str) -> Subject | None: ...

    def find_by_identifier(self, kind: IdentifierKind, value: str) -> Subject | None: ...

    def find_by_external_ref(self, external_ref: str) -> Subject | None: ...

    def existing_identifiers(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> set[tuple[IdentifierKind, str]]: ...

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


class RelationshipEventRepository(Protocol):
    def add_many(self, events: Sequence[RelationshipEvent]) -> None: ...

    def for_subject(self, subject_id: str) -> list[RelationshipEvent]: ...


class PolicyVersionRepository(Protocol):
    def add(self, version: PolicyVersion) -> None: ...

    def get(self, version_id: str) -> PolicyVersion | None: ...

    def by_hash(self, content_hash: str) -> PolicyVersion | None: ...

    def latest(self) -> PolicyVersion | None: ...

    def all_versions(self) -> list[PolicyVersion]: ...


@dataclass(frozen=True)
class StaffUser:
    id: str
    username: str
    roles: frozenset[str]
    created_at: datetime
    active: bool = True


@dataclass(frozen=True)
class ApiToken:
    id: str
    user_id: str
    token_hash: str
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class StaffRepository(Protocol):
    def add_user(self, user: StaffUser) -> None: ...

    def user_by_name(self, username: str) -> StaffUser | None: ...

    def user(self, user_id: str) -> StaffUser | None: ...

    def users(self) -> list[StaffUser]: ...

    def add_token(self, token: ApiToken) -> None: ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None: ...

    def tokens_for(self, user_id: str) -> list[ApiToken]: ...

    def revoke_token(self, token_id: str, at: datetime) -> bool: ...


@dataclass(frozen=True)
class AuditRecord:
    """What a use case tells the audit trail: who did what to which object, under which policy.

    ``details`` must hold no personal information in the clear: ids, categories,
    rule ids, counts. (The audit-trail issue adds the encrypted payload and the Merkle tree.)
    """

    action: str
    actor: str
    object_type: str
    object_id: str
    at: datetime
    policy_version: str | None = None
    subject_id: str | None = None
    details: dict[str, object] = field(default_factory=dict)


class AuditLog(Protocol):
    def record(self, entry: AuditRecord) -> None: ...

    def record_many(self, entries: Sequence[AuditRecord]) -> None: ...

    def count(self) -> int: ...


class UnitOfWork(Protocol):
    subjects: SubjectRepository
    personal_info: PersonalInfoRepository
    relationships: RelationshipEventRepository
    policies: PolicyVersionRepository
    staff: StaffRepository
    audit: AuditLog

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        """A new unit of work; ``readonly=True`` promises no writes (lets SQLite read concurrently)."""
        ...


# --- connected data sources (the data map) -----------------------------------------------------


class DataSourceRepository(Protocol):
    """Registered data sources; the connection reference is sealed at rest by the adapter."""

    def add(self, source: DataSource) -> None: ...

    def get(self, source_id: str) -> DataSource | None: ...

    def by_name(self, name: str) -> DataSource | None: ...

    def all(self) -> list[DataSource]: ...

    def remove(self, source_id: str) -> bool: ...


class SourceConnector(Protocol):
    """An open connection to one data source. Failures to reach it raise ``SourceUnavailable``."""

    def test(self) -> list[FieldProblem]:
        """Connect and check every mapped table or file and column; one problem per missing thing."""
        ...

    def find(self, keys: Sequence[LookupKey]) -> list[SourceRow]:
        """Rows of every mapped table whose identifier columns match one of ``keys`` (indexed)."""
        ...

    def update(
        self, keys: Sequence[LookupKey], category: str, value: str, *, column: str | None = None
    ) -> int:
        """Set ``category`` to ``value`` in the subject's rows; returns how many rows changed."""
        ...

    def sample(self, table: str, n: int) -> SampleRows:
        """The first ``n`` rows of a mapped table or file, every column."""
        ...

    def close(self) -> None: ...


class SourceConnectors(Protocol):
    """Opens (and may keep open) the connector of each registered source."""

    def open(self, source: DataSource) -> SourceConnector: ...

    def forget(self, source_id: str) -> None:
        """Close and drop a kept connector (after a source is removed or changed)."""
        ...
