"""Fixtures for the correction outbox: a real HTTP receiver on 127.0.0.1 (``http.server`` in a
thread) that can fail a number of times before it recovers, a real SMTP server (aiosmtpd, the
mail tests' server), and helpers that put a subject, recipients and disclosures in the store."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mail"))

from aiosmtpd.controller import Controller
from corrections_support import Receiver, receiver_handler
from smtp_testserver import Collector, SmtpServer, free_port


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver_handler(rec))
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/corrections"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP relay on 127.0.0.1 (no TLS, no login)."""
    collector, port = Collector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, collector)
    finally:
        controller.stop()
