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

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from confide.domain.audit.entry import AuditEntry
from confide.domain.audit.merkle import MerkleTree
from confide.domain.consent.events import ConsentEvent, ConsentWithdrawn, SubjectProfile
from confide.domain.consent.readmodel import StateRow
from confide.domain.consent.telemarketing import NationalDoNotCallList
from confide.domain.disclosure.ledger import DisclosureRecord
from confide.domain.disclosure.recipients import Recipient
from confide.domain.errors import FieldProblem
from confide.domain.holds import LegalHold
from confide.domain.outbox import (
    AttemptResult,
    Channel,
    DeliveryAttempt,
    DeliveryState,
    Disagreement,
    OutboxMessage,
)
from confide.domain.policy_version import PolicyVersion
from confide.domain.requests.model import (
    AccessRequest,
    RequestState,
    VerificationCode,
)
from confide.domain.sources import DataSource, LookupKey, SampleRows, SourceRow
from confide.domain.subjects import IdentifierKind, PersonalInfoRecord, Subject


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

    def get_many(self, subject_ids: Sequence[str]) -> list[Subject]: ...

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


@dataclass(frozen=True)
class StoredDecision:
    """A decision as recorded: inputs, answer, explanation's rule, and the policy version (POL-1)."""

    id: str
    subject_id: str
    action: str
    purpose_id: str
    channel: str | None
    recipient_id: str | None
    categories: tuple[str, ...]
    asked_at: datetime
    decided_at: datetime
    allowed: bool
    reasons: tuple[str, ...]
    rule: str
    relied_on: str | None
    valid_until: datetime | None
    policy_version: str
    requested_by: str
    language: str


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


@dataclass(frozen=True)
class StoredDisclosure:
    """A row of the disclosure ledger: the domain record (DIS-1), its own id, who recorded it
    and, for a bulk disclosure, the bulk's id."""

    id: str
    record: DisclosureRecord
    recorded_by: str
    bulk_id: str | None = None


@dataclass(frozen=True)
class DisclosureNotice:
    """A written notice owed to the individual after a disclosure (an emergency, DIS-2)."""

    id: str
    subject_id: str
    disclosure_id: str
    due_at: datetime
    done_at: datetime | None = None
    """When it was sent (None: still owed)."""
    sent_via: str | None = None
    sent_by: str | None = None
    sent_reference: str | None = None
    disclosed_at: datetime | None = None
    """When the disclosure it is about happened (filled when read from the store)."""


@dataclass(frozen=True)
class DisclosureFacts:
    """What a disclosure decision needs about a subject, read in one go for many subjects:
    its profile and the categories of personal information on file (not superseded)."""

    subject_id: str
    subject_type: str
    province: str
    language: str
    birth_date: date | None
    categories_on_file: frozenset[str]


class DisclosureRepository(Protocol):
    """The recipients register, the disclosure ledger (append-only), notices owed, and the
    subject facts a batch of decisions needs."""

    def add_recipient(self, recipient: Recipient, created_at: datetime) -> None: ...

    def recipient(self, recipient_id: str) -> Recipient | None: ...

    def recipient_by_name(self, name: str) -> Recipient | None: ...

    def recipients(self) -> list[Recipient]: ...

    def subject_facts(
        self, subject_ids: Sequence[str], categories: Sequence[str] | None = None
    ) -> dict[str, DisclosureFacts]:
        """Profiles and categories on file (only those among ``categories`` when given)."""
        ...

    def existing_subjects(self, subject_ids: Sequence[str]) -> set[str]:
        """Which of ``subject_ids`` name a subject."""
        ...

    def add_decisions(self, items: Sequence[StoredDecision]) -> None:
        """Record disclosure decisions in the shared decisions table (bulk fast path)."""
        ...

    def add_disclosures(self, items: Sequence[StoredDisclosure]) -> None: ...

    def for_subject(self, subject_id: str) -> list[StoredDisclosure]:
        """The subject's ledger rows in time order (ties: order of recording)."""
        ...

    def count(self, bulk_id: str | None = None) -> int: ...

    def add_notices(self, items: Sequence[DisclosureNotice]) -> None: ...

    def notices(
        self,
        subject_id: str | None = None,
        *,
        open_only: bool = False,
        due_before: datetime | None = None,
        sent_only: bool = False,
    ) -> list[DisclosureNotice]:
        """Notices by deadline; ``open_only``: not yet sent; ``due_before``: deadline before."""
        ...

    def notice(self, notice_id: str) -> DisclosureNotice | None: ...

    def close_notice(
        self,
        notice_id: str,
        sent_at: datetime,
        sent_via: str,
        sent_by: str,
        sent_reference: str | None,
    ) -> bool:
        """Mark an open notice sent; False if it was already closed (no row changed)."""
        ...


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


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed checkpoint as kept by the log: size, root, time, and the signed note text."""

    size: int
    root_hash: bytes
    issued_at: datetime
    note: str


class AuditLog(Protocol):
    """The tamper-evident log: appends in the caller's transaction, and its tree's reads."""

    def record(self, entry: AuditRecord) -> None: ...

    def record_many(self, entries: Sequence[AuditRecord]) -> None: ...

    def count(self) -> int: ...

    def size(self) -> int: ...

    def tree(self) -> MerkleTree:
        """The Merkle tree at the current size (roots and proofs for any size up to it)."""
        ...

    def entries(
        self, start: int = 0, end: int | None = None, batch: int = 5000
    ) -> Iterator[tuple[AuditEntry, bytes]]:
        """(entry, recorded leaf hash) in sequence order."""
        ...

    def read_payload(self, seq: int) -> dict[str, object] | None: ...

    def destroy_subject_key(self, subject_id: str, at: datetime) -> int: ...

    def rewrap_keys(self) -> int:
        """Re-encrypt the payload keys sealed with an older key-ring key; returns how many."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None: ...

    def checkpoints(self) -> list[StoredCheckpoint]: ...

    def checkpoint(self, size: int) -> StoredCheckpoint | None: ...


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


