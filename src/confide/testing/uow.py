"""An in-memory unit of work: service rules tested without a database.

``InMemoryUnitOfWorkFactory`` keeps committed state in plain dictionaries. Each unit of work
works on a copy taken when it is entered; ``commit()`` makes the copy the committed state and
leaving the ``with`` block without committing throws it away, so a use case that fails halfway
leaves nothing behind, as on the real store. Uniqueness the database enforces (a subject's
identifiers, a policy version's content hash, a username) is enforced here too, raising the
:class:`~confide.domain.errors.Conflict` the SQL unit of work raises.

Areas kept here: subjects, personal information, policy versions, staff and the audit trail's
records (``audit.records``: what would have been appended, without the Merkle tree). Any other
repository raises ``NotImplementedError`` naming it: test those rules against the real store
(``tests/integration``).

    uow = InMemoryUnitOfWorkFactory()
    service = SubjectService(ServiceContext(uow=uow, clock=FakeClock()))
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from confide.domain.audit.records import AuditRecord
from confide.domain.errors import Conflict
from confide.domain.policy_version import PolicyVersion
from confide.domain.staff import ApiToken, StaffUser
from confide.domain.subjects import IdentifierKind, PersonalInfoRecord, Subject
from confide.services.ports.audit import AuditLog
from confide.services.ports.breaches import BreachRepository
from confide.services.ports.complaints import ComplaintRepository
from confide.services.ports.consent import ConsentRepository
from confide.services.ports.disclosures import DisclosureRepository
from confide.services.ports.holds import HoldRepository
from confide.services.ports.outbox import OutboxRepository
from confide.services.ports.policies import PolicyVersionRepository
from confide.services.ports.requests import RequestRepository
from confide.services.ports.retention import RetentionRepository
from confide.services.ports.sources import DataSourceRepository
from confide.services.ports.staff import StaffRepository
from confide.services.ports.subjects import PersonalInfoRepository, SubjectRepository


@dataclass
class _State:
    subjects: dict[str, Subject] = field(default_factory=dict)
    personal_info: dict[str, PersonalInfoRecord] = field(default_factory=dict)
    policies: dict[str, PolicyVersion] = field(default_factory=dict)
    users: dict[str, StaffUser] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    audit: list[AuditRecord] = field(default_factory=list)


class _Subjects:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, subject: Subject) -> None:
        self.add_many([subject])

    def add_many(self, subjects: Sequence[Subject]) -> None:
        taken = {(i.kind, i.value) for s in self._s.subjects.values() for i in s.identifiers}
        for subject in subjects:
            mine = {(i.kind, i.value) for i in subject.identifiers}
            if subject.id in self._s.subjects or mine & taken:
                raise Conflict("the change conflicts with data already recorded")
            taken |= mine
            self._s.subjects[subject.id] = subject

    def get(self, subject_id: str) -> Subject | None:
        return self._s.subjects.get(subject_id)

    def get_many(self, subject_ids: Sequence[str]) -> list[Subject]:
        return [self._s.subjects[i] for i in subject_ids if i in self._s.subjects]

    def find_by_identifier(self, kind: IdentifierKind, value: str) -> Subject | None:
        return next((s for s in self._s.subjects.values() if s.identifier(kind) == value), None)

    def find_by_external_ref(self, external_ref: str) -> Subject | None:
        return next((s for s in self._s.subjects.values() if s.external_ref == external_ref), None)

    def existing_identifiers(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> set[tuple[IdentifierKind, str]]:
        taken = {(i.kind, i.value) for s in self._s.subjects.values() for i in s.identifiers}
        return {p for p in pairs if p in taken}

    def ids_by_identifier(
        self, pairs: Iterable[tuple[IdentifierKind, str]]
    ) -> dict[tuple[IdentifierKind, str], str]:
        owner = {(i.kind, i.value): s.id for s in self._s.subjects.values() for i in s.identifiers}
        return {p: owner[p] for p in pairs if p in owner}

    def ids_by_external_ref(self, refs: Iterable[str]) -> dict[str, str]:
        owner = {s.external_ref: s.id for s in self._s.subjects.values() if s.external_ref}
        return {r: owner[r] for r in refs if r in owner}

    def count(self) -> int:
        return len(self._s.subjects)

    def page(self, *, offset: int = 0, limit: int = 50) -> list[Subject]:
        return [self._s.subjects[k] for k in sorted(self._s.subjects)][offset : offset + limit]


class _PersonalInfo:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, record: PersonalInfoRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Sequence[PersonalInfoRecord]) -> None:
        for record in records:
            if record.id in self._s.personal_info or record.subject_id not in self._s.subjects:
                raise Conflict("the change conflicts with data already recorded")
            self._s.personal_info[record.id] = record

    def get(self, record_id: str) -> PersonalInfoRecord | None:
        return self._s.personal_info.get(record_id)

    def for_subject(self, subject_id: str, *, history: bool = False) -> list[PersonalInfoRecord]:
        found = [
            r
            for r in self._s.personal_info.values()
            if r.subject_id == subject_id and (history or r.superseded_at is None)
        ]
        return sorted(found, key=lambda r: (r.category, r.collected_at, r.id))

    def mark_superseded(self, record_id: str, at: datetime) -> None:
        record = self._s.personal_info[record_id]
        self._s.personal_info[record_id] = replace(record, superseded_at=at)

    def reseal_all(self, on_progress: Callable[[int], None] | None = None) -> int:
        return 0  # nothing is sealed in memory


class _Policies:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, version: PolicyVersion) -> None:
        if version.id in self._s.policies or self.by_hash(version.content_hash):
            raise Conflict("the change conflicts with data already recorded")
        self._s.policies[version.id] = version

    def get(self, version_id: str) -> PolicyVersion | None:
        return self._s.policies.get(version_id)

    def by_hash(self, content_hash: str) -> PolicyVersion | None:
        return next((v for v in self._s.policies.values() if v.content_hash == content_hash), None)

    def latest(self) -> PolicyVersion | None:
        versions = self.all_versions()
        return max(versions, key=lambda v: (v.loaded_at, v.id)) if versions else None

    def all_versions(self) -> list[PolicyVersion]:
        return sorted(self._s.policies.values(), key=lambda v: v.loaded_at)


class _Staff:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_user(self, user: StaffUser) -> None:
        if user.id in self._s.users or self.user_by_name(user.username):
            raise Conflict("the change conflicts with data already recorded")
        self._s.users[user.id] = user

    def user_by_name(self, username: str) -> StaffUser | None:
        return next((u for u in self._s.users.values() if u.username == username), None)

    def user(self, user_id: str) -> StaffUser | None:
        return self._s.users.get(user_id)

    def users(self) -> list[StaffUser]:
        return sorted(self._s.users.values(), key=lambda u: u.username)

    def add_token(self, token: ApiToken) -> None:
        if token.id in self._s.tokens or token.user_id not in self._s.users:
            raise Conflict("the change conflicts with data already recorded")
        self._s.tokens[token.id] = token

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self._s.tokens.values() if t.token_hash == token_hash), None)

    def tokens_for(self, user_id: str) -> list[ApiToken]:
        mine = [t for t in self._s.tokens.values() if t.user_id == user_id]
        return sorted(mine, key=lambda t: t.created_at)

    def revoke_token(self, token_id: str, at: datetime) -> bool:
        token = self._s.tokens.get(token_id)
        if token is None or token.revoked_at is not None:
            return False
        self._s.tokens[token_id] = replace(token, revoked_at=at)
        return True


class _AuditRecords:
    """What would be appended to the audit log, in order (no tree, proofs or checkpoints)."""

    def __init__(self, state: _State) -> None:
        self._s = state

    @property
    def records(self) -> list[AuditRecord]:
        return list(self._s.audit)

    def record(self, entry: AuditRecord) -> None:
        self._s.audit.append(entry)

    def record_many(self, entries: Sequence[AuditRecord]) -> None:
        self._s.audit.extend(entries)

    def count(self) -> int:
        return len(self._s.audit)

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(
            f"the in-memory audit log keeps records only (no {name}): use the real store"
        )


class _NotKept:
    def __init__(self, area: str) -> None:
        self._area = area

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(
            f"the in-memory unit of work has no {self._area} repository ({name}): "
            "test this against the real store"
        )


class InMemoryUnitOfWork:
    """Implements ``confide.services.ports.UnitOfWork`` in memory; see the module docstring."""

    subjects: SubjectRepository
    personal_info: PersonalInfoRepository
    policies: PolicyVersionRepository
    staff: StaffRepository
    audit: AuditLog
    consent: ConsentRepository
    sources: DataSourceRepository
    disclosures: DisclosureRepository
    outbox: OutboxRepository
    requests: RequestRepository
    holds: HoldRepository
    retention: RetentionRepository
    breaches: BreachRepository
    complaints: ComplaintRepository

    def __init__(self, factory: InMemoryUnitOfWorkFactory) -> None:
        self._factory = factory
        self._work: _State | None = None
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        work = copy.deepcopy(self._factory.committed)
        self._work = work
        self.subjects = _Subjects(work)
        self.personal_info = _PersonalInfo(work)
        self.policies = _Policies(work)
        self.staff = _Staff(work)
        self.audit = _AuditRecords(work)
        for area in (
            "consent",
            "sources",
            "disclosures",
            "outbox",
            "requests",
            "holds",
            "retention",
            "breaches",
            "complaints",
        ):
            setattr(self, area, _NotKept(area))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None  # whatever was not committed is gone
        self._after_commit = []

    def commit(self) -> None:
        if self._work is None:
            raise RuntimeError("unit of work used outside its `with` block")
        self._factory.committed = copy.deepcopy(self._work)
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once committed; dropped on rollback (as the store's unit of work)."""
        self._after_commit.append(action)

    def rollback(self) -> None:
        if self._work is None:
            raise RuntimeError("unit of work used outside its `with` block")
        self.__exit__(None, None, None)
        self.__enter__()


class InMemoryUnitOfWorkFactory:
    """Implements ``confide.services.ports.UnitOfWorkFactory``; ``committed`` is the state."""

    def __init__(self) -> None:
        self.committed = _State()

    def __call__(self, *, readonly: bool = False) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)

    @property
    def audit_records(self) -> list[AuditRecord]:
        """Every audit record committed so far, in order."""
        return list(self.committed.audit)
