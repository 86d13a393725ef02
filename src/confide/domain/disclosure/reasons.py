"""Reason codes of disclosure decisions, with their rule and a one-line explanation (EN/FR).

Adding a reason touches this file only: a code, the rule it applies and its two
sentences (CON-7: plain language, both official languages). A decision's
:class:`Finding` adds the specifics (which categories, which evidence field) as
ids and field names, never personal values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from confide.domain.policy import Text


class DisclosureReason(StrEnum):
    # allowed
    EXPRESS_CONSENT = "express_consent"
    IMPLIED_CONSENT = "implied_consent"
    LEGAL_EXCEPTION = "legal_exception"
    # refused: who may receive what (DIS-3)
    PURPOSE_NOT_ALLOWED_FOR_RECIPIENT = "purpose_not_allowed_for_recipient"
    CATEGORY_NOT_ALLOWED_FOR_RECIPIENT = "category_not_allowed_for_recipient"
    CATEGORY_NOT_ALLOWED_FOR_PURPOSE = "category_not_allowed_for_purpose"
    CATEGORY_NOT_ON_FILE = "category_not_on_file"
    # refused: the legal basis (DIS-2, DIS-5)
    BASIS_NOT_ACCEPTED_BY_CLASS = "basis_not_accepted_by_class"
    NO_CONSENT = "no_consent"
    EXPRESS_CONSENT_REQUIRED = "express_consent_required"
    TELECOM_EXPRESS_CONSENT_REQUIRED = "telecom_express_consent_required"
    EXCEPTION_NOT_IN_POLICY = "exception_not_in_policy"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_WRONG_KIND = "evidence_wrong_kind"
    EVIDENCE_INVALID = "evidence_invalid"
    # refused: where it goes and on what paper (DIS-4)
    IMPACT_ASSESSMENT_MISSING = "impact_assessment_missing"
    AGREEMENT_MISSING = "agreement_missing"
    AGREEMENT_EXPIRED = "agreement_expired"
    SAFEGUARDS_MISSING = "safeguards_missing"


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    rule: str
    text: Text


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason of a decision with its rule and specifics (ids or field names)."""

    reason: DisclosureReason
    rule: str
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"reason": str(self.reason), "rule": self.rule, "details": list(self.details)}


def finding(reason: DisclosureReason, details: tuple[str, ...] = ()) -> Finding:
    return Finding(reason, REASONS[reason].rule, details)


def _t(en: str, fr: str) -> Text:
    return Text(en=en, fr=fr)


