"""An access file rendered for the individual: JSON and CSV (structured), HTML and PDF (readable),
in English or French (ACC-4..6, ACC-10).

Every format shows only what is released (:meth:`AccessFile.released_items`) and, for each
withholding, its reason and explanation, never the withheld value. When anything is withheld
or a source could not be read, the readable forms add the recourse: the Office of the Privacy
Commissioner of Canada, or for a Québec subject the Commission d'accès à l'information (ACC-6).

The PDF is drawn with fpdf2 and its built-in Helvetica (Latin-1: French accents print as they
are; the few characters outside Latin-1, such as typographic quotes or "œ", are spelled with
their nearest Latin-1 form).
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from confide.domain.access_file import AccessFile, FileItem

if TYPE_CHECKING:
    from confide.bootstrap import Container

TEMPLATES = Path(__file__).resolve().parent / "templates"

Format = Literal["json", "csv", "html", "pdf"]
FORMATS: tuple[str, ...] = ("json", "csv", "html", "pdf")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_access": "Your personal information",
        "title_portability": "Your personal information, in a portable format",
        "intro_access": "This is the personal information we hold about you, where it is kept, how "
        "it is used, your consents, and to whom it has been disclosed.",
        "intro_portability": "This is the personal information you gave us, in a structured, "
        "commonly used format. Information we inferred or derived is not part of it.",
        "generated": "Prepared on",
        "subject": "About you",
        "identifiers": "How we identify you",
        "items": "Information we hold",
        "category": "Information",
        "value": "Value",
        "origin": "Where it is kept",
        "disagreement": "Your statement of disagreement (correction refused)",
        "collected": "Collected from you",
        "purposes": "Used for",
        "yes": "yes",
        "no": "no",
        "confide": "our privacy records",
        "uses": "How your information is used",
        "purpose": "Purpose",
        "allowed_now": "Allowed now",
        "per_channel": "depends on the channel",
        "consents": "Your consents",
        "event": "Event",
        "date": "Date",
        "details": "Details",
        "disclosures": "To whom your information was disclosed",
        "recipient": "Recipient",
        "no_disclosures": "We have no record of disclosing your information to another "
        "organization.",
        "may_have": "Organizations your information may have been disclosed to",
        "possible_intro": "Where we cannot name the recipient precisely, these are the "
        "organizations, or kinds of organizations, that may have received your information.",
        "withheld": "Information withheld",
        "withheld_intro": "Some information was not included. Each withholding and its reason is "
        "listed below.",
        "reason": "Reason",
        "whole": "entire value",
        "part": "part of the value",
        "incomplete": "This file is incomplete",
        "incomplete_intro": "The following systems could not be reached when this file was "
        "prepared. We will send you what they hold as soon as they can be read.",
        "system": "System",
        "recourse": "If you disagree with the withholding of any information, or with this "
        "answer, you may complain to the {authority}.",
        "authority_federal": "Office of the Privacy Commissioner of Canada (www.priv.gc.ca)",
        "authority_qc": "Commission d'accès à l'information du Québec (www.cai.gouv.qc.ca)",
        "none": "None.",
    },
    "fr": {
        "title_access": "Vos renseignements personnels",
        "title_portability": "Vos renseignements personnels, dans un format portable",
        "intro_access": "Voici les renseignements personnels que nous détenons sur vous, où ils "
        "sont conservés, comment ils sont utilisés, vos consentements et à qui ils ont été "
        "communiqués.",
        "intro_portability": "Voici les renseignements personnels que vous nous avez fournis, dans "
        "un format structuré et couramment utilisé. Les renseignements que nous avons inférés ou "
        "dérivés n'en font pas partie.",
        "generated": "Préparé le",
        "subject": "À votre sujet",
        "identifiers": "Comment nous vous identifions",
        "items": "Renseignements que nous détenons",
        "category": "Renseignement",
        "value": "Valeur",
        "origin": "Où il est conservé",
        "disagreement": "Votre déclaration de désaccord (rectification refusée)",
        "collected": "Recueilli auprès de vous",
        "purposes": "Utilisé pour",
        "yes": "oui",
        "no": "non",
        "confide": "nos registres de protection des renseignements",
        "uses": "Comment vos renseignements sont utilisés",
        "purpose": "Fin",
        "allowed_now": "Permis actuellement",
        "per_channel": "selon le canal",
        "consents": "Vos consentements",
        "event": "Événement",
        "date": "Date",
        "details": "Détails",
        "disclosures": "À qui vos renseignements ont été communiqués",
        "recipient": "Destinataire",
        "no_disclosures": "Nous n'avons aucune trace de communication de vos renseignements à une "
        "autre organisation.",
        "may_have": "Organisations à qui vos renseignements ont pu être communiqués",
        "possible_intro": "Lorsque nous ne pouvons pas nommer précisément le destinataire, voici "
        "les organisations, ou catégories d'organisations, qui ont pu recevoir vos renseignements.",
        "withheld": "Renseignements retenus",
        "withheld_intro": "Certains renseignements n'ont pas été inclus. Chaque retenue et son "
        "motif sont indiqués ci-dessous.",
        "reason": "Motif",
        "whole": "valeur entière",
        "part": "partie de la valeur",
        "incomplete": "Ce dossier est incomplet",
        "incomplete_intro": "Les systèmes suivants n'ont pas pu être consultés lors de la "
        "préparation de ce dossier. Nous vous transmettrons ce qu'ils contiennent dès qu'ils "
        "pourront être lus.",
        "system": "Système",
        "recourse": "Si vous êtes en désaccord avec la retenue de renseignements ou avec cette "
        "réponse, vous pouvez porter plainte auprès de la {authority}.",
        "authority_federal": "Commissariat à la protection de la vie privée du Canada "
        "(www.priv.gc.ca)",
        "authority_qc": "Commission d'accès à l'information du Québec (www.cai.gouv.qc.ca)",
        "none": "Aucun.",
    },
}

CSV_COLUMNS = (
    "record_type",
    "id",
    "section",
    "category",
    "value",
    "origin",
    "column",
    "collected_from_individual",
    "purposes",
    "date",
    "reason",
    "explanation",
)


def install(container: Container) -> None:
    """Wire the access files (assembly, stored form, this renderer) into the requests.

    The bootstrap cannot reach the web layer, so the API and the CLI call this once built."""
    container.requests.use_access_files(container.access_files, AccessFile.from_json, render)


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
    ``incomplete_source``, ``consent`` and ``disclosure`` rows."""
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
    return out.getvalue()


