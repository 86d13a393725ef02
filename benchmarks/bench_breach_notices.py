"""Breach notices (issue 13, BRE-3): an incident affecting every demo subject — linking them by
a query and composing each person's notice into the outbox — on SQLite and PostgreSQL, with
peak memory; and the delivery rate of those notices to a local SMTP sink.

The measured path is what the officer does in the register: record the incident with complete
facts, ``link_by_query`` on a category every demo subject holds (one INSERT ... SELECT, then the
counts per province: Québec residents are among them), assess it (real risk, with the Québec
elements), and ``notify_individuals`` (each person's language, province and address read in
batches, the four texts written once, each message sealed and inserted, the people marked
notified). ``link_by_query`` and ``notify_individuals`` are timed, separately and together.

The anchor is the bare insert of the very outbox rows the run wrote (every column, payloads
already sealed) with the driver's fastest path (:func:`confide.adapters.db.bulk.insert_rows`:
COPY on PostgreSQL, ``executemany`` on SQLite), in one transaction, committed, into a copy of
the database made in the same run just before the measured path (SQLite's backup API;
PostgreSQL's ``CREATE DATABASE ... TEMPLATE``), so it lands in the same table holding the same
rows. The rows are read and inserted in a child process, so the peak memory reported is the
register's. Target: link + notify within 3x the anchor, peak memory <= 300 MB.

Delivery: an SMTP sink (aiosmtpd) in this process on a free loopback port, a container set to
send to it, and ``deliver_due`` in batches until the sample is delivered or nothing is due
(small: the first 1,000; full: the first 5,000; 0 would be every notice composed); the rate
is messages/second.

``CONFIDE_BENCH_BREACH_SUBJECTS`` overrides the full size (100,000 demo subjects). The demo is
generated in a child process (:mod:`benchmarks.demo_stores`).
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import sqlite3
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from benchmarks.demo_stores import PG_ADMIN, DemoStore, on_both_databases
from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.db.bulk import insert_rows
from confide.adapters.db.engine import make_engine
from confide.adapters.db.tables import outbox_messages
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.services.breaches import AssessIncident, IncidentFacts
from confide.services.ports.breaches import AffectedQuery

SIZES = {
    # Delivery runs at about 100-200 messages/s: all 3,000 notices would take 40 s.
    "small": {"subjects": 3_000, "deliver": 1_000},
    "full": {
        "subjects": int(os.environ.get("CONFIDE_BENCH_BREACH_SUBJECTS", 100_000)),
        "deliver": 5_000,
    },
}
CATEGORY = "name"
"""A category the demo records for every subject: the query links all of them."""
DELIVER_BATCH = 200

FACTS = IncidentFacts(
    title="Customer export on a public file share",
    reported_by="staff",
    circumstances="A nightly export of names and addresses was readable on a public share.",
    cause="The export job wrote to a share whose permissions had been widened.",
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
COLUMNS = [c.name for c in outbox_messages.columns]
THE_RUNS = "kind = 'breach_notice' AND idempotency_key LIKE :key"
"""The outbox rows an incident's notices wrote (their idempotency key names the incident)."""


# --- the anchor -----------------------------------------------------------------------------------
def _copy(c: Container, store: DemoStore) -> str:
    """A copy of the store's database as it is now (made as bench_disposal makes its), flushed
    to disk; its URL."""
    if store.url is None:
        copy = store.data_dir / "anchor-copy.db"
        src = sqlite3.connect(store.data_dir / "confide.db")
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.close()
        os.sync()  # the copy's pages on disk, not written back while the register is timed
        return f"sqlite:///{copy}"
    c.engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the original unused
    name = store.url.rsplit("/", 1)[1]
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}_anchor" TEMPLATE "{name}"'))
            # The copy went through the WAL (PostgreSQL 15's default): a checkpoint now, not
            # one set off by it while the register is timed.
            conn.execute(sa.text("CHECKPOINT"))
    finally:
        admin.dispose()
    return f"{store.url}_anchor"


def _drop(copy_url: str) -> None:
    if copy_url.startswith("sqlite"):
        return  # in the store's data directory, removed with it
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = copy_url.rsplit("/", 1)[1]
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _bare_insert(source_url: str, copy_url: str, incident_id: str, queue: Any) -> None:
    """In a child process (its memory is not the register's): read the outbox rows the run
    wrote as the driver returns them (times in the column's stored form, payloads sealed), then
    time inserting them into the copy in one transaction, committed; puts (seconds, rows)."""
    source, copy = make_engine(source_url), make_engine(copy_url)
    try:
        with source.connect() as conn:
            # A text query: no result processing, the values as the driver gives them back.
            rows = conn.execute(
                sa.text(f"SELECT {', '.join(COLUMNS)} FROM outbox_messages WHERE {THE_RUNS}"),
                {"key": f"breach.{incident_id}.%"},
            ).all()
        raw = [tuple(r) for r in rows]
        del rows
        with copy.connect() as conn:
            # A copy starts without statistics; the planner needs them as it does in service.
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        with copy.connect() as conn, timer() as t, conn.begin():
            insert_rows(conn, outbox_messages, COLUMNS, raw)
        queue.put((t(), len(raw)))
    finally:
        source.dispose()
        copy.dispose()


