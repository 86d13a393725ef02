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
_CONTINUATION = re.compile(b"[\x80-\xbf]")


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
        ends_of: dict[int, list[int]] = {}

        def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
            found = ends_of.get(pid)
            if found is None:
                ends_of[pid] = [end]
            else:
                found.append(end)

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        if not ends_of:
            return []
        n = len(text)
        continuation: list[int] | None = None
        if len(data) != n:  # byte offsets -> character offsets: skip UTF-8 continuation bytes
            continuation = [m.start() for m in _CONTINUATION.finditer(data)]
        out: list[RawMatch] = []
        reverse: str | None = None
        for pid in sorted(ends_of):
            ends = sorted(set(ends_of[pid]))
            if continuation is not None:
                ends = [e - bisect_left(continuation, e) for e in ends]
            runs = self._runs[pid]
            if runs is None:
                regions = _line_regions(text, ends)
            else:
                if reverse is None:
                    reverse = text[::-1]
                regions = _run_regions(runs, text, ends, reverse)
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

    run: re.Pattern[str]  # a run of characters matches may contain


_RUNS_CACHE: dict[str, _Runs] = {}


def _runs_for(cp: CompiledPattern) -> _Runs | None:
    body = allowed_class(cp.pattern.regex, cp.regex.flags)
    if body is None:
        return None
    runs = _RUNS_CACHE.get(body)
    if runs is None:
        runs = _RUNS_CACHE[body] = _Runs(re.compile(f"[{body}]*"))
    return runs


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    regions: list[tuple[int, int]] = []
    for start, stop in spans:
        if regions and start <= regions[-1][1]:
            if stop > regions[-1][1]:
                regions[-1] = (regions[-1][0], stop)
        else:
            regions.append((start, stop))
    return regions


def _line_regions(text: str, ends: list[int]) -> list[tuple[int, int]]:
    """The lines holding each hit's last character (sorted ends), merged.

    A range of whole lines gives the matches of its lines scanned one by one, since no
    pattern matches across a line break.
    """
    n = len(text)
    spans: list[tuple[int, int]] = []
    covered_until = -1
    for end in ends:
        last = max(end - 1, 0)
        if last < covered_until:
            continue
        start = text.rfind("\n", 0, last) + 1
        stop = text.find("\n", last)
        stop = n if stop < 0 else stop
        spans.append((start, stop))
        covered_until = stop
    return _merge(spans)


def _run_regions(runs: _Runs, text: str, ends: list[int], reverse: str) -> list[tuple[int, int]]:
    """For each hit (sorted ends), the run of allowed characters around its last character,
    plus the character after the run (so that ``\\b`` sees the real neighbour), merged.

    ``reverse`` is ``text[::-1]``: the run's left part is matched forward in it, so no slice
    is made per hit. Runs never hold a line break. Hits inside a run already found are
    skipped, so each run is read once: linear even for one very long run.
    """
    n = len(text)
    run = runs.run.match
    spans: list[tuple[int, int]] = []
    covered_until = -1
    for end in ends:
        last = end - 1 if end > 0 else 0
        if last < covered_until:
            continue
        back = run(reverse, n - last)  # the allowed characters just before ``last``
        left = last - (back.end() - (n - last)) if back else last
        ahead = run(text, last)
        right = ahead.end() if ahead else last
        spans.append((left, right + 1 if right < n else n))
        covered_until = right
    return _merge(spans)


def make_backend(patterns: Sequence[CompiledPattern], name: str = "auto") -> Backend:
    """``auto`` takes Hyperscan where it is installed, else pure Python."""
    if name == "python" or (name == "auto" and not hyperscan_available()):
        return PythonBackend(patterns)
    return HyperscanBackend(patterns)
