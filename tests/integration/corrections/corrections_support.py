"""Helpers shared by the correction tests: a subject with information on file, recipients, and
disclosures recorded in the ledger (the debt-collection exception, evidence included)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler
from typing import Any

from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.services.disclosures import DisclosureRequest, RecipientInput
from confide.services.subjects import RecordInformation, RegisterSubject

OP = LOCAL_OPERATOR
AGENT = Principal(user_id="u-agent", username="agent", roles=frozenset({Role.AGENT}))
SYSTEM = Principal(user_id="system", username="system", roles=frozenset({Role.INTEGRATION}))
AGREEMENT = {"agreement_ref": "AGR-1", "agreement_signed": date(2025, 1, 1)}
COLLECTED_FOR = {
    "name": "provide_service",
    "billing_records": "billing",
    "email": "provide_service",
}

_n = iter(range(1_000_000))


def subject(
    c: Container,
    on_file: tuple[str, ...] = ("name", "billing_records"),
    email: str | None = None,
    **kw: str,
) -> str:
    n = next(_n)
    s = c.subjects.register(
        OP, RegisterSubject("customer", "ON", "en", email=email or f"s{n}@example.ca", **kw)
    )
    for category in on_file:
        c.subjects.record_information(
            OP,
            RecordInformation(
                s.id, category, f"old {category} {n}", "from_individual", (COLLECTED_FOR[category],)
            ),
        )
    return s.id


def recipient(c: Container, contact: str | None = None, endpoint: str | None = None) -> str:
    data = RecipientInput(
        f"Agency {next(_n)}",
        "collection_agency",
        "CA",
        "QC",
        contact=contact,
        **AGREEMENT,  # type: ignore[arg-type]
    )
    rid = c.disclosures.add_recipient(OP, data).id
    if endpoint is not None:
        assert c.outbox is not None
        c.outbox.set_endpoint(OP, rid, endpoint)
    return rid


def disclose(c: Container, sid: str, rid: str, categories: tuple[str, ...]) -> None:
    c.disclosures.disclose(
        OP,
        DisclosureRequest(
            sid,
            rid,
            "billing",
            categories,
            "debt_collection",
            {"debt_reference": "INV-1", "owed_to_company": True},
        ),
    )


@dataclass
class Receiver:
    """What the receiver got, and how it answers: ``fail_next`` requests get ``fail_status``."""

    url: str
    fail_next: int = 0
    fail_status: int = 503
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def taken(self) -> list[dict[str, Any]]:
        """Bodies it accepted, once per message id (a well-behaved receiver deduplicates)."""
        seen: dict[str, dict[str, Any]] = {}
        for r, status in zip(self.requests, self.statuses, strict=True):
            if 200 <= status < 300:
                seen.setdefault(r["headers"]["idempotency-key"], r["body"])
        return list(seen.values())


def receiver_handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            body = json.loads(raw or b"{}")
            with receiver.lock:
                status = receiver.fail_status if receiver.fail_next > 0 else 200
                receiver.fail_next = max(0, receiver.fail_next - 1)
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                        "raw": raw,
                    }
                )
                receiver.statuses.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def signed_by(request: dict[str, Any], secret: str | None) -> bool:
    """Whether ``request`` carries a valid Confide-Signature for ``secret`` (as a receiver checks)."""
    header = request["headers"].get("confide-signature", "")
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if not secret or "t" not in parts or "v1" not in parts:
        return False
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + request["raw"], hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
