"""Issue 18: queue messages are sealed data, never pickles. Whoever can write to the queue's
Redis (or its SQLite file) cannot make a worker run code, nor slip in a message of its own."""

from __future__ import annotations

import json
import os
import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest
from huey.registry import Message  # type: ignore[import-untyped]
from tests.integration.jobs.jobs_support import open_queue

from confide.adapters.crypto import KeyRing
from confide.adapters.queue_messages import QueueMessageRefused, SealedJsonSerializer
from confide.config import Settings


class _Boom:
    """Unpickling this would create a file: the sign that a pickle was run."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return (os.open, (self.marker, os.O_CREAT | os.O_WRONLY))


def test_a_message_round_trips_as_data() -> None:
    serializer = SealedJsonSerializer(KeyRing.generate())
    eta = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    message = Message("id1", "confide_run", eta, 2, 5, 0, ("job_1",), {"k": [1, "two"]})
    data = serializer.serialize(message)
    assert b"job_1" not in data  # sealed
    assert serializer.deserialize(data) == message
    with pytest.raises(TypeError):
        serializer.serialize(Message("id2", "confide_run", None, 0, 0, 0, (object(),), {}))


def test_a_pickle_or_a_foreign_message_is_refused_unread(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    serializer = SealedJsonSerializer(KeyRing.generate())
    with pytest.raises(QueueMessageRefused):
        serializer.deserialize(pickle.dumps(_Boom(str(marker))))
    forged = json.dumps({"m": ["id", "confide_run", None, 0, 0, 0, {"t": ["job_x"]}, {"d": []}]})
    with pytest.raises(QueueMessageRefused):
        serializer.deserialize(forged.encode())  # well-formed, but not sealed with our keys
    with pytest.raises(QueueMessageRefused):
        SealedJsonSerializer(KeyRing.generate()).deserialize(serializer.serialize("x"))
    assert not marker.exists()


def test_a_pickle_pushed_onto_the_real_queue_runs_nothing(
    queue_settings: Settings, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    queue = open_queue(queue_settings)
    try:
        queue.huey.storage.enqueue(pickle.dumps(_Boom(str(marker))), 0)
        with pytest.raises(QueueMessageRefused):
            queue.huey.dequeue()
        assert not marker.exists()
    finally:
        queue.close()
