"""Group commit: many concurrent callers share one transaction, each still waits for durability.

Recording every decision (CON-1, POL-1) with its audit entry is a write per request; under
load, one transaction per decision would serialise on the store. A ``GroupCommitter`` lets a
caller hand its items over and wait; one background thread writes whatever has queued up
in a single transaction and wakes every caller whose items it wrote. A caller returns only
once its items are committed, so nothing answered is ever unrecorded; a failed write is
raised in every caller of that batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class _Ticket:
    __slots__ = ("done", "error", "future", "loop")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.future: asyncio.Future[None] | None = None

    def finish(self) -> None:
        self.done.set()
        if self.loop is not None:
            # RuntimeError: the caller's loop is gone (it timed out and ended).
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self._settle)

    def _settle(self) -> None:
        future = self.future
        if future is None or future.done():
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(None)


class GroupCommitter(Generic[T]):
    def __init__(self, flush: Callable[[Sequence[T]], None], max_batch: int = 2000) -> None:
        self._flush = flush
        self._max_batch = max_batch
        self._pending: list[tuple[Sequence[T], _Ticket]] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, items: Sequence[T], timeout: float = 30.0) -> None:
        """Queue ``items`` and wait until they are committed (or raise what the write raised)."""
        ticket = self._queue(items, _Ticket())
        if not ticket.done.wait(timeout):
            raise TimeoutError("the store did not commit in time")
        if ticket.error is not None:
            raise ticket.error

    async def submit_async(self, items: Sequence[T], timeout: float = 30.0) -> None:
        """:meth:`submit` for a coroutine: waits on the event loop, holding no thread."""
        ticket = _Ticket()
        ticket.loop = asyncio.get_running_loop()
        ticket.future = ticket.loop.create_future()
        self._queue(items, ticket)
        try:
            await asyncio.wait_for(asyncio.shield(ticket.future), timeout)
        except TimeoutError:
            raise TimeoutError("the store did not commit in time") from None

    def _queue(self, items: Sequence[T], ticket: _Ticket) -> _Ticket:
        with self._cond:
            if self._closed:
                raise RuntimeError("the group committer is closed")
            self._pending.append((items, ticket))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="confide-group-commit", daemon=True
                )
                self._thread.start()
            self._cond.notify()
        return ticket

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending and self._closed:
                    return
                batch, size = [], 0
                while self._pending and size < self._max_batch:
                    items, ticket = self._pending.pop(0)
                    batch.append((items, ticket))
                    size += len(items)
            try:
                self._flush([item for items, _ in batch for item in items])
            except BaseException as exc:  # handed to every waiting caller of this batch
                for _, ticket in batch:
                    ticket.error = exc
            for _, ticket in batch:
                ticket.finish()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)