# --- readable -------------------------------------------------------------------------------------
@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _origin(item: FileItem, labels: dict[str, str]) -> str:
    if item.origin == "statement_of_disagreement":
        return labels["disagreement"]
    return labels["confide"] if item.origin == "confide" else item.origin


def _recourse(file: AccessFile, labels: dict[str, str]) -> str:
    authority = labels["authority_qc" if file.subject.province == "QC" else "authority_federal"]
    return labels["recourse"].format(authority=authority)


def view(file: AccessFile, lang: str) -> dict[str, Any]:
    """What the readable forms show (shared by the HTML template and the PDF)."""
    labels = LABELS[lang]
    released = file.released_items()
    possible = file.disclosures.get("possible_recipients") or file.disclosures.get(
        "may_have_been_disclosed_to", []
    )
    return {
        "lang": lang,
        "labels": labels,
        "title": labels["title_portability" if file.kind == "portability" else "title_access"],
        "intro": labels["intro_portability" if file.kind == "portability" else "intro_access"],
        "file": file,
        "generated": file.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "identity": [i for i in released if i.section == "identity"],
        "items": [
            {
                "category": file.label(i.category, lang),
                "value": i.value,
                "origin": _origin(i, labels),
                "collected": labels["yes" if i.collected_from_individual else "no"],
                "purposes": ", ".join(file.label(p, lang) for p in i.purposes),
            }
            for i in released
            if i.section != "identity"
        ],
        "uses": [
            {
                "purpose": u.description or file.label(u.purpose_id, lang),
                "categories": ", ".join(file.label(c, lang) for c in u.categories),
                "allowed": (
                    labels["per_channel"]
                    if u.allowed is None
                    else labels["yes" if u.allowed else "no"]
                ),
                "explanation": u.explanation or "",
            }
            for u in file.uses
        ],
        "consents": [
            {
                "event": c.event,
                "at": c.at[:10],
                "details": ", ".join(
                    file.label(str(v), lang) if k == "purpose_id" else f"{k}: {v}"
                    for k, v in c.details.items()
                    if k != "policy_version"
                ),
            }
            for c in file.consents
        ],
        "recipients": [
            {
                "name": r.get("name", ""),
                "lines": [
                    {
                        "at": str(line.get("at", ""))[:10],
                        "categories": ", ".join(
                            file.label(c, lang) for c in line.get("categories", [])
                        ),
                        "purpose": file.label(str(line.get("purpose_id", "")), lang),
                        "basis": line.get("legal_basis", ""),
                    }
                    for line in r.get("disclosures", [])
                ],
            }
            for r in file.disclosures.get("recipients", [])
        ],
        "possible": [
            {
                "description": p.get("description", ""),
                "organizations": ", ".join(p.get("organizations", [])),
                "categories": ", ".join(file.label(c, lang) for c in p.get("categories", [])),
            }
            for p in possible
        ],
        "withheld": [
            {
                "category": (file.label(it.category, lang) if (it := file.item(r.item_id)) else ""),
                "extent": labels["whole" if r.whole_item else "part"],
                "explanation": r.explanation,
            }
            for r in file.redactions
        ],
        "incomplete": [{"source": s.source} for s in file.incomplete_sources],
        "show_recourse": bool(file.redactions or file.incomplete_sources),
        "recourse": _recourse(file, labels),
    }


