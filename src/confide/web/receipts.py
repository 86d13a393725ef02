"""A consent receipt as a readable page, in English or French (from the ISO/IEC TS 27560 record)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from confide.domain.policy import Policy

TEMPLATES = Path(__file__).resolve().parent / "templates"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your consent record",
        "purpose": "Purpose",
        "given": "Given on",
        "how": "How it was given",
        "kind": "Kind of consent",
        "status": "Status",
        "channel": "Channel",
        "categories": "Information concerned",
        "policy": "Policy version shown",
        "controller": "Organization",
        "contact": "Privacy Officer",
        "withdraw": "You may withdraw this consent at any time, through the portal or by contacting our "
        "Privacy Officer.",
        "complain": "If you are not satisfied, you may complain to the Privacy "
        "Commissioner of Canada (or, in Québec, the Commission d'accès à l'information).",
    },
    "fr": {
        "title": "Votre registre de consentement",
        "purpose": "Fin",
        "given": "Donné le",
        "how": "Façon de le donner",
        "kind": "Type de consentement",
        "status": "Statut",
        "channel": "Canal",
        "categories": "Renseignements concernés",
        "policy": "Version de la politique présentée",
        "controller": "Organisation",
        "contact": "Responsable de la protection des renseignements personnels",
        "withdraw": "Vous pouvez retirer ce consentement en tout temps, dans le portail ou en communiquant avec "
        "notre responsable de la protection des renseignements personnels.",
        "complain": "Si vous n'êtes pas satisfait, vous pouvez porter plainte auprès du Commissariat à la "
        "protection de la vie privée du Canada (ou, au Québec, de la Commission d'accès à "
        "l'information).",
    },
}


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render_receipt(record: dict[str, Any], policy: Policy, language: str) -> str:
    lang = "fr" if language.startswith("fr") else "en"
    return (
        _env()
        .get_template("receipt.html")
        .render(
            record=record,
            labels=LABELS[lang],
            lang=lang,
            officer=policy.organization.privacy_officer,
            officer_title=policy.organization.privacy_officer.title.in_language(lang),
            organization=policy.organization.name,
        )
    )
