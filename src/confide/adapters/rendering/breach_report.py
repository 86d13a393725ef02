"""The breach register's documents (BRE-1, BRE-3): a report to a regulator or the notice to
people as JSON and PDF in English or French, and the register for a regulator as CSV
(:func:`~confide.adapters.rendering.csv_rows.rows_csv`), PDF and
JSON-LD in the W3C Data Privacy Vocabulary's terms (https://w3id.org/dpv).

The sections come assembled from :mod:`confide.domain.breaches.contents`; a document whose
required sections are missing says so at its top ("draft") and in its ``missing`` list."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from confide.domain.breaches.contents import HEADINGS
from confide.domain.breaches.model import Incident

TITLES = {
    "opc_report": {
        "en": "Report of a breach of security safeguards to the Office of the Privacy "
        "Commissioner of Canada",
        "fr": "Déclaration d'atteinte aux mesures de sécurité au Commissariat à la protection "
        "de la vie privée du Canada",
    },
    "cai_notice": {
        "en": "Notice of a confidentiality incident to the Commission d'accès à l'information",
        "fr": "Avis d'incident de confidentialité à la Commission d'accès à l'information",
    },
    "individuals": {
        "en": "Notice to the people affected",
        "fr": "Avis aux personnes concernées",
    },
}
DRAFT = {"en": "DRAFT - missing: {what}", "fr": "BROUILLON - manquant : {what}"}
CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "risk": "https://w3id.org/dpv/risk#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "confide": "urn:confide:vocab#",
}
# DPV 2.x's risk extension: an entry is a ``risk:Incident`` whose kind (``skos:broader``) is
# ``risk:DataBreach``, ongoing or concluded (``dpv:hasStatus``), as the DPVCG's examples model it.
STATUS = {"open": "risk:IncidentOngoing", "closed": "risk:IncidentConcluded"}


def _lang(lang: str) -> str:
    return "fr" if lang == "fr" else "en"


def report_json(
    incident: Incident,
    kind: str,
    sections: Sequence[tuple[str, str]],
    missing: Sequence[str],
    lang: str,
) -> bytes:
    lang = _lang(lang)
    heads = HEADINGS[lang]
    body = {
        "reference": incident.reference,
        "kind": kind,
        "title": TITLES[kind][lang],
        "language": lang,
        "sections": [{"id": k, "heading": heads.get(k, k), "text": t} for k, t in sections],
        "missing": list(missing),
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def report_pdf(
    incident: Incident,
    kind: str,
    sections: Sequence[tuple[str, str]],
    missing: Sequence[str],
    lang: str,
) -> bytes:
    from confide.adapters.rendering.pdf import Document  # fpdf2 when a PDF is asked for

    lang = _lang(lang)
    heads = HEADINGS[lang]
    title = TITLES[kind][lang]
    doc = Document(f"{incident.reference} - {title}", lang)
    doc.heading(title, 15)
    if missing:
        doc.boxed(DRAFT[lang].format(what=", ".join(heads.get(m, m) for m in missing)))
    for key, text in sections:
        if text.strip():
            doc.heading(heads.get(key, key), 11)
            doc.para(text)
    return doc.bytes()


_PDF_COLUMNS = 8
"""The register's first columns fit a landscape page; the rest follow under each row."""


def register_pdf(rows: Sequence[Mapping[str, str]], lang: str, title: str) -> bytes:
    from confide.adapters.rendering.pdf import Document  # fpdf2 when a PDF is asked for

    lang = _lang(lang)
    doc = Document(title, lang, landscape=True)
    doc.heading(title, 15)
    if not rows:
        doc.para("Aucun." if lang == "fr" else "None.")
        return doc.bytes()
    keys = list(rows[0])
    head, rest = keys[:_PDF_COLUMNS], keys[_PDF_COLUMNS:]
    doc.grid([(k, 1.0) for k in head], [[r[k] for k in head] for r in rows])
    for r in rows:
        doc.heading(r[keys[0]], 11)
        doc.pairs([(k, r[k] or "-") for k in rest])
    return doc.bytes()


def register_jsonld(entries: Sequence[Mapping[str, object]]) -> bytes:
    graph = []
    for e in entries:
        node: dict[str, object] = {
            "@id": f"urn:confide:incident:{e['reference']}",
            "@type": "risk:Incident",
            "skos:broader": {"@id": "risk:DataBreach"},
            "dpv:hasStatus": {"@id": STATUS.get(str(e.get("status")), STATUS["open"])},
            "dct:identifier": e["reference"],
            "dct:title": e.get("title", ""),
            "dct:created": {"@value": e.get("reported_at", ""), "@type": "xsd:dateTime"},
        }
        for key, value in e.items():
            if key not in ("reference", "title", "reported_at"):
                node[f"confide:{key}"] = value
        graph.append(node)
    body = {"@context": CONTEXT, "@graph": graph}
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")
