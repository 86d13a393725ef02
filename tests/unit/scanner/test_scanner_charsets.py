"""The characters a pattern's matches can contain, read from the parsed pattern."""

from __future__ import annotations

import re

import pytest

from confide.scanner.charsets import allowed_class
from confide.scanner.corpus import generate
from confide.scanner.engine import Scanner


def test_the_class_of_a_simple_pattern_lists_its_characters() -> None:
    body = allowed_class(r"\b[0-9]{3}[ -](?:ab|c)\b", re.MULTILINE)
    assert body is not None
    allowed = re.compile(f"[{body}]")
    assert all(allowed.fullmatch(c) for c in "0123456789 -abc")
    assert not any(allowed.fullmatch(c) for c in "d,.:\n")


@pytest.mark.parametrize(
    ("regex", "flags"),
    [(r"\w+", 0), (r"[^,]+", 0), (r"abc$", re.MULTILINE), (r"abc", re.IGNORECASE), (r"a.b", 0)],
)
def test_patterns_whose_characters_cannot_be_listed_exactly_get_none(
    regex: str, flags: int
) -> None:
    assert allowed_class(regex, flags) is None


def test_every_match_of_every_default_pattern_uses_only_its_listed_characters() -> None:
    text = "".join(d.text for d in generate(31, 200))
    checked = 0
    for cp in Scanner(backend="python").patterns:
        body = allowed_class(cp.pattern.regex, cp.regex.flags)
        if body is None:
            continue
        allowed = re.compile(f"[{body}]*")
        for m in cp.regex.finditer(text):
            assert allowed.fullmatch(m.group(0)), (cp.pattern.name, m.group(0))
            checked += 1
    assert checked > 1000
