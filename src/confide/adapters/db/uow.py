"""The SQLAlchemy unit of work: one connection, one transaction, rollback by default."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from confide.adapters.db.repositories.audit import PayloadKeyCache, SqlAlchemyAuditLog
from confide.adapters.db.repositories.breaches import SqlAlchemyBreachRepository
from confide.adapters.db.repositories.complaints import SqlAlchemyComplaintRepository
from confide.adapters.db.repositories.consent import SqlAlchemyConsentRepository
from confide.adapters.db.repositories.disclosures import SqlAlchemyDisclosureRepository
from confide.adapters.db.repositories.holds import SqlAlchemyHoldRepository
from confide.adapters.db.repositories.outbox import SqlAlchemyOutboxRepository
from confide.adapters.db.repositories.personal_info import SqlAlchemyPersonalInfoRepository
from confide.adapters.db.repositories.policies import SqlAlchemyPolicyVersionRepository
from confide.adapters.db.repositories.requests import SqlAlchemyRequestRepository
from confide.adapters.db.repositories.retention import SqlAlchemyRetentionRepository
from confide.adapters.db.repositories.sources import SqlAlchemyDataSourceRepository
from confide.adapters.db.repositories.staff import SqlAlchemyStaffRepository
from confide.adapters.db.repositories.subjects import SqlAlchemySubjectRepository
from confide.domain.errors import Conflict
from confide.services.ports.audit import AuditLog
from confide.services.ports.breaches import BreachRepository
from confide.services.ports.common import Cipher
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

log = logging.getLogger("confide.uow")


class SqlAlchemyUnitOfWork:
    """Implements ``confide.services.ports.UnitOfWork`` on a SQLAlchemy engine."""

    # Declared with the port types (protocol attributes are invariant); assigning the
    # SQLAlchemy repositories below is what checks that they implement the ports.
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

    def __init__(
        self,
        engine: Engine,
        cipher: Cipher,
        *,
        readonly: bool = False,
        payload_keys: PayloadKeyCache | None = None,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._payload_keys = payload_keys or PayloadKeyCache()
        self._readonly = readonly
        self._conn: Connection | None = None
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        # The connection begins its transaction on first use (SQLAlchemy's autobegin);
        # on SQLite the readonly flag picks a deferred BEGIN instead of BEGIN IMMEDIATE.
        conn = self._engine.connect()
        conn.info["readonly"] = self._readonly
        self._conn = conn
        self.subjects = SqlAlchemySubjectRepository(conn)
        self.personal_info = SqlAlchemyPersonalInfoRepository(conn, self._cipher)
        self.consent = SqlAlchemyConsentRepository(conn)
        self.policies = SqlAlchemyPolicyVersionRepository(conn)
        self.staff = SqlAlchemyStaffRepository(conn)
        self.sources = SqlAlchemyDataSourceRepository(conn, self._cipher)
        self.audit = SqlAlchemyAuditLog(conn, self._cipher, self._payload_keys)
        self.disclosures = SqlAlchemyDisclosureRepository(conn)
        self.outbox = SqlAlchemyOutboxRepository(conn, self._cipher)
        self.requests = SqlAlchemyRequestRepository(conn, self._cipher)
        self.holds = SqlAlchemyHoldRepository(conn, self._cipher)
        self.retention = SqlAlchemyRetentionRepository(conn, self._cipher)
        self.breaches = SqlAlchemyBreachRepository(conn, self._cipher)
        self.complaints = SqlAlchemyComplaintRepository(conn, self._cipher)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self._conn
        self._conn = None
        self._after_commit = []
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
        if isinstance(exc, IntegrityError):
            # A uniqueness or reference rule caught by the database (e.g. a race between two
            # writers): a conflict for the caller, without the driver's text (it may hold values).
            raise Conflict("the change conflicts with data already recorded") from exc

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._conn

    def commit(self) -> None:
        self.connection.commit()
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception as exc:  # the commit stands; the periodic job covers a lost nudge
                log.warning("after-commit action failed (%s)", type(exc).__name__)

    def rollback(self) -> None:
        self._after_commit = []
        self.connection.rollback()

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after_commit.append(action)


class SqlAlchemyUnitOfWorkFactory:
    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine = engine
        self.cipher = cipher
        self.payload_keys = PayloadKeyCache()

    def __call__(self, *, readonly: bool = False) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(
            self.engine, self.cipher, readonly=readonly, payload_keys=self.payload_keys
        )
