"""Breach notices (issue 13, BRE-3): an incident affecting every demo subject — linking them by
a query and composing each person's notice into the outbox — on SQLite and PostgreSQL, with
peak memory; and the delivery rate of those notices to a local SMTP sink.

The measured path is what the officer's two clicks do: ``link_by_query`` (one INSERT ... SELECT
in the database, then the counts per province) and ``notify_individuals`` (each person's
language, province and address read in batches, the four texts written once, each message
sealed and inserted, the people marked notified), each one transaction. The anchor is the bare
insert of the very outbox rows the run wrote (already sealed: the driver's fastest path, COPY on
PostgreSQL, ``executemany`` on SQLite) in one transaction, in the same run, after deleting them
(the delete is not timed). Target: within 3x the anchor, peak memory <= 300 MB.

``CONFIDE_BENCH_BREACH_SUBJECTS`` overrides the full size (100,000 demo subjects). The demo is
generated in a child process, so the peak memory reported is the register's.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from benchmarks.demo_stores import DemoStore, on_both_databases
from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.db.bulk import insert_rows
from confide.adapters.db.engine import make_engine
from confide.adapters.db.tables import outbox_messages
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.services.breaches import AssessIncident, IncidentFacts
from confide.services.ports.breaches import AffectedQuery

SIZES = {
    "small": {"subjects": 3_000, "deliver": 300},
    "full": {
        "subjects": int(os.environ.get("CONFIDE_BENCH_BREACH_SUBJECTS", 100_000)),
        "deliver": 3_000,
    },
}

FACTS = IncidentFacts(
    title="Customer export on a public file share",
    circumstances="A nightly export of names and addresses was readable on a public share.",
    occurred_from=date.today() - timedelta(days=30),
    occurred_approximate=True,
    categories=("name", "mailing_address"),
    systems=("crm",),
    measures="The share was closed; access logs were reviewed.",
    individual_steps="Be wary of letters or calls claiming to be us.",
)
DECISION = AssessIncident(
    factors=("exposed_to_unknown", "long_exposure"),
    real_risk=True,
    decision_reason="Names and addresses of every customer were public for weeks.",
    serious_injury=True,
    ill_intentioned_uses="Phishing and impersonation.",
    consequences="Fraud attempts.",
    likelihood="medium",
)


def _bare_insert(url: str, queue: Any) -> None:
    """In a child process (its memory is not the register's): delete the run's outbox rows
    (not timed), then time inserting them again, committed; puts (seconds, rows)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(outbox_messages).where(outbox_messages.c.kind == "breach_notice")
            ).all()
            columns = list(rows[0]._mapping.keys()) if rows else []
            conn.execute(
                sa.delete(outbox_messages).where(outbox_messages.c.kind == "breach_notice")
            )
            conn.commit()
        raw = [_driver_row(engine.dialect.name, r) for r in rows]
        with engine.connect() as conn, timer() as t, conn.begin():
            insert_rows(conn, outbox_messages, columns, raw)
        queue.put((t(), len(raw)))
    finally:
        engine.dispose()


def _driver_row(dialect: str, row: Any) -> tuple[Any, ...]:
    """A row as the driver takes it: SQLite stores times as text (as SQLAlchemy's type does)."""
    if dialect != "sqlite":
        return tuple(row)
    return tuple(
        v.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(v, "strftime") else v
        for v in row
    )


def _anchor(url: str) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_bare_insert, args=(url, queue))
    child.start()
    seconds, rows = queue.get(timeout=3600)
    child.join()
    return float(seconds), int(rows)


def _measure(c: Container, name: str, size: str, url: str) -> list[Result]:
    with c.engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
        conn.commit()
        subjects = int(conn.execute(sa.text("SELECT count(*) FROM subjects")).scalar_one())
    incident = c.breaches.record(LOCAL_OPERATOR, FACTS)
    with timer() as link_t:
        linked = c.breaches.link_by_query(
            LOCAL_OPERATOR, incident.id, AffectedQuery(categories=("name",))
        )
    c.breaches.assess(LOCAL_OPERATOR, incident.id, DECISION)
    with timer() as notify_t:
        notice = c.breaches.notify_individuals(LOCAL_OPERATOR, incident.id)
    if linked != subjects or notice.count != linked:
        raise RuntimeError(f"linked {linked}, composed {notice.count}, subjects {subjects}")
    bare, rows = _anchor(url)
    if rows != notice.count:
        raise RuntimeError(f"re-inserted {rows} rows, expected {notice.count}")
    total = link_t() + notify_t()
    return [
        Result(
            f"breach: link + compose notices ({name}, {linked:,} people)",
            total,
            "s",
            size,
            target="<= 3x the bare insert of the same outbox rows",
            notes=f"link {link_t():.2f} s, notices {notify_t():.2f} s "
            f"({notice.count / notify_t():,.0f} notices/s)",
        ).against("bare insert of the same outbox rows", bare, "s")
    ]


def _deliver(store: DemoStore, count: int) -> Result:
    """Deliver ``count`` of the composed notices to an SMTP sink on loopback."""
    from aiosmtpd.controller import Controller

    class Sink:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.received += 1
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    c = store.container(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
    try:
        with timer() as t:
            while Sink.received < count:
                report = c.outbox.deliver_due(LOCAL_OPERATOR, limit=min(200, count - Sink.received))
                if report.attempted == 0:
                    break
    finally:
        c.close()
        controller.stop()
    rate = Sink.received / t() if t() else 0.0
    return Result(
        f"breach notices delivered to a local SMTP sink ({Sink.received:,})", rate, "msg/s", ""
    )


def _one(store: DemoStore, size: str, n: int, deliver: int) -> list[Result]:
    store.generate(n)
    c = store.container()
    try:
        # The anchor puts the same notices back: they are there to deliver.
        results = _measure(c, store.name, size, store.database_url)
    finally:
        c.close()
    delivered = _deliver(store, deliver)
    delivered.size = size
    delivered.metric += f" ({store.name})"
    return [*results, delivered]


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n, deliver = int(params["subjects"]), int(params["deliver"])
    results = on_both_databases(size, lambda store: _one(store, size, n, deliver))
    results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
    return results
