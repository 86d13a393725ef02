"""A worker process for the restart tests: ``confide worker`` with one extra test job.

Settings come from ``CONFIDE_*`` variables, as for ``confide worker``. The job
``test.effect`` records each start in a SQLite file, holds its first attempt for
``hold`` seconds (time for the test to kill the process), then records its effect
once per job id: ``insert or ignore`` is how a real job makes its effect idempotent.
"""

from __future__ import annotations

import sqlite3
import sys
import time

from confide.bootstrap import build
from confide.config import load_settings
from confide.jobs.catalog import default_registry
from confide.jobs.registry import JobContext
from confide.jobs.worker import prepare_worker


def effect(ctx: JobContext, payload: dict[str, object]) -> None:
    db = str(payload["db"])
    with sqlite3.connect(db) as con:
        con.execute("insert into starts (job_id, attempt) values (?, ?)", (ctx.job_id, ctx.attempt))
    if ctx.attempt == 1:
        time.sleep(float(str(payload["hold"])))
    with sqlite3.connect(db) as con:
        con.execute("insert or ignore into effects (job_id) values (?)", (ctx.job_id,))


def main() -> None:
    container = build(load_settings(), migrate_db=True, create_key=True)
    registry = default_registry()
    registry.job("test.effect", max_attempts=3, backoff_seconds=0.5)(effect)
    worker = prepare_worker(container, registry=registry, periodic=False, max_poll_delay=0.1)
    print("worker ready", flush=True)
    worker.run()
    container.close()
    sys.exit(0)


if __name__ == "__main__":
    main()
