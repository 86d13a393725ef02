"""Decisions recorded from a coroutine (POST /v1/decisions): ``GroupCommitter.submit_async``
returns only once the caller's items are committed, shares transactions among concurrent
callers, and hands a failed write to every caller of that batch (CON-1: nothing answered is
unrecorded)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from confide.services.group_commit import GroupCommitter


def test_con_1_async_callers_return_after_their_items_are_flushed_and_share_batches() -> None:
    flushed: list[int] = []
    batches: list[int] = []
    lock = threading.Lock()
    gate = threading.Event()

    def flush(items: Sequence[int]) -> None:
        gate.wait(5)  # the first flush waits: later callers queue up and share the next batch
        with lock:
            flushed.extend(items)
            batches.append(len(items))

    committer: GroupCommitter[int] = GroupCommitter(flush)

    async def caller(n: int) -> bool:
        await committer.submit_async([n])
        with lock:
            return n in flushed

    async def main() -> list[bool]:
        tasks = [asyncio.create_task(caller(n)) for n in range(50)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*tasks)

    try:
        seen = asyncio.run(main())
    finally:
        committer.close()
    assert all(seen)
    assert sorted(flushed) == list(range(50))
    assert len(batches) < 50  # concurrent callers shared transactions


def test_con_1_a_failed_write_is_raised_in_every_async_caller() -> None:
    def flush(items: Sequence[int]) -> None:
        raise RuntimeError("disk full")

    committer: GroupCommitter[int] = GroupCommitter(flush)

    async def main() -> None:
        await committer.submit_async([1])

    try:
        with pytest.raises(RuntimeError, match="disk full"):
            asyncio.run(main())
    finally:
        committer.close()


def test_an_async_caller_times_out_when_the_store_does_not_commit() -> None:
    release = threading.Event()

    def flush(items: Sequence[int]) -> None:
        release.wait(5)

    committer: GroupCommitter[int] = GroupCommitter(flush)

    async def main() -> None:
        await committer.submit_async([1], timeout=0.1)

    try:
        with pytest.raises(TimeoutError):
            asyncio.run(main())
    finally:
        release.set()
        committer.close()
