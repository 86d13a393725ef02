"""Provincial driver's licence numbers (Québec, Ontario, British Columbia, Alberta), with context."""

from __future__ import annotations

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class DriversLicenceRecognizer(Recognizer):
    name = "ca_drivers_licence"
    entity = Entity.DRIVERS_LICENCE
    context_required = True
    patterns = (
        # Québec: letter of the surname, 12 digits (L1234-567890-12)
        Pattern("licence_qc", r"\b[A-Z][0-9]{4}[ -]?[0-9]{6}[ -]?[0-9]{2}\b"),
        # Ontario: letter of the surname, 14 digits (A1234-56789-01234)
        Pattern("licence_on", r"\b[A-Z][0-9]{4}[ -]?[0-9]{5}[ -]?[0-9]{5}\b"),
        # British Columbia: 7 digits; Alberta: 6 to 9 digits or 123456-789
        Pattern("licence_digits", r"\b(?:[0-9]{6}-[0-9]{3}|[0-9]{7})\b"),
    )
    context = folded_set(
        [
            "driver",
            "drivers",
            "driver's",
            "licence",
            "license",
            "permis",
            "conduire",
            "dl",
            "saaq",
            "mto",
            "icbc",
        ]
    )

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        return 0.6 if pattern.name != "licence_digits" else 0.45
