"""The read that composes breach notices keeps an index plan on a SQLite store that has no
planner statistics (nobody runs ANALYZE on the embedded default). Without the pin, SQLite took
the (kind, value) index for the address look-up and read every email for each person: hours
for 100,000 people. Checked on the plan SQLite gives the very statement the store runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from tests.conftest import make_settings
from tests.integration.breaches.test_breaches_store import affected_incident

from confide.bootstrap import build
from confide.testing import FakeClock


def test_the_notice_read_probes_each_persons_identifiers_without_statistics(
    tmp_path: Path, keys_json: str
) -> None:
    clock = FakeClock()
    c = build(make_settings(tmp_path, keys_json), migrate_db=True, clock=clock)
    try:
        incident_id, _ = affected_incident(c, clock)
        seen: list[tuple[str, Any]] = []

        def keep(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
            if "FROM incident_subjects s" in statement and "subject_identifiers" in statement:
                seen.append((statement, params))

        sa.event.listen(c.engine, "before_cursor_execute", keep)
        with c.ctx.uow() as uow:
            uow.breaches.pending_notices(incident_id, "", 10)
        sa.event.remove(c.engine, "before_cursor_execute", keep)
        [(statement, params)] = seen
        with c.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = "
                                        "'sqlite_stat1'").first() is None  # fmt: skip
            plan = " ".join(
                str(row[-1])
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            )
        assert "ix_subject_identifiers_subject_id (subject_id=?)" in plan, plan
    finally:
        c.close()
