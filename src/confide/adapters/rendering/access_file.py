"""An access file rendered for the individual: JSON and CSV (structured), HTML and PDF (readable),
in English or French (ACC-4..6, ACC-10).

Every format shows only what is released (:meth:`AccessFile.released_items`) and, for each
withholding, its reason and explanation, never the withheld value. When anything is withheld
or a source could not be read, the readable forms add the recourse: the Office of the Privacy
Commissioner of Canada, or for a Québec subject the Commission d'accès à l'information (ACC-6).

The request service is given :func:`render` (with ``AccessFile.from_json``) by ``bootstrap``;
the labels and the shared view are in ``access_file_view``, the PDF in ``access_file_pdf``.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from confide.adapters.rendering.access_file_pdf import render_pdf
from confide.adapters.rendering.access_file_view import CSV_COLUMNS, view
from confide.domain.access_file import AccessFile

TEMPLATES = Path(__file__).resolve().parent / "templates"

Format = Literal["json", "csv", "html", "pdf"]
FORMATS: tuple[str, ...] = ("json", "csv", "html", "pdf")


def _lang(language: str) -> str:
    return "fr" if language.lower().startswith("fr") else "en"


def render(file: AccessFile, fmt: str, language: str) -> bytes:
    """``file`` as released, in ``fmt`` (json, csv, html, pdf) and ``language`` (en, fr)."""
    lang = _lang(language)
    if fmt == "json":
        data = file.released_json()
        data["language"] = lang
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "csv":
        return render_csv(file).encode("utf-8")
    if fmt == "html":
        return render_html(file, lang).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(file, lang)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


# --- structured -----------------------------------------------------------------------------------
def render_csv(file: AccessFile) -> str:
    """One table, one row per record: ``item`` rows (the information), then ``withheld``,
    ``incomplete_source``, ``disposed`` (no value: category, day, method), ``consent`` and
    ``disclosure`` rows, and last the ``privacy_officer`` to ask about the file (CMP-3)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in file.released_items():
        writer.writerow(
            {
                "record_type": "item",
                "id": item.id,
                "section": item.section,
                "category": item.category,
                "value": item.value,
                "origin": item.origin,
                "column": item.column or "",
                "collected_from_individual": "true" if item.collected_from_individual else "false",
                "purposes": ";".join(item.purposes),
                "date": item.collected_at or "",
            }
        )
    for r in file.redactions:
        it = file.item(r.item_id)
        writer.writerow(
            {
                "record_type": "withheld",
                "id": r.item_id,
                "section": it.section if it else "",
                "category": it.category if it else "",
                "origin": it.origin if it else "",
                "value": "" if r.whole_item else "part",
                "reason": r.reason,
                "explanation": r.explanation,
            }
        )
    for s in file.incomplete_sources:
        writer.writerow(
            {"record_type": "incomplete_source", "origin": s.source, "explanation": s.reason}
        )
    for d in file.disposed:
        writer.writerow(
            {
                "record_type": "disposed",
                "category": d.category,
                "date": d.disposed_on,
                "reason": d.method,
                "explanation": f"{d.count} record(s) disposed of at the end of their retention",
            }
        )
    for c in file.consents:
        writer.writerow(
            {
                "record_type": "consent",
                "id": c.id,
                "category": c.event,
                "purposes": str(c.details.get("purpose_id", "")),
                "date": c.at,
                "value": json.dumps(c.details, ensure_ascii=False, sort_keys=True),
            }
        )
    for rec in file.disclosures.get("recipients", []):
        for line in rec.get("disclosures", []):
            writer.writerow(
                {
                    "record_type": "disclosure",
                    "id": line.get("decision_id", ""),
                    "value": rec.get("name", ""),
                    "origin": rec.get("recipient_class", ""),
                    "category": ";".join(line.get("categories", [])),
                    "purposes": line.get("purpose_id", ""),
                    "date": line.get("at", ""),
                    "reason": line.get("legal_basis", ""),
                }
            )
    if file.officer:
        # Whom to ask about the file (CMP-3), in the file's language.
        writer.writerow(
            {"record_type": "privacy_officer", "value": file.officer_line(file.language)}
        )
    return out.getvalue()


# --- readable -------------------------------------------------------------------------------------
@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render_html(file: AccessFile, lang: str) -> str:
    return _env().get_template("access_file.html").render(**view(file, lang))
