"""Fixtures of the job tests: the queue on the embedded default (SQLite) and on Redis.

Redis tests use 127.0.0.1:6379 (``CONFIDE_TEST_REDIS`` to change it), each under its
own queue name, flushed afterwards. Without a server they skip on a developer's
machine, but when ``CI=true`` a missing server fails the run: it never passes by skipping.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from confide.adapters.queue import make_queue
from confide.config import Settings


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each queue test runs on the embedded default and on Redis."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    url: str = request.getfixturevalue("redis_server")
    return url


@pytest.fixture
def queue_settings(tmp_path: Path, keys_json: str, queue_url: str) -> Iterator[Settings]:
    settings = Settings(
        data_dir=tmp_path,
        keys=keys_json,  # type: ignore[arg-type]
        queue_url=queue_url,
        queue_name=f"t_{secrets.token_hex(6)}",
        job_lease_seconds=2.0,
    )
    try:
        yield settings
    finally:
        if queue_url.startswith("redis"):
            queue = make_queue(settings)
            queue.storage.flush_all()
            queue.close()
