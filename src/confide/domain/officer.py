"""The privacy officer as every letter, mail, notice and file to a person names them (CMP-3):
name, title in the person's language, email, telephone."""

from __future__ import annotations

from dataclasses import dataclass

from confide.domain.policy import Contact

SIGNATURE = {
    "en": "Privacy officer: {line}",
    "fr": "Responsable de la protection des renseignements personnels : {line}",
}


@dataclass(frozen=True)
class Officer:
    name: str
    title: str
    email: str
    phone: str = ""

    def line(self) -> str:
        return ", ".join(x for x in (self.name, self.title, self.email, self.phone) if x)

    def signature(self, language: str) -> str:
        """The closing line of a text to a person."""
        return SIGNATURE["fr" if language == "fr" else "en"].format(line=self.line())


def officer_for(contact: Contact, language: str) -> Officer:
    """The policy's published contact (``organization.privacy_officer``) in ``language``."""
    return Officer(
        contact.name, contact.title.in_language(language), contact.email, contact.phone or ""
    )
