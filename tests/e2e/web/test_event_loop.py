"""Issue 18, finding 6: a form post waiting on the store must not stop the server answering
others. The portal's and console's form handlers read the form on the event loop and do their
store work in a thread; here SQLite's write lock is held while anonymous posts wait for it,
and ``/health`` must still answer at once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from confide.bootstrap import Container

HOLD_SECONDS = 3.0

POSTS = {
    "complaint": (
        "/portal/en/complaints/new",
        {"topic": "marketing", "summary": "No answer to my request.", "contact": "a@example.ca"},
    ),
    "incident": (
        "/portal/fr/incidents/new",
        {"description": "Un courriel mal adressé.", "contact": "b@example.ca"},
    ),
}


@pytest.mark.parametrize("form", sorted(POSTS))
def test_health_answers_while_a_portal_post_waits_for_the_write_lock(
    live_url: str, sqlite_container: Container, form: str
) -> None:
    database = sqlite_container.settings.effective_database_url.removeprefix("sqlite:///")
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        conn = sqlite3.connect(database, timeout=30, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(HOLD_SECONDS)
        conn.execute("ROLLBACK")
        conn.close()

    path, data = POSTS[form]
    with ThreadPoolExecutor(max_workers=2) as pool, httpx.Client(timeout=60) as http:
        holder = pool.submit(hold_the_write_lock)
        assert locked.wait(10)
        post = pool.submit(http.post, f"{live_url}{path}", data=data)
        time.sleep(0.5)  # the post is in, waiting on the lock
        assert not post.done()
        started = time.monotonic()
        health = http.get(f"{live_url}/health")
        waited = time.monotonic() - started
        assert health.status_code == 200
        assert waited < 1.0, f"/health took {waited:.2f} s while a post waited on the lock"
        release.set()
        holder.result()
        answer = post.result()
    assert answer.status_code in (200, 303), answer.status_code  # recorded once the lock went
