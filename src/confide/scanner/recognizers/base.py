"""The recognizer extension point.

A recognizer declares, up front, the entity it finds, its patterns, its context
words and whether it needs context; it validates each candidate beyond the
pattern (check digits, ranges, a maintained library). Adding one means writing
one module in this package that defines a subclass and decorates it with
:func:`confide.scanner.recognizers.registry.register`, plus its test.

Pattern rules (so that the Hyperscan pass and the pure-Python pass agree):
patterns never match a line break (use ``[ \\t]``, never ``\\s`` or ``.``), use no
look-around and no back-references, and may mark the reported value with one
named group ``(?P<v>...)`` (the rest of the match is a cue, such as "Mr.").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from confide.scanner.model import Entity

CONTEXT_BOOST = 0.35
NEGATIVE_PENALTY = 0.4
WITHOUT_REQUIRED_CONTEXT = 0.3


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression of a recognizer (``name`` appears in explanations).

    ``prefilter``, when given, is what the Hyperscan pass looks for instead of ``regex``: a
    simpler expression that every match of ``regex`` contains on the same line (a keyword,
    say). It only decides which lines ``regex`` is confirmed on, so results do not change;
    it keeps Hyperscan's compile time low for patterns with many bounded repeats.
    """

    name: str
    regex: str
    caseless: bool = False
    prefilter: str | None = None


class Recognizer:
    """Base class: subclasses set the class attributes and override :meth:`validate`."""

    name: ClassVar[str]
    entity: ClassVar[Entity]
    patterns: ClassVar[tuple[Pattern, ...]]
    context: ClassVar[frozenset[str]] = frozenset()
    negative_context: ClassVar[frozenset[str]] = frozenset()
    context_required: ClassVar[bool] = False
    default: ClassVar[bool] = True
    context_before: ClassVar[int] = 48
    context_after: ClassVar[int] = 24

    def validate(
        self, value: str, pattern: Pattern, text: str, start: int, end: int
    ) -> float | None:
        """Base score of a candidate that passed validation, or None to reject it.

        ``text`` is the whole scanned text (or chunk), ``text[start:end] == value``.
        """
        raise NotImplementedError
