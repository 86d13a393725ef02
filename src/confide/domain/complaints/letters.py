"""What the company writes to a complainant, in their language (en/fr): the acknowledgement
(the reference and the date they will hear back) and the answer (the outcome, its reasons, and
the right to complain to the Privacy Commissioner or, for a Québec resident, the Commission
d'accès à l'information, with their contact details). Both name the privacy officer's title
and contact (CMP-3). Each function returns ``(subject line, plain text)``; values are passed in.
"""

from __future__ import annotations

from confide.domain.complaints.model import Complaint, Outcome
from confide.domain.officer import Officer
from confide.domain.regulators import CAI, OPC

OUTCOMES = {
    "en": {
        Outcome.JUSTIFIED: "We found your complaint justified.",
        Outcome.PARTLY_JUSTIFIED: "We found your complaint justified in part.",
        Outcome.NOT_JUSTIFIED: "We did not find your complaint justified.",
        Outcome.WITHDRAWN: "We have recorded that you withdrew your complaint.",
    },
    "fr": {
        Outcome.JUSTIFIED: "Nous avons jugé votre plainte fondée.",
        Outcome.PARTLY_JUSTIFIED: "Nous avons jugé votre plainte fondée en partie.",
        Outcome.NOT_JUSTIFIED: "Nous n'avons pas jugé votre plainte fondée.",
        Outcome.WITHDRAWN: "Nous avons pris note du retrait de votre plainte.",
    },
}


def _lang(language: str) -> str:
    return "fr" if language == "fr" else "en"


def acknowledgement(complaint: Complaint, officer: Officer) -> tuple[str, str]:
    """Sent when the complaint is recorded (CMP-1): its reference and when they will hear."""
    ref, due = complaint.reference, complaint.target_on.isoformat()
    if _lang(complaint.language) == "fr":
        return (
            f"Nous avons reçu votre plainte ({ref})",
            f"Nous avons reçu votre plainte et l'avons consignée sous la référence {ref}.\n"
            f"Nous vous répondrons par écrit au plus tard le {due}.\n\n"
            f"{officer.signature('fr')}\n",
        )
    return (
        f"We received your complaint ({ref})",
        f"We received your complaint and recorded it under the reference {ref}.\n"
        f"We will answer you in writing by {due}.\n\n"
        f"{officer.signature('en')}\n",
    )


def answer(complaint: Complaint, officer: Officer) -> tuple[str, str]:
    """The written answer: outcome, reasons, recourse with the regulator's contact (CMP-1)."""
    lang = _lang(complaint.language)
    assert complaint.outcome is not None, "an answer has an outcome"
    outcome = OUTCOMES[lang][complaint.outcome]
    ref, reasons = complaint.reference, complaint.answer_reasons.strip()
    if lang == "fr":
        recourse = (
            f"Si notre réponse ne vous satisfait pas, vous pouvez porter plainte auprès de "
            f"{CAI['fr']}, ou du {OPC['fr'].removeprefix('le ')}."
            if complaint.quebec
            else "Si notre réponse ne vous satisfait pas, vous pouvez porter plainte auprès du "
            f"{OPC['fr'].removeprefix('le ')}."
        )
        return (
            f"Réponse à votre plainte ({ref})",
            f"{outcome}\n\nMotifs : {reasons}\n\n{recourse}\n\n{officer.signature('fr')}\n",
        )
    recourse = (
        f"If our answer does not satisfy you, you may complain to {CAI['en']}, or to {OPC['en']}."
        if complaint.quebec
        else f"If our answer does not satisfy you, you may complain to {OPC['en']}."
    )
    return (
        f"Answer to your complaint ({ref})",
        f"{outcome}\n\nReasons: {reasons}\n\n{recourse}\n\n{officer.signature('en')}\n",
    )
