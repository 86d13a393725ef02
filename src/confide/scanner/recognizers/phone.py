"""Telephone numbers in the North American numbering plan, validated with ``phonenumbers`` data."""

from __future__ import annotations

from confide.scanner.checks import nanp_valid
from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class PhoneRecognizer(Recognizer):
    name = "nanp_phone"
    entity = Entity.PHONE
    patterns = (
        Pattern(
            "nanp_formatted",
            r"(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\)[ ]?|\b[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}\b",
        ),
        Pattern("nanp_plain", r"\b(?:\+?1)?[2-9][0-9]{2}[2-9][0-9]{6}\b"),
    )
    context = folded_set(
        [
            "phone",
            "tel",
            "telephone",
            "téléphone",
            "cell",
            "cellulaire",
            "mobile",
            "call",
            "appeler",
            "appelez",
            "rappeler",
            "joindre",
            "fax",
            "numéro",
            "number",
            "sms",
            "texto",
        ]
    )
    negative_context = folded_set(
        [
            "order",
            "commande",
            "tracking",
            "suivi",
            "invoice",
            "facture",
            "colis",
            "parcel",
            "confirmation",
            "transaction",
            "sku",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) == 11:
            digits = digits[1:]
        if len(digits) != 10 or not nanp_valid(digits):
            return None
        return 0.65 if pattern.name == "nanp_formatted" else 0.45
