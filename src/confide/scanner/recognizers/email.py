"""E-mail addresses (local part and a domain with a top-level label of letters)."""

from __future__ import annotations

from confide.scanner.context import folded_set
from confide.scanner.model import Entity
from confide.scanner.recognizers.base import Pattern, Recognizer
from confide.scanner.recognizers.registry import register


@register
class EmailRecognizer(Recognizer):
    name = "email"
    entity = Entity.EMAIL
    patterns = (
        Pattern(
            "email_address",
            r"\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,6}[A-Za-z]{2,24}\b",
        ),
    )
    context = folded_set(["email", "courriel", "mail", "e-mail", "adresse"])

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        local, _, domain = value.partition("@")
        if ".." in local or local.endswith(".") or ".." in domain:
            return None
        if any(label.startswith("-") or label.endswith("-") for label in domain.split(".")):
            return None
        return 0.9
