"""What the reports to the regulators and the notices to people say (BRE-3), in English and
French, as ``(heading, text)`` sections: the adapters lay them out as JSON or PDF, the outbox
sends the notices as mail or letters.

* The report to the Privacy Commissioner lists what SOR/2018-64 s. 2(1) requires: the
  circumstances and cause, the day or period, the information involved, the number of people,
  the steps taken to reduce harm, the steps taken to notify them, and a contact.
* The notice to the Commission d'accès à l'information lists what Québec's Regulation
  respecting confidentiality incidents s. 3 requires (adding when the company became aware,
  the number of Québec people, and the elements of the risk assessment).
* A notice to a person lists what SOR/2018-64 s. 3 and the Québec regulation s. 5 require: what
  happened and when, the information involved, what the company did, what the person can do,
  whom to contact, and the right to complain.

A section whose content is missing is listed by :func:`missing_sections`; a report is not
recorded as sent, and no notice composed, while one is.

Pure: values are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from confide.domain.breaches.model import Assessment, Incident, Notice, NoticeKind
from confide.domain.regulators import CAI, OPC

HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "organization": "Organization",
        "contact": "Person to contact",
        "circumstances": "Circumstances of the breach",
        "cause": "Cause",
        "occurrence": "When it happened",
        "aware_on": "When we became aware of it",
        "information": "Personal information involved",
        "systems": "Systems involved",
        "affected": "Number of people affected",
        "affected_quebec": "Of whom in Québec",
        "assessment": "Assessment of the risk of harm",
        "ill_intentioned_uses": "Possible ill-intentioned uses",
        "consequences": "Anticipated consequences",
        "measures": "Steps taken to reduce the risk of harm",
        "notification": "Steps taken to notify the people affected",
        "organizations": "Organizations notified",
        "what_happened": "What happened",
        "what_we_did": "What we have done",
        "what_you_can_do": "What you can do",
        "complaint": "Your right to complain",
        "reference": "Reference",
    },
    "fr": {
        "organization": "Organisation",
        "contact": "Personne à joindre",
        "circumstances": "Circonstances de l'incident",
        "cause": "Cause",
        "occurrence": "Moment de l'incident",
        "aware_on": "Date à laquelle nous en avons pris connaissance",
        "information": "Renseignements personnels visés",
        "systems": "Systèmes visés",
        "affected": "Nombre de personnes concernées",
        "affected_quebec": "Dont au Québec",
        "assessment": "Évaluation du risque de préjudice",
        "ill_intentioned_uses": "Utilisations malveillantes possibles",
        "consequences": "Conséquences appréhendées",
        "measures": "Mesures prises pour diminuer le risque de préjudice",
        "notification": "Mesures prises pour aviser les personnes concernées",
        "organizations": "Organismes avisés",
        "what_happened": "Ce qui s'est passé",
        "what_we_did": "Ce que nous avons fait",
        "what_you_can_do": "Ce que vous pouvez faire",
        "complaint": "Votre droit de porter plainte",
        "reference": "Référence",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "about": "approximately",
        "from_to": "from {start} to {end}",
        "on": "on {day}",
        "around": "around {day}",
        "people": "{n} people",
        "people_about": "about {n} people",
        "risk_yes": "Real risk of significant harm: yes.",
        "risk_no": "Real risk of significant harm: no.",
        "serious_yes": "Risk of serious injury: yes.",
        "serious_no": "Risk of serious injury: no.",
        "sensitivity": "Sensitivity of the information: {level}.",
        "probability": "Probability of misuse: {level}.",
        "likelihood": "Likelihood of the consequences: {level}.",
        "low": "low",
        "medium": "medium",
        "high": "high",
        "direct": "Each person is notified directly by email or letter ({n} notices).",
        "direct_planned": "Each person will be notified directly by email or letter.",
        "public": "Public notice ({party}), because: {reason}",
        "reason.further_harm": "direct notification would be likely to cause further harm",
        "reason.undue_hardship": "direct notification would cause undue hardship",
        "reason.no_contact": "we do not have contact information for the people affected",
        "target": "planned by {day}",
        "sent": "sent on {day}",
        "notice_title": "Important notice about your personal information ({ref})",
        "notice_intro": "We are writing to tell you about an incident involving personal "
        "information about you that we hold.",
        "complaint_text": "You may make a complaint to us: {internal} You also have the right "
        "to complain to {regulator}.",
        "complaint_text_qc": "You may make a complaint to us: {internal} You also have the "
        "right to complain to {cai}, or to {opc}.",
        "unknown_information": "The information cannot be described precisely: {why}",
    },
    "fr": {
        "about": "approximativement",
        "from_to": "du {start} au {end}",
        "on": "le {day}",
        "around": "vers le {day}",
        "people": "{n} personnes",
        "people_about": "environ {n} personnes",
        "risk_yes": "Risque réel de préjudice grave : oui.",
        "risk_no": "Risque réel de préjudice grave : non.",
        "serious_yes": "Risque de préjudice sérieux : oui.",
        "serious_no": "Risque de préjudice sérieux : non.",
        "sensitivity": "Sensibilité des renseignements : {level}.",
        "probability": "Probabilité d'une utilisation abusive : {level}.",
        "likelihood": "Probabilité des conséquences : {level}.",
        "low": "faible",
        "medium": "moyenne",
        "high": "élevée",
        "direct": "Chaque personne est avisée directement par courriel ou par lettre ({n} avis).",
        "direct_planned": "Chaque personne sera avisée directement par courriel ou par lettre.",
        "public": "Avis public ({party}), parce que : {reason}",
        "reason.further_harm": "un avis direct risquerait de causer un préjudice accru",
        "reason.undue_hardship": "un avis direct causerait une contrainte excessive",
        "reason.no_contact": "nous n'avons pas les coordonnées des personnes concernées",
        "target": "prévu au plus tard le {day}",
        "sent": "envoyé le {day}",
        "notice_title": "Avis au sujet de vos renseignements personnels ({ref})",
        "notice_intro": "Nous vous écrivons pour vous informer d'un incident de "
        "confidentialité touchant des renseignements personnels vous concernant que nous "
        "détenons.",
        "complaint_text": "Vous pouvez nous adresser une plainte : {internal} Vous avez aussi le "
        "droit de porter plainte auprès du {regulator}.",
        "complaint_text_qc": "Vous pouvez nous adresser une plainte : {internal} Vous avez aussi "
        "le droit de porter plainte auprès de {cai}, ou du {opc}.",
        "unknown_information": "Les renseignements ne peuvent pas être décrits précisément : {why}",
    },
}

REQUIRED: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.OPC_REPORT: (
        "organization",
        "contact",
        "circumstances",
        "occurrence",
        "information",
        "affected",
        "measures",
        "notification",
    ),
    NoticeKind.CAI_NOTICE: (
        "organization",
        "contact",
        "circumstances",
        "occurrence",
        "aware_on",
        "information",
        "affected",
        "affected_quebec",
        "assessment",
        "measures",
        "notification",
    ),
    NoticeKind.INDIVIDUALS: (
        "what_happened",
        "occurrence",
        "information",
        "what_we_did",
        "what_you_can_do",
        "contact",
        "complaint",
    ),
}
"""The sections each regulation requires (a missing one stops the report or the notices)."""


@dataclass(frozen=True)
class Facts:
    """What a report or notice is assembled from."""

    incident: Incident
    organization: str
    contact: str
    """The privacy officer's name, title, email and telephone, in one line."""
    category_names: Mapping[str, str]
    """The policy's names of the categories, in the document's language."""
    affected: int
    affected_quebec: int
    assessment: Assessment | None
    notices: Sequence[Notice]
    complaint_contact: str = ""
    """The company's own complaint path (the policy's words)."""


