"""Messages to people in the outbox (issue 11): composed in full, due now by email or waiting as a
letter, sent as written with a stable Message-ID, and named in words in English and French."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from confide.adapters.delivery import RecipientDelivery
from confide.domain.outbox import (
    Channel,
    Composed,
    DeliveryState,
    OutboxKind,
    TargetType,
    compose,
)
from confide.testing import FakeMailer
from confide.web.labels import OUTBOX_LABELS, message_label

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def refusal(to: str | None, message_id: str | None = None) -> object:
    return compose(
        id="obx_1",
        kind=OutboxKind.REFUSAL,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_1",
        content=Composed("Refused", "Because.", "fr", to, message_id),
        key="response.req_1",
        at=AT,
        subject_id="sub_1",
        request_id="req_1",
    )


def test_a_mail_is_due_now_and_a_letter_waits_for_staff() -> None:
    mail = compose(
        id="obx_1",
        kind=OutboxKind.ESCALATION,
        target_type=TargetType.OFFICER,
        target_id="privacy_officer",
        content=Composed("Late", "Deemed refused.", "en", "po@example.test"),
        key="deemed.req_1",
        at=AT,
    )
    assert (mail.channel, mail.next_attempt_at, mail.state) == (
        Channel.EMAIL,
        AT,
        DeliveryState.PENDING,
    )
    assert mail.idempotency_key == "deemed.req_1" and mail.category is None
    letter = compose(
        id="obx_2",
        kind=OutboxKind.EXTENSION_NOTICE,
        target_type=TargetType.INDIVIDUAL,
        target_id="sub_1",
        content=Composed("Extension", "New date."),
        key="extension.req_1",
        at=AT,
    )
    assert (letter.channel, letter.next_attempt_at) == (Channel.LETTER, None)
    assert "to" not in letter.payload


def test_compose_is_for_people_only() -> None:
    with pytest.raises(ValueError):
        compose(
            id="obx_1",
            kind=OutboxKind.CORRECTION,
            target_type=TargetType.RECIPIENT,
            target_id="rcp_1",
            content=Composed("x", "y", "en", "a@b.test"),
            key="k",
            at=AT,
        )


def test_a_composed_mail_is_sent_as_written_with_its_message_id() -> None:
    mailer = FakeMailer()
    result = RecipientDelivery(mailer).mail(
        refusal("lea@example.ca", "response.req_1@confide.requests")
    )  # type: ignore[arg-type]
    assert result.delivered and result.channel is Channel.EMAIL
    [sent] = mailer.sent
    assert (sent.to, sent.subject, sent.text, sent.language, sent.message_id) == (
        "lea@example.ca",
        "Refused",
        "Because.",
        "fr",
        "response.req_1@confide.requests",
    )


def test_without_a_message_id_one_is_derived_from_the_outbox_id_the_same_on_every_attempt() -> None:
    mailer = FakeMailer()
    delivery = RecipientDelivery(mailer)
    delivery.mail(refusal("lea@example.ca"))  # type: ignore[arg-type]
    delivery.mail(refusal("lea@example.ca"))  # type: ignore[arg-type]
    assert [m.message_id for m in mailer.sent] == ["obx_1@outbox.confide"] * 2


def test_a_mail_without_an_address_fails_for_good_and_a_failing_server_is_retried() -> None:
    mailer = FakeMailer()
    result = RecipientDelivery(mailer).mail(refusal(None))  # type: ignore[arg-type]
    assert (result.delivered, result.permanent, result.error) == (False, True, "no_address")
    assert RecipientDelivery(None).mail(refusal("a@b.test")).error == "mail_not_configured"  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_kind_and_target_has_words_in_both_languages(lang: str) -> None:
    for kind in OutboxKind:
        for target in TargetType:
            words = OUTBOX_LABELS[lang]  # type: ignore[index]
            assert kind.value in words and f"to_{target.value}" in words  # no code shown raw
            label = message_label(kind.value, target.value, lang)  # type: ignore[arg-type]
            assert label == f"{words[kind.value]} {words['to_' + target.value]}"
            assert "_" not in label
    assert set(OUTBOX_LABELS["en"]) == set(OUTBOX_LABELS["fr"])


def test_a_letter_says_so_and_french_reads_french() -> None:
    assert message_label("extension_notice", "individual", "en", "letter") == (
        "Notice of a time extension to the individual, by letter"
    )
    assert message_label("escalation", "officer", "fr") == (
        "Demande réputée refusée (signalement) au responsable de la protection des "
        "renseignements personnels"
    )
