"""Group commit: concurrent callers share transactions and each waits for its own items."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from confide.services.group_commit import GroupCommitter


def test_every_item_is_flushed_once_and_callers_return_after_their_flush() -> None:
    flushed: list[int] = []
    batches: list[int] = []
    lock = threading.Lock()

    def flush(items: Sequence[int]) -> None:
        with lock:
            flushed.extend(items)
            batches.append(len(items))

    committer: GroupCommitter[int] = GroupCommitter(flush)
    seen_after_submit: list[bool] = []

    def caller(n: int) -> None:
        committer.submit([n])
        with lock:
            seen_after_submit.append(n in flushed)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    committer.close()
    assert sorted(flushed) == list(range(200))
    assert all(seen_after_submit)
    assert len(batches) <= 200


def test_a_failed_write_is_raised_in_its_callers() -> None:
    def flush(items: Sequence[int]) -> None:
        raise RuntimeError("store down")

    committer: GroupCommitter[int] = GroupCommitter(flush)
    with pytest.raises(RuntimeError, match="store down"):
        committer.submit([1])
    committer.close()
    with pytest.raises(RuntimeError, match="closed"):
        committer.submit([2])
