"""Context words: words near a candidate that raise or lower confidence (English and French).

Words are compared after lower-casing and removing accents, so "Numéro" and "numero"
are one word. Folding maps each character to one character, so a folded text keeps the
positions of the original and is computed once per scanned piece.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Lower case, accents removed, one character for one (positions are preserved).

    ASCII is lower-cased by ``str.lower`` (the same mapping, far faster than ``translate``
    with a table); only runs of other characters go through the table.
    """
    if text.isascii():
        return text.lower()
    out: list[str] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):
        start, end = m.span()
        out.append(text[pos:start].lower())
        out.append(m[0].translate(_FOLD))
        pos = end
    out.append(text[pos:].lower())
    return "".join(out)


def folded_set(items: Iterable[str]) -> frozenset[str]:
    """Normalise a declared list of context words (single words or short phrases)."""
    return frozenset(fold(i) for i in items)


NEGATIVE_BEFORE = 28
_FIELD_BREAKS = ",;\t|\n"


class Vocabulary:
    """Context words of a recognizer, split once into single words and phrases."""

    __slots__ = ("phrases", "singles")

    def __init__(self, entries: frozenset[str]) -> None:
        self.singles = frozenset(e for e in entries if " " not in e)
        self.phrases = tuple((e, tuple(e.split())) for e in sorted(entries) if " " in e)

    def __bool__(self) -> bool:
        return bool(self.singles or self.phrases)


def _whole_word_in(window: str, word: str, skip_lo: int, skip_hi: int) -> bool:
    """Whether ``word`` occurs in ``window`` as a whole word outside ``window[skip_lo:skip_hi]``."""
    i = window.find(word)
    n = len(window)
    while i >= 0:
        j = i + len(word)
        if (
            (j <= skip_lo or i >= skip_hi)
            and (i == 0 or not window[i - 1].isalnum())
            and (j == n or not window[j].isalnum())
        ):
            return True
        i = window.find(word, i + 1)
    return False


def found_in(
    folded: str, lo: int, hi: int, vocabulary: Vocabulary, skip: tuple[int, int] = (0, 0)
) -> tuple[str, ...]:
    """Vocabulary entries whose words occur whole in ``folded[lo:hi]``, outside ``skip``.

    A substring test per word (most are absent), then a word-boundary check for the few
    present: cheaper than tokenizing the window. The window's edges count as boundaries.
    """
    window = folded[lo:hi]
    skip_lo, skip_hi = skip[0] - lo, skip[1] - lo
    found = [
        w for w in vocabulary.singles if w in window and _whole_word_in(window, w, skip_lo, skip_hi)
    ]
    for entry, parts in vocabulary.phrases:
        if all(p in window and _whole_word_in(window, p, skip_lo, skip_hi) for p in parts):
            found.append(entry)
    if not found:
        return ()
    found.sort()
    return tuple(found)


def field_start(folded: str, start: int, before: int = NEGATIVE_BEFORE) -> int:
    """Where the field holding ``start`` begins, at most ``before`` characters back."""
    lo = max(0, start - before)
    # the last break before ``start``: a few bounded ``rfind`` calls, no slice
    found = max(folded.rfind(c, lo, start) for c in _FIELD_BREAKS)
    return found + 1 if found >= 0 else lo
