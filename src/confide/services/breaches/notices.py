"""Composing the notices to the people an incident affected (BRE-3) into the outbox.

The text depends only on the person's language and on whether they live in Québec (the
Commission is named first in their right to complain), so the four variants are written once
and each person's message only adds their address. People are read with their language,
province and address in batches of :data:`BATCH` (one query each), in the unit of work of the
use case: each batch's messages and the register's record of them are written together, while
a helper thread composes and seals the next batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from confide.domain.breaches.contents import Facts, notice_mail
from confide.domain.breaches.model import Incident
from confide.domain.outbox import BulkNotices, OutboxKind, TargetType
from confide.services.context import ServiceContext
from confide.services.ports.outbox import SealedRows
from confide.services.ports.store import UnitOfWork

BATCH = 5000


@dataclass
class ComposedNotices:
    emails: int = 0
    letters: int = 0
    first_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.emails + self.letters


def notice_key(incident_id: str, subject_id: str) -> str:
    """The outbox idempotency key of a person's notice: one notice per person and incident."""
    return f"breach.{incident_id}.{subject_id}"


def compose_notices(
    ctx: ServiceContext, uow: UnitOfWork, incident: Incident, facts: Mapping[str, Facts]
) -> ComposedNotices:
    """Add a notice for each linked person not yet notified; returns what was composed.

    A pipeline of two: while the store writes one batch and reads the next, a helper thread
    composes and seals the batch after (pure CPU work: ids, texts, encryption). Only this
    thread uses the unit of work's connection.
    """
    texts = {
        (lang, quebec): notice_mail(facts[lang], lang, quebec)
        for lang in ("en", "fr")
        for quebec in (False, True)
    }
    now = ctx.now()
    variants: dict[object, tuple[str, str, str]] = {
        variant: (title, text, variant[0]) for variant, (title, text) in texts.items()
    }

    def prepare(batch: list[tuple[str, str, str, str | None]]) -> _Prepared:
        people: list[tuple[str, str, object, str | None, str, str]] = []
        emailed: list[str] = []
        lettered: list[str] = []
        for subject_id, language, province, address in batch:
            variant = ("fr" if language == "fr" else "en", province == "QC")
            key = notice_key(incident.id, subject_id)
            mid = ctx.new_id("msg")
            people.append((mid, subject_id, variant, address, key, f"{key}@confide.breaches"))
            (emailed if address else lettered).append(subject_id)
        bulk = BulkNotices(OutboxKind.BREACH_NOTICE, TargetType.INDIVIDUAL, now, variants, people)
        return _Prepared(uow.outbox.seal_bulk(bulk), emailed, lettered, people[0][0])

    done = ComposedNotices()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="breach-notices") as helper:
        batch = uow.breaches.pending_notices(incident.id, "", BATCH)
        preparing = helper.submit(prepare, batch) if batch else None
        while preparing is not None:
            # The next batch is read, and queued for composing, before this one is written.
            batch = uow.breaches.pending_notices(incident.id, batch[-1][0], BATCH)
            following = helper.submit(prepare, batch) if batch else None
            ready = preparing.result()
            uow.outbox.add_sealed(ready.rows)
            uow.breaches.mark_notified(incident.id, "email", ready.emailed, now)
            uow.breaches.mark_notified(incident.id, "letter", ready.lettered, now)
            done.emails += len(ready.emailed)
            done.letters += len(ready.lettered)
            if not done.first_ids:
                done.first_ids = [ready.first_id]
            preparing = following
    return done


@dataclass
class _Prepared:
    rows: SealedRows
    emailed: list[str]
    lettered: list[str]
    first_id: str
