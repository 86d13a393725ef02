"""The portal's request forms never block the server's event loop: their store work runs in a
worker thread. While SQLite's write lock is held elsewhere, a posted form waits for it in its
thread and ``/health`` still answers at once (served by uvicorn over real HTTP)."""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx
import pytest

from confide.bootstrap import Container

LOCK_SECONDS = 2.0

FORMS = {
    "request": ("/portal/en/requests/new", {"kind": "access", "identifier_kind": "email",
                                            "identifier": "someone@example.ca"}),
    "code": ("/portal/en/requests/req_x/verify", {"code": "123456"}),
    "download code": ("/portal/en/requests/req_x/response/verify", {"code": "123456"}),
}  # fmt: skip


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_form_waiting_for_the_store_does_not_hold_up_other_requests(
    form: str, live_url: str, sqlite_container: Container
) -> None:
    path, data = FORMS[form]
    database = sqlite_container.engine.url.database
    assert database
    lock = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the store's write lock
    release = threading.Timer(LOCK_SECONDS, lock.rollback)
    release.start()
    answers: list[int] = []

    def post() -> None:
        with httpx.Client(base_url=live_url, timeout=40) as client:
            answers.append(client.post(path, data=data).status_code)

    poster = threading.Thread(target=post)
    try:
        poster.start()
        time.sleep(0.4)  # the form is now waiting for the lock
        with httpx.Client(base_url=live_url, timeout=40) as client:
            started = time.perf_counter()
            health = client.get("/health")
            waited = time.perf_counter() - started
        assert health.status_code == 200
        assert waited < LOCK_SECONDS / 2, f"/health took {waited:.2f} s behind a waiting form"
    finally:
        release.join()
        poster.join(timeout=40)
        lock.close()
    assert answers and answers[0] in (303, 400)  # the form itself completes once the lock is free
