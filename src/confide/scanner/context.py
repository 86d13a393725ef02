"""Context words: words near a candidate that raise or lower confidence (English and French).

Words are compared after lower-casing and removing accents, so "Numéro" and "numero"
are one word. Folding maps each character to one character, so a folded text keeps the
positions of the original and is computed once per scanned piece.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

BEFORE = 48
AFTER = 24
_WORD = re.compile(r"[^\W_]+")


def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for code in range(0x41, 0x250):
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)
        )
        target = base if len(base) == 1 else low
        if target != ch:
            table[code] = ord(target)
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case, accents removed, one character for one (positions are preserved)."""
    return text.translate(_FOLD)


def folded_set(items: Iterable[str]) -> frozenset[str]:
    """Normalise a declared list of context words (single words or short phrases)."""
    return frozenset(fold(i) for i in items)


def window_words(
    folded: str, start: int, end: int, before: int = BEFORE, after: int = AFTER
) -> set[str]:
    """Words in the window around ``folded[start:end]``, not counting the candidate itself."""
    words = set(_WORD.findall(folded, max(0, start - before), start))
    words.update(_WORD.findall(folded, end, end + after))
    return words


def hits(window: set[str], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Vocabulary entries present in the window (phrases need all their words present)."""
    found = [
        entry
        for entry in vocabulary
        if (entry in window if " " not in entry else all(p in window for p in entry.split()))
    ]
    return tuple(sorted(found))