# --- Background jobs and mail ------------------------------------------------------------------


@dataclass(frozen=True)
class JobInfo:
    """What the task queue knows about one job: never its payload, so it can be shown and logged.

    ``state`` is ``queued`` (waiting, possibly until ``run_at``), ``running``, ``done`` or
    ``dead`` (it kept failing: the dead-letter list). ``last_error`` names an error code or
    an exception type, never the values the job carried.
    """

    job_id: str
    name: str
    state: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime
    run_at: datetime | None = None
    finished_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class WorkerHeartbeat:
    """The last tick of the periodic ``system.heartbeat`` job: when, and which worker ran it."""

    at: datetime
    worker: str


class TaskQueue(Protocol):
    """Background jobs: persisted, idempotent, retried with backoff, dead-lettered when they keep failing.

    ``enqueue`` returns the job id. With an ``idempotency_key`` the same key always names
    the same job, so enqueuing it twice runs it once (within the queue's retention).
    """

    def enqueue(
        self,
        name: str,
        payload: dict[str, object] | None = None,
        *,
        run_at: datetime | None = None,
        delay_seconds: float | None = None,
        idempotency_key: str | None = None,
    ) -> str: ...

    def job(self, job_id: str) -> JobInfo | None: ...

    def dead_letters(self) -> list[JobInfo]:
        """Jobs that failed every attempt, oldest first; they stay until retried or discarded."""
        ...

    def retry_dead(self, job_id: str) -> JobInfo:
        """Queue a dead-lettered job again with a fresh set of attempts."""
        ...

    def discard_dead(self, job_id: str) -> JobInfo:
        """Remove a dead-lettered job from the list (it stays recorded as discarded until purged)."""
        ...

    def record_heartbeat(self, beat: WorkerHeartbeat) -> None: ...

    def last_heartbeat(self) -> WorkerHeartbeat | None: ...


@dataclass(frozen=True)
class OutgoingMail:
    """One message to send: plain text, an optional HTML alternative, in the reader's language.

    ``message_id`` (without angle brackets) makes a resend recognisable as the same message;
    the queued mail job sets it from the job id.
    """

    to: str
    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    reply_to: str | None = None
    message_id: str | None = None

    def to_payload(self) -> dict[str, object]:
        return {
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "language": self.language,
            "reply_to": self.reply_to,
            "message_id": self.message_id,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, object]) -> OutgoingMail:
        def text(key: str) -> str | None:
            value = payload.get(key)
            return value if isinstance(value, str) else None

        return cls(
            to=text("to") or "",
            subject=text("subject") or "",
            text=text("text") or "",
            html=text("html"),
            language=text("language") or "en",
            reply_to=text("reply_to"),
            message_id=text("message_id"),
        )


class Mailer(Protocol):
    """Sends one message (SMTP in production, a list in memory for unit tests)."""

    def send(self, mail: OutgoingMail) -> str:
        """Send ``mail``; returns its Message-ID. Raises a ``ConfideError`` that names no address."""
        ...


# --- requests (issue 6, ACC-1..11) and legal holds (ACC-8) ------------------------------------


class RequestRepository(Protocol):
    """Access, correction and portability requests, their one-time codes and prepared files.

    ``save`` is a compare-and-set on the state: it writes only if the stored state is still
    ``expected`` and says whether it did (so a periodic job acts once per request).
    """

    def add(self, request: AccessRequest) -> None: ...

    def save(self, request: AccessRequest, *, expected: RequestState) -> bool: ...

    def get(self, request_id: str) -> AccessRequest | None: ...

    def listing(
        self,
        *,
        states: Collection[RequestState] | None = None,
        due_until: date | None = None,
        subject_id: str | None = None,
        limit: int = 500,
    ) -> list[AccessRequest]: ...

    def set_file(self, request_id: str, data: dict[str, object] | None, at: datetime) -> None: ...

    def file(self, request_id: str) -> dict[str, object] | None: ...

    def add_code(self, code: VerificationCode) -> None: ...

    def latest_code(self, request_id: str) -> VerificationCode | None: ...

    def record_attempt(self, code_id: str, *, used_at: datetime | None = None) -> None: ...

    def codes_since(
        self, since: datetime, *, subject_id: str | None = None, address_hash: str | None = None
    ) -> int: ...


