"""The documents of the breach register (BRE-3, BRE-1): each report rendered to PDF holds every
content its regulation requires, under its heading, in English and French; a report lacking
one says it is a draft; the register's CSV and JSON-LD read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from confide.adapters.rendering.breach_report import (
    register_jsonld,
    register_pdf,
    report_json,
    report_pdf,
)
from confide.adapters.rendering.csv_rows import rows_csv
from confide.domain.breaches.contents import (
    HEADINGS,
    REQUIRED,
    Facts,
    missing_sections,
    notice_sections,
    report_sections,
)
from confide.domain.breaches.model import (
    Assessment,
    Incident,
    Level,
    Notice,
    NoticeKind,
    Occurrence,
    ReportedBy,
)

AT = datetime(2026, 6, 1, tzinfo=UTC)
INCIDENT = Incident(
    id="inc_1",
    reference="INC-2026-0007",
    title="Stolen laptop",
    reported_at=AT,
    reported_by=ReportedBy.STAFF,
    recorded_by="u",
    aware_on=date(2026, 5, 30),
    circumstances="A laptop with a billing export was stolen from a car.",
    cause="The export was kept on the laptop.",
    occurrence=Occurrence(date(2026, 5, 29)),
    categories=("credit_information",),
    systems=("billing",),
    measures="Remote wipe; procedure changed.",
    individual_steps="Watch your card statements.",
    quebec=True,
)
ASSESSMENT = Assessment(
    id="ias_1",
    incident_id="inc_1",
    sensitivity=Level.HIGH,
    probability=Level.HIGH,
    factors=("malicious_intent",),
    factors_note="",
    proposed_real_risk=True,
    proposed_reasons=(),
    real_risk=True,
    decision_reason="Card numbers on a stolen device.",
    decided_by="u",
    decided_at=AT,
    determined_on=date(2026, 6, 1),
    ill_intentioned_uses="Card fraud.",
    consequences="Fraudulent charges; stress.",
    likelihood=Level.MEDIUM,
    serious_injury=True,
)
NOTICES = [
    Notice("n1", "inc_1", NoticeKind.INDIVIDUALS, AT, "u", sent_on=date(2026, 6, 2), count=12),
    Notice(
        "n2", "inc_1", NoticeKind.ORGANIZATION, AT, "u", party="Visa Canada",
        sent_on=date(2026, 6, 2),
    ),
]  # fmt: skip


def facts(lang: str, **changes: object) -> Facts:
    base = Facts(
        incident=INCIDENT,
        organization="cell.expert",
        contact="Jean-Christophe Blais-Crépeau, Privacy Officer, info@cell.expert",
        category_names={
            "credit_information": "Renseignements de crédit"
            if lang == "fr"
            else "Credit information"
        },
        affected=12,
        affected_quebec=7,
        assessment=ASSESSMENT,
        notices=NOTICES,
        complaint_contact="Call us at the number on your invoice.",
    )
    return Facts(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", [NoticeKind.OPC_REPORT, NoticeKind.CAI_NOTICE])
def test_bre_3_a_regulators_report_holds_every_required_content(
    kind: NoticeKind, lang: str
) -> None:
    sections = report_sections(kind, facts(lang), lang)
    assert missing_sections(kind, sections) == []
    text = pdf_text(report_pdf(INCIDENT, kind.value, sections, [], lang))
    by_id = dict(sections)
    for section in REQUIRED[kind]:
        assert HEADINGS[lang][section] in text, section
        first_line = by_id[section].splitlines()[0]
        assert " ".join(first_line.split()) in text, section
    assert "INC-2026-0007" in text
    assert ("BROUILLON" if lang == "fr" else "DRAFT") not in text


def test_bre_3_the_notice_to_people_holds_every_required_content_in_french() -> None:
    sections = notice_sections(facts("fr"), "fr", quebec=True)
    assert missing_sections(NoticeKind.INDIVIDUALS, sections) == []
    text = pdf_text(report_pdf(INCIDENT, "individuals", sections, [], "fr"))
    for section in REQUIRED[NoticeKind.INDIVIDUALS]:
        assert HEADINGS["fr"][section] in text
    assert "Commission d'accès à l'information" in text
    assert "Renseignements de crédit" in text


def test_bre_3_a_report_missing_contents_is_marked_a_draft_naming_them() -> None:
    bare = Incident(**{**INCIDENT.__dict__, "measures": "", "circumstances": ""})  # type: ignore[arg-type]
    sections = report_sections(NoticeKind.OPC_REPORT, facts("en", incident=bare), "en")
    missing = missing_sections(NoticeKind.OPC_REPORT, sections)
    assert missing == ["circumstances", "measures"]
    text = pdf_text(report_pdf(bare, "opc_report", sections, missing, "en"))
    assert (
        "DRAFT - missing: Circumstances of the breach, Steps taken to reduce the risk of harm"
        in text
    )
    body = json.loads(report_json(bare, "opc_report", sections, missing, "en"))
    assert body["missing"] == missing
    assert [s["id"] for s in body["sections"]][:3] == ["reference", "organization", "contact"]


def test_bre_1_the_register_exports_read_back() -> None:
    rows = [
        {"Reference": "INC-2026-0007", "Title": "Stolen laptop", "Circumstances": "Vol à Québec"},
        {"Reference": "INC-2026-0008", "Title": "Fax", "Circumstances": ""},
    ]
    back = list(csv.DictReader(io.StringIO(rows_csv(rows))))
    assert back == rows
    assert rows_csv([]) == ""
    text = pdf_text(register_pdf(rows, "fr", "Registre des incidents"))
    assert "Registre des incidents" in text and "INC-2026-0008" in text and "Vol à Québec" in text
    graph = json.loads(
        register_jsonld(
            [
                {
                    "reference": "INC-2026-0007",
                    "title": "Stolen laptop",
                    "reported_at": AT.isoformat(),
                    "status": "closed",
                }
            ]
        )
    )
    [node] = graph["@graph"]
    assert graph["@context"]["risk"] == "https://w3id.org/dpv/risk#"
    assert node["@id"] == "urn:confide:incident:INC-2026-0007"
    assert node["@type"] == "risk:Incident"
    assert node["skos:broader"] == {"@id": "risk:DataBreach"}
    assert node["dpv:hasStatus"] == {"@id": "risk:IncidentConcluded"}
