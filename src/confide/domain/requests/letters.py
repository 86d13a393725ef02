"""The written texts of the request process, in the subject's language (en/fr).

Each function returns ``(subject line, plain text)``; values are passed in (no clock reads).
"""

from __future__ import annotations

from datetime import date

from confide.domain.regulators import CAI, OPC
from confide.domain.requests.model import AccessRequest

INTAKE_ANSWER = {
    "en": "We received your request. If we hold information about you, we will send a code to "
    "a contact we have on file in the next few minutes, to confirm your identity.",
    "fr": "Nous avons reçu votre demande. Si nous détenons des renseignements à votre sujet, "
    "nous enverrons un code à une coordonnée à notre dossier d'ici quelques minutes, pour "
    "confirmer votre identité.",
}
"""The answer to an individual's own request, the same whether or not we know them, in the
request's language. The code, if any, is mailed by the intake job a moment later."""


def _lang(language: str) -> str:
    return "fr" if language == "fr" else "en"


def recourse(request: AccessRequest) -> str:
    """Who the individual may complain to: the CAI for Québec subjects, else the OPC (ACC-6)."""
    lang = _lang(request.language)
    return (CAI if request.is_quebec else OPC)[lang]


def code_mail(code: str, minutes: int, language: str) -> tuple[str, str]:
    if _lang(language) == "fr":
        return (
            "Votre code de vérification",
            f"Votre code de vérification est : {code}\n\n"
            f"Il est valable {minutes} minutes. Si vous n'avez pas fait de demande d'accès ou "
            "de rectification, ignorez ce message.",
        )
    return (
        "Your verification code",
        f"Your verification code is: {code}\n\n"
        f"It is valid for {minutes} minutes. If you did not make an access or correction "
        "request, ignore this message.",
    )


def extension_notice(request: AccessRequest, new_due: date, reason: str) -> tuple[str, str]:
    """The notice an extension needs (ACC-2): the new date, the reason, the right to complain."""
    if _lang(request.language) == "fr":
        return (
            f"Prolongation du délai de réponse à votre demande {request.id}",
            f"Nous avons besoin de plus de temps pour répondre à votre demande {request.id}.\n"
            f"Nouvelle date de réponse : {new_due.isoformat()}.\n"
            f"Motif : {reason}\n\n"
            f"Vous avez le droit de porter plainte au sujet de cette prolongation auprès du "
            f"{OPC['fr'].removeprefix('le ')}.",
        )
    return (
        f"Extension of the time to answer your request {request.id}",
        f"We need more time to answer your request {request.id}.\n"
        f"New response date: {new_due.isoformat()}.\n"
        f"Reason: {reason}\n\n"
        f"You have the right to complain about this extension to {OPC['en']}.",
    )


def refusal_letter(request: AccessRequest, reasons: tuple[str, ...], partial: bool) -> str:
    """A whole or partial refusal in writing, with its reasons and the recourse (ACC-6)."""
    lines = "\n".join(f"- {r}" for r in reasons)
    if _lang(request.language) == "fr":
        head = "Nous refusons en partie votre demande" if partial else "Nous refusons votre demande"
        return (
            f"{head} {request.id}, pour les motifs suivants :\n{lines}\n\n"
            f"Vous pouvez contester ce refus auprès de {recourse(request)}."
        )
    head = "We refuse part of your request" if partial else "We refuse your request"
    return (
        f"{head} {request.id}, for the following reasons:\n{lines}\n\n"
        f"You may complain about this refusal to {recourse(request)}."
    )


def refusal_mail(
    request: AccessRequest, reasons: tuple[str, ...], partial: bool
) -> tuple[str, str]:
    subject = (
        f"Réponse à votre demande {request.id}"
        if _lang(request.language) == "fr"
        else f"Answer to your request {request.id}"
    )
    return subject, refusal_letter(request, reasons, partial)


def reminder_mail(request: AccessRequest, left: int) -> tuple[str, str]:
    return (
        f"Request {request.id} is due in {left} day(s)",
        f"The {request.kind.value} request {request.id} is due on "
        f"{request.effective_due.isoformat()} ({left} day(s) left) and has no response yet "
        f"(state: {request.state.value}).",
    )


def escalation_mail(request: AccessRequest) -> tuple[str, str]:
    return (
        f"Request {request.id} is deemed refused",
        f"The {request.kind.value} request {request.id} was due on "
        f"{request.effective_due.isoformat()} and has no response: it is deemed refused (ACC-3) "
        "and escalated to the privacy officer. Respond to the individual as soon as possible.",
    )


def response_ready_mail(request: AccessRequest, link: str | None) -> tuple[str, str]:
    """The response is ready (ACC-4, ACC-10): where to get it, and that a code will be asked."""
    where_en = (
        f"Get it here: {link}\nWe will send a code to this address to confirm it is you."
        if link
        else "Sign in to our privacy portal with your reference to get it; we will send a code "
        "to this address to confirm it is you."
    )
    where_fr = (
        f"Obtenez-la ici : {link}\nNous enverrons un code à cette adresse pour confirmer qu'il "
        "s'agit bien de vous."
        if link
        else "Rendez-vous sur notre portail de confidentialité avec votre référence pour "
        "l'obtenir; nous enverrons un code à cette adresse pour confirmer qu'il s'agit bien de "
        "vous."
    )
    if _lang(request.language) == "fr":
        return (
            "Votre réponse est prête",
            f"La réponse à votre demande {request.id} est prête.\n\n{where_fr}\n\n"
            f"Si vous n'êtes pas satisfait, vous pouvez porter plainte auprès de "
            f"{recourse(request)}.",
        )
    return (
        "Your response is ready",
        f"The response to your request {request.id} is ready.\n\n{where_en}\n\n"
        f"If you are not satisfied, you may complain to {recourse(request)}.",
    )
