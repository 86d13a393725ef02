"""The SMTP mailer against a real SMTP server started in this process (aiosmtpd)."""

from __future__ import annotations

import logging
import ssl

import pytest
from smtp_testserver import PASSWORD, USER, SmtpServer, Tls, free_port

from confide.adapters.mail import (
    MailNotConfigured,
    MailNotSent,
    MailRejected,
    SmtpMailer,
    build_message,
)
from confide.config import Settings
from confide.domain.errors import ValidationFailed
from confide.services.ports.mail import OutgoingMail

SENDER = "Confide <privacy@example.test>"

FRENCH = OutgoingMail(
    to="Élodie Gagnon <elodie.gagnon@example.test>",
    subject="Votre demande d’accès : code de vérification",
    text="Bonjour Élodie,\n\nVotre code à usage unique est 482915. Il expire à 14 h 30.\n",
    html="<p>Bonjour Élodie,</p><p>Votre code à usage unique est <b>482915</b>.</p>",
    language="fr",
    message_id="code-req42-1@example.test",
)


def plain_mailer(server: SmtpServer) -> SmtpMailer:
    return SmtpMailer(server.host, port=server.port, tls="none", sender=SENDER, timeout=5)


def test_a_french_message_arrives_with_its_accents_text_and_html_alternative(
    smtp_server: SmtpServer,
) -> None:
    message_id = plain_mailer(smtp_server).send(FRENCH)

    [received] = smtp_server.collector.received
    assert received.rcpt_tos == ["elodie.gagnon@example.test"]
    assert received.mail_from == "privacy@example.test"
    msg = received.message
    assert msg["Subject"] == "Votre demande d’accès : code de vérification"
    assert msg["To"] == "Élodie Gagnon <elodie.gagnon@example.test>"
    assert msg["Content-Language"] == "fr"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"] == "<code-req42-1@example.test>" == f"<{message_id}>"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().replace("\r\n", "\n") == FRENCH.text  # SMTP lines end in CRLF
    assert html.get_content().strip() == FRENCH.html
    assert text.get_content_charset() == "utf-8"


def test_an_english_text_only_message_is_plain_text(smtp_server: SmtpServer) -> None:
    mail = OutgoingMail(to="sam@example.test", subject="Your access request", text="Hello Sam.\n")
    message_id = plain_mailer(smtp_server).send(mail)

    [msg] = smtp_server.messages
    assert msg.get_content_type() == "text/plain"
    assert msg["Content-Language"] == "en"
    assert msg.get_content() == "Hello Sam.\r\n"
    assert msg["Message-ID"] == f"<{message_id}>"
    assert message_id.endswith("@example.test")


def test_starttls_with_login_sends_over_an_encrypted_authenticated_session(
    starttls_server: SmtpServer, tls: Tls
) -> None:
    mailer = SmtpMailer(
        starttls_server.host,
        port=starttls_server.port,
        tls="starttls",
        username=USER,
        password=PASSWORD,
        sender=SENDER,
        timeout=5,
        ssl_context=tls.client_context(),
    )
    mailer.send(FRENCH)

    assert starttls_server.collector.logins == [USER]
    assert starttls_server.messages[0]["Subject"] == FRENCH.subject


def test_a_server_certificate_the_client_does_not_trust_is_refused(
    starttls_server: SmtpServer,
) -> None:
    mailer = SmtpMailer(
        starttls_server.host,
        port=starttls_server.port,
        tls="starttls",
        username=USER,
        password=PASSWORD,
        sender=SENDER,
        timeout=5,
        ssl_context=ssl.create_default_context(),  # the system roots: not our self-signed cert
    )
    with pytest.raises(MailNotSent) as caught:
        mailer.send(FRENCH)
    assert "SSLCertVerificationError" in caught.value.message
    assert starttls_server.messages == []


