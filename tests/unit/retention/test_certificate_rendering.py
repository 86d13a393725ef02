"""The certificate of disposal as JSON and as PDF in English and French (RET-2): the JSON gives
back the certificate and its digest; the PDF says what, when, how, under which rule, who
approved, in words (no internal codes), with the hashes an auditor checks."""

from __future__ import annotations

import io
import json
import shlex
from dataclasses import replace
from typing import Any

import pytest
import typer
from pypdf import PdfReader

from confide.adapters.rendering.certificate import (
    certificate_json,
    certificate_pdf,
    verification_commands,
)
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
    planned_by="schedule",
    planned_at="2026-12-05T09:00:00+00:00",
    approved_by="schedule:u_officer",
    approved_at="2026-12-05T09:30:00+00:00",
    approval="schedule",
    started_at="2026-12-05T09:31:00+00:00",
    finished_at="2026-12-05T10:04:12+00:00",
    rules=(
        CertifiedRule("location_data", 0, 90, "collection", "delete"),
        CertifiedRule("usage_data", 0, 395, "collection", "anonymize"),
        CertifiedRule("payment_card", 30, 2555, "end_of_service", "destroy"),
    ),
    lines=(
        CertifiedLine("location_data", "mobile-app", "delete", 331204),
        CertifiedLine("usage_data", "billing", "anonymize", 20931),
        CertifiedLine("payment_card", "billing", "destroy", 1200),
    ),
    total=353335,
    records_sha256="9f2c" * 16,
    sources=(
        CertifiedSourceStep("billing-db", "invoices", "location_data", "delete", 12, "dispose"),
        CertifiedSourceStep(
            "warehouse", "usage.parquet", "usage_data", "anonymize", 40, "task", "usr_owner"
        ),
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
            ["Certificate of disposal", "Deleted", "Anonymized", "Destroyed", "Location data",
             "Payment card", "collection", "end of service", "the schedule, 2026-12-05 09:00 UTC",
             "the schedule the privacy officer (u_officer) set, 2026-12-05 09:30 UTC",
             "353,335", "331,204", "2,555", "Legal hold", "Open access or correction request",
             "confirmed by usr_owner", "confide audit show 1234"],
        ),
        (
            "fr",
            ["Certificat de destruction", "Supprimés", "Anonymisés", "Détruits",
             "Données de localisation", "Payment card", "la collecte", "la fin du service",
             "le calendrier, 2026-12-05 09:00 UTC", "le calendrier fixé par le responsable",
             "353 335", "331 204", "2 555", "Mise sous garde juridique",
             "Demande d'accès ou de rectification en cours", "confirmé par usr_owner",
             "confide audit show 1234"],
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
    for code in (
        "location_data",
        "usage_data",
        "payment_card",
        "legal_hold",
        "open_request",
        "end_of_service",
        "schedule:",
    ):
        assert code not in text, code


def test_ret_2_an_officer_approval_names_the_officer() -> None:
    cert = replace(CERT, planned_by="u_officer", approved_by="u_officer", approval="officer")
    text = text_of(certificate_pdf(IssuedCertificate(cert, 7, cert.digest()), "en"))
    assert "u_officer, 2026-12-05 09:00 UTC" in text
    assert "the privacy officer (u_officer), 2026-12-05 09:30 UTC" in text
    assert "schedule" not in text
    # no names given: the categories are spelled out from their ids, still no codes
    assert "Location data" in text and "location_data" not in text


def test_ret_2_the_commands_to_verify_are_the_real_ones() -> None:
    """The JSON and the PDF name commands an auditor can run as written."""
    from confide.cli.main import app
    from confide.verifier.__main__ import main as verifier_main

    data = json.loads(certificate_json(ISSUED))["how_to_verify"]
    show, proof, verify, ids = verification_commands(ISSUED)
    assert (data["entry"], data["proof"], data["verifier"], data["record_ids"]) == (
        show,
        proof,
        verify,
        ids,
    )
    root = typer.main.get_command(app)
    for command in (show, proof, ids, data["public_key"]):
        words = shlex.split(command.split(">")[0])
        assert words[0] == "confide", command
        cmd: Any = root
        args = words[1:]
        while hasattr(cmd, "commands"):  # a group (Typer has its own copy of click)
            cmd, args = cmd.commands.get(args[0]), args[1:]
            assert cmd is not None, command
        assert not hasattr(cmd, "commands"), command
        cmd.make_context(cmd.name, args)  # an unknown option or a stray argument raises
    words = shlex.split(verify)
    assert words[:3] == ["python", "-m", "confide.verifier"]
    # parsed, then refused for the placeholder key (exit 2), not an argparse usage error
    assert verifier_main(words[3:]) == 2


def test_a_certificate_in_another_language_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="lang"):
        certificate_pdf(ISSUED, "de")
