"""The certificate of disposal (RET-2) as JSON (what an auditor's tools read) and as PDF in
English or French (what a privacy officer hands an auditor), drawn with fpdf2's built-in
Helvetica and Courier (Latin-1: French accents print as they are)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from confide.domain.retention.certificate import Certificate, IssuedCertificate

ENTRY_ACTION = "retention.certificate_issued"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Certificate of disposal",
        "intro": "This certificate records personal information disposed of at the end of its "
        "retention period, as the privacy policy in force provides.",
        "run": "Disposal run",
        "summary": "Summary",
        "total": "Records disposed of",
        "as_of": "Due on",
        "started": "Started",
        "finished": "Finished",
        "issued": "Issued",
        "policy": "Policy version",
        "approval": "Approval",
        "planned_by": "Planned by",
        "approved_by": "Approved by",
        "approval_officer": "approved by the privacy officer",
        "approval_schedule": "approved by the schedule the privacy officer set",
        "rules": "Retention rules applied",
        "category": "Category",
        "counted_from": "Counted from",
        "minimum": "Minimum (days)",
        "maximum": "Maximum (days)",
        "method": "Method",
        "what": "What was disposed of",
        "system": "System",
        "count": "Records",
        "sources": "Connected sources",
        "source": "Source",
        "table": "Table or file",
        "rows": "Rows",
        "done_by": "Done by",
        "done_by_run": "this run",
        "done_by_owner": "the source's owner, confirmed by {who}",
        "owner_pending": "the source's owner (not yet confirmed)",
        "held": "Kept back",
        "held_intro": "Records that were due but are kept, and why:",
        "reason": "Reason",
        "anonymity": "Anonymization",
        "anonymity_intro": "Anonymized records are kept in groups sharing their generalized "
        "attributes; groups too small were deleted instead.",
        "k": "Smallest group (k)",
        "l": "Fewest distinct values in a group (l)",
        "suppressed": "Records deleted instead",
        "integrity": "Integrity",
        "records_sha256": "SHA-256 of the list of record ids",
        "digest": "SHA-256 of this certificate",
        "entry": "Audit log entry",
        "verify": "To verify: entry {seq} of the audit log holds this certificate's digest. "
        "The command 'confide retention certificate {run} --proof' gives the entry's inclusion "
        "proof, which 'python -m confide.verifier' checks against a signed checkpoint; "
        "'confide retention certificate {run} --ids' gives the list of record ids, whose SHA-256 "
        "(sorted, one per line) is the one above.",
        "none": "None.",
        "delete": "Deleted",
        "destroy": "Destroyed",
        "anonymize": "Anonymized",
        "collection": "collection",
        "end_of_service": "end of service",
        "last_activity": "last activity",
        "end_of_legal_obligation": "end of the legal obligation",
        "legal_hold": "Legal hold",
        "open_request": "Open access or correction request",
        "dispose": "this run",
        "task": "the source's owner",
    },
    "fr": {
        "title": "Certificat de destruction",
        "intro": "Ce certificat atteste la destruction de renseignements personnels à la fin de "
        "leur durée de conservation, comme le prévoit la politique de confidentialité en vigueur.",
        "run": "Opération de destruction",
        "summary": "Résumé",
        "total": "Enregistrements détruits",
        "as_of": "Échéance",
        "started": "Début",
        "finished": "Fin",
        "issued": "Délivré le",
        "policy": "Version de la politique",
        "approval": "Approbation",
        "planned_by": "Planifiée par",
        "approved_by": "Approuvée par",
        "approval_officer": "approuvée par le responsable de la protection des renseignements "
        "personnels",
        "approval_schedule": "approuvée par le calendrier fixé par le responsable de la "
        "protection des renseignements personnels",
        "rules": "Règles de conservation appliquées",
        "category": "Catégorie",
        "counted_from": "À compter de",
        "minimum": "Minimum (jours)",
        "maximum": "Maximum (jours)",
        "method": "Méthode",
        "what": "Ce qui a été détruit",
        "system": "Système",
        "count": "Enregistrements",
        "sources": "Sources connectées",
        "source": "Source",
        "table": "Table ou fichier",
        "rows": "Lignes",
        "done_by": "Fait par",
        "done_by_run": "cette opération",
        "done_by_owner": "le responsable de la source, confirmé par {who}",
        "owner_pending": "le responsable de la source (pas encore confirmé)",
        "held": "Renseignements conservés",
        "held_intro": "Enregistrements arrivés à échéance mais conservés, et pourquoi :",
        "reason": "Motif",
        "anonymity": "Anonymisation",
        "anonymity_intro": "Les enregistrements anonymisés sont conservés en groupes partageant "
        "les mêmes attributs généralisés; les groupes trop petits ont plutôt été supprimés.",
        "k": "Plus petit groupe (k)",
        "l": "Moins de valeurs distinctes dans un groupe (l)",
        "suppressed": "Enregistrements supprimés plutôt",
        "integrity": "Intégrité",
        "records_sha256": "SHA-256 de la liste des identifiants d'enregistrement",
        "digest": "SHA-256 de ce certificat",
        "entry": "Entrée du journal d'audit",
        "verify": "Pour vérifier : l'entrée {seq} du journal d'audit contient l'empreinte de ce "
        "certificat. La commande « confide retention certificate {run} --proof » donne la preuve "
        "d'inclusion "
        "de l'entrée, que « python -m confide.verifier » vérifie par rapport à un point de contrôle "
        "signé; « confide retention certificate {run} --ids » donne la liste des identifiants "
        "d'enregistrement, dont le SHA-256 (triés, un par ligne) est celui ci-dessus.",
        "none": "Aucun.",
        "delete": "Supprimés",
        "destroy": "Détruits",
        "anonymize": "Anonymisés",
        "collection": "la collecte",
        "end_of_service": "la fin du service",
        "last_activity": "la dernière activité",
        "end_of_legal_obligation": "la fin de l'obligation légale",
        "legal_hold": "Mise sous garde juridique",
        "open_request": "Demande d'accès ou de rectification en cours",
        "dispose": "cette opération",
        "task": "le responsable de la source",
    },
}

_LATIN1 = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    | {"\u0153": "oe", "\u0152": "OE", "\u00a0": " ", "\u202f": " ", "\u2026": "..."}
)


def _latin1(text: object) -> str:
    return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _humanize(ident: str) -> str:
    return ident.replace("_", " ").capitalize()


def certificate_json(issued: IssuedCertificate) -> bytes:
    """The certificate's body, where the audit log holds it, and how to check it."""
    cert = issued.certificate
    body: dict[str, Any] = cert.body()
    body["audit"] = {"seq": issued.audit_seq, "digest": issued.digest, "entry_action": ENTRY_ACTION}
    body["how_to_verify"] = {
        "digest": "SHA-256 of the certificate without 'audit' and 'how_to_verify', as canonical "
        "JSON (sorted keys, no spaces)",
        "proof": f"confide retention certificate {cert.run_id} --proof",
        "verifier": "python -m confide.verifier",
        "record_ids": f"confide retention certificate {cert.run_id} --ids",
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def certificate_pdf(
    issued: IssuedCertificate,
    lang: str,
    categories: Mapping[str, str] | None = None,
    people: Mapping[str, str] | None = None,
) -> bytes:
    """The certificate for a person to read, in ``lang`` (en or fr). ``categories`` gives the
    policy's names of the categories in that language (a category without one is spelled out
    from its id); ``people`` the staff usernames of the ids it names (shown with the id, which
    is what the certificate records)."""
    if lang not in WORDS:
        raise ValueError("lang: must be en or fr")
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    w = WORDS[lang]
    cert: Certificate = issued.certificate
    names = dict(categories or {})

    def category(ident: str) -> str:
        return names.get(ident) or _humanize(ident)

    pdf = FPDF(format="Letter")
    pdf.set_title(_latin1(f"{w['title']} {cert.run_id}"))
    pdf.set_lang(lang)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 12) -> None:
        if pdf.will_page_break(30):  # never a heading alone at the foot of a page
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)

    def para(text: str) -> None:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(rows: list[tuple[str, str]]) -> None:
        for label, value in rows:
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(width * 0.32, 5, _latin1(label))
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(
                width * 0.68, 5, _latin1(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    def table(headers: list[str], rows: list[list[str]]) -> None:
        if not rows:
            para(w["none"])
            return
        with pdf.table(text_align="LEFT", line_height=5) as t:
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

    def mono(label: str, value: str) -> None:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width, 5, _latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Courier", "", 9)
        pdf.multi_cell(width, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)

    def person(ident: str) -> str:
        name = (people or {}).get(ident)
        return f"{name} ({ident})" if name else ident

    def when(iso: str) -> str:
        return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso

    heading(w["title"], 18)
    para(w["intro"])
    heading(w["summary"])
    pairs(
        [
            (w["run"], cert.run_id),
            (w["total"], f"{cert.total:,}".replace(",", " " if lang == "fr" else ",")),
            (w["as_of"], cert.as_of),
            (w["started"], when(cert.started_at)),
            (w["finished"], when(cert.finished_at)),
            (w["issued"], when(cert.issued_at)),
            (w["policy"], cert.policy_version),
        ]
    )
    heading(w["approval"])
    pairs(
        [
            (w["planned_by"], f"{person(cert.planned_by)}, {when(cert.planned_at)}"),
            (
                w["approved_by"],
                f"{person(cert.approved_by)}, {when(cert.approved_at)}, "
                + w["approval_schedule" if cert.approval == "schedule" else "approval_officer"],
            ),
        ]
    )
    heading(w["rules"])
    table(
        [w["category"], w["counted_from"], w["minimum"], w["maximum"], w["method"]],
        [
            [
                category(r.category),
                w.get(r.counted_from, _humanize(r.counted_from)),
                str(r.min_days),
                str(r.max_days),
                w.get(r.method, _humanize(r.method)),
            ]
            for r in cert.rules
        ],
    )
    heading(w["what"])
    table(
        [w["category"], w["system"], w["method"], w["count"]],
        [
            [category(x.category), x.system, w.get(x.method, _humanize(x.method)), str(x.count)]
            for x in cert.lines
        ],
    )
    if cert.sources:
        heading(w["sources"])
        table(
            [w["source"], w["table"], w["category"], w["method"], w["rows"], w["done_by"]],
            [
                [
                    s.source,
                    s.table,
                    category(s.category),
                    w.get(s.method, _humanize(s.method)),
                    str(s.rows),
                    w["done_by_run"]
                    if s.kind == "dispose"
                    else (
                        w["done_by_owner"].format(who=s.closed_by)
                        if s.closed_by
                        else w["owner_pending"]
                    ),
                ]
                for s in cert.sources
            ],
        )
    heading(w["held"])
    if cert.held:
        para(w["held_intro"])
        table(
            [w["reason"], w["count"]],
            [[w.get(reason, _humanize(reason)), str(n)] for reason, n in sorted(cert.held.items())],
        )
    else:
        para(w["none"])
    if cert.anonymity:
        heading(w["anonymity"])
        para(w["anonymity_intro"])
        table(
            [w["category"], w["k"], w["l"], w["suppressed"]],
            [
                [category(c), str(a.get("k", "")), str(a.get("l", "")), str(a.get("suppressed", 0))]
                for c, a in sorted(cert.anonymity.items())
            ],
        )
    heading(w["integrity"])
    mono(w["records_sha256"], cert.records_sha256)
    mono(w["digest"], issued.digest)
    pairs([(w["entry"], str(issued.audit_seq))])
    pdf.ln(2)
    para(w["verify"].format(seq=issued.audit_seq, run=cert.run_id))
    return bytes(pdf.output())
