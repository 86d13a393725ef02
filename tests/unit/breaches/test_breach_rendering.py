"""How the breach documents are laid out (BRE-1, BRE-3), beyond what test_breach_documents checks:
each kind's title in English and French, the footer, multi-line sections kept line by line, the
draft line in French, the JSON read back as given, the register landscape, and the JSON-LD in
DPV's terms with the other columns passed through."""

from __future__ import annotations

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

AT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
INCIDENT = Incident(
    id="inc_2",
    reference="INC-2026-0012",
    title="Courriel mal adressé",
    reported_at=AT,
    reported_by=ReportedBy.STAFF,
    recorded_by="u",
    aware_on=date(2026, 5, 30),
    circumstances="Un relevé a été envoyé à la mauvaise adresse.\nLe destinataire l'a supprimé.",
    occurrence=Occurrence(date(2026, 5, 28), date(2026, 5, 29), approximate=True),
    categories=("account",),
    systems=("billing",),
    measures="Rappel du courriel; vérification des adresses à l'envoi.",
    individual_steps="Surveillez vos relevés.",
    quebec=True,
)
ASSESSMENT = Assessment(
    id="ias_2",
    incident_id="inc_2",
    sensitivity=Level.MEDIUM,
    probability=Level.LOW,
    factors=("trusted_recipient",),
    factors_note="",
    proposed_real_risk=False,
    proposed_reasons=(),
    real_risk=True,
    decision_reason="Account numbers.",
    decided_by="u",
    decided_at=AT,
    determined_on=date(2026, 6, 1),
    ill_intentioned_uses="Hameçonnage.",
    consequences="Stress; fraude.",
    likelihood=Level.LOW,
    serious_injury=True,
)
NOTICE = Notice("n1", "inc_2", NoticeKind.INDIVIDUALS, AT, "u", sent_on=date(2026, 6, 2), count=3)
TITLES = {
    ("opc_report", "en"): "Report of a breach of security safeguards to the Office of the "
    "Privacy Commissioner of Canada",
    ("opc_report", "fr"): "Déclaration d'atteinte aux mesures de sécurité au Commissariat à la "
    "protection de la vie privée du Canada",
    ("cai_notice", "en"): "Notice of a confidentiality incident to the Commission d'accès à "
    "l'information",
    ("cai_notice", "fr"): "Avis d'incident de confidentialité à la Commission d'accès à "
    "l'information",
    ("individuals", "en"): "Notice to the people affected",
    ("individuals", "fr"): "Avis aux personnes concernées",
}


def facts(lang: str) -> Facts:
    return Facts(
        incident=INCIDENT,
        organization="Télécom Québec inc.",
        contact="Hélène Côté, responsable, vie.privee@example.ca",
        category_names={"account": "Numéro de compte" if lang == "fr" else "Account number"},
        affected=3,
        affected_quebec=3,
        assessment=ASSESSMENT,
        notices=[NOTICE],
        complaint_contact="Écrivez-nous.",
    )


def sections_of(kind: str, lang: str) -> list[tuple[str, str]]:
    if kind == "individuals":
        return notice_sections(facts(lang), lang, quebec=True)
    return report_sections(NoticeKind(kind), facts(lang), lang)


def raw_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("kind", "lang"), list(TITLES))
def test_bre_3_each_document_is_titled_by_its_kind_and_language(kind: str, lang: str) -> None:
    sections = sections_of(kind, lang)
    missing = missing_sections(NoticeKind(kind), sections)
    assert missing == []
    pdf = report_pdf(INCIDENT, kind, sections, missing, lang)
    assert pdf.startswith(b"%PDF")
    text = flat(raw_text(pdf))
    assert text.startswith(TITLES[kind, lang])
    assert ("page 1 de" if lang == "fr" else "page 1 of") in text and "INC-2026-0012" in text
    for section in REQUIRED[NoticeKind(kind)]:
        assert HEADINGS[lang][section] in text, section
        assert flat(dict(sections)[section]) in text, section


