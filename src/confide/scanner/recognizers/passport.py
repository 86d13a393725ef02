"""Canadian passport numbers (two letters and six digits), reported only with context."""

from __future__ import annotations

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class PassportRecognizer(Recognizer):
    name = "ca_passport"
    entity = Entity.PASSPORT
    context_required = True
    patterns = (Pattern("passport_ca", r"\b[A-Z]{2}[0-9]{6}\b"),)
    context = folded_set(["passport", "passeport", "travel", "voyage"])

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        return 0.6
