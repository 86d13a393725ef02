"""The characters a pattern's matches can contain, read from the parsed pattern.

A character outside that set never occurs inside a match, so the text can be cut there
as at a line break: ``re.finditer`` over the run of allowed characters around a hit
finds what ``re.finditer`` over the whole text finds there. Patterns whose set cannot
be read exactly (negated classes, ``\\w``, case-insensitive, ``$``) get None and are
confirmed over whole lines.
"""

from __future__ import annotations

import re
from typing import Any

_parser: Any = getattr(re, "_parser")  # noqa: B009 - the standard library's own parser
_c: Any = getattr(re, "_constants")  # noqa: B009

Ranges = set[tuple[int, int]]


def _walk(items: Any, out: Ranges) -> bool:
    for op, av in items:
        if op is _c.LITERAL:
            out.add((av, av))
        elif op is _c.IN:
            for iop, iav in av:
                if iop is _c.LITERAL:
                    out.add((iav, iav))
                elif iop is _c.RANGE:
                    out.add((iav[0], iav[1]))
                else:  # NEGATE, CATEGORY (\d, \w, \s are Unicode-wide): not exact
                    return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            if not _walk(av[2], out):
                return False
        elif op is _c.SUBPATTERN:
            if av[1] or av[2] or not _walk(av[3], out):  # inline flags: give up
                return False
        elif op is _c.BRANCH:
            if not all(_walk(branch, out) for branch in av[1]):
                return False
        elif op is _c.AT:
            if av in (_c.AT_END, _c.AT_END_LINE, _c.AT_END_STRING):
                return False  # "$" looks past the cut
        else:
            return False
    return True


def allowed_class(regex: str, flags: int) -> str | None:
    """A character-class body (for ``[...]``) of every character a match can contain."""
    if flags & re.IGNORECASE:
        return None
    out: Ranges = set()
    if not _walk(_parser.parse(regex, flags), out):
        return None
    if any(lo <= 10 <= hi for lo, hi in out):
        return None  # a line break inside a match would break the line-based pass too
    parts = []
    for lo, hi in sorted(out):
        a = re.escape(chr(lo))
        parts.append(a if lo == hi else f"{a}-{re.escape(chr(hi))}")
    return "".join(parts)
