"""Social Insurance Number: nine digits, Luhn check, first digit not 0 or 8 (python-stdnum)."""

from __future__ import annotations

from confide.scanner.checks import luhn_valid
from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class SinRecognizer(Recognizer):
    name = "ca_sin"
    entity = Entity.SIN
    patterns = (
        Pattern("sin_grouped", r"\b[0-9]{3}[ -][0-9]{3}[ -][0-9]{3}\b"),
        Pattern("sin_plain", r"\b[0-9]{9}\b"),
    )
    context = folded_set(
        ["sin", "nas", "social", "insurance", "assurance", "sociale", "sociales", "nass"]
    )
    negative_context = folded_set(
        [
            "order",
            "commande",
            "tracking",
            "suivi",
            "invoice",
            "facture",
            "ref",
            "reference",
            "confirmation",
            "colis",
            "parcel",
            "sku",
            "product",
            "produit",
            "transaction",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        if pattern.name == "sin_grouped" and len({value[3], value[7]}) != 1:
            return None  # mixed separators: "123 456-789" is not how a SIN is written
        digits = value.replace(" ", "").replace("-", "")
        # python-stdnum's ca.sin rules: nine digits, first not 0 or 8, Luhn check digit
        if len(digits) != 9 or digits[0] in "08" or not luhn_valid(digits):
            return None
        return 0.6 if pattern.name == "sin_grouped" else 0.5
