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
        "approval_officer": "the privacy officer ({who})",
        "approval_schedule": "the schedule the privacy officer ({who}) set",
        "the_schedule": "the schedule",
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
        "verify": "To verify: the first command below shows entry {seq} of the audit log, which "
        "names this run and holds this certificate's digest, and its leaf hash. The second gives "
        "the entry's inclusion proof in a signed checkpoint (its leaf hash is the same), and the "
        "third checks that proof with the log's public key, which 'confide audit public-key' "
        "gives. The fourth gives the list of record ids: their SHA-256, sorted and one per line, "
        "is the one above.",
        "key": "KEY",
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
        "page": "page {n} of {total}",
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
        "approval_officer": "le responsable de la protection des renseignements personnels ({who})",
        "approval_schedule": "le calendrier fixé par le responsable de la protection des "
        "renseignements personnels ({who})",
        "the_schedule": "le calendrier",
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
        "verify": "Pour vérifier : la première commande ci-dessous affiche l'entrée {seq} du "
        "journal d'audit, qui nomme cette opération et contient l'empreinte de ce certificat, "
        "ainsi que son empreinte de feuille. La deuxième donne la preuve d'inclusion de l'entrée "
        "dans un point de contrôle signé (avec la même empreinte de feuille), et la troisième "
        "vérifie cette preuve avec la clé publique du journal, que donne « confide audit "
        "public-key ». La quatrième donne la liste des identifiants d'enregistrement : leur "
        "SHA-256, triés et un par ligne, est celui ci-dessus.",
        "key": "CLE",
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
        "page": "page {n} de {total}",
    },
}


def _humanize(ident: str) -> str:
    return ident.replace("_", " ").capitalize()


SCHEDULE_ACTOR = "schedule"
"""Who plans a run the schedule makes; its approver is ``schedule:<the officer who set it>``."""


def verification_commands(issued: IssuedCertificate, key: str = "KEY") -> tuple[str, ...]:
    """The commands an auditor runs, in order: the audit entry, its inclusion proof, the
    proof checked by the standalone verifier, the list of record ids."""
    run = issued.certificate.run_id
    return (
        f"confide audit show {issued.audit_seq}",
        f"confide retention certificate {run} --proof > proof.json",
        f"python -m confide.verifier proof.json --proof --key {key}",
        f"confide retention certificate {run} --ids",
    )


