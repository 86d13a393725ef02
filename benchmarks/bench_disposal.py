"""Disposal (issue 12, RET-2): plan and execute a disposal run over the demo organization's
personal information, on SQLite and PostgreSQL, with peak memory.

The demo's records are collected evenly over the three years before today; the benchmark's
policy is the packaged one with every retention rule counted from collection, 730 days, then
deleted, so about a third of the records are due (and a third of the subjects lose all their
information). ``CONFIDE_BENCH_DISPOSAL_SUBJECTS`` overrides the full size (175,000 subjects
hold about 1,000,000 records).

A run erases each disposed record's value and leaves a tombstone (``disposed_at`` ...), and
strips the subjects left with nothing of what identified them. The anchor is the bare SQL that
leaves the store in that same state (:data:`SAME_END_STATE`: one ``UPDATE`` of the due rows,
then the ``DELETE`` of the identifiers that went with their category and the ``DELETE``/
``UPDATE`` that strip the emptied subjects), in one transaction,
committed, on a copy of the same database made in the same run (SQLite's backup API;
PostgreSQL's ``CREATE DATABASE ... TEMPLATE``), so the run then disposes of the same rows. The
bare ``UPDATE`` alone and the bare ``DELETE`` of the same rows are reported too. Target: plan +
execute within 3x the bare statements, peak memory <= 300 MB. The demo is generated in a child
process, so the peak memory reported is the disposal's (the parent only plans and executes).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.demo_stores import PG_ADMIN, DemoStore, on_both_databases
from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.db.engine import make_engine
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.policy import DisposalMethod, RetentionEvent
from confide.domain.retention.schedule import due_cutoff
from confide.policy.loader import load_policy
from confide.services.policies import LoadedPolicyInput

SIZES = {
    "small": {"subjects": 3_000},
    "full": {"subjects": int(os.environ.get("CONFIDE_BENCH_DISPOSAL_SUBJECTS", 175_000))},
}
MAX_DAYS = 730


def _activate_bench_policy(c: Container) -> None:
    """The packaged policy with every rule: 730 days from collection, then deleted."""
    loaded = load_policy(None)
    rules = tuple(
        replace(
            r,
            min_days=0,
            max_days=MAX_DAYS,
            counted_from=RetentionEvent.COLLECTION,
            disposal=DisposalMethod.DELETE,
            anonymization=None,
        )
        for r in loaded.policy.retention
    )
    policy = replace(loaded.policy, retention=rules)
    digest = hashlib.sha256(b"bench-disposal" + loaded.content_hash.encode()).hexdigest()
    c.policies.activate(LOCAL_OPERATOR, LoadedPolicyInput(policy, digest, loaded.source))


BARE_UPDATE = (
    "UPDATE personal_info SET value_text = NULL, value_sealed = NULL, disposed_at = :now, "
    "disposal_run = 'bare', disposal_method = 'delete' WHERE collected_at < :cutoff"
)
_EMPTIED = (
    "EXISTS (SELECT 1 FROM personal_info d WHERE d.subject_id = {col} "
    "AND COALESCE(d.disposal_run, '') = 'bare') AND NOT EXISTS (SELECT 1 FROM personal_info l "
    "WHERE l.subject_id = {col} AND l.disposed_at IS NULL)"
)
_IDENTIFIER = (
    "DELETE FROM subject_identifiers WHERE kind = '{kind}' AND EXISTS (SELECT 1 FROM "
    "personal_info d WHERE d.subject_id = subject_identifiers.subject_id AND d.category = '{cat}' "
    "AND COALESCE(d.disposal_run, '') = 'bare') AND NOT EXISTS (SELECT 1 FROM personal_info l WHERE "
    "l.subject_id = subject_identifiers.subject_id AND l.category = '{cat}' "
    "AND l.disposed_at IS NULL)"
)
SAME_END_STATE = [
    BARE_UPDATE,
    _IDENTIFIER.format(kind="email", cat="email"),
    _IDENTIFIER.format(kind="phone", cat="telephone_number"),
    "DELETE FROM subject_identifiers WHERE "
    + _EMPTIED.format(col="subject_identifiers.subject_id"),
    "UPDATE subjects SET display_name = NULL, birth_date = NULL, external_ref = NULL WHERE "
    + _EMPTIED.format(col="subjects.id"),
]
"""The bare statements that leave the store as a run does: values erased (tombstones), email and
phone identifiers gone with their category, and subjects left with nothing stripped of what
identified them."""
BARE_DELETE = "DELETE FROM personal_info WHERE collected_at < :cutoff"


def _bare(
    c: Container, cutoff: datetime, url: str | None, tmp: Path, sql: list[str]
) -> tuple[float, int]:
    """Bare statements over the due rows in one transaction, committed, on a copy of the same
    database; the rows the first one changed."""
    params = {"cutoff": cutoff.replace(tzinfo=None), "now": datetime.now(UTC).replace(tzinfo=None)}
    if url is None:
        copy = tmp / "bare-copy.db"
        src = sqlite3.connect(tmp / "confide.db")
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.close()
        engine = make_engine(f"sqlite:///{copy}")
    else:
        c.engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the original unused
        name = url.rsplit("/", 1)[1]
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}_bare" TEMPLATE "{name}"'))
        engine = sa.create_engine(f"{url}_bare")
    try:
        with engine.connect() as conn:
            # A copy starts without statistics; planners need them as they do in service.
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
        with engine.connect() as conn, timer() as t, conn.begin():
            deleted = conn.execute(sa.text(sql[0]), params).rowcount
            for more in sql[1:]:
                conn.execute(sa.text(more), params)
    finally:
        engine.dispose()
        if url is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE "{name}_bare" WITH (FORCE)'))
            admin.dispose()
    return t(), int(deleted or 0)


def _measure(c: Container, name: str, size: str, url: str | None, tmp: Path) -> list[Result]:
    _activate_bench_policy(c)
    with c.engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))  # as autovacuum would have after the demo's writes
        conn.commit()
    with c.engine.connect() as conn:
        records = int(conn.execute(sa.text("SELECT count(*) FROM personal_info")).scalar_one())
    cutoff = due_cutoff(datetime.now(UTC).date(), MAX_DAYS)
    bare, due = _bare(c, cutoff, url, tmp, SAME_END_STATE)
    bare_update, _ = _bare(c, cutoff, url, tmp, [BARE_UPDATE])
    bare_delete, _ = _bare(c, cutoff, url, tmp, [BARE_DELETE])
    with timer() as plan_t:
        plan = c.retention.plan(LOCAL_OPERATOR)
    c.retention.approve(LOCAL_OPERATOR, plan.id)
    with timer() as run_t:
        run = c.retention.execute(LOCAL_OPERATOR, plan.id)
    if run.done != due or plan.total != due:
        raise RuntimeError(f"disposed of {run.done} (planned {plan.total}), expected {due}")
    total = plan_t() + run_t()
    return [
        Result(
            f"disposal plan + execute ({name}, {due:,} of {records:,} records)",
            total,
            "s",
            size,
            target="<= 3x the bare statements",
            notes=f"plan {plan_t():.2f} s, execute {run_t():.2f} s "
            f"({due / run_t():,.0f} records/s), certificate included",
        )
        .against("bare statements to the same end state", bare, "s")
        .against("bare UPDATE erasing the same values", bare_update, "s")
        .against("bare DELETE of the same rows", bare_delete, "s")
    ]


def _one(store: DemoStore, size: str, n: int) -> list[Result]:
    store.generate(n)
    c = store.container()
    try:
        return _measure(c, store.name, size, store.url, store.data_dir)
    finally:
        c.close()


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n = int(params["subjects"])
    results = on_both_databases(size, lambda store: _one(store, size, n))
    results.append(Result("peak memory (RSS)", peak_rss_mb(), "MB", size, target="<= 300 MB"))
    return results
