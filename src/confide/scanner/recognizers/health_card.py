"""Provincial health card numbers: Québec RAMQ, Ontario OHIP, British Columbia PHN, with context.

RAMQ: four letters (surname and first name), birth date YYMMDD with 50 added to the
month for women, two digits. OHIP: ten digits with a Luhn check digit, optional two-letter
version code. BC PHN: ten digits starting with 9, checked by python-stdnum.
"""

from __future__ import annotations

from stdnum.ca import bc_phn

from confide.scanner.checks import luhn_valid
from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


def ramq_date_ok(digits: str) -> bool:
    month = int(digits[2:4])
    day = int(digits[4:6])
    if month > 50:
        month -= 50
    return 1 <= month <= 12 and 1 <= day <= 31


@register
class HealthCardRecognizer(Recognizer):
    name = "ca_health_card"
    entity = Entity.HEALTH_CARD
    context_required = True
    patterns = (
        Pattern("ramq", r"\b[A-Z]{4}[ ]?[0-9]{4}[ ]?[0-9]{4}\b"),
        Pattern("ohip", r"\b[0-9]{4}[ -]?[0-9]{3}[ -]?[0-9]{3}(?:[ -]?[A-Z]{2})?\b"),
    )
    context = folded_set(
        [
            "health",
            "santé",
            "sante",
            "ramq",
            "ohip",
            "carte",
            "card",
            "assurance",
            "maladie",
            "medical",
            "médicale",
            "phn",
            "msp",
            "soleil",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        compact = value.replace(" ", "").replace("-", "")
        if pattern.name == "ramq":
            return 0.6 if ramq_date_ok(compact[4:]) else None
        digits = compact[:10]
        if luhn_valid(digits) or bc_phn.is_valid(digits):  # the cheap check first
            return 0.6
        return None