def certificate_json(issued: IssuedCertificate) -> bytes:
    """The certificate's body, where the audit log holds it, and how to check it."""
    cert = issued.certificate
    body: dict[str, Any] = cert.body()
    body["audit"] = {"seq": issued.audit_seq, "digest": issued.digest, "entry_action": ENTRY_ACTION}
    entry, proof, verifier, record_ids = verification_commands(issued)
    body["how_to_verify"] = {
        "digest": "SHA-256 of the certificate without 'audit' and 'how_to_verify', as canonical "
        "JSON (sorted keys, no spaces)",
        "entry": entry,
        "proof": proof,
        "verifier": verifier,
        "public_key": "confide audit public-key",
        "record_ids": record_ids,
        "records_sha256": "SHA-256 of the record ids, sorted, each followed by a newline",
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _number(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", " " if lang == "fr" else ",")


def _when(iso: str) -> str:
    """``2026-12-05T14:03:27+00:00`` as ``2026-12-05 14:03 UTC`` (the service keeps UTC)."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso


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
    # fpdf2 is imported when a PDF is asked for, not when the service starts.
    from fpdf.enums import XPos, YPos

    from confide.adapters.rendering.pdf import Document

    w = WORDS[lang]
    cert: Certificate = issued.certificate
    names = dict(categories or {})

    def category(ident: str) -> str:
        return names.get(ident) or _humanize(ident)

    def word(code: str) -> str:
        return w.get(code) or _humanize(code)

    def number(n: int) -> str:
        return _number(n, lang)

    doc = Document(f"{w['title']} {cert.run_id}", lang)
    heading, para, pairs, mono = doc.heading, doc.para, doc.pairs, doc.mono

    def table(columns: list[tuple[str, float, str]], rows: list[list[str]]) -> None:
        """``columns``: heading, relative width, alignment (L, or R for numbers)."""
        if rows:
            doc.table_of(columns, rows)
        else:
            para(w["none"])

    def person(ident: str) -> str:
        name = (people or {}).get(ident)
        return f"{name} ({ident})" if name else ident

    def planner(who: str) -> str:
        return w["the_schedule"] if who == SCHEDULE_ACTOR else person(who)

    def approver() -> str:
        who = cert.approved_by
        if cert.approval == "schedule":
            officer = who.removeprefix(f"{SCHEDULE_ACTOR}:")
            return w["approval_schedule"].format(who=person(officer))
        return w["approval_officer"].format(who=person(who))

    heading(w["title"], 18)
    para(w["intro"])
    heading(w["summary"])
    pairs(
        [
            (w["run"], cert.run_id),
            (w["total"], number(cert.total)),
            (w["as_of"], cert.as_of),
            (w["started"], _when(cert.started_at)),
            (w["finished"], _when(cert.finished_at)),
            (w["issued"], _when(cert.issued_at)),
            (w["policy"], cert.policy_version),
        ]
    )
    heading(w["approval"])
    pairs(
        [
            (w["planned_by"], f"{planner(cert.planned_by)}, {_when(cert.planned_at)}"),
            (w["approved_by"], f"{approver()}, {_when(cert.approved_at)}"),
        ]
    )
    heading(w["rules"])
    table(
        [
            (w["category"], 28, "L"),
            (w["counted_from"], 28, "L"),
            (w["minimum"], 16, "R"),
            (w["maximum"], 16, "R"),
            (w["method"], 16, "L"),
        ],
        [
            [
                category(r.category),
                word(r.counted_from),
                number(r.min_days),
                number(r.max_days),
                word(r.method),
            ]
            for r in cert.rules
        ],
    )
    heading(w["what"])
    table(
        [
            (w["category"], 30, "L"),
            (w["system"], 38, "L"),
            (w["method"], 16, "L"),
            (w["count"], 18, "R"),
        ],
        [[category(x.category), x.system, word(x.method), number(x.count)] for x in cert.lines],
    )
    if cert.sources:
        heading(w["sources"])
        table(
            [
                (w["source"], 17, "L"),
                (w["table"], 22, "L"),
                (w["category"], 16, "L"),
                (w["method"], 12, "L"),
                (w["rows"], 9, "R"),
                (w["done_by"], 30, "L"),
            ],
            [
                [
                    s.source,
                    s.table,
                    category(s.category),
                    word(s.method),
                    number(s.rows),
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
            [(w["reason"], 75, "L"), (w["count"], 25, "R")],
            [[word(reason), number(n)] for reason, n in sorted(cert.held.items())],
        )
    else:
        para(w["none"])
    if cert.anonymity:
        heading(w["anonymity"])
        para(w["anonymity_intro"])
        table(
            [
                (w["category"], 25, "L"),
                (w["k"], 22, "R"),
                (w["l"], 31, "R"),
                (w["suppressed"], 22, "R"),
            ],
            [
                [
                    category(c),
                    str(a.get("k", "")),
                    str(a.get("l", "")),
                    number(a.get("suppressed", 0)),
                ]
                for c, a in sorted(cert.anonymity.items())
            ],
        )
    heading(w["integrity"])
    mono(w["records_sha256"], cert.records_sha256)
    mono(w["digest"], issued.digest)
    pairs([(w["entry"], str(issued.audit_seq))])
    doc.ln(2)
    para(w["verify"].format(seq=issued.audit_seq))
    doc.ln(1)
    doc.set_font("Courier", "", 8.5)
    for command in verification_commands(issued, w["key"]):
        doc.multi_cell(doc.width, 4.5, command, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return doc.bytes()
