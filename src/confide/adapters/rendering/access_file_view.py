"""What an access file shows, in English or French: the labels of every readable form and
CSV column, and :func:`view`, the released content the HTML template and the PDF both draw
(only released items; each withholding with its reason, never the withheld value; the recourse
when anything is withheld or a source could not be read, ACC-6)."""

from __future__ import annotations

from typing import Any

from confide.domain.access_file import AccessFile, FileItem

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
        "disposed": "Information disposed of",
        "disposed_intro": "We held this information and disposed of it at the end of its "
        "retention period, as our privacy policy provides. It is no longer kept.",
        "disposed_on": "Disposed of on",
        "how": "How",
        "records": "Records",
        "method_delete": "Deleted",
        "method_destroy": "Destroyed",
        "method_anonymize": "Anonymized",
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
        "disposed": "Renseignements détruits",
        "disposed_intro": "Nous détenions ces renseignements et les avons détruits à la fin de "
        "leur durée de conservation, comme le prévoit notre politique de confidentialité. Ils ne "
        "sont plus conservés.",
        "disposed_on": "Détruits le",
        "how": "Comment",
        "records": "Enregistrements",
        "method_delete": "Supprimés",
        "method_destroy": "Détruits",
        "method_anonymize": "Anonymisés",
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


OFFICER_LABEL = {
    "en": "Questions about this file: our privacy officer",
    "fr": "Questions au sujet de ce dossier : notre responsable de la protection des "
    "renseignements personnels",
}


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
        "disposed": [
            {
                "category": file.label(d.category, lang),
                "how": labels.get(f"method_{d.method}", d.method),
                "on": d.disposed_on,
                "count": d.count,
            }
            for d in file.disposed
        ],
        "show_recourse": bool(file.redactions or file.incomplete_sources),
        "recourse": _recourse(file, labels),
        "officer": file.officer_line(lang),
        "officer_label": OFFICER_LABEL[lang],
    }
