"""Access file (issue 6): assemble one subject's structured file (JSON) from the store and three
connected sources of N rows each, reported as ms per file; the readable PDF apart.

Data: three sources seeded with the project's generator (``testing/sources``,
same seed, so each subject has one row in each), identifier columns (email, phone, account)
indexed: a SQLite CRM file, a PostgreSQL billing table, and a second SQLite file (support).
The store (SQLite) holds the subjects, a few values each, a consent and a disclosure.

Anchor, in the same run on the same data: the bare indexed look-ups of the same subject in the
same three sources (one kept connection each, the same ``SELECT`` of the mapped columns
``WHERE email IN (..) OR phone IN (..) OR account_no IN (..)`` with the same spellings).
Target: <= 100 ms per file and within 5x the bare look-ups.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import SecretStr

from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.crypto import KeyRing
from confide.adapters.rendering.access_file import render
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.sources import SourceIdentifierKind, identifier_variants
from confide.services.consent import GiveConsentRequest
from confide.services.disclosures import DisclosureRequest, RecipientInput
from confide.services.sources import RegisterSource
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing.sources import SeededSource, make_sql_source
from confide.verifier import CheckpointSigner

SIZES = {
    "small": {"rows": 10_000, "subjects": 10, "repeats": 5},
    "full": {"rows": 1_000_000, "subjects": 10, "repeats": 5},
}
SEED = 1
PG_ADMIN = os.environ.get(
    "CONFIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
OP = LOCAL_OPERATOR
TARGET = "<= 100 ms and <= 5x the bare look-ups"


def _pg_database() -> tuple[str, str]:
    name = f"confide_bench_af_{secrets.token_hex(4)}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _probes(seeded: SeededSource, count: int) -> list[dict[SourceIdentifierKind, str]]:
    """Probe rows whose email the store accepts (the generator's accented names are not)."""
    ok = [p for p in seeded.probes if p[SourceIdentifierKind.EMAIL].isascii()]
    return ok[:count]


def _subjects(c: Container, seeded: SeededSource, count: int) -> list[str]:
    """One subject per probe row, with values in the store, a consent and a disclosure."""
    rid = c.disclosures.add_recipient(
        OP,
        RecipientInput(
            "Acme Collections",
            "collection_agency",
            "CA",
            "QC",
            agreement_ref="AGR-1",
            agreement_signed=date(2025, 1, 1),
        ),
    ).id
    out = []
    for probe in _probes(seeded, count):
        s = c.subjects.register(
            OP,
            RegisterSubject(
                "customer",
                "QC",
                "fr",
                email=probe[SourceIdentifierKind.EMAIL],
                phone=probe[SourceIdentifierKind.PHONE],
                account=probe[SourceIdentifierKind.ACCOUNT],
            ),
        )
        for category, value, purpose in (
            ("mailing_address", "12 rue Principale, Montréal", "provide_service"),
            ("billing_records", "Invoice 2026-03: 54.20 $", "billing"),
        ):
            c.subjects.record_information(
                OP, RecordInformation(s.id, category, value, "from_individual", (purpose,))
            )
        c.consent.give(
            OP, GiveConsentRequest(s.id, ("sharing_with_partners",), "express", "checkbox")
        )
        c.disclosures.disclose(
            OP,
            DisclosureRequest(
                s.id,
                rid,
                "billing",
                ("mailing_address",),
                "debt_collection",
                {"debt_reference": "INV-1", "owed_to_company": True},
            ),
        )
        out.append(s.id)
    return out


class BareLookups:
    """The anchor: the same indexed SELECT on each source over one kept connection."""

    def __init__(self, urls: list[str], seeded: SeededSource) -> None:
        self.conns = [sa.create_engine(u).connect() for u in urls]
        m = seeded.mapping
        t = sa.table(m.table, *(sa.column(c) for c in m.columns))
        self.stmt = sa.select(*(t.c[c] for c in m.columns)).where(
            sa.or_(
                t.c.email.in_(sa.bindparam("e", expanding=True)),
                t.c.phone.in_(sa.bindparam("p", expanding=True)),
                t.c.account_no.in_(sa.bindparam("a", expanding=True)),
            )
        )

    def params(self, probe: dict[SourceIdentifierKind, str]) -> dict[str, list[str]]:
        def spell(kind: SourceIdentifierKind) -> list[str]:
            return list(identifier_variants(kind, probe[kind]))

        return {
            "e": spell(SourceIdentifierKind.EMAIL),
            "p": spell(SourceIdentifierKind.PHONE),
            "a": spell(SourceIdentifierKind.ACCOUNT),
        }

    def run(self, params: dict[str, list[str]]) -> int:
        n = 0
        for conn in self.conns:
            n += len(conn.execute(self.stmt, params).all())
        return n

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


def _median_ms(repeats: int, fns: list[Any]) -> float:
    """Median over every subject and repeat of one call, in ms."""
    times = []
    for _ in range(repeats):
        for fn in fns:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def run(size: str, params: dict[str, Any]) -> list[Result]:
    rows = int(params["rows"])
    repeats = int(params["repeats"])
    pg_name, pg_url = _pg_database()
    with tempfile.TemporaryDirectory(prefix="confide-bench-af-") as tmp:
        d = Path(tmp)
        crm, support = f"sqlite:///{d / 'crm.db'}", f"sqlite:///{d / 'support.db'}"
        with timer() as t_seed:
            seeded = make_sql_source(crm, rows, seed=SEED, probes=4 * int(params["subjects"]))
            make_sql_source(pg_url, rows, seed=SEED)
            make_sql_source(support, rows, seed=SEED)
        settings = Settings(
            data_dir=d,
            database_url=f"sqlite:///{d / 'confide.db'}",
            keys=SecretStr(KeyRing.generate().to_json()),
            audit_signing_key=SecretStr(CheckpointSigner.generate("confide-bench").to_text()),
        )
        c = build(settings, migrate_db=True)
        bare = BareLookups([crm, pg_url, support], seeded)
        try:
            for name, url in (("crm", crm), ("billing", pg_url), ("support", support)):
                c.sources.register(
                    OP,
                    RegisterSource(
                        name, "sql", url, name.upper(), (seeded.mapping,), province="QC"
                    ),
                )
            count = int(params["subjects"])
            sids = _subjects(c, seeded, count)
            probes = _probes(seeded, count)
            service = c.access_files
            assert service is not None
            _ = service.scanner  # compile the scanner's patterns once, outside the timings

            def assemble(sid: str) -> bytes:
                f = service.assemble(OP, sid, kind="access")
                assert f.complete and len(f.items) > 10, "every source must answer"
                return render(f, "json", f.language)

            sample = json.loads(assemble(sids[0]))
            per_source = {i["origin"] for i in sample["items"] if i["section"] == "source"}
            assert per_source == {"crm/customers", "billing/customers", "support/customers"}
            probe_params = [bare.params(p) for p in probes]
            assert all(bare.run(p) == 3 for p in probe_params)
            # Warm both paths (connections, statement caches), then interleave the timings.
            for sid, p in zip(sids, probe_params, strict=True):
                assemble(sid)
                bare.run(p)
            file_ms = _median_ms(repeats, [lambda s=s: assemble(s) for s in sids])
            bare_ms = _median_ms(repeats, [lambda p=p: bare.run(p) for p in probe_params])
            files = [service.assemble(OP, s, kind="access") for s in sids]
            pdf_ms = _median_ms(1, [lambda f=f: render(f, "pdf", f.language) for f in files])
            pdf_bytes = len(render(files[0], "pdf", files[0].language))
        finally:
            bare.close()
            c.close()
            _drop_pg(pg_name)
    notes = (
        f"{rows:,} rows per source (SQLite crm, PostgreSQL billing, SQLite support), "
        f"{len(sids)} subjects x {repeats} repeats, median; seeding took {t_seed():.0f} s"
    )
    return [
        Result(
            "file assembly + JSON, per subject", file_ms, "ms", size, target=TARGET, notes=notes
        ).against("bare indexed look-ups (3 sources)", bare_ms),
        Result(
            "readable PDF rendering, per file",
            pdf_ms,
            "ms",
            size,
            notes=f"fpdf2, about {pdf_bytes // 1024} KiB per file",
        ),
        Result("peak memory", peak_rss_mb(), "MB", size),
    ]