def _lang(language: str) -> str:
    return "fr" if language == "fr" else "en"


def occurrence_text(incident: Incident, lang: str) -> str:
    """``on 2026-05-01``, ``around 2026-05-01``, ``from 2026-05-01 to 2026-05-09`` (or
    ``approximately from ...``), in ``lang``."""
    w = WORDS[_lang(lang)]
    occ = incident.occurrence
    if occ.started_on is None:
        return ""
    start = occ.started_on.isoformat()
    if occ.ended_on is not None and occ.ended_on != occ.started_on:
        text = w["from_to"].format(start=start, end=occ.ended_on.isoformat())
        return f"{w['about']} {text}" if occ.approximate else text
    return w["around" if occ.approximate else "on"].format(day=start)


def information_text(facts: Facts, lang: str) -> str:
    names = [facts.category_names.get(c, c.replace("_", " ")) for c in facts.incident.categories]
    parts = ["; ".join(names)] if names else []
    if facts.incident.unknown_information.strip():
        why = facts.incident.unknown_information.strip()
        parts.append(WORDS[_lang(lang)]["unknown_information"].format(why=why))
    return " ".join(parts)


def affected_text(facts: Facts, lang: str) -> str:
    w = WORDS[_lang(lang)]
    inc = facts.incident
    if facts.affected:
        return w["people"].format(n=facts.affected)
    if inc.affected_estimate is None:
        return ""
    key = "people_about" if inc.affected_approximate else "people"
    return w[key].format(n=inc.affected_estimate)


