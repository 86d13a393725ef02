"""Files that hold personal information or secrets are the owner's alone.

The data directory is created (or tightened to) 0700 and every SQLite database Confide opens
there is 0600 before SQLite first touches it. SQLite gives its ``-wal`` and ``-shm`` files the
database file's permissions, so they follow; existing files of an older installation are
tightened when Confide opens them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_directory(path: Path) -> None:
    """Create ``path`` (and missing parents) owner-only; tighten it if it exists and is ours."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(path, DIRECTORY_MODE)


def private_file(path: Path) -> None:
    """Create ``path`` empty with owner-only permissions if it is missing; tighten it if not."""
    private_directory(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _tighten(path, FILE_MODE)
    else:
        os.close(fd)


def private_sqlite(database: Path) -> None:
    """A SQLite database and its companion files, owner-only, before SQLite opens it."""
    private_file(database)
    for suffix in _SQLITE_COMPANIONS[1:]:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            _tighten(companion, FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & ~mode == 0:
        return  # not ours to change (a shared mount), or already no wider than asked
    with contextlib.suppress(PermissionError):
        path.chmod(stat.S_IMODE(info.st_mode) & mode)
