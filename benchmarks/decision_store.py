"""The store-read state source for ``bench_decision``: each decision reads the subject from the
store (SQLite) as ``ConsentService.decide`` does: one read-only unit of work, one driver-level
select for the profile and the stamp of its ledger (event count, latest instant); the history
is read and the state derived again when the stamp differs from the one the process derived
its cached state under (always on the first pass: the cold figure)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from confide.adapters.crypto import KeyRing
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.consent.state import SubjectState
from confide.domain.policy import Policy
from confide.domain.subjects import Identifier, IdentifierKind, Subject
from confide.verifier import CheckpointSigner

_KEEP: list[Any] = []  # the temporary store lives as long as the benchmark process


def store_source(policy: Policy, subjects: list[Any]) -> Any:
    tmp = tempfile.TemporaryDirectory()
    settings = Settings(
        data_dir=Path(tmp.name),
        keys=KeyRing.generate().to_json(),  # type: ignore[arg-type]
        audit_signing_key=CheckpointSigner.generate("bench").to_text(),
    )  # type: ignore[arg-type]
    c: Container = build(settings, migrate_db=True)
    _KEEP.extend([tmp, c])
    created = datetime(2020, 1, 1, tzinfo=UTC)
    seen_phones: set[str] = set()
    rows: list[Subject] = []
    for s in subjects:
        p = s.profile
        phones = [n for n in p.phone_numbers if n not in seen_phones]
        seen_phones.update(phones)
        rows.append(
            Subject(
                p.subject_id,
                "customer",
                p.province,
                p.language,
                created,
                tuple(Identifier(IdentifierKind.PHONE, n) for n in phones),
                birth_date=p.birth_date,
            )
        )
    for start in range(0, len(rows), 5000):
        with c.ctx.uow() as uow:
            uow.subjects.add_many(rows[start : start + 5000])
            uow.consent.add_events(
                [e for s in subjects[start : start + 5000] for e in s.events], created
            )
            uow.commit()

    def lookup(subject_id: str) -> SubjectState:
        with c.ctx.uow(readonly=True) as uow:
            return c.consent.decision_state(uow, subject_id)

    return lookup