REASONS: dict[DisclosureReason, ReasonInfo] = {
    DisclosureReason.EXPRESS_CONSENT: ReasonInfo(
        "DIS-1",
        _t(
            "Allowed: you gave your express consent to this disclosure.",
            "Permis : vous avez donné votre consentement exprès à cette communication.",
        ),
    ),
    DisclosureReason.IMPLIED_CONSENT: ReasonInfo(
        "DIS-1",
        _t(
            "Allowed: your consent to this disclosure is implied, as our policy states.",
            "Permis : votre consentement à cette communication est implicite, comme le prévoit"
            " notre politique.",
        ),
    ),
    DisclosureReason.LEGAL_EXCEPTION: ReasonInfo(
        "DIS-2",
        _t(
            "Allowed without consent: the law permits this disclosure.",
            "Permis sans consentement : la loi permet cette communication.",
        ),
    ),
    DisclosureReason.PURPOSE_NOT_ALLOWED_FOR_RECIPIENT: ReasonInfo(
        "DIS-3",
        _t(
            "Refused: this recipient may not receive information for this purpose.",
            "Refusé : ce destinataire ne peut pas recevoir de renseignements à cette fin.",
        ),
    ),
    DisclosureReason.CATEGORY_NOT_ALLOWED_FOR_RECIPIENT: ReasonInfo(
        "DIS-3",
        _t(
            "Refused: the policy does not allow this recipient to receive this information.",
            "Refusé : la politique ne permet pas à ce destinataire de recevoir ces renseignements.",
        ),
    ),
    DisclosureReason.CATEGORY_NOT_ALLOWED_FOR_PURPOSE: ReasonInfo(
        "DIS-3",
        _t(
            "Refused: the policy does not allow this information to be disclosed for this purpose.",
            "Refusé : la politique ne permet pas de communiquer ces renseignements à cette fin.",
        ),
    ),
    DisclosureReason.CATEGORY_NOT_ON_FILE: ReasonInfo(
        "DIS-1",
        _t(
            "Refused: we hold no such information about you.",
            "Refusé : nous ne détenons pas ce renseignement à votre sujet.",
        ),
    ),
    DisclosureReason.BASIS_NOT_ACCEPTED_BY_CLASS: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: the policy does not allow disclosure to this recipient on this basis.",
            "Refusé : la politique ne permet pas la communication à ce destinataire pour ce motif.",
        ),
    ),
    DisclosureReason.NO_CONSENT: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: there is no consent in force for this disclosure and no legal exception"
            " applies.",
            "Refusé : aucun consentement n'est en vigueur pour cette communication et aucune"
            " exception légale ne s'applique.",
        ),
    ),
    DisclosureReason.EXPRESS_CONSENT_REQUIRED: ReasonInfo(
        "DIS-3",
        _t(
            "Refused: disclosure to this recipient needs your express consent, and none is on"
            " record.",
            "Refusé : la communication à ce destinataire exige votre consentement exprès, et aucun"
            " n'est consigné.",
        ),
    ),
    DisclosureReason.TELECOM_EXPRESS_CONSENT_REQUIRED: ReasonInfo(
        "DIS-5",
        _t(
            "Refused: information beyond your name, address and listed number is disclosed only"
            " with your express consent or a legal exception.",
            "Refusé : les renseignements autres que vos nom, adresse et numéro inscrit ne sont"
            " communiqués qu'avec votre consentement exprès ou une exception légale.",
        ),
    ),
    DisclosureReason.EXCEPTION_NOT_IN_POLICY: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: our policy does not rely on this legal exception.",
            "Refusé : notre politique n'invoque pas cette exception légale.",
        ),
    ),
    DisclosureReason.EVIDENCE_MISSING: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: the evidence this legal exception requires is missing.",
            "Refusé : la preuve qu'exige cette exception légale est manquante.",
        ),
    ),
    DisclosureReason.EVIDENCE_WRONG_KIND: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: the evidence given is not the kind this legal exception requires.",
            "Refusé : la preuve fournie n'est pas celle qu'exige cette exception légale.",
        ),
    ),
    DisclosureReason.EVIDENCE_INVALID: ReasonInfo(
        "DIS-2",
        _t(
            "Refused: the evidence given does not meet the conditions of this legal exception.",
            "Refusé : la preuve fournie ne remplit pas les conditions de cette exception légale.",
        ),
    ),
    DisclosureReason.IMPACT_ASSESSMENT_MISSING: ReasonInfo(
        "DIS-4",
        _t(
            "Refused: the information would leave Québec or Canada, and no privacy impact"
            " assessment for this recipient is on file.",
            "Refusé : les renseignements quitteraient le Québec ou le Canada, et aucune évaluation"
            " des facteurs relatifs à la vie privée n'est au dossier pour ce destinataire.",
        ),
    ),
    DisclosureReason.AGREEMENT_MISSING: ReasonInfo(
        "DIS-4",
        _t(
            "Refused: the information would leave Québec or Canada, and no written agreement with"
            " this recipient is on file.",
            "Refusé : les renseignements quitteraient le Québec ou le Canada, et aucune entente"
            " écrite avec ce destinataire n'est au dossier.",
        ),
    ),
    DisclosureReason.AGREEMENT_EXPIRED: ReasonInfo(
        "DIS-4",
        _t(
            "Refused: our agreement with this recipient had expired at the time of disclosure.",
            "Refusé : notre entente avec ce destinataire était expirée au moment de la"
            " communication.",
        ),
    ),
    DisclosureReason.SAFEGUARDS_MISSING: ReasonInfo(
        "DIS-4",
        _t(
            "Refused: the information would leave Canada, and this recipient's safeguards are not"
            " recorded.",
            "Refusé : les renseignements quitteraient le Canada, et les mesures de protection de ce"
            " destinataire ne sont pas consignées.",
        ),
    ),
}
