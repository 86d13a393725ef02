"""A separate process that writes to the store, for the concurrency and crash tests.

    python tests/integration/audit/writer.py appends N BATCH   # N audit entries, BATCH per transaction
    python tests/integration/audit/writer.py subjects N        # N subjects, one transaction each

Settings come from CONFIDE_* variables set by the test. Prints one line per commit.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.audit.records import AuditRecord
from confide.services.subjects import RegisterSubject


def main(argv: list[str]) -> None:
    container = build(Settings())
    mode = argv[0]
    try:
        if mode == "appends":
            total, batch = int(argv[1]), int(argv[2])
            tag = argv[3] if len(argv) > 3 else "w"
            done = 0
            while done < total:
                k = min(batch, total - done)
                with container.ctx.uow() as uow:
                    uow.audit.record_many(
                        [
                            AuditRecord(
                                "test.appended",
                                "system",
                                "test",
                                f"{tag}-{done + i}",
                                datetime.now(UTC),
                            )
                            for i in range(k)
                        ]
                    )
                    uow.commit()
                done += k
                print(done, flush=True)
        elif mode == "subjects":
            for i in range(int(argv[1])):
                s = container.subjects.register(
                    LOCAL_OPERATOR, RegisterSubject("customer", "ON", email=f"crash{i}@example.ca")
                )
                print(s.id, flush=True)
    finally:
        container.close()


if __name__ == "__main__":
    main(sys.argv[1:])