def notification_text(facts: Facts, lang: str) -> str:
    w = WORDS[_lang(lang)]
    lines: list[str] = []
    for n in facts.notices:
        if n.kind is NoticeKind.INDIVIDUALS:
            lines.append(w["direct"].format(n=n.count) if n.sent_on else w["direct_planned"])
        elif n.kind is NoticeKind.PUBLIC and n.reason is not None:
            lines.append(w["public"].format(party=n.party, reason=w[f"reason.{n.reason.value}"]))
        else:
            continue
        if n.sent_on:
            lines[-1] += " (" + w["sent"].format(day=n.sent_on.isoformat()) + ")"
        elif n.target_on:
            lines[-1] += " (" + w["target"].format(day=n.target_on.isoformat()) + ")"
    if not lines and facts.assessment is not None and facts.assessment.notices_owed:
        lines.append(w["direct_planned"])  # the steps it "intends to take" (s. 2(1)(f))
    return "\n".join(lines)


def organizations_text(facts: Facts, lang: str) -> str:
    w = WORDS[_lang(lang)]
    return "\n".join(
        f"{n.party}: " + w["sent"].format(day=n.sent_on.isoformat())
        for n in facts.notices
        if n.kind is NoticeKind.ORGANIZATION and n.sent_on is not None
    )


def assessment_text(assessment: Assessment | None, lang: str, quebec: bool) -> str:
    if assessment is None:
        return ""
    w = WORDS[_lang(lang)]
    lines = [
        w["sensitivity"].format(level=w[assessment.sensitivity.value]),
        w["probability"].format(level=w[assessment.probability.value]),
        w["risk_yes"] if assessment.real_risk else w["risk_no"],
    ]
    if quebec and assessment.serious_injury is not None:
        if assessment.likelihood is not None:
            lines.append(w["likelihood"].format(level=w[assessment.likelihood.value]))
        lines.append(w["serious_yes"] if assessment.serious_injury else w["serious_no"])
    return "\n".join(lines)


