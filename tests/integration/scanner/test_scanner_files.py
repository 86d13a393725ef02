"""Scanning real files: formats, encodings, binary content, several files on several cores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from confide.scanner.corpus import generate
from confide.scanner.engine import Scanner
from confide.scanner.files import ScannerOptions, scan_file, scan_paths
from confide.scanner.model import Entity, ScanResult

LINE = "Client Jean Roy, NAS 130 692 544, courriel jean.roy@videotron.ca, tél. (514) 872-1234\n"


def values(result: ScanResult, text: str) -> list[tuple[str, str]]:
    return [(f.entity.value, text[f.start : f.end]) for f in result.findings]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


@pytest.mark.parametrize("suffix", [".txt", ".log", ".csv", ".json", ""])
def test_text_files_of_each_kind_are_scanned(tmp_path: Path, scanner: Scanner, suffix: str) -> None:
    text = json.dumps({"note": LINE}) if suffix == ".json" else LINE * 3
    path = tmp_path / f"export{suffix}"
    path.write_text(text, encoding="utf-8")
    result = scan_file(scanner, path)
    assert {f.entity for f in result.findings} >= {Entity.SIN, Entity.EMAIL, Entity.PHONE}
    assert result.notes == []


def test_a_file_gives_the_findings_of_its_text_scanned_in_memory(
    tmp_path: Path, scanner: Scanner
) -> None:
    text = "".join(d.text for d in generate(8, 200))
    path = tmp_path / "tickets.txt"
    path.write_text(text, encoding="utf-8")
    assert scan_file(scanner, path).findings == scanner.scan_text(text).findings


def test_a_windows_1252_export_is_decoded_with_a_note(tmp_path: Path, scanner: Scanner) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(("Nom : Hélène Côté, NAS 130 692 544 – ok\n").encode("cp1252"))
    result = scan_file(scanner, path)
    assert ("SIN", "130 692 544") in values(result, "Nom : Hélène Côté, NAS 130 692 544 – ok\n")
    assert "decoded as cp1252" in result.notes[0].reason


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, scanner: Scanner) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(LINE, encoding="utf-16")
    assert ("SIN", "130 692 544") in values(scan_file(scanner, path), LINE)


def test_binary_files_are_skipped_with_the_reason(tmp_path: Path, scanner: Scanner) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    result = scan_file(scanner, path)
    assert result.findings == [] and "binary" in result.notes[0].reason


def test_a_missing_file_is_noted_not_raised(tmp_path: Path, scanner: Scanner) -> None:
    result = scan_file(scanner, tmp_path / "gone.txt")
    assert "cannot be read" in result.notes[0].reason


def test_a_corrupt_pdf_is_noted_not_raised(tmp_path: Path, scanner: Scanner) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    result = scan_file(scanner, path)
    assert result.findings == [] and result.notes


def test_text_is_extracted_from_docx(tmp_path: Path, scanner: Scanner) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Dossier de la cliente")
    document.add_paragraph(LINE.strip())
    path = tmp_path / "letter.docx"
    document.save(str(path))
    result = scan_file(scanner, path)
    assert {f.entity for f in result.findings} >= {Entity.SIN, Entity.EMAIL}


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_text_is_extracted_from_pdf(tmp_path: Path, scanner: Scanner) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "statement.pdf"
    path.write_bytes(_minimal_pdf("SIN 130 692 544 email jean.roy@videotron.ca"))
    result = scan_file(scanner, path)
    assert {f.entity for f in result.findings} == {Entity.SIN, Entity.EMAIL}


def test_several_files_on_several_cores_give_the_single_core_results_in_order(
    tmp_path: Path,
) -> None:
    for i, doc in enumerate(generate(12, 24)):
        (tmp_path / f"doc{i:02d}.txt").write_text(doc.text, encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x00" * 100)
    seen: list[str] = []
    one = scan_paths([tmp_path], ScannerOptions(), workers=1)
    many = scan_paths(
        [tmp_path], ScannerOptions(), workers=2, on_result=lambda r: seen.append(r.source)
    )
    assert [r.source for r in one] == [r.source for r in many] == seen
    assert [r.findings for r in one] == [r.findings for r in many]
    assert len(one) == 25 and sum(len(r.findings) for r in one) > 100