def render_html(file: AccessFile, lang: str) -> str:
    return _env().get_template("access_file.html").render(**view(file, lang))


_LATIN1_SPELLINGS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def _latin1(text: object) -> str:
    s = str(text).translate(_LATIN1_SPELLINGS)
    return s.encode("latin-1", "replace").decode("latin-1")


def render_pdf(file: AccessFile, lang: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    v = view(file, lang)
    labels = v["labels"]
    pdf = FPDF(format="Letter")
    pdf.set_title(_latin1(v["title"]))
    pdf.set_lang(lang)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)

    def para(text: str) -> None:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(headers: list[str], rows: list[list[str]]) -> None:
        if not rows:
            para(labels["none"])
            return
        with pdf.table(col_widths=tuple(1 for _ in headers), text_align="LEFT", line_height=5) as t:
            pdf.set_font("Helvetica", "B", 9)
            head = t.row()
            for h in headers:
                head.cell(_latin1(h))
            pdf.set_font("Helvetica", "", 9)
            for r in rows:
                row = t.row()
                for cell in r:
                    row.cell(_latin1(cell))
        pdf.set_font("Helvetica", "", 10)

    heading(v["title"], 16)
    para(v["intro"])
    para(f"{labels['generated']}: {v['generated']}")
    if v["incomplete"]:
        heading(labels["incomplete"])
        para(labels["incomplete_intro"])
        table([labels["system"]], [[s["source"]] for s in v["incomplete"]])
    heading(labels["identifiers"])
    table(
        [labels["category"], labels["value"]],
        [[i.category, i.value] for i in v["identity"]],
    )
    heading(labels["items"])
    table(
        [labels["category"], labels["value"], labels["origin"], labels["collected"]],
        [[i["category"], i["value"], i["origin"], i["collected"]] for i in v["items"]],
    )
    if file.kind == "access":
        heading(labels["uses"])
        table(
            [labels["purpose"], labels["category"], labels["allowed_now"]],
            [[u["purpose"], u["categories"], u["allowed"]] for u in v["uses"]],
        )
        heading(labels["consents"])
        table(
            [labels["event"], labels["date"], labels["details"]],
            [[c["event"], c["at"], c["details"]] for c in v["consents"]],
        )
        heading(labels["disclosures"])
        rows = [
            [r["name"], line["at"], line["categories"], line["purpose"], line["basis"]]
            for r in v["recipients"]
            for line in r["lines"]
        ]
        if rows:
            table(
                [labels["recipient"], labels["date"], labels["category"], labels["purpose"], ""],
                rows,
            )
        else:
            para(labels["no_disclosures"])
        if v["possible"]:
            heading(labels["may_have"], 11)
            para(labels["possible_intro"])
            table(
                [labels["recipient"], labels["category"]],
                [
                    [
                        p["description"]
                        + (f" ({p['organizations']})" if p["organizations"] else ""),
                        p["categories"],
                    ]
                    for p in v["possible"]
                ],
            )
    if v["withheld"]:
        heading(labels["withheld"])
        para(labels["withheld_intro"])
        table(
            [labels["category"], labels["value"], labels["reason"]],
            [[w["category"], w["extent"], w["explanation"]] for w in v["withheld"]],
        )
    if v["show_recourse"]:
        pdf.ln(3)
        para(v["recourse"])
    return bytes(pdf.output())
