"""Issue 18, finding 5: the embedded store's files are the owner's alone.

A local user of the machine must not read emails and addresses from the database, its WAL,
the job queue or the keys: the data directory is 0700 and every file in it 0600, whether
Confide creates them or finds them from an older installation.
"""

from __future__ import annotations

import stat
from pathlib import Path

from confide.bootstrap import build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR
from confide.services.subjects import RegisterSubject


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _use(data_dir: Path, email: str = "marie@example.ca") -> dict[str, int]:
    """Build the embedded default (keys created), write one person; the modes of the data
    directory's files while the store is open (the WAL exists only then)."""
    c = build(Settings(data_dir=data_dir), create_key=True, migrate_db=True)  # type: ignore[call-arg]
    try:
        c.subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "QC", email=email))
        return {p.name: _mode(p) for p in data_dir.iterdir() if p.is_file()}
    finally:
        c.close()


def test_a_new_data_directory_and_its_files_are_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "confide-data"
    modes = _use(data_dir)
    assert _mode(data_dir) == 0o700
    assert {"confide.db", "confide.db-wal", "confide.db-shm", "queue.db"} <= set(modes)
    assert {"confide.key", "audit-signing.key"} <= set(modes)
    assert {name: oct(m) for name, m in modes.items() if m & 0o077} == {}


def test_an_older_installations_files_are_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "confide-data"
    _use(data_dir)
    data_dir.chmod(0o755)
    for name in ("confide.db", "queue.db", "confide.db-wal", "confide.db-shm"):
        path = data_dir / name
        if path.exists():
            path.chmod(0o644)
    modes = _use(data_dir, "luc@example.ca")
    assert _mode(data_dir) == 0o700
    assert "confide.db-wal" in modes
    assert {name: oct(m) for name, m in modes.items() if m & 0o077} == {}
