"""The one place that wires concrete adapters to services.

``build(settings)`` returns a :class:`Container` whose attributes are the
services the front doors (API, CLI, jobs) call. Nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from confide.adapters.calendar import CanadianHolidayCalendar
from confide.adapters.clock import SystemClock
from confide.adapters.connectors.registry import ConnectorRegistry
from confide.adapters.crypto import KeyRing, load_key_ring
from confide.adapters.db import migrate
from confide.adapters.db.engine import make_engine
from confide.adapters.db.uow import SqlAlchemyUnitOfWorkFactory
from confide.adapters.delivery import RecipientDelivery
from confide.adapters.mail import make_mailer
from confide.adapters.queue import HueyTaskQueue, make_queue
from confide.adapters.ratelimits import RedisRateLimits, StoreRateLimits
from confide.adapters.rendering.access_file import render as render_access_file
from confide.adapters.signing import load_signer
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR, Principal
from confide.domain.access_file import AccessFile
from confide.domain.decisions import StoredDecision
from confide.domain.errors import ValidationFailed
from confide.domain.outbox import AddressAllowList
from confide.domain.policy_version import PolicyVersion
from confide.policy.loader import load_policy
from confide.services.access_file import (
    WITHHOLDING_FILE,
    AccessFileService,
    read_withholding,
)
from confide.services.audience import AudienceService
from confide.services.audit import AuditService
from confide.services.breaches import BreachService
from confide.services.complaints import ComplaintService
from confide.services.consent import ConsentService, DecisionRecorder
from confide.services.context import ServiceContext
from confide.services.corrections import CorrectionService
from confide.services.demo import DemoGenerator
from confide.services.disclosures import DisclosureService
from confide.services.discovery import DiscoveryService
from confide.services.group_commit import GroupCommitter
from confide.services.holds import HoldService
from confide.services.imports import SubjectImporter
from confide.services.jobs import JobsService
from confide.services.keys import KeyService
from confide.services.outbox import OutboxService
from confide.services.policies import LoadedPolicyInput, PolicyService
from confide.services.ports.common import Clock
from confide.services.ports.jobs import TaskQueue
from confide.services.ports.mail import Mailer
from confide.services.ports.outbox import OutboxNudge
from confide.services.ports.ratelimits import RateLimits
from confide.services.requests import RequestService, RequestSettings
from confide.services.retention import RetentionService
from confide.services.sources import SourceService
from confide.services.staff import StaffService
from confide.services.subjects import SubjectService


@dataclass
class Container:
    settings: Settings
    engine: Engine
    keyring: KeyRing
    ctx: ServiceContext
    subjects: SubjectService
    importer: SubjectImporter
    staff: StaffService
    policies: PolicyService
    demo: DemoGenerator
    keys: KeyService
    audit: AuditService
    consent: ConsentService
    audience: AudienceService
    sources: SourceService
    connectors: ConnectorRegistry
    disclosures: DisclosureService
    decision_log: GroupCommitter[StoredDecision]
    """Decisions are recorded by group commit: concurrent requests share one transaction."""
    queue: HueyTaskQueue
    smtp_mailer: Mailer | None
    """Straight over SMTP: what the outbox delivers email with (services never send mail)."""
    jobs: JobsService
    outbox: OutboxService
    """The one outbox: every message to individuals, recipients, sources, the privacy officer
    and regulators is added to it by the use case that owes it, and delivered from it."""
    corrections: CorrectionService
    """Accept a correction (applied and sent everywhere) or refuse it (statement kept)."""
    delivery: RecipientDelivery
    requests: RequestService
    """Access, correction and portability requests: intake, verification, clocks, holds, and
    the response (access files assembled and rendered, corrections answered)."""
    holds: HoldService
    """Legal holds (ACC-8): opened by the officer or by verified requests; every destructive
    path asks it before destroying anything."""
    access_files: AccessFileService
    """Assembles a subject's access or portability file (ACC-4, ACC-5, ACC-10); the requests
    are built with it and with its renderer (``confide.adapters.rendering.access_file``)."""
    discovery: DiscoveryService
    """Finds personal information in text, files and connected sources (its scanner compiles once)."""
    retention: RetentionService
    """Retention and disposal (RET-1..3): lifecycle events, end of life, disposal runs planned,
    approved and executed in batches, certificates of disposal."""
    breaches: BreachService
    """The breach register (BRE-1..5): incidents, the people affected, risk assessments,
    reports to the regulators, notices to people, keeping."""
    complaints: ComplaintService
    """Complaints (CMP-1, CMP-2): intake, acknowledgement, escalation, answer, actions."""
    rate_limits: RateLimits
    """The public front doors' rate limits, shared by every serving process."""

    def activate_policy(
        self, path: Path | None = None, principal: Principal = LOCAL_OPERATOR
    ) -> PolicyVersion:
        """Load the policy file (default: settings, then the packaged policy) and make it active."""
        loaded = load_policy(path or self.settings.policy_file)
        source = loaded.source + "".join(
            f"\n# --- product policy {pid} ---\n{text}"
            for pid, text in sorted(loaded.product_sources.items())
        )
        return self.policies.activate(
            principal, LoadedPolicyInput(loaded.policy, loaded.content_hash, source)
        )

    def requests_over(
        self, outbox: OutboxNudge | None, settings: RequestSettings | None = None
    ) -> RequestService:
        """A request service wired as ``requests`` is, nudging ``outbox`` instead (tests deliver
        inline) and with ``settings`` if given: a new service, the container's is untouched."""
        return request_service(
            self.ctx,
            outbox,
            settings or self.requests.settings,
            holds=self.holds,
            queue=self.queue,
            access_files=self.access_files,
            corrections=self.corrections,
        )

    def close(self) -> None:
        self.decision_log.close()
        self.queue.close()
        self.delivery.close()
        self.connectors.close()
        if isinstance(self.rate_limits, RedisRateLimits):
            self.rate_limits.close()
        self.engine.dispose()