def test_bre_3_a_section_of_several_lines_keeps_its_lines() -> None:
    sections = sections_of("cai_notice", "fr")
    lines = raw_text(report_pdf(INCIDENT, "cai_notice", sections, [], "fr")).splitlines()
    for key in ("circumstances", "assessment"):
        for line in dict(sections)[key].splitlines():
            assert line in lines, line
    assert "Sensibilité des renseignements : moyenne." in lines


def test_bre_3_a_draft_in_french_names_the_missing_headings_at_the_top() -> None:
    empty = ("affected", "measures")
    sections = [(k, "" if k in empty else t) for k, t in sections_of("cai_notice", "fr")]
    missing = missing_sections(NoticeKind.CAI_NOTICE, sections)
    assert missing == ["affected", "measures"]
    lines = raw_text(report_pdf(INCIDENT, "cai_notice", sections, missing, "fr")).splitlines()
    draft = (
        "BROUILLON - manquant : Nombre de personnes concernées, "
        "Mesures prises pour diminuer le risque de préjudice"
    )
    assert draft in " ".join(lines[:4])  # under the title, before any section
    assert HEADINGS["fr"]["measures"] not in lines  # an empty section gets no heading


def test_bre_3_the_json_gives_back_every_section_with_its_heading_accents_as_they_are() -> None:
    sections = sections_of("cai_notice", "fr")
    data = report_json(INCIDENT, "cai_notice", sections, ["measures"], "fr")
    assert "Télécom Québec".encode() in data  # UTF-8, not \u escapes
    body = json.loads(data)
    assert (body["reference"], body["kind"], body["language"]) == (
        "INC-2026-0012",
        "cai_notice",
        "fr",
    )
    assert body["missing"] == ["measures"]
    assert [(s["id"], s["text"]) for s in body["sections"]] == sections
    assert all(s["heading"] == HEADINGS["fr"][s["id"]] for s in body["sections"])


def test_bre_1_the_register_pdf_is_a_landscape_table_under_its_title() -> None:
    rows = [
        {"Référence": "INC-2026-0012", "Titre": "Courriel mal adressé", "État": "fermé"},
        {"Référence": "INC-2026-0013", "Titre": "Vol à l'étalage", "État": "ouvert"},
    ]
    pdf = register_pdf(rows, "fr", "Registre des incidents de confidentialité")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = flat(raw_text(pdf))
    assert text.startswith("Registre des incidents de confidentialité")
    for word in ("Référence", "État", "Courriel mal adressé", "Vol à l'étalage", "INC-2026-0013"):
        assert word in text, word


def test_bre_1_the_json_ld_names_each_incident_in_dpv_terms() -> None:
    entry: dict[str, object] = {
        "reference": "INC-2026-0012",
        "title": "Courriel mal adressé",
        "reported_at": AT.isoformat(),
        "status": "open",
        "affected": 3,
    }
    data = register_jsonld([entry])
    assert "Courriel mal adressé".encode() in data
    doc = json.loads(data)
    context = doc["@context"]
    assert context["dpv"] == "https://w3id.org/dpv#"
    assert context["dct"] == "http://purl.org/dc/terms/"
    assert context["xsd"] == "http://www.w3.org/2001/XMLSchema#"
    assert context["confide"] == "urn:confide:vocab#"
    [node] = doc["@graph"]
    assert node["@id"] == "urn:confide:incident:INC-2026-0012"
    assert node["dct:identifier"] == "INC-2026-0012"
    assert node["dct:title"] == "Courriel mal adressé"
    assert node["dct:created"] == {"@value": AT.isoformat(), "@type": "xsd:dateTime"}
    assert node["dpv:hasStatus"] == {"@id": "risk:IncidentOngoing"}
    assert (node["confide:status"], node["confide:affected"]) == ("open", 3)
    assert json.loads(register_jsonld([]))["@graph"] == []
