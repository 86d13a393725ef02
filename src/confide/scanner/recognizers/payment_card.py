"""Payment card numbers: 13 to 19 digits, Luhn check, issuer prefix and length."""

from __future__ import annotations

from confide.scanner.checks import luhn_valid
from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register

# (issuer, prefix ranges as (low, high) over the first digits, allowed lengths)
ISSUERS: tuple[tuple[str, tuple[tuple[int, int], ...], frozenset[int]], ...] = (
    ("visa", ((4, 4),), frozenset({13, 16, 19})),
    ("mastercard", ((51, 55), (2221, 2720)), frozenset({16})),
    ("amex", ((34, 34), (37, 37)), frozenset({15})),
    ("discover", ((6011, 6011), (644, 649), (65, 65)), frozenset({16, 17, 18, 19})),
    ("jcb", ((3528, 3589),), frozenset({16, 17, 18, 19})),
    ("diners", ((300, 305), (36, 36), (38, 39)), frozenset({14, 15, 16, 17, 18, 19})),
    ("unionpay", ((62, 62),), frozenset({16, 17, 18, 19})),
)


# per length, the issuers that allow it, each range with the number of digits it reads
_BY_LENGTH: dict[int, tuple[tuple[str, int, int, int], ...]] = {
    n: tuple(
        (name, len(str(low)), low, high)
        for name, ranges, lengths in ISSUERS
        if n in lengths
        for low, high in ranges
    )
    for n in range(13, 20)
}


def issuer(digits: str) -> str | None:
    """The issuer whose prefix and length fit ``digits``, if any."""
    for name, width, low, high in _BY_LENGTH.get(len(digits), ()):
        if low <= int(digits[:width]) <= high:
            return name
    return None


@register
class PaymentCardRecognizer(Recognizer):
    name = "payment_card"
    entity = Entity.PAYMENT_CARD
    patterns = (Pattern("card_digits", r"\b[0-9](?:[ -]?[0-9]){12,18}\b"),)
    context = folded_set(
        [
            "card",
            "carte",
            "credit",
            "crédit",
            "visa",
            "mastercard",
            "amex",
            "debit",
            "débit",
            "paiement",
            "payment",
            "cc",
        ]
    )
    negative_context = folded_set(["order", "commande", "tracking", "suivi", "colis", "parcel"])

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        if " " in value and "-" in value:  # the pattern allows only digits, spaces and dashes
            return None  # mixed separators
        digits = value.replace(" ", "").replace("-", "")
        if issuer(digits) is None or not luhn_valid(digits):
            return None
        return 0.7