def report_sections(kind: NoticeKind, facts: Facts, lang: str) -> list[tuple[str, str]]:
    """The sections of the report to a regulator (``opc_report`` or ``cai_notice``), as
    (section id, text); headings come from :data:`HEADINGS`."""
    inc = facts.incident
    quebec = kind is NoticeKind.CAI_NOTICE
    sections = [
        ("reference", inc.reference),
        ("organization", facts.organization),
        ("contact", facts.contact),
        ("circumstances", inc.circumstances.strip()),
        ("cause", inc.cause.strip()),
        ("occurrence", occurrence_text(inc, lang)),
        ("aware_on", inc.aware_on.isoformat()),
        ("information", information_text(facts, lang)),
        ("systems", ", ".join(inc.systems)),
        ("affected", affected_text(facts, lang)),
    ]
    if quebec:
        sections.append(("affected_quebec", str(facts.affected_quebec) if facts.affected else ""))
    sections.append(("assessment", assessment_text(facts.assessment, lang, quebec)))
    if quebec and facts.assessment is not None:
        sections.append(("ill_intentioned_uses", facts.assessment.ill_intentioned_uses))
        sections.append(("consequences", facts.assessment.consequences))
    sections += [
        ("measures", inc.measures.strip()),
        ("notification", notification_text(facts, lang)),
        ("organizations", organizations_text(facts, lang)),
    ]
    return sections


def notice_sections(facts: Facts, lang: str, quebec: bool) -> list[tuple[str, str]]:
    """The sections of the notice to one affected person."""
    inc = facts.incident
    w = WORDS[_lang(lang)]
    if quebec:
        complaint = w["complaint_text_qc"].format(
            internal=facts.complaint_contact, cai=CAI[_lang(lang)], opc=OPC[_lang(lang)]
        )
    else:
        regulator = OPC[_lang(lang)]
        if _lang(lang) == "fr":
            regulator = regulator.removeprefix("le ")
        complaint = w["complaint_text"].format(
            internal=facts.complaint_contact, regulator=regulator
        )
    return [
        ("what_happened", inc.circumstances.strip()),
        ("occurrence", occurrence_text(inc, lang)),
        ("information", information_text(facts, lang)),
        ("what_we_did", inc.measures.strip()),
        ("what_you_can_do", inc.individual_steps.strip()),
        ("contact", facts.contact),
        ("complaint", complaint),
        ("reference", inc.reference),
    ]


def missing_sections(kind: NoticeKind, sections: Sequence[tuple[str, str]]) -> list[str]:
    """The sections ``kind`` requires that are empty."""
    have = {key for key, text in sections if text.strip()}
    return [key for key in REQUIRED.get(kind, ()) if key not in have]


def notice_mail(facts: Facts, lang: str, quebec: bool) -> tuple[str, str]:
    """The notice to one person as a subject line and plain text."""
    lang = _lang(lang)
    w, h = WORDS[lang], HEADINGS[lang]
    body = [w["notice_intro"], ""]
    for key, text in notice_sections(facts, lang, quebec):
        if text:
            body += [h[key], text, ""]
    return w["notice_title"].format(ref=facts.incident.reference), "\n".join(body).rstrip() + "\n"


KIND_NAMES = {
    NoticeKind.OPC_REPORT: "the report to the Privacy Commissioner",
    NoticeKind.CAI_NOTICE: "the notice to the Commission d'accès à l'information",
    NoticeKind.INDIVIDUALS: "the notices to the people affected",
    NoticeKind.PUBLIC: "the public notice",
    NoticeKind.ORGANIZATION: "the notification of {party}",
}


def late_mail(incident: Incident, notice: Notice) -> tuple[str, str]:
    """The privacy officer's reminder of a report or notice past its target date (BRE-3)."""
    what = KIND_NAMES[notice.kind].format(party=notice.party)
    due = notice.target_on.isoformat() if notice.target_on else ""
    return (
        f"Late: {what} for incident {incident.reference}",
        f"Incident {incident.reference} ({incident.title}): {what} was to be sent by {due} "
        "and is not recorded as sent.\n\nThe law asks for it as soon as feasible. Send it, or "
        "set a new target date, on the incident's page in the console.\n",
    )
