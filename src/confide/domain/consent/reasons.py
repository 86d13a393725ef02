"""Reason codes of use decisions, with their rule and a one-line explanation in English and French.

Adding a reason touches this file only: a code, the rule it applies and its
two sentences (CON-7: plain language, both official languages).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from confide.domain.policy import Text


class Reason(StrEnum):
    # allowed
    EXPRESS_CONSENT = "express_consent"
    IMPLIED_CONSENT = "implied_consent"
    SERVICE_ESSENTIAL = "service_essential"
    LEGAL_OBLIGATION = "legal_obligation"
    # refused
    NO_CONSENT = "no_consent"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_EXPIRED = "consent_expired"
    EXPRESS_REQUIRED = "express_required"
    IMPLIED_WINDOW_EXPIRED = "implied_window_expired"
    CHANNEL_OPTED_OUT = "channel_opted_out"
    DO_NOT_CALL = "do_not_call"
    NATIONAL_DNC_LIST_STALE = "national_dnc_list_stale"
    NATIONAL_DO_NOT_CALL = "national_do_not_call"
    OUTSIDE_CALLING_HOURS = "outside_calling_hours"
    CATEGORY_NOT_ALLOWED_FOR_PURPOSE = "category_not_allowed_for_purpose"
    PURPOSE_ADDED_BY_NEW_POLICY_VERSION = "purpose_added_by_new_policy_version"
    MINOR_NEEDS_GUARDIAN = "minor_needs_guardian"
    PRIVACY_BY_DEFAULT_OFF = "privacy_by_default_off"
    GPC_OPT_OUT = "gpc_opt_out"
    SERVICE_NOT_ACTIVE = "service_not_active"


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    rule: str
    text: Text


REASONS: dict[Reason, ReasonInfo] = {
    Reason.EXPRESS_CONSENT: ReasonInfo(
        "CON-1",
        Text(
            en="Allowed: you gave your express consent for this purpose.",
            fr="Permis : vous avez donné votre consentement exprès à cette fin.",
        ),
    ),
    Reason.IMPLIED_CONSENT: ReasonInfo(
        "CON-2",
        Text(
            en="Allowed: your consent is implied by your relationship with us, as our policy"
            " states.",
            fr="Permis : votre consentement découle de votre relation avec nous, comme le prévoit"
            " notre politique.",
        ),
    ),
    Reason.SERVICE_ESSENTIAL: ReasonInfo(
        "CON-6",
        Text(
            en="Allowed: this use is needed to provide the service you receive.",
            fr="Permis : cette utilisation est nécessaire pour fournir le service que vous"
            " recevez.",
        ),
    ),
    Reason.LEGAL_OBLIGATION: ReasonInfo(
        "policy",
        Text(
            en="Allowed: the law requires this use.",
            fr="Permis : la loi exige cette utilisation.",
        ),
    ),
    Reason.NO_CONSENT: ReasonInfo(
        "CON-1",
        Text(
            en="Refused: there is no consent on record for this purpose.",
            fr="Refusé : aucun consentement n'est consigné pour cette fin.",
        ),
    ),
    Reason.CONSENT_WITHDRAWN: ReasonInfo(
        "CON-5",
        Text(
            en="Refused: consent for this purpose was withdrawn.",
            fr="Refusé : le consentement à cette fin a été retiré.",
        ),
    ),
    Reason.CONSENT_EXPIRED: ReasonInfo(
        "CON-1",
        Text(
            en="Refused: the consent for this purpose has expired.",
            fr="Refusé : le consentement à cette fin est expiré.",
        ),
    ),
    Reason.EXPRESS_REQUIRED: ReasonInfo(
        "CON-3",
        Text(
            en="Refused: this purpose needs your express consent, and none is on record.",
            fr="Refusé : cette fin exige votre consentement exprès, et aucun n'est consigné.",
        ),
    ),
    Reason.IMPLIED_WINDOW_EXPIRED: ReasonInfo(
        "CEM-1",
        Text(
            en="Refused: the period in which consent was implied by your last purchase,"
            " contract or inquiry has ended.",
            fr="Refusé : la période pendant laquelle votre dernier achat, contrat ou demande"
            " impliquait votre consentement est terminée.",
        ),
    ),
    Reason.CHANNEL_OPTED_OUT: ReasonInfo(
        "CEM-2",
        Text(
            en="Refused: you unsubscribed from messages on this channel.",
            fr="Refusé : vous vous êtes désabonné des messages sur ce canal.",
        ),
    ),
    Reason.DO_NOT_CALL: ReasonInfo(
        "CEM-4",
        Text(
            en="Refused: this number is on our do-not-call list.",
            fr="Refusé : ce numéro figure sur notre liste d'exclusion des appels.",
        ),
    ),
    Reason.NATIONAL_DNC_LIST_STALE: ReasonInfo(
        "CEM-4",
        Text(
            en="Refused: the copy of the national do-not-call list is missing or more than"
            " 31 days old.",
            fr="Refusé : la copie de la liste nationale de numéros exclus manque ou date de plus"
            " de 31 jours.",
        ),
    ),
    Reason.NATIONAL_DO_NOT_CALL: ReasonInfo(
        "CEM-4",
        Text(
            en="Refused: this number is on the national do-not-call list and there is no express"
            " consent to call it.",
            fr="Refusé : ce numéro figure sur la liste nationale de numéros de télécommunication"
            " exclus et aucun consentement exprès ne permet de l'appeler.",
        ),
    ),
    Reason.OUTSIDE_CALLING_HOURS: ReasonInfo(
        "CEM-5",
        Text(
            en="Refused: it is outside calling hours in the recipient's local time.",
            fr="Refusé : c'est en dehors des heures d'appel, à l'heure locale du destinataire.",
        ),
    ),
    Reason.CATEGORY_NOT_ALLOWED_FOR_PURPOSE: ReasonInfo(
        "policy",
        Text(
            en="Refused: the policy does not allow this information to be used for this purpose.",
            fr="Refusé : la politique ne permet pas d'utiliser ces renseignements à cette fin.",
        ),
    ),
    Reason.PURPOSE_ADDED_BY_NEW_POLICY_VERSION: ReasonInfo(
        "CON-4",
        Text(
            en="Refused: this purpose was added by a newer version of the policy; consent must"
            " be asked for it.",
            fr="Refusé : cette fin a été ajoutée par une nouvelle version de la politique; il faut"
            " demander le consentement.",
        ),
    ),
    Reason.MINOR_NEEDS_GUARDIAN: ReasonInfo(
        "CON-8",
        Text(
            en="Refused: for a person under 14, a parent or tutor must give consent.",
            fr="Refusé : pour une personne de moins de 14 ans, le titulaire de l'autorité parentale"
            " ou le tuteur doit consentir.",
        ),
    ),
    Reason.PRIVACY_BY_DEFAULT_OFF: ReasonInfo(
        "CON-9",
        Text(
            en="Refused: this feature is off by default until you turn it on.",
            fr="Refusé : cette fonction est désactivée par défaut tant que vous ne l'activez pas.",
        ),
    ),
    Reason.GPC_OPT_OUT: ReasonInfo(
        "CON-10",
        Text(
            en="Refused: your browser's Global Privacy Control signal opted you out of this use.",
            fr="Refusé : le signal Global Privacy Control de votre navigateur vous a retiré de"
            " cette utilisation.",
        ),
    ),
    Reason.SERVICE_NOT_ACTIVE: ReasonInfo(
        "CON-6",
        Text(
            en="Refused: this use is only for an active service, and yours is not active.",
            fr="Refusé : cette utilisation n'est permise que pour un service actif, et le vôtre"
            " ne l'est pas.",
        ),
    ),
}
