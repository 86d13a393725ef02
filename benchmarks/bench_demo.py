"""Demo organization generation: subjects/s into the store, and peak memory (issue 2).

Anchor: generating the same subjects in memory only (same seed, no store), so the
ratio says what writing to the store costs on top of producing the data.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, peak_rss_mb, timer
from confide.adapters.crypto import KeyRing
from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.services.demo import DemoGenerator

SIZES = {"small": {"subjects": 5_000}, "full": {"subjects": 1_000_000}}
AS_OF = date(2026, 11, 1)


def run(size: str, params: dict[str, Any]) -> list[Result]:
    n = int(params["subjects"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), keys=KeyRing.generate().to_json())  # type: ignore[arg-type]
        c = build(settings, migrate_db=True, create_key=True)
        try:
            with timer() as in_memory:
                produced = DemoGenerator(c.ctx).dry_run(n, seed=42, as_of=AS_OF)
            with timer() as stored:
                report = c.demo.generate(LOCAL_OPERATOR, n, seed=42, as_of=AS_OF)
            db_mb = (Path(tmp) / "confide.db").stat().st_size / 1e6
        finally:
            c.close()
    assert produced == report.records
    rate = n / stored()
    return [
        Result(
            "demo generation into SQLite",
            rate,
            "subjects/s",
            size,
            target="1M subjects in minutes, bounded memory",
            notes=f"{n} subjects, {report.records} records, {report.events} events in {stored():.1f} s; "
            f"database {db_mb:.0f} MB",
        ).against("generation in memory only", n / in_memory(), "subjects/s"),
        Result("demo generation wall time", stored(), "s", size),
        Result("peak memory (RSS)", peak_rss_mb(), "MB", size),
    ]
