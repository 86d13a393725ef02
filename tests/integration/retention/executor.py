"""A worker process for the kill test: executes a disposal run and kills itself (SIGKILL: no
cleanup, no rollback handler, no ``finally``) once ``kill_after`` chunks are committed.

Usage: ``python executor.py RUN_ID KILL_AFTER`` with the ``CONFIDE_*`` settings in the
environment (database, keys, data directory)."""

from __future__ import annotations

import os
import signal
import sys

from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import WORKER


def main() -> None:
    run_id, kill_after = sys.argv[1], int(sys.argv[2])
    c = build(Settings(), migrate_db=False)  # type: ignore[call-arg]
    chunks = 0

    def progress(done: int, total: int) -> None:
        nonlocal chunks
        chunks += 1
        print(f"{done}/{total}", flush=True)
        if chunks >= kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    c.retention.execute(WORKER, run_id, on_progress=progress)


if __name__ == "__main__":
    main()