def build(
    settings: Settings,
    *,
    create_key: bool = False,
    migrate_db: bool = False,
    activate: bool = True,
    clock: Clock | None = None,
) -> Container:
    """Wire everything from settings. ``create_key`` creates the key file if missing (embedded default)."""
    keyring = load_key_ring(
        settings.effective_key_file,
        settings.keys.get_secret_value() if settings.keys else None,
        create=create_key,
    )
    signer = load_signer(
        settings.effective_audit_key_file,
        settings.audit_signing_key.get_secret_value() if settings.audit_signing_key else None,
        settings.audit_origin,
        create=create_key,
    )
    engine = make_engine(settings.effective_database_url, echo=settings.sql_echo)
    if migrate_db:
        migrate.upgrade(engine)
    webhook_hosts = AddressAllowList.parse(settings.webhook_allowed_hosts)
    ctx = ServiceContext(
        uow=SqlAlchemyUnitOfWorkFactory(engine, keyring),
        clock=clock or SystemClock(),
        webhook_hosts=webhook_hosts,
    )
    subjects = SubjectService(ctx)
    connectors = ConnectorRegistry()
    sources = SourceService(ctx, connectors)
    # Decisions are recorded by group commit: concurrent requests share one transaction.
    recorder = DecisionRecorder(ctx)
    decision_log: GroupCommitter[StoredDecision] = GroupCommitter(recorder.record)
    consent = ConsentService(ctx, CanadianHolidayCalendar(), recorder, decision_log.submit)
    # Background work: the embedded default is a SQLite queue file in the data directory;
    # CONFIDE_QUEUE_URL=redis://... spreads workers over several machines.
    queue = make_queue(settings, cipher=keyring)
    smtp_mailer = make_mailer(settings)
    # Every message goes out through the outbox: webhooks (httpx) or email straight over SMTP,
    # so each attempt's result is recorded with the message (the outbox retries and backs off).
    delivery = RecipientDelivery(smtp_mailer, allowed=webhook_hosts)
    outbox = OutboxService(ctx, sources, delivery, queue=queue)
    corrections = CorrectionService(ctx, subjects, sources, outbox)
    holds = HoldService(ctx)
    discovery = DiscoveryService(sources)
    # Confidential and privileged marks (ACC-5), from data_dir/access-withholding.json.
    access_files = AccessFileService(
        ctx, sources, withholding=read_withholding(settings.data_dir / WITHHOLDING_FILE)
    )
    requests = request_service(
        ctx,
        outbox,
        request_settings(settings),
        holds=holds,
        queue=queue,
        access_files=access_files,
        corrections=corrections,
    )
    container = Container(
        settings=settings,
        engine=engine,
        keyring=keyring,
        ctx=ctx,
        subjects=subjects,
        importer=SubjectImporter(ctx, subjects),
        staff=StaffService(ctx),
        policies=PolicyService(ctx),
        demo=DemoGenerator(ctx),
        keys=KeyService(ctx),
        audit=AuditService(ctx, signer, settings.audit_origin, holds),
        consent=consent,
        audience=AudienceService(ctx),
        sources=sources,
        connectors=connectors,
        disclosures=DisclosureService(ctx),
        decision_log=decision_log,
        queue=queue,
        smtp_mailer=smtp_mailer,
        jobs=JobsService(ctx, queue),
        outbox=outbox,
        corrections=corrections,
        delivery=delivery,
        requests=requests,
        holds=holds,
        access_files=access_files,
        discovery=discovery,
        retention=RetentionService(ctx, holds, discovery.redact_types, connectors),
        breaches=BreachService(ctx, holds, outbox, settings.privacy_officer_email),
        complaints=ComplaintService(ctx, holds, outbox, settings.privacy_officer_email),
        rate_limits=make_rate_limits(settings, engine, keyring),
    )
    if activate:
        container.activate_policy()
    return container


def make_rate_limits(settings: Settings, engine: Engine, keyring: KeyRing) -> RateLimits:
    """Counted in Redis when ``rate_limit_url`` names it, else in the store."""
    secret = keyring.derive("rate-limit-callers")
    url = settings.rate_limit_url
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisRateLimits(url, secret)
    if url:
        raise ValidationFailed.single(
            "rate_limit_url", "must start with redis://, rediss:// or unix://"
        )
    return StoreRateLimits(engine, secret)


def request_settings(settings: Settings) -> RequestSettings:
    return RequestSettings(
        code_minutes=settings.verification_code_minutes,
        max_attempts=settings.verification_max_attempts,
        codes_per_hour=settings.verification_codes_per_hour,
        unverified_days=settings.unverified_request_days,
        officer_email=settings.privacy_officer_email,
        portal_url=settings.public_url,
    )


def request_service(
    ctx: ServiceContext,
    outbox: OutboxNudge | None,
    settings: RequestSettings,
    *,
    holds: HoldService,
    queue: TaskQueue,
    access_files: AccessFileService,
    corrections: CorrectionService,
) -> RequestService:
    """The request service and its collaborators: the access files (assembled by the service,
    kept as JSON, rendered by the rendering adapter) and the corrections service, which answers
    correction requests (ACC-9)."""
    return RequestService(
        ctx,
        outbox,
        settings,
        holds=holds,
        queue=queue,
        assembler=access_files,
        load_file=AccessFile.from_json,
        render=render_access_file,
        corrections=corrections,
    )
