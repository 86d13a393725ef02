"""Pathological inputs built to make regular expressions backtrack: no hang, bounded time."""

from __future__ import annotations

import time

import pytest

from confide.scanner.engine import Scanner

SIZE = 200_000
# A generous bound (25 s per MB) that catastrophic backtracking exceeds by orders of magnitude.
SECONDS_PER_MB = 25.0

BAIT = {
    "digits": "1" * SIZE,
    "spaced digits": "1 " * (SIZE // 2),
    "dashed digits": "1-" * (SIZE // 2),
    "at signs": "a@" * (SIZE // 2),
    "dotted letters": "a." * (SIZE // 2),
    "email-like without end": "a" * 60 + "@" + "b-" * (SIZE // 2),
    "colons": ":" * SIZE,
    "hex and colons": "a:" * (SIZE // 2),
    "capitalised words": "Aa " * (SIZE // 3),
    "civic numbers and words": "1 Aa " * (SIZE // 5),
    "greeting and names": "Hi " + "Jean-" * (SIZE // 5),
    "french streets": "12 rue " * (SIZE // 7),
    "dates": "12 mars " * (SIZE // 8),
    "one enormous line of digits and spaces": ("4111 " * (SIZE // 5)),
}


@pytest.mark.parametrize("backend", ["hyperscan", "python"])
@pytest.mark.parametrize("name", sorted(BAIT))
def test_backtracking_bait_is_scanned_in_bounded_time(backend: str, name: str) -> None:
    scanner = Scanner(backend=backend)
    text = BAIT[name]
    # CPU time of this process, not wall time: other work on a busy machine does not count,
    # while catastrophic backtracking (seconds to hours of CPU) still fails the bound.
    start = time.process_time()
    scanner.scan_text(text)
    used = time.process_time() - start
    assert used < SECONDS_PER_MB * len(text) / 1e6 + 1.0


def test_lone_surrogates_are_scanned_without_crashing() -> None:
    text = "SIN 130 692 544 \udc80 a.b@example.org"
    found = Scanner(backend="hyperscan").scan_text(text).findings
    assert [text[f.start : f.end] for f in found] == ["130 692 544", "a.b@example.org"]