class HoldRepository(Protocol):
    """Legal holds (ACC-8, RET-2), whatever opened them: requests, complaints, litigation,
    regulators' orders, breach investigations. Reasons are sealed by the adapter."""

    def add(self, hold: LegalHold) -> None: ...

    def close(self, hold: LegalHold) -> bool:
        """Store the closing of ``hold`` (closed_at/by/reason set) if it is still open in the
        store; False (nothing written) when it was closed meanwhile."""
        ...

    def get(self, hold_id: str) -> LegalHold | None: ...

    def listing(
        self,
        *,
        subject_id: str | None = None,
        cause: str | None = None,
        active_only: bool = False,
        limit: int = 500,
    ) -> list[LegalHold]:
        """Holds oldest first; ``subject_id`` keeps those naming that subject."""
        ...

    def covering(
        self,
        subject_id: str | None,
        category: str | None,
        system: str | None,
        *,
        active_only: bool = True,
    ) -> list[LegalHold]:
        """Holds whose scope meets (subject, category, system); None there means all of them.
        The instant is the caller's to check (``LegalHold.applies_to``)."""
        ...


# --- The correction outbox (ACC-9) ---------------------------------------------------------------


class OutboxRepository(Protocol):
    """Outbox messages (payload sealed by the adapter), their delivery attempts, statements of
    disagreement (sealed) and recipients' correction endpoints."""

    def add_messages(self, messages: Sequence[OutboxMessage]) -> None: ...

    def add(self, message: OutboxMessage) -> bool:
        """Add one message; False (nothing written) when a message with its idempotency key is
        already there, whichever transaction added it."""
        ...

    def by_key(self, key: str) -> OutboxMessage | None: ...

    def get(self, message_id: str) -> OutboxMessage | None: ...

    def messages(
        self,
        *,
        state: DeliveryState | None = None,
        subject_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        channel: Channel | None = None,
    ) -> list[OutboxMessage]: ...

    def mark_posted(self, attempt: DeliveryAttempt, by: str) -> bool:
        """Record a pending letter as posted (delivered) with its attempt; False if the message
        is not a pending letter."""
        ...

    def count(self, state: DeliveryState | None = None) -> int: ...

    def due(self, at: datetime, limit: int) -> list[str]:
        """Ids of pending messages whose next attempt is due and that no live worker holds."""
        ...

    def next_due_at(self) -> datetime | None:
        """When the earliest pending message is due (None: nothing pending)."""
        ...

    def claim(self, message_id: str, worker: str, at: datetime, until: datetime) -> bool:
        """Take the message for one attempt (compare-and-set); False if not due or held."""
        ...

    def record_attempt(
        self,
        attempt: DeliveryAttempt,
        state: DeliveryState,
        next_attempt_at: datetime | None,
        worker: str,
    ) -> bool:
        """Record an attempt and the message's new state, releasing the claim ``worker`` holds;
        False (nothing written) when ``worker`` no longer holds it."""
        ...

    def attempts(self, message_id: str) -> list[DeliveryAttempt]: ...

    def retry(self, message_id: str, at: datetime, extra_attempts: int) -> None:
        """Make a failed message pending again, due at ``at``, with ``extra_attempts`` more."""
        ...

    def add_disagreement(self, item: Disagreement) -> None: ...

    def disagreements(self, subject_id: str) -> list[Disagreement]: ...

    def set_endpoint(self, recipient_id: str, webhook_url: str | None, at: datetime) -> None:
        """Set (or with None remove) a recipient's correction webhook; setting one gives it a new
        signing secret."""
        ...

    def endpoint(self, recipient_id: str) -> str | None: ...

    def signing_secret(self, recipient_id: str) -> str | None:
        """The secret the recipient's webhook POSTs are signed with (None: no webhook)."""
        ...


@dataclass(frozen=True)
class DeliveryTarget:
    """Where one outbox message goes: a webhook URL or an email address (or nowhere known)."""

    recipient_id: str
    recipient_name: str
    webhook_url: str | None = None
    email: str | None = None
    signing_secret: str | None = field(default=None, repr=False)
    """Signs webhook POSTs (HMAC-SHA256 over the time stamp and the body)."""


class MessageDelivery(Protocol):
    """Delivers one outbox message: to a recipient (a webhook POST or an email), or a message
    composed in full to a person by email. Never raises for a failed delivery: the result names
    the failure by code (never by a value carried)."""

    def deliver(self, message: OutboxMessage, target: DeliveryTarget) -> AttemptResult: ...

    def mail(self, message: OutboxMessage) -> AttemptResult:
        """Send a composed message (its address, subject line and body are in its payload)."""
        ...


class OutboxNudge(Protocol):
    """Asks the outbox worker to deliver messages just committed, rather than at its next tick.
    Only a shortcut: the periodic delivery job finds every due message without it."""

    def nudge(self, message_ids: Sequence[str]) -> None: ...
