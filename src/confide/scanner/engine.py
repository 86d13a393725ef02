"""The scanning engine: one multi-pattern pass, validation, context, overlaps, streaming.

Invariant: scanning a text in chunks gives exactly the findings of scanning it whole.
Chunks are cut at line breaks (no pattern crosses one) and each carries the tail of the
previous chunk as context only; a line longer than ``long_line`` is cut into windows that
overlap by more than the longest match, each finding kept by the window it starts in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

from confide.scanner.backends import Backend, CompiledPattern, compile_patterns, make_backend
from confide.scanner.context import (
    Vocabulary,
    field_start,
    fold,
    found_in,
)
from confide.scanner.model import Finding, ScanResult, SkipNote
from confide.scanner.recognizers.base import (
    CONTEXT_BOOST,
    NEGATIVE_PENALTY,
    WITHOUT_REQUIRED_CONTEXT,
    Recognizer,
)
from confide.scanner.recognizers.registry import default_recognizers

DEFAULT_THRESHOLD = 0.5
CHUNK_CHARS = 1 << 20
LONG_LINE = 1 << 16
OVERLAP = 512  # more than the longest match any pattern can make, and the context window


class NerPlugin(Protocol):
    """A model-based finder whose findings join the pattern findings (see ``scanner.ner``)."""

    def find(self, text: str) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str  # context prefix + the piece's own text
    offset: int  # position of ``text[0]`` in the whole input
    keep_from: int  # findings starting before this index of ``text`` belong to another piece
    keep_to: int  # findings starting at or after this index belong to another piece


class Scanner:
    """Finds personal information in text.

    ``Scanner()`` uses every default recognizer and Hyperscan where it is installed;
    ``backend="python"`` forces the pure-Python pass (same results).
    """

    def __init__(
        self,
        recognizers: Sequence[Recognizer] | None = None,
        *,
        backend: str = "auto",
        threshold: float = DEFAULT_THRESHOLD,
        entities: Iterable[str] | None = None,
        ner: NerPlugin | None = None,
    ) -> None:
        recs = list(recognizers) if recognizers is not None else default_recognizers()
        if entities is not None:
            wanted = set(entities)
            recs = [r for r in recs if r.entity.value in wanted]
        self.recognizers = recs
        self.threshold = threshold
        self.ner = ner
        self.patterns: list[CompiledPattern] = compile_patterns(recs)
        self._vocabularies = {
            r.name: (Vocabulary(r.context), Vocabulary(r.negative_context)) for r in recs
        }
        self.backend: Backend = make_backend(self.patterns, backend)
        # per pattern, everything the hot loop needs, looked up once
        # (an empty vocabulary is stored as None: one truth test instead of a method call)
        self._plans = [
            (
                cp.recognizer.validate,
                cp.pattern,
                cp.recognizer.entity,
                cp.recognizer.name,
                cp.pattern.name,
                self._vocabularies[cp.recognizer.name][0] or None,
                self._vocabularies[cp.recognizer.name][1] or None,
                cp.recognizer.context_before,
                cp.recognizer.context_after,
                cp.recognizer.context_required,
            )
            for cp in self.patterns
        ]

    # -- one text in memory -------------------------------------------------------------
    def scan_text(self, text: str, source: str = "<text>") -> ScanResult:
        """Scan a whole text (chunked internally when it is large)."""
        result = ScanResult(source=source, chars=len(text))
        result.findings = list(self._scan_pieces(_pieces_of_text(text, result.notes)))
        return result

    def scan_lines(self, lines: Iterable[str], source: str = "<stream>") -> ScanResult:
        """Scan a stream of lines (each ending with its line break) without holding it whole."""
        result = ScanResult(source=source)
        findings: list[Finding] = []
        total = 0
        for piece in _pieces_of_lines(lines, result.notes):
            findings.extend(self._scan_pieces([piece]))
            total = piece.offset + piece.keep_to
        result.findings = findings
        result.chars = total
        return result

    # -- internals ----------------------------------------------------------------------
    def _scan_pieces(self, pieces: Iterable[_Piece]) -> Iterator[Finding]:
        for piece in pieces:
            if piece.offset == 0 and piece.keep_from == 0 and piece.keep_to == len(piece.text):
                yield from self.findings_in(piece.text)  # the whole text in one piece
                continue
            for f in self.findings_in(piece.text):
                if piece.keep_from <= f.start < piece.keep_to:
                    yield Finding(
                        f.entity,
                        f.start + piece.offset,
                        f.end + piece.offset,
                        f.score,
                        f.recognizer,
                        f.pattern,
                        f.context,
                    )

    def findings_in(self, text: str) -> list[Finding]:
        """Findings in one piece of text, overlaps resolved (highest score, then longest)."""
        candidates: list[Finding] = []
        folded = ""
        threshold = self.threshold
        plans = self._plans
        current = -1
        for pid, start, end in self.backend.matches(text):
            if start == end:
                continue
            if pid != current:  # matches come pattern by pattern: unpack each plan once
                current = pid
                (
                    validate,
                    pattern,
                    entity,
                    name,
                    pname,
                    vocabulary,
                    negative,
                    before,
                    after,
                    required,
                ) = plans[pid]
            score = validate(text[start:end], pattern, text, start, end)
            if score is None:
                continue
            if not folded:
                folded = fold(text)
            lo = start - before
            positive = (
                found_in(folded, lo if lo > 0 else 0, end + after, vocabulary, (start, end))
                if vocabulary is not None
                else ()
            )
            if positive:
                score = min(1.0, score + CONTEXT_BOOST)
            else:
                if required:
                    score = min(score, WITHOUT_REQUIRED_CONTEXT)
                if negative is not None and found_in(
                    folded, field_start(folded, start), start, negative
                ):
                    score -= NEGATIVE_PENALTY
            if score >= threshold:
                candidates.append(Finding(entity, start, end, score, name, pname, positive))
        if self.ner is not None:
            candidates.extend(f for f in self.ner.find(text) if f.score >= threshold)
        return resolve_overlaps(candidates)


_SPAN = attrgetter("start", "end")


def _best_first(f: Finding) -> tuple[float, int, int, str, str]:
    return (-f.score, -(f.end - f.start), f.start, f.recognizer, f.pattern)


def resolve_overlaps(candidates: list[Finding]) -> list[Finding]:
    """Keep the best of overlapping findings: higher score, then longer, then earlier.

    Candidates are grouped into clusters of transitively overlapping spans; within a
    cluster the best is kept first and whatever overlaps a kept span is dropped.
    """
    if len(candidates) < 2:
        return candidates
    ordered = sorted(candidates, key=_SPAN)
    kept: list[Finding] = []
    cluster: list[Finding] = [ordered[0]]
    reach = ordered[0].end
    for f in ordered[1:]:
        if f.start < reach:
            cluster.append(f)
            reach = max(reach, f.end)
            continue
        kept.extend(_resolve_cluster(cluster))
        cluster = [f]
        reach = f.end
    kept.extend(_resolve_cluster(cluster))
    kept.sort(key=_SPAN)
    return kept


def _resolve_cluster(cluster: list[Finding]) -> list[Finding]:
    if len(cluster) == 1:
        return cluster
    kept: list[Finding] = []
    for f in sorted(cluster, key=_best_first):
        if all(f.end <= k.start or k.end <= f.start for k in kept):
            kept.append(f)
    return kept


def _long_line_pieces(
    line: str, offset: int, notes: list[SkipNote], where: str
) -> Iterator[_Piece]:
    notes.append(
        SkipNote(
            where, f"line of {len(line)} characters scanned in overlapping windows of {LONG_LINE}"
        )
    )
    for k in range(0, len(line), LONG_LINE):
        lo = max(0, k - OVERLAP)
        hi = min(len(line), k + LONG_LINE + OVERLAP)
        yield _Piece(line[lo:hi], offset + lo, k - lo, min(k + LONG_LINE, len(line)) - lo)


def _pieces_of_lines(lines: Iterable[str], notes: list[SkipNote]) -> Iterator[_Piece]:
    buf: list[str] = []
    size = 0
    offset = 0  # offset of buf's first character in the whole input
    tail = ""  # context carried from the previous piece
    line_no = 0

    def flush() -> _Piece:
        own = "".join(buf)
        return _Piece(tail + own, offset - len(tail), len(tail), len(tail) + len(own))

    for line in lines:
        line_no += 1
        if len(line) > LONG_LINE:
            if buf:
                piece = flush()
                yield piece
                offset += piece.keep_to - piece.keep_from
                buf, size = [], 0
            yield from _long_line_pieces(line, offset, notes, f"line {line_no}")
            offset += len(line)
            tail = line[-OVERLAP:]
            continue
        buf.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            piece = flush()
            yield piece
            offset += size
            tail = piece.text[-OVERLAP:]
            buf, size = [], 0
    if buf:
        yield flush()


def split_lines(text: str) -> Iterator[str]:
    """Lines of ``text`` split at ``\\n`` only (the line break the patterns know), ends kept."""
    start = 0
    n = len(text)
    while start < n:
        stop = text.find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


def _pieces_of_text(text: str, notes: list[SkipNote]) -> Iterator[_Piece]:
    if len(text) <= LONG_LINE:
        yield _Piece(text, 0, 0, len(text))
        return
    yield from _pieces_of_lines(split_lines(text), notes)
