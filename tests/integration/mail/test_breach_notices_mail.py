"""Breach notices (BRE-3) reach a real SMTP server started by the test, each in its person's
language, with every content the regulations list: what happened, when, the information, what
the company did, what the person can do, whom to contact, and the right to complain (the
Commission d'accès à l'information for a Québec resident)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from smtp_testserver import SmtpServer

from confide.bootstrap import Container, build
from confide.config import Settings
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.services.breaches import AssessIncident, IncidentFacts
from confide.services.subjects import RecordInformation, RegisterSubject
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


def test_bre_3_each_person_receives_the_notice_in_their_language_over_smtp(
    mail_container: Container, smtp_server: SmtpServer
) -> None:
    c = mail_container
    people = {}
    for email, province, language in (
        ("amelie@example.test", "QC", "fr"),
        ("brian@example.test", "ON", "en"),
    ):
        sid = c.subjects.register(
            OFFICER, RegisterSubject("customer", province, language, email=email)
        ).id
        people[email] = sid
        c.subjects.record_information(
            OFFICER,
            RecordInformation(
                sid, "billing_records", "Invoice 41", "from_individual", ("legal_compliance",),
                "billing", collected_at=datetime(2026, 2, 1, tzinfo=UTC),
            ),
        )  # fmt: skip
    incident = c.breaches.record(
        OFFICER,
        IncidentFacts(
            title="Invoices sent to the wrong addresses",
            circumstances="A mail-merge error sent invoices to other customers.",
            occurred_from=datetime(2026, 5, 28).date(),
            categories=("billing_records",),
            systems=("billing",),
            measures="Recipients asked to delete the invoices; the merge was fixed.",
            individual_steps="Be wary of messages quoting your invoice amount.",
        ),
    )
    c.breaches.link_by_list(OFFICER, incident.id, "\n".join(people))
    c.breaches.assess(
        OFFICER,
        incident.id,
        AssessIncident(
            factors=("exposed_to_unknown",),
            real_risk=True,
            decision_reason="Amounts owed and addresses in strangers' hands.",
            serious_injury=True,
            ill_intentioned_uses="Phishing using the invoice.",
            consequences="Fraud attempts.",
            likelihood="medium",
        ),
    )
    notice = c.breaches.notify_individuals(OFFICER, incident.id)
    assert notice.count == 2
    report = c.outbox.deliver_due(OFFICER)
    assert len(report.delivered) == 2 and not report.failed
    got = {m["To"]: m for m in smtp_server.messages}
    assert set(got) == set(people)
    fr = got["amelie@example.test"]
    en = got["brian@example.test"]
    assert fr["Subject"] == f"Avis au sujet de vos renseignements personnels ({incident.reference})"
    assert (
        en["Subject"] == f"Important notice about your personal information ({incident.reference})"
    )
    fr_text = fr.get_content()
    en_text = en.get_content()
    for heading in (
        "Ce qui s'est passé",
        "Moment de l'incident",
        "Renseignements personnels visés",
        "Ce que nous avons fait",
        "Ce que vous pouvez faire",
        "Personne à joindre",
        "Votre droit de porter plainte",
    ):
        assert heading in fr_text
    assert "Commission d'accès à l'information" in fr_text  # a Québec resident
    assert "info@cell.expert" in fr_text and "info@cell.expert" in en_text
    for heading in (
        "What happened",
        "When it happened",
        "Personal information involved",
        "What we have done",
        "What you can do",
        "Person to contact",
        "Your right to complain",
    ):
        assert heading in en_text
    assert "Office of the Privacy Commissioner of Canada" in en_text
    assert "Commission d'accès" not in en_text
    assert "mail-merge error" in en_text and "Be wary" in en_text
    # Sent once: a second delivery round sends nothing more.
    assert c.outbox.deliver_due(OFFICER).attempted == 0
    assert len(smtp_server.messages) == 2
