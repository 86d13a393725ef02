"""A disposal run whose worker process is killed (SIGKILL) half-way finishes on restart without
disposing of anything twice or skipping anything (RET-2), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, personal_info
from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.retention.runs import RunStatus
from confide.services.retention import planning
from confide.services.subjects import RecordInformation, RegisterSubject

EXECUTOR = Path(__file__).with_name("executor.py")


@pytest.fixture
def env(tmp_path: Path, keys_json: str, audit_signing_key: str, db_url: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    out.update(
        {
            "CONFIDE_DATABASE_URL": db_url,
            "CONFIDE_KEYS": keys_json,
            "CONFIDE_AUDIT_SIGNING_KEY": audit_signing_key,
            "CONFIDE_DATA_DIR": str(tmp_path),
        }
    )
    return out


def _container(env: dict[str, str]) -> Container:
    return build(
        Settings(
            database_url=env["CONFIDE_DATABASE_URL"],
            keys=env["CONFIDE_KEYS"],  # type: ignore[arg-type]
            audit_signing_key=env["CONFIDE_AUDIT_SIGNING_KEY"],
            data_dir=Path(env["CONFIDE_DATA_DIR"]),  # type: ignore[arg-type]
        ),
        migrate_db=True,
    )


def test_ret_2_a_worker_killed_mid_run_and_restarted_disposes_of_each_record_once(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "CHUNK_SIZE", 10)
    c = _container(env)
    try:
        old = c.ctx.now() - timedelta(days=200)
        for n in range(12):
            sid = c.subjects.register(
                OFFICER, RegisterSubject("customer", "ON", email=f"k{n}@example.ca")
            ).id
            for k in range(5):
                c.subjects.record_information(
                    OFFICER,
                    RecordInformation(
                        sid,
                        "location_data",
                        f"{n}.{k},-79.3",
                        "from_individual",
                        ("location_services",),
                        collected_at=old,
                    ),
                )
        plan = c.retention.plan(OFFICER)
        assert plan.total == 60
        c.retention.approve(OFFICER, plan.id)
        killed = subprocess.run(
            [sys.executable, str(EXECUTOR), plan.id, "3"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert killed.returncode == -9, killed.stderr[-2000:]
        assert killed.stdout.split() == ["10/60", "20/60", "30/60"]
        half = c.retention.run(OFFICER, plan.id)
        assert (half.status, half.done) == (RunStatus.RUNNING, 30)
        # Restarted: the next execution goes on from the first chunk not done.
        done = c.retention.execute(OFFICER, plan.id)
        assert (done.status, done.done) == (RunStatus.COMPLETED, 60)
        with c.engine.connect() as conn:
            disposed = conn.execute(
                sa.select(sa.func.count()).where(personal_info.c.disposal_run == plan.id)
            ).scalar_one()
            chunks = conn.execute(
                sa.select(audit_entries.c.object_id).where(
                    audit_entries.c.action == "retention.chunk_disposed"
                )
            ).all()
        assert disposed == 60
        assert len(chunks) == 6  # six chunks, each disposed of once
        issued = c.retention.certificate(OFFICER, plan.id)
        assert issued.certificate.total == 60
        assert len(c.retention.record_ids(OFFICER, plan.id)) == 60
        c.audit.checkpoint(OFFICER)
        assert c.audit.verify(OFFICER).ok
    finally:
        c.close()
