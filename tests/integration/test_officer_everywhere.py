"""CMP-3: every letter, mail, access file, notice and receipt Confide produces for a person names
the privacy officer's title and contact from the policy. One test renders each kind of output
— request letters (extension, refusal, response ready), the access file in its four formats,
the consent receipts, the breach notice and the regulators' reports, the complaint's
acknowledgement and answer — in the person's language, and checks it."""

from __future__ import annotations

import io

from pypdf import PdfReader

from confide.adapters.rendering.access_file import render
from confide.adapters.rendering.breach_report import report_json, report_pdf
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.outbox import OutboxKind
from confide.services.breaches import AssessIncident, IncidentFacts
from confide.services.complaints import RecordComplaint
from confide.services.consent import GiveConsentRequest
from confide.services.requests import SubmitRequest
from confide.services.subjects import RecordInformation, RegisterSubject


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_cmp_3_every_output_to_a_person_names_the_privacy_officer(container: Container) -> None:
    c = container
    officer = c.ctx.policy.organization.privacy_officer
    person = c.subjects.register(
        OFFICER, RegisterSubject("customer", "ON", "fr", email="personne@example.test")
    ).id
    c.subjects.record_information(
        OFFICER,
        RecordInformation(
            person, "billing_records", "Facture 12", "from_individual", ("legal_compliance",),
            "billing",
        ),
    )  # fmt: skip
    outputs: dict[str, str] = {}

    # Request letters, as composed into the outbox for the person.
    requests = c.requests
    first = requests.submit(
        OFFICER, SubmitRequest("access", "letter", "email", "personne@example.test")
    )
    _, outputs["extension notice"] = requests.extend(OFFICER, first.id, "Archives", days=10)
    second = requests.submit(
        OFFICER, SubmitRequest("access", "letter", "email", "personne@example.test")
    )
    _, outputs["refusal letter"] = requests.refuse(OFFICER, second.id, ["Frivolous request"])
    with c.ctx.uow(readonly=True) as uow:
        for kind in (OutboxKind.EXTENSION_NOTICE, OutboxKind.REFUSAL):
            [message] = [m for m in uow.outbox.messages(subject_id=person) if m.kind is kind]
            outputs[f"outbox {kind.value}"] = str(message.payload["text"])

    # The access file, in every format.
    file = c.access_files.assemble(OFFICER, person, kind="access")
    for fmt in ("json", "csv", "html"):
        outputs[f"access file {fmt}"] = render(file, fmt, "fr").decode("utf-8")
    outputs["access file pdf"] = pdf_text(render(file, "pdf", "fr"))

    # The consent receipts.
    [given] = c.consent.give(
        OFFICER,
        GiveConsentRequest(
            subject_id=person, purposes=("individual_marketing",), kind="express",
            method="checkbox", channel="email",
        ),
    )  # fmt: skip
    iso, kantara, _ = c.consent.receipt(OFFICER, given.event_id)
    outputs["receipt iso 27560"] = str(iso)
    outputs["receipt kantara"] = str(kantara)

    # The breach notice to the person and the reports to the regulators.
    incident = c.breaches.record(
        OFFICER,
        IncidentFacts(
            title="Lost invoices", circumstances="Invoices lost in the mail.",
            occurred_from=c.ctx.now().date(), categories=("billing_records",),
            systems=("billing",), measures="Reprinted.", individual_steps="Watch your mail.",
        ),
    )  # fmt: skip
    c.breaches.link_by_list(OFFICER, incident.id, "email:personne@example.test")
    c.breaches.assess(
        OFFICER,
        incident.id,
        AssessIncident(
            factors=("exposed_to_unknown",), real_risk=True, decision_reason="Exposed.",
        ),
    )  # fmt: skip
    c.breaches.notify_individuals(OFFICER, incident.id)
    with c.ctx.uow(readonly=True) as uow:
        [notice] = [
            m for m in uow.outbox.messages(subject_id=person) if m.kind is OutboxKind.BREACH_NOTICE
        ]
    outputs["breach notice"] = str(notice.payload["text"])
    for kind in ("opc_report", "cai_notice"):
        found, sections, missing = c.breaches.report(OFFICER, incident.id, kind, "fr")
        outputs[f"{kind} json"] = report_json(found, kind, sections, missing, "fr").decode()
        outputs[f"{kind} pdf"] = pdf_text(report_pdf(found, kind, sections, missing, "fr"))

    # The complaint's acknowledgement and answer.
    complaint = c.complaints.record(
        OFFICER, RecordComplaint("email", "use", "Ads.", "personne@example.test", "fr")
    )
    c.complaints.answer(OFFICER, complaint.id, "not_justified", "No ads.")
    with c.ctx.uow(readonly=True) as uow:
        for name in ("ack", "answer"):
            message = uow.outbox.by_key(f"complaint.{name}.{complaint.id}")
            assert message is not None
            outputs[f"complaint {name}"] = str(message.payload["text"])

    missing_officer = [
        name
        for name, text in outputs.items()
        if officer.email not in text or officer.name not in text
    ]
    assert missing_officer == []
    # The title, in the person's language, where the output is a text for them to read.
    for name in (
        "extension notice",
        "refusal letter",
        "outbox extension_notice",
        "outbox refusal",
        "access file html",
        "access file pdf",
        "breach notice",
        "complaint ack",
        "complaint answer",
    ):
        assert officer.title.fr in outputs[name], name
