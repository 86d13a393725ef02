"""Complaint letters (CMP-1, CMP-3) reach a real SMTP server started by the test: the
acknowledgement and the answer, in the complainant's language, naming the privacy officer and,
in the answer, the regulator to complain to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from smtp_testserver import SmtpServer

from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.services.complaints import RecordComplaint
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock


@pytest.fixture
def mail_container(
    tmp_path: Path, keys_json: str, smtp_server: SmtpServer, clock: FakeClock
) -> Iterator[Container]:
    settings = Settings(
        data_dir=tmp_path,
        keys=keys_json,  # type: ignore[arg-type]
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_tls="none",
        mail_from="Confide <privacy@example.test>",
    )
    c = build(settings, migrate_db=True, create_key=True, clock=clock)
    try:
        yield c
    finally:
        c.close()


@pytest.mark.parametrize(
    ("province", "language", "acknowledged", "regulator"),
    [
        ("QC", "fr", "Nous avons reçu votre plainte", "Commission d'accès à l'information"),
        ("ON", "en", "We received your complaint", "Office of the Privacy Commissioner of Canada"),
    ],
)
def test_cmp_1_and_3_the_acknowledgement_and_the_answer_are_mailed_in_the_persons_language(
    mail_container: Container,
    smtp_server: SmtpServer,
    province: str,
    language: str,
    acknowledged: str,
    regulator: str,
) -> None:
    c = mail_container
    c.subjects.register(
        OFFICER, RegisterSubject("customer", province, language, email="who@example.test")
    )
    complaint = c.complaints.record(
        OFFICER,
        RecordComplaint("email", "use", "My data was used for ads.", "who@example.test", language),
    )
    c.complaints.answer(OFFICER, complaint.id, "not_justified", "No ad used your data.")
    report = c.outbox.deliver_due(OFFICER)
    assert len(report.delivered) == 2 and not report.failed
    # Both were added at the same instant: tell them apart by their subject line.
    [ack] = [m for m in smtp_server.messages if m["Subject"].startswith(acknowledged)]
    [answer] = [m for m in smtp_server.messages if m is not ack]
    officer = c.ctx.policy.organization.privacy_officer
    assert ack["To"] == answer["To"] == "who@example.test"
    assert complaint.reference in ack["Subject"] and complaint.reference in answer["Subject"]
    for message in (ack, answer):
        text = message.get_content()
        assert officer.email in text and officer.title.in_language(language) in text
    answer_text = answer.get_content()
    assert regulator in answer_text and "No ad used your data." in answer_text
