"""The certificate of disposal as JSON and as PDF in English and French (RET-2): the JSON gives
back the certificate and its digest; the PDF says what, when, how, under which rule, who
approved, in words (no internal codes), with the hashes an auditor checks."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from confide.adapters.rendering.certificate import certificate_json, certificate_pdf
from confide.domain.retention.certificate import (
    Certificate,
    CertifiedLine,
    CertifiedRule,
    CertifiedSourceStep,
    IssuedCertificate,
)

CERT = Certificate(
    run_id="drun_01kt1gw6g0g4naqps6q30p5ct6",
    issued_at="2026-12-05T10:04:12+00:00",
    as_of="2026-12-05",
    policy_version="2026-12-01-3f9a2c",
    planned_by="u_officer",
    planned_at="2026-12-05T09:00:00+00:00",
    approved_by="schedule:u_officer",
    approved_at="2026-12-05T09:30:00+00:00",
    approval="schedule",
    started_at="2026-12-05T09:31:00+00:00",
    finished_at="2026-12-05T10:04:12+00:00",
    rules=(
        CertifiedRule("location_data", 0, 90, "collection", "delete"),
        CertifiedRule("usage_data", 0, 395, "collection", "anonymize"),
    ),
    lines=(
        CertifiedLine("location_data", "mobile-app", "delete", 331204),
        CertifiedLine("usage_data", "billing", "anonymize", 20931),
    ),
    total=352135,
    records_sha256="9f2c" * 16,
    sources=(
        CertifiedSourceStep("billing-db", "invoices", "location_data", "delete", 12, "dispose"),
    ),
    held={"legal_hold": 12, "open_request": 3},
    anonymity={"usage_data": {"k": 10, "l": 3, "kept": 20931, "suppressed": 44}},
)
ISSUED = IssuedCertificate(CERT, 1234, CERT.digest())
NAMES = {
    "en": {"location_data": "Location data", "usage_data": "Usage data"},
    "fr": {"location_data": "Données de localisation", "usage_data": "Données d'utilisation"},
}


def text_of(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_ret_2_the_json_gives_back_the_certificate_and_where_the_log_holds_it() -> None:
    data = json.loads(certificate_json(ISSUED))
    assert data["audit"] == {
        "seq": 1234,
        "digest": CERT.digest(),
        "entry_action": "retention.certificate_issued",
    }
    body = {k: v for k, v in data.items() if k not in ("audit", "how_to_verify")}
    assert Certificate.from_body(body) == CERT
    assert Certificate.from_body(body).digest() == data["audit"]["digest"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["Certificate of disposal", "Deleted", "Anonymized", "Location data", "collection",
             "approved by the schedule", "Legal hold", "Open access or correction request"],
        ),
        (
            "fr",
            ["Certificat de destruction", "Supprimés", "Anonymisés", "Données de localisation",
             "la collecte", "approuvée par le calendrier", "Mise sous garde juridique"],
        ),
    ],
)  # fmt: skip
def test_ret_2_the_pdf_says_it_in_words_with_the_hashes(lang: str, words: list[str]) -> None:
    pdf = certificate_pdf(ISSUED, lang, NAMES[lang])
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for word in words:
        assert word in text, word
    assert CERT.records_sha256 in text.replace("\n", "") and CERT.digest() in text.replace("\n", "")
    assert "1234" in text and CERT.run_id in text.replace("\n", "")
    for code in ("location_data", "usage_data", "legal_hold", "open_request", "end_of_service"):
        assert code not in text


def test_a_certificate_in_another_language_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="lang"):
        certificate_pdf(ISSUED, "de")