def _anchor(source_url: str, copy_url: str, incident_id: str) -> tuple[float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_bare_insert, args=(source_url, copy_url, incident_id, queue))
    child.start()
    child.join()  # what it puts is one small tuple: it leaves the queue's buffer at once
    if child.exitcode != 0:
        raise RuntimeError(f"the bare insert failed (exit code {child.exitcode})")
    seconds, rows = queue.get(timeout=10)
    return float(seconds), int(rows)


# --- the measured path ----------------------------------------------------------------------------
def _count(c: Container, sql: str, **params: str) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(sa.text(sql), params).scalar_one())


def _measure(c: Container, store: DemoStore, size: str) -> tuple[list[Result], int]:
    """The measured path and its anchor; the results and how many notices are emails."""
    with c.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")  # as autovacuum would have after the demo's writes
        conn.commit()
    holders = _count(
        c,
        "SELECT count(DISTINCT subject_id) FROM personal_info "
        "WHERE category = :category AND disposed_at IS NULL",
        category=CATEGORY,
    )
    copy_url = _copy(c, store)
    try:
        incident = c.breaches.record(OFFICER, FACTS)
        with timer() as link_t:
            linked = c.breaches.link_by_query(
                OFFICER, incident.id, AffectedQuery(categories=(CATEGORY,))
            )
        c.breaches.assess(OFFICER, incident.id, DECISION)  # refused without the Québec elements
        with timer() as notify_t:
            notice = c.breaches.notify_individuals(OFFICER, incident.id)
        key = f"breach.{incident.id}.%"
        written = _count(c, f"SELECT count(*) FROM outbox_messages WHERE {THE_RUNS}", key=key)
        emails = _count(
            c,
            f"SELECT count(*) FROM outbox_messages WHERE {THE_RUNS} AND channel = 'email'",
            key=key,
        )
        if not linked == holders == notice.count == written:
            raise RuntimeError(
                f"linked {linked}, notices {notice.count}, outbox rows {written}, "
                f"holders of {CATEGORY} {holders}"
            )
        bare, rows = _anchor(store.database_url, copy_url, incident.id)
    finally:
        _drop(copy_url)
    if rows != written:
        raise RuntimeError(f"re-inserted {rows} rows, expected {written}")
    name, link, notify = store.name, link_t(), notify_t()
    return [
        Result(
            f"breach: link_by_query ({name}, {linked:,} people linked)",
            link,
            "s",
            size,
            notes=f"{linked / link:,.0f} people/s",
        ),
        Result(
            f"breach: notify_individuals ({name}, {notice.count:,} notices composed)",
            notify,
            "s",
            size,
            notes=f"{notice.count / notify:,.0f} notices/s; {emails:,} emails, "
            f"{notice.count - emails:,} letters",
        ),
        Result(
            f"breach: link + notify ({name}, {linked:,} people)",
            link + notify,
            "s",
            size,
            target="<= 3x the bare insert of the same outbox rows",
            notes=f"link {link:.2f} s, notify {notify:.2f} s",
        ).against("bare insert of the same outbox rows", bare, "s"),
    ], emails


# --- delivery -------------------------------------------------------------------------------------
class _Sink:
    """An SMTP server's handler that accepts every message and counts them."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _deliver(store: DemoStore, size: str, sample: int) -> Result:
    """Deliver ``sample`` of the composed notices (0: all) to an SMTP sink on loopback."""
    from aiosmtpd.controller import Controller  # a development dependency

    sink, port = _Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    c = store.container(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
    delivered = 0
    try:
        with timer() as t:
            while not sample or delivered < sample:
                limit = min(DELIVER_BATCH, sample - delivered) if sample else DELIVER_BATCH
                report = c.outbox.deliver_due(OFFICER, limit=limit)
                if report.attempted == 0:
                    break
                if report.failed or report.retrying:
                    raise RuntimeError(
                        f"delivery failed: {len(report.failed)} failed, "
                        f"{len(report.retrying)} to retry"
                    )
                delivered += len(report.delivered)
    finally:
        c.close()
        controller.stop()
    if sink.received != delivered or (sample and delivered != sample):
        raise RuntimeError(f"delivered {delivered} of {sample}, the sink got {sink.received}")
    return Result(
        f"breach notices delivered to a local SMTP sink ({store.name}, {delivered:,})",
        delivered / t(),
        "msg/s",
        size,
        notes=f"{t():.2f} s; one SMTP connection a message",
    )


def _one(store: DemoStore, size: str, n: int, sample: int) -> list[Result]:
    store.generate(n)
    c = store.container()
    try:
        results, emails = _measure(c, store, size)
    finally:
        c.close()
    results.append(_deliver(store, size, min(sample, emails) if sample else 0))
    return results


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n, sample = int(params["subjects"]), int(params["deliver"])
    results = on_both_databases(size, lambda store: _one(store, size, n, sample))
    results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
    return results
