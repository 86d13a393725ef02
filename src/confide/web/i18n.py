"""Languages of the web pages: English and French, picked from the path or Accept-Language."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")


def pick_language(accept_language: str | None) -> Language:
    """The first of English or French the browser prefers (RFC 9110 q-values), English by default."""
    best: tuple[float, Language] = (0.0, "en")
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best[0]:
            best = (q, "fr" if base == "fr" else "en")
    return best[1]


def other_language(lang: Language) -> Language:
    return "en" if lang == "fr" else "fr"
