"""Issue 18, finding 11 (SSRF): a recipient's webhook reaches public addresses only, unless
the deployment names a local or private host (``CONFIDE_WEBHOOK_ALLOWED_HOSTS``). The check is
made again where the name resolves at each delivery, so a name that later points inside the
network (DNS rebinding, a changed record) is refused then."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from corrections_support import Receiver

from confide.adapters.delivery import RecipientDelivery
from confide.domain.outbox import (
    AddressAllowList,
    Channel,
    OutboxKind,
    OutboxMessage,
    TargetType,
)
from confide.services.ports.outbox import DeliveryTarget

AT = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _message() -> OutboxMessage:
    return OutboxMessage(
        id="obx_1",
        kind=OutboxKind.CORRECTION,
        target_type=TargetType.RECIPIENT,
        target_id="rcp_1",
        subject_id="sub_1",
        category="name",
        payload={"value": "New", "subject": {"id": "sub_1"}},
        created_at=AT,
        next_attempt_at=AT,
    )


def _deliver(delivery: RecipientDelivery, url: str) -> Any:
    try:
        return delivery.deliver(_message(), DeliveryTarget("rcp_1", "Agency", url))
    finally:
        delivery.close()


def test_a_local_receiver_gets_nothing_unless_allowed(receiver: Receiver) -> None:
    refused = _deliver(RecipientDelivery(None), receiver.url)
    assert not refused.delivered and refused.error == "address_not_allowed" and refused.permanent
    assert receiver.requests == []
    allowed = RecipientDelivery(None, allowed=AddressAllowList.parse("127.0.0.1"))
    delivered = _deliver(allowed, receiver.url)
    assert delivered.delivered and delivered.channel is Channel.WEBHOOK
    assert len(receiver.requests) == 1


def test_a_name_resolving_inside_the_network_is_refused_at_delivery(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The name was public when it was registered; now it resolves to the metadata service.
    real = socket.getaddrinfo

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.agency.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    result = _deliver(RecipientDelivery(None), "https://hooks.agency.example/corrections")
    assert not result.delivered and result.error == "address_not_allowed" and result.permanent
