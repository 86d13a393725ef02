"""The outbox's pure rules: the retry schedule (exponential, capped, N attempts), the state after
an attempt, which webhook URLs are accepted, which contacts can be mailed; and how the delivery
adapter maps HTTP answers to results (httpx's own in-memory transport, no network)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from confide.adapters.delivery import RecipientDelivery, signature, webhook_body
from confide.domain.outbox import (
    AddressAllowList,
    AttemptResult,
    Channel,
    DeliveryState,
    OutboxKind,
    OutboxMessage,
    RetrySchedule,
    TargetType,
    check_webhook_url,
    looks_like_email,
    outcome_of_attempt,
)
from confide.services.ports.outbox import DeliveryTarget

AT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def message(attempts: int = 0, max_attempts: int = 8) -> OutboxMessage:
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
        attempts=attempts,
        max_attempts=max_attempts,
    )


def test_backoff_doubles_from_a_minute_and_is_capped_at_an_hour() -> None:
    s = RetrySchedule()
    delays = [s.delay_after(n) for n in range(1, 9)]
    assert delays[:7] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    assert delays[7] == timedelta(hours=1)


def test_after_the_last_attempt_there_is_no_next_one() -> None:
    s = RetrySchedule(max_attempts=3)
    assert s.after_failure(1, AT) == AT + timedelta(minutes=1)
    assert s.after_failure(2, AT) == AT + timedelta(minutes=2)
    assert s.after_failure(3, AT) is None


def test_a_schedule_needs_sane_numbers() -> None:
    with pytest.raises(ValueError):
        RetrySchedule(max_attempts=0)
    with pytest.raises(ValueError):
        RetrySchedule(base_seconds=10, cap_seconds=5)


def test_state_after_an_attempt() -> None:
    s = RetrySchedule()
    ok = AttemptResult(True, Channel.WEBHOOK, status=200)
    transient = AttemptResult(False, Channel.WEBHOOK, "http_503", status=503)
    refused = AttemptResult(False, Channel.WEBHOOK, "http_404", permanent=True, status=404)
    assert outcome_of_attempt(message(), ok, AT, s) == (DeliveryState.DELIVERED, None)
    assert outcome_of_attempt(message(), transient, AT, s) == (
        DeliveryState.PENDING,
        AT + timedelta(minutes=1),
    )
    assert outcome_of_attempt(message(), refused, AT, s) == (DeliveryState.FAILED, None)
    # The message's own limit counts (a manual retry raises it).
    assert outcome_of_attempt(message(7, 8), transient, AT, s) == (DeliveryState.FAILED, None)
    assert outcome_of_attempt(message(8, 16), transient, AT, s)[0] is DeliveryState.PENDING


@pytest.mark.parametrize(
    "url", ["https://receiver.example/hooks/corrections", "https://198.41.0.4/hook"]
)
def test_webhook_urls_accepted(url: str) -> None:
    assert check_webhook_url(url) is None


LOCAL = AddressAllowList.parse("127.0.0.1, localhost, 10.20.0.0/16")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/h", "http://localhost/x", "https://10.20.3.4/hook"],
)
def test_local_webhook_urls_only_when_allowed(url: str) -> None:
    # Issue 18 (SSRF): a local or private address only when the deployment names it.
    assert check_webhook_url(url, allowed=LOCAL) is None
    problem = check_webhook_url(url)
    assert problem is not None and "public address" in problem.message


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://10.0.0.1/",
        "https://192.168.1.1/",
        "https://172.16.0.5/",
        "https://100.64.0.1/",  # shared address space
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fd00::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://10.21.0.1/",  # outside the allowed network
    ],
)
def test_non_public_webhook_addresses_refused(url: str) -> None:
    problem = check_webhook_url(url, allowed=LOCAL)
    assert problem is not None and problem.location == "correction_endpoint"


@pytest.mark.parametrize(
    "url",
    [
        "http://receiver.example/hook",  # clear text over the network
        "ftp://receiver.example/",
        "https://user:pw@receiver.example/",
        "https://receiver.example/#frag",
        "not a url",
        "https://" + "a" * 2000 + ".example/",
        "https://[::1/",
    ],
)
def test_webhook_urls_refused(url: str) -> None:
    problem = check_webhook_url(url)
    assert problem is not None and problem.location == "correction_endpoint"
    assert url not in problem.message


def test_which_contacts_can_be_mailed() -> None:
    assert looks_like_email("corrections@agency.example")
    for contact in (None, "", "Mr. Smith", "a b@c.de", "x@localhost", "@agency.example"):
        assert not looks_like_email(contact)


def deliver_with(handler: httpx.MockTransport) -> AttemptResult:
    d = RecipientDelivery(None, client=httpx.Client(transport=handler))
    try:
        return d.deliver(message(), DeliveryTarget("rcp_1", "Agency", "https://r.example/h"))
    finally:
        d.close()


def test_http_answers_map_to_results_and_every_post_carries_the_message_id() -> None:
    seen: list[httpx.Request] = []

    def answer(status: int) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(status)

        return httpx.MockTransport(handle)

    assert deliver_with(answer(204)).delivered
    r = deliver_with(answer(503))
    assert (r.delivered, r.error, r.permanent, r.status) == (False, "http_503", False, 503)
    r = deliver_with(answer(429))
    assert (r.error, r.permanent) == ("http_429", False)
    r = deliver_with(answer(400))
    assert (r.error, r.permanent) == ("http_400", True)
    r = deliver_with(answer(302))  # redirects are not followed
    assert (r.delivered, r.error) == (False, "http_302")
    assert {q.headers["Idempotency-Key"] for q in seen} == {"obx_1"}
    assert seen[0].headers["Content-Type"] == "application/json"


def test_a_timeout_and_a_refused_connection_are_retried() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    r = deliver_with(httpx.MockTransport(timeout))
    assert (r.error, r.permanent) == ("timeout", False)
    r = deliver_with(httpx.MockTransport(refused))
    assert (r.error, r.permanent) == ("connection_ConnectError", False)


def test_no_webhook_and_no_email_is_a_permanent_failure() -> None:
    d = RecipientDelivery(None)
    try:
        r = d.deliver(message(), DeliveryTarget("rcp_1", "Agency"))
    finally:
        d.close()
    assert (r.delivered, r.error, r.permanent) == (False, "no_endpoint", True)


def test_the_webhook_body_names_the_message_kind_and_category() -> None:
    body = webhook_body(message())
    assert (body["message_id"], body["kind"], body["category"], body["value"]) == (
        "obx_1",
        "correction",
        "name",
        "New",
    )


def test_a_webhook_with_a_secret_is_signed_over_the_time_and_the_exact_body() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    d = RecipientDelivery(None, client=httpx.Client(transport=httpx.MockTransport(handle)))
    try:
        target = DeliveryTarget("rcp_1", "Agency", "https://r.example/h", signing_secret="whsec_k")
        assert d.deliver(message(), target).delivered
        assert "whsec_k" not in repr(target)
    finally:
        d.close()
    header = seen[0].headers["Confide-Signature"]
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    body = seen[0].content
    assert v1 == hmac.new(b"whsec_k", t.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_k", body, int(t)) == header
    assert signature("whsec_other", body, int(t)) != header
