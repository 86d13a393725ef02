"""Multi-pattern passes over a text: Hyperscan (one pass for every pattern) or pure Python.

Both return the same raw matches. The Hyperscan pass only tells which lines may hold a
match of which pattern (it is compiled in prefilter mode, so it can only over-report);
Python's ``re`` then runs that pattern on those lines alone. Since no pattern matches a
line break, this gives exactly what ``re.finditer`` over the whole text gives, which is
what the pure-Python backend does.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from confide.scanner.charsets import allowed_class
from confide.scanner.recognizers.base import Pattern, Recognizer

_NAMED_VALUE = "(?P<v>"
CALL_COST_CHARS = (
    64  # one more ``finditer`` call costs about as much as scanning this many characters
)
_NEWLINE = re.compile("\n")
_NEWLINE_BYTES = re.compile(b"\n")


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One pattern of one recognizer, with its index in the combined pass."""

    index: int
    recognizer: Recognizer
    pattern: Pattern
    regex: re.Pattern[str]
    has_value_group: bool


# (pattern index, start, end) of the reported span (the ``v`` group where there is one)
RawMatch = tuple[int, int, int]


def compile_patterns(recognizers: Sequence[Recognizer]) -> list[CompiledPattern]:
    out: list[CompiledPattern] = []
    for rec in recognizers:
        for pat in rec.patterns:
            flags = re.MULTILINE | (re.IGNORECASE if pat.caseless else 0)
            rx = re.compile(pat.regex, flags)
            out.append(CompiledPattern(len(out), rec, pat, rx, "v" in rx.groupindex))
    return out


def _finditer(cp: CompiledPattern, text: str, pos: int, endpos: int, out: list[RawMatch]) -> None:
    if cp.has_value_group:
        for m in cp.regex.finditer(text, pos, endpos):
            s, e = m.span("v")
            out.append((cp.index, s, e))
    else:
        for m in cp.regex.finditer(text, pos, endpos):
            out.append((cp.index, m.start(), m.end()))


class Backend(Protocol):
    name: str

    def matches(self, text: str) -> list[RawMatch]: ...


class PythonBackend:
    """Every pattern's ``re.finditer`` over the whole text: the reference semantics."""

    name = "python"

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        self.patterns = list(patterns)

    def matches(self, text: str) -> list[RawMatch]:
        out: list[RawMatch] = []
        n = len(text)
        for cp in self.patterns:
            _finditer(cp, text, 0, n, out)
        return out


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the platform's wheel
        return False
    return True


def _hs_expression(regex: str) -> bytes:
    return regex.replace(_NAMED_VALUE, "(").encode("utf-8")


@lru_cache(maxsize=8)
def _database(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    """Compile once per process and pattern set (compiling takes a noticeable fraction of a second)."""
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=list(expressions), ids=list(range(len(expressions))), flags=list(flags))
    return db


class HyperscanBackend:
    """One Hyperscan pass finds the lines worth confirming, pattern by pattern."""

    name = "hyperscan"

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        import hyperscan

        self.patterns = list(patterns)
        base = (
            hyperscan.HS_FLAG_UTF8
            | hyperscan.HS_FLAG_UCP
            | hyperscan.HS_FLAG_MULTILINE
            | hyperscan.HS_FLAG_PREFILTER
        )
        expressions = tuple(
            _hs_expression(cp.pattern.prefilter or cp.pattern.regex) for cp in self.patterns
        )
        flags = tuple(
            base | (hyperscan.HS_FLAG_CASELESS if cp.pattern.caseless else 0)
            for cp in self.patterns
        )
        self._db: Any = _database(expressions, flags)
        self._scratch: Any = hyperscan.Scratch(self._db)
        self._runs = [_runs_for(cp) for cp in self.patterns]

    def __getstate__(self) -> dict[str, object]:
        return {"patterns": self.patterns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["patterns"])  # type: ignore[misc]

    def matches(self, text: str) -> list[RawMatch]:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: Hyperscan needs valid UTF-8
            return PythonBackend(self.patterns).matches(text)
        ends: list[tuple[int, int]] = []

        def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
            ends.append((pid, end))

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        if not ends:
            return []
        byte_newlines = [m.start() for m in _NEWLINE_BYTES.finditer(data)]
        ascii_only = len(data) == len(text)  # then byte and character offsets coincide
        char_newlines = (
            byte_newlines if ascii_only else [m.start() for m in _NEWLINE.finditer(text)]
        )
        lines_of: dict[int, set[int]] = {}
        ends_of: dict[int, list[tuple[int, int]]] = {}
        for pid, end in ends:
            # the match's last byte is end - 1; its line is the count of newlines before it
            line = bisect_left(byte_newlines, end - 1)
            lines_of.setdefault(pid, set()).add(line)
            ends_of.setdefault(pid, []).append((line, end))
        out: list[RawMatch] = []
        n = len(text)
        for pid in sorted(lines_of):
            runs = self._runs[pid]
            if runs is None:
                regions = _regions(sorted(lines_of[pid]), char_newlines, n)
            else:
                regions = _run_regions(
                    runs, text, data, ends_of[pid], byte_newlines, char_newlines, ascii_only
                )
            covered = sum(stop - start for start, stop in regions)
            if covered + CALL_COST_CHARS * len(regions) >= n:
                _finditer(self.patterns[pid], text, 0, n, out)  # cheaper in one pass
                continue
            for start, stop in regions:
                _finditer(self.patterns[pid], text, start, stop, out)
        return out


