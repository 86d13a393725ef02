"""The unit of work: one transaction over every repository.

    with uow:
        uow.subjects.add(subject)
        uow.audit.record(...)
        uow.commit()          # leaving the block without commit rolls back

Repositories never commit, and the audit record of a change is written in the same unit of
work as the change.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

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


class UnitOfWork(Protocol):
    subjects: SubjectRepository
    personal_info: PersonalInfoRepository
    consent: ConsentRepository
    policies: PolicyVersionRepository
    staff: StaffRepository
    sources: DataSourceRepository
    audit: AuditLog
    disclosures: DisclosureRepository
    outbox: OutboxRepository
    requests: RequestRepository
    holds: HoldRepository
    retention: RetentionRepository
    breaches: BreachRepository
    complaints: ComplaintRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Commit, then run what :meth:`after_commit` registered (a rollback forgets it)."""
        ...

    def rollback(self) -> None: ...

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once this unit of work has committed (never if it rolls back): how a
        use case wakes the outbox worker for the messages it added. An action that fails is
        logged by type and does not undo the commit."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> UnitOfWork:
        """A new unit of work; ``readonly=True`` promises no writes (lets SQLite read concurrently)."""
        ...