def test_a_wrong_password_is_refused_without_echoing_it(
    starttls_server: SmtpServer, tls: Tls
) -> None:
    mailer = SmtpMailer(
        starttls_server.host,
        port=starttls_server.port,
        tls="starttls",
        username=USER,
        password="not-the-password",
        sender=SENDER,
        timeout=5,
        ssl_context=tls.client_context(),
    )
    with pytest.raises(MailNotSent) as caught:
        mailer.send(FRENCH)
    assert "not-the-password" not in str(caught.value)
    assert "not-the-password" not in repr(mailer)
    assert starttls_server.messages == []


def test_implicit_tls_sends(implicit_tls_server: SmtpServer, tls: Tls) -> None:
    mailer = SmtpMailer(
        implicit_tls_server.host,
        port=implicit_tls_server.port,
        tls="tls",
        sender=SENDER,
        timeout=5,
        ssl_context=tls.client_context(),
    )
    mailer.send(FRENCH)
    assert [m["Message-ID"] for m in implicit_tls_server.messages] == [
        "<code-req42-1@example.test>"
    ]


def test_a_refused_recipient_is_a_permanent_error_that_names_no_address(
    smtp_server: SmtpServer,
) -> None:
    mail = OutgoingMail(to="refuse@example.test", subject="Avis", text="Texte", language="fr")
    with pytest.raises(MailRejected) as caught:
        plain_mailer(smtp_server).send(mail)
    assert caught.value.fields["smtp_code"] == 550
    assert caught.value.permanent is True
    assert "refuse@example.test" not in str(caught.value)
    assert smtp_server.messages == []


def test_an_unreachable_server_is_mail_not_sent_worth_retrying() -> None:
    mailer = SmtpMailer("127.0.0.1", port=free_port(), tls="none", sender=SENDER, timeout=2)
    with pytest.raises(MailNotSent) as caught:
        mailer.send(FRENCH)
    assert not isinstance(caught.value, MailRejected)
    assert caught.value.fields["reason"] == "ConnectionRefusedError"


def test_without_a_configured_host_nothing_is_sent() -> None:
    mailer = SmtpMailer.from_settings(Settings(smtp_host=None))
    with pytest.raises(MailNotConfigured):
        mailer.send(FRENCH)


def test_settings_choose_the_port_from_the_tls_mode() -> None:
    assert SmtpMailer.from_settings(Settings(smtp_host="mx", smtp_tls="starttls")).port == 587
    assert SmtpMailer.from_settings(Settings(smtp_host="mx", smtp_tls="tls")).port == 465
    assert SmtpMailer.from_settings(Settings(smtp_host="mx", smtp_tls="none")).port == 25
    assert SmtpMailer.from_settings(Settings(smtp_host="mx", smtp_port=2525)).port == 2525


@pytest.mark.parametrize(
    ("field", "mail"),
    [
        ("to", OutgoingMail(to="no-at-sign", subject="s", text="t")),
        ("to", OutgoingMail(to="a@b.test\r\nBcc: x@y.test", subject="s", text="t")),
        ("subject", OutgoingMail(to="a@b.test", subject="s\r\nBcc: x@y.test", text="t")),
        ("language", OutgoingMail(to="a@b.test", subject="s", text="t", language="de")),
    ],
)
def test_a_malformed_message_is_refused_before_connecting(field: str, mail: OutgoingMail) -> None:
    with pytest.raises(ValidationFailed) as caught:
        build_message(mail, SENDER)
    assert caught.value.problems[0].location == field
    assert "x@y.test" not in str(caught.value)


def test_logs_name_the_message_id_never_the_address_or_the_content(
    smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="confide.mail")
    plain_mailer(smtp_server).send(FRENCH)
    refused = OutgoingMail(to="refuse@example.test", subject="Avis", text="482915")
    with pytest.raises(MailRejected):
        plain_mailer(smtp_server).send(refused)

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "code-req42-1@example.test" in logged
    for secret in ("elodie", "Élodie", "482915", "refuse@example.test", "vérification"):
        assert secret not in logged