@dataclass(frozen=True, slots=True)
class _Runs:
    """Where a pattern's matches can lie: runs of its allowed characters (see ``charsets``)."""

    separator: re.Pattern[str]  # one character no match contains
    run: re.Pattern[str]  # a run of characters matches may contain


_RUNS_CACHE: dict[str, _Runs] = {}
LOOK_BACK = 512  # characters searched back for a separator before falling back to the line start


def _runs_for(cp: CompiledPattern) -> _Runs | None:
    body = allowed_class(cp.pattern.regex, cp.regex.flags)
    if body is None:
        return None
    runs = _RUNS_CACHE.get(body)
    if runs is None:
        runs = _RUNS_CACHE[body] = _Runs(re.compile(f"[^{body}\n]"), re.compile(f"[{body}]*"))
    return runs


def _run_regions(
    runs: _Runs,
    text: str,
    data: bytes,
    ends: list[tuple[int, int]],
    byte_newlines: list[int],
    char_newlines: list[int],
    ascii_only: bool,
) -> list[tuple[int, int]]:
    """For each hit, the run of allowed characters around its last character, plus the
    character after the run (so that ``\\b`` sees the real neighbour), merged."""
    n = len(text)
    spans: list[tuple[int, int]] = []
    covered_until = -1
    for line, end in sorted(ends):
        if end - 1 < covered_until and ascii_only:
            continue  # inside the run already found (hits in one long run: linear, not quadratic)
        line_start = char_newlines[line - 1] + 1 if line > 0 else 0
        if ascii_only:
            last = end - 1
        else:
            byte_start = byte_newlines[line - 1] + 1 if line > 0 else 0
            last = line_start + len(data[byte_start:end].decode("utf-8", "ignore")) - 1
        if last < line_start:
            last = line_start
        if last < covered_until:
            continue
        window = max(line_start, last - LOOK_BACK)
        m = runs.separator.search(text[window:last][::-1])
        left = last - m.start() if m else line_start
        match = runs.run.match(text, last)
        right = match.end() if match else last
        spans.append((left, min(n, right + 1)))
        covered_until = right
    spans.sort()
    regions: list[tuple[int, int]] = []
    for start, stop in spans:
        if regions and start <= regions[-1][1]:
            if stop > regions[-1][1]:
                regions[-1] = (regions[-1][0], stop)
        else:
            regions.append((start, stop))
    return regions


def _regions(lines: list[int], newlines: list[int], n: int) -> list[tuple[int, int]]:
    """Character ranges of the given lines, consecutive lines merged into one range.

    A range of whole lines gives the matches of its lines scanned one by one, since no
    pattern matches across a line break.
    """
    last = len(newlines)
    regions: list[tuple[int, int]] = []
    for line in lines:
        start = newlines[line - 1] + 1 if line > 0 else 0
        stop = newlines[line] if line < last else n
        if regions and regions[-1][1] + 1 == start:
            regions[-1] = (regions[-1][0], stop)
        else:
            regions.append((start, stop))
    return regions


def make_backend(patterns: Sequence[CompiledPattern], name: str = "auto") -> Backend:
    """``auto`` takes Hyperscan where it is installed, else pure Python."""
    if name == "python" or (name == "auto" and not hyperscan_available()):
        return PythonBackend(patterns)
    return HyperscanBackend(patterns)
