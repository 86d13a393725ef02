"""Corrections through the outbox on SQLite and PostgreSQL (ACC-9): every recipient from the
ledger and no other, over a real HTTP receiver and a real SMTP server; retries with backoff,
each attempt recorded; failed after N, visible and retried by hand; statements of disagreement."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from corrections_support import (
    AGENT,
    OP,
    SYSTEM,
    Receiver,
    disclose,
    recipient,
    signed_by,
    subject,
)
from smtp_testserver import SmtpServer

from confide.adapters.db.tables import audit_entries, disagreements, outbox_messages
from confide.adapters.mail import SmtpMailer
from confide.bootstrap import Container
from confide.domain.outbox import DeliveryState
from confide.services.corrections import CorrectionService
from confide.services.outbox import OutboxService
from confide.testing import FakeClock


def svc(c: Container) -> tuple[CorrectionService, OutboxService]:
    assert c.corrections is not None and c.outbox is not None
    return c.corrections, c.outbox


def test_acc_9_an_accepted_correction_reaches_every_recipient_from_the_ledger_and_no_other(
    container: Container, receiver: Receiver
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    got_name_1 = recipient(container, endpoint=receiver.url + "/1")
    got_name_2 = recipient(container, endpoint=receiver.url + "/2")
    billing_only = recipient(container, endpoint=receiver.url + "/3")
    never = recipient(container, endpoint=receiver.url + "/4")
    disclose(container, sid, got_name_1, ("name", "billing_records"))
    disclose(container, sid, got_name_2, ("name",))
    disclose(container, sid, got_name_1, ("name",))  # twice to the same: one message
    disclose(container, sid, billing_only, ("billing_records",))
    other = subject(container)
    disclose(container, other, never, ("name",))  # another subject's recipient

    out = corrections.accept(AGENT, sid, "name", "Jeanne Tremblay", reason="misspelled")
    assert sorted(out.recipients_queued) == sorted([got_name_1, got_name_2])
    assert len(out.messages) == 2
    # Applied in Confide, the old value kept in the history.
    file = container.subjects.file(OP, sid, history=True)
    names = [r for r in file.information if r.category == "name"]
    assert [r.value for r in names if r.current] == ["Jeanne Tremblay"]
    assert len(names) == 2 and out.superseded == [r.id for r in names if not r.current]

    report = outbox.deliver_due(SYSTEM)
    assert sorted(report.delivered) == sorted(out.messages)
    paths = sorted(r["path"] for r in receiver.requests)
    assert paths == ["/corrections/1", "/corrections/2"]
    for r, rid in zip(
        sorted(receiver.requests, key=lambda r: r["path"]), (got_name_1, got_name_2), strict=True
    ):
        assert signed_by(r, outbox.signing_secret(OP, rid))  # signed with its own secret
        assert not signed_by(r, outbox.signing_secret(OP, never))
        body = r["body"]
        assert body["kind"] == "correction" and body["category"] == "name"
        assert body["value"] == "Jeanne Tremblay"
        assert body["subject"]["id"] == sid
        assert r["headers"]["idempotency-key"] == body["message_id"]
    # The value is sealed at rest and absent from the audit trail.
    with container.engine.connect() as conn:
        raw = repr(conn.execute(sa.select(outbox_messages)).all())
        trail = repr(conn.execute(sa.select(audit_entries)).all())
    assert "Jeanne Tremblay" not in raw and "Jeanne Tremblay" not in trail
    assert "correction.accepted" in trail and "outbox.attempted" in trail


def test_acc_9_delivery_retries_a_failing_endpoint_with_backoff_then_succeeds_each_attempt_recorded(
    container: Container, receiver: Receiver, clock: FakeClock
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "New Name").messages
    receiver.fail_next = 2

    assert outbox.deliver_due(SYSTEM).retrying == [mid]
    assert outbox.deliver_due(SYSTEM).attempted == 0  # not due yet
    first = outbox.message(OP, mid).message
    assert first.next_attempt_at == clock.now() + timedelta(minutes=1)
    clock.advance(minutes=1)
    assert outbox.deliver_due(SYSTEM).retrying == [mid]
    second = outbox.message(OP, mid).message
    assert second.next_attempt_at == clock.now() + timedelta(minutes=2)  # doubled
    assert second.last_error == "http_503"
    clock.advance(minutes=2)
    assert outbox.deliver_due(SYSTEM).delivered == [mid]

    view = outbox.message(OP, mid)
    assert view.message.state is DeliveryState.DELIVERED
    assert view.message.delivered_at == clock.now()
    assert [(a.number, a.delivered, a.error, a.status) for a in view.attempts] == [
        (1, False, "http_503", 503),
        (2, False, "http_503", 503),
        (3, True, None, 200),
    ]
    assert receiver.statuses == [503, 503, 200]
    assert len({r["headers"]["idempotency-key"] for r in receiver.requests}) == 1
    assert len(receiver.taken()) == 1
    assert outbox.deliver_due(SYSTEM).attempted == 0  # delivered: never again


def test_acc_9_failed_after_n_attempts_is_visible_to_the_officer_and_a_manual_retry_delivers(
    container: Container, receiver: Receiver, clock: FakeClock
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "Other Name").messages
    receiver.fail_next = 100
    n = outbox.schedule.max_attempts
    for _ in range(n):
        outbox.deliver_due(SYSTEM)
        clock.advance(hours=2)
    failed = outbox.messages(OP, state=DeliveryState.FAILED)
    assert [m.id for m in failed] == [mid]
    assert failed[0].attempts == n and failed[0].last_error == "http_503"
    assert outbox.deliver_due(SYSTEM).attempted == 0
    assert len(receiver.requests) == n

    receiver.fail_next = 0
    retried = outbox.retry(OP, mid)
    assert retried.state is DeliveryState.PENDING
    assert outbox.deliver_due(SYSTEM).delivered == [mid]
    assert len(outbox.message(OP, mid).attempts) == n + 1


def test_acc_9_a_refusal_from_the_receiver_fails_at_once_without_retrying(
    container: Container, receiver: Receiver
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "Name").messages
    receiver.fail_next, receiver.fail_status = 1, 404
    assert outbox.deliver_due(SYSTEM).failed == [mid]
    assert outbox.message(OP, mid).message.last_error == "http_404"


def test_acc_9_a_recipient_without_a_webhook_gets_the_correction_by_email_over_smtp(
    container: Container, smtp_server: SmtpServer
) -> None:
    corrections, outbox = svc(container)
    outbox.delivery = type(outbox.delivery)(  # type: ignore[call-arg]
        SmtpMailer(smtp_server.host, port=smtp_server.port, tls="none", sender="privacy@co.ca")
    )
    sid = subject(container)
    rid = recipient(container, contact="corrections@agency.example")
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "Émilie Gagnon").messages
    assert outbox.deliver_due(SYSTEM).delivered == [mid]
    [mail] = smtp_server.messages
    assert mail["To"] == "corrections@agency.example"
    assert mail["Message-ID"] == f"<{mid}@outbox.confide>"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Émilie Gagnon" in text and sid in text
    [attempt] = outbox.message(OP, mid).attempts
    assert (attempt.channel.value, attempt.delivered) == ("email", True)


def test_acc_9_a_recipient_with_no_endpoint_and_no_email_is_failed_for_the_officer(
    container: Container,
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    rid = recipient(container, contact="Mr. Smith, by phone")
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "X Y").messages
    assert outbox.deliver_due(SYSTEM).failed == [mid]
    assert outbox.message(OP, mid).message.last_error == "no_endpoint"


def test_acc_9_a_refused_correction_keeps_the_statement_sealed_and_sends_it_to_the_recipients(
    container: Container, receiver: Receiver
) -> None:
    corrections, outbox = svc(container)
    sid = subject(container)
    rid = recipient(container, endpoint=receiver.url)
    disclose(container, sid, rid, ("billing_records",))
    statement = "I never received invoice 42; the balance is wrong."
    out = corrections.refuse(AGENT, sid, "billing_records", statement=statement)
    assert out.recipients_queued == [rid]
    [kept] = corrections.disagreements(AGENT, sid)
    assert (kept.statement, kept.category, kept.recorded_by) == (
        statement,
        "billing_records",
        AGENT.user_id,
    )
    with container.engine.connect() as conn:
        raw = repr(conn.execute(sa.select(disagreements)).all())
        raw += repr(conn.execute(sa.select(outbox_messages)).all())
    assert "invoice 42" not in raw
    # The file's information is unchanged.
    values = [r.value for r in container.subjects.file(OP, sid).information]
    assert all("old" in v for v in values)
    assert outbox.deliver_due(SYSTEM).delivered == out.messages
    [req] = receiver.requests
    assert req["body"]["kind"] == "disagreement" and req["body"]["statement"] == statement


def test_a_correction_to_a_category_the_person_never_gave_is_refused_and_nothing_is_queued(
    container: Container,
) -> None:
    from confide.domain.errors import ValidationFailed

    corrections, outbox = svc(container)
    sid = subject(container, on_file=("name",))
    with pytest.raises(ValidationFailed) as err:
        corrections.accept(OP, sid, "billing_records", "whatever")
    assert err.value.problems[0].location == "category"
    assert "whatever" not in str(err.value)
    assert outbox.messages(OP) == []


def test_acc_9_a_recipient_registered_with_a_webhook_gets_corrections_there(
    container: Container, receiver: Receiver
) -> None:
    from datetime import date

    from confide.domain.errors import ValidationFailed
    from confide.services.disclosures import RecipientInput

    corrections, outbox = svc(container)
    with pytest.raises(ValidationFailed) as err:
        container.disclosures.add_recipient(
            OP,
            RecipientInput(
                "Bad Hook Agency",
                "collection_agency",
                "CA",
                "QC",
                correction_endpoint="http://agency.example/hook",
                agreement_ref="AGR-1",
                agreement_signed=date(2025, 1, 1),
            ),
        )
    assert err.value.problems[0].location == "correction_endpoint"
    assert [r.name for r in container.disclosures.recipients(OP)] == []
    rid = container.disclosures.add_recipient(
        OP,
        RecipientInput(
            "Hook Agency",
            "collection_agency",
            "CA",
            "QC",
            correction_endpoint=receiver.url,
            agreement_ref="AGR-1",
            agreement_signed=date(2025, 1, 1),
        ),
    ).id
    assert outbox.endpoint(OP, rid) == receiver.url
    sid = subject(container)
    disclose(container, sid, rid, ("name",))
    [mid] = corrections.accept(OP, sid, "name", "Hooked Name").messages
    assert outbox.deliver_due(SYSTEM).delivered == [mid]
    assert receiver.requests[0]["body"]["value"] == "Hooked Name"


def test_a_webhook_signing_secret_is_sealed_rotates_with_the_url_and_its_reading_is_audited(
    container: Container, receiver: Receiver
) -> None:
    from confide.adapters.db.tables import correction_endpoints

    _, outbox = svc(container)
    rid = recipient(container, endpoint=receiver.url)
    first = outbox.signing_secret(OP, rid)
    assert first is not None and first.startswith("whsec_") and len(first) > 40
    with container.engine.connect() as conn:
        raw = repr(conn.execute(sa.select(correction_endpoints)).all())
        trail = repr(conn.execute(sa.select(audit_entries)).all())
    assert first not in raw and first not in trail
    assert "recipient.correction_secret_read" in trail
    outbox.set_endpoint(OP, rid, receiver.url + "/v2")
    second = outbox.signing_secret(OP, rid)
    assert second is not None and second != first
    outbox.set_endpoint(OP, rid, None)
    assert outbox.signing_secret(OP, rid) is None and outbox.endpoint(OP, rid) is None
