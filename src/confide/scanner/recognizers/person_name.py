"""Person names from cues: titles, greetings, "Name:" fields and signatures (no name lists).

The reported span is the name only (the ``v`` group), not the cue.
"""

from __future__ import annotations

import re

from confide.scanner.context import fold
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_PART = rf"[{_UP}][{_LOW}]+(?:['’-][{_UP}][{_LOW}]+)?"
_PARTICLE = r"(?:(?:de|du|des|van|von|da|di|le|la|st-|mc)[ \t]+)?"
_NAME = rf"(?P<v>{_PART}(?:[ \t]+{_PARTICLE}{_PART}){{0,2}})"
_NAME_ONE_OR_MORE = _NAME

_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mme|Mlle|Mmes|Me|M|Monsieur|Madame|Mademoiselle|Docteur|Docteure"
)
_GREETINGS = (
    r"Hi|Hello|Hey|Dear|Good morning|Good afternoon|Bonjour|Bonsoir|Salut|Allô|Allo|"
    r"Cher|Chère|Chers"
)
_FIELDS = (
    r"Name|Full name|Customer|Client|Cliente|Contact|Nom|Nom complet|Prénom et nom|Patient|"
    r"Agent|Employee|Employé|Employée|Account holder|Titulaire|Cardholder|From|De|To|À|Signed|Signé"
)
_ROLES = (
    r"Customer|customer|Client|client|Cliente|cliente|Caller|caller|Member|member|"
    r"Subscriber|subscriber|Abonné|abonné|Abonnée|abonnée|Patient|patient|Tenant|tenant|"
    r"Locataire|locataire|Spoke with|spoke with|Discuté avec|discuté avec|Parlé à|parlé à"
)
_INTRODUCTIONS = r"my name is|My name is|I am|I'm|je m'appelle|Je m'appelle|this is|This is|ici"
_SIGNOFF = re.compile(
    r"(?:regards|thanks|thank you|cheers|sincerely|best|cordialement|merci|salutations|"
    r"bien à vous|à bientôt|amitiés),?[ \t]*(?:\r?\n)[ \t]*$",
    re.IGNORECASE,
)
_TITLE_WORDS = frozenset(
    {
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Prof",
        "Mme",
        "Mlle",
        "Mmes",
        "Me",
        "M",
        "Docteur",
        "Docteure",
        "Mademoiselle",
        "Glad",
        "Calling",
        "Writing",
        "Happy",
        "Sorry",
        "Please",
    }
)
_NOT_NAMES = frozenset(
    {
        "Team",
        "Support",
        "Service",
        "Customer",
        "Client",
        "Équipe",
        "Merci",
        "Thanks",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Order",
        "Ticket",
        "Commande",
        "Hello",
        "Bonjour",
        "The",
        "Le",
        "La",
        "Les",
        "Votre",
        "Your",
        "Our",
        "Notre",
        "All",
        "Tous",
        "Everyone",
        "There",
        "Sir",
        "Madam",
        "Madame",
        "Monsieur",
        "Inc",
        "Ltd",
        "Ltée",
        "Canada",
        "Québec",
        "Quebec",
        "Ontario",
    }
)


@register
class PersonNameRecognizer(Recognizer):
    name = "person_name_cues"
    entity = Entity.PERSON
    patterns = (
        Pattern("title_name", rf"\b(?:{_TITLES})\.?[ \t]+{_NAME}"),
        Pattern("greeting_name", rf"\b(?:{_GREETINGS}),?[ \t]+{_NAME}"),
        Pattern("field_name", rf"\b(?:{_FIELDS})[ \t]*:[ \t]*{_NAME}"),
        Pattern("role_name", rf"\b(?:{_ROLES})[ \t]+{_NAME}"),
        Pattern("name_beside_email", rf"{_NAME}[ \t]*[,;<\t][ \t]*<?[A-Za-z0-9._%+-]{{1,64}}@"),
        Pattern("self_introduction", rf"\b(?:{_INTRODUCTIONS})[ \t]+{_NAME}"),
        Pattern("signature_line", rf"^[ \t]*-{{0,2}}[ \t]*{_NAME}[ \t]*,?[ \t]*\r?$"),
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        parts = value.split()
        if parts[0] in _NOT_NAMES or parts[-1] in _NOT_NAMES or parts[0] in _TITLE_WORDS:
            return None
        if pattern.name == "signature_line":
            if len(parts) < 2:
                return None
            line_start = text.rfind("\n", 0, start)
            previous = text[max(0, line_start - 60) : line_start + 1] if line_start >= 0 else ""
            return 0.6 if _SIGNOFF.search(previous) else None
        if pattern.name == "name_beside_email":
            email_start = text.find("@", end)
            local = fold(text[end:email_start])
            named = any(len(p) > 1 and fold(p.split("-")[0]) in local for p in parts)
            return 0.75 if named else (0.55 if len(parts) >= 2 else None)
        if pattern.name == "self_introduction" and value[0:1].islower():
            return None
        return 0.65
