"""Verify a full audit export, and name the first place that does not verify.

What is checked, and how a failure is named (``Failure.sequence`` is the place in the log):

* every line parses and entries run ``seq`` 0, 1, 2, ...: a gap is a **deleted** entry, a
  sequence seen before an **inserted** one, a sequence that turns up later a
  **reordered** one;
* each entry's leaf hash, recomputed from its fields, equals the leaf hash the log
  recorded (``leaf``): otherwise the entry was **changed** (exact place);
* a payload's ciphertext, when present, hashes to the committed ``sha256``;
* every checkpoint (those in the export and those the auditor supplies) carries a valid
  Ed25519 signature by the given key (**bad signature**), covers no more entries than
  the export holds (entries at the tail **deleted**), and its root hash equals the root
  of the entries at its size. A mismatch with no changed entry in sight means entries
  *and* their recorded leaf hashes were rewritten: the failure names the range between
  the last checkpoint that verified and this one, the finest place the signatures allow;
* checkpoints are consistent with one another: two of the same size with different
  roots, or an earlier one that the entries contradict while a later one matches them
  (the log was rewritten and re-signed), are **inconsistent**;
* every entry is covered by a verified checkpoint (else **unanchored**, unless allowed).

The tree is rebuilt with :class:`~confide.domain.audit.merkle.MerkleTree` on an
:class:`~confide.domain.audit.merkle.ArrayNodeStore` (about 64 bytes per entry).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from confide.domain.audit.checkpoint import Checkpoint
from confide.domain.audit.merkle import HASH_SIZE, ArrayNodeStore, MerkleTree
from confide.domain.errors import ConfideError
from confide.verifier.export import note_size
from confide.verifier.failures import Failure, FailureKind
from confide.verifier.notes import CheckpointVerifier
from confide.verifier.scan import Scan, parse_header, scan_file_range, scan_lines

_BATCH = 65536
_MAX_FAILURES = 1000


@dataclass
class VerificationReport:
    """The verdict: ``ok`` or the failures, the first of which names the place."""

    entries: int = 0
    checkpoints_verified: int = 0
    verified_size: int = 0
    root_hash: bytes | None = None
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first_failure(self) -> Failure | None:
        return min(self.failures, key=Failure.sort_key) if self.failures else None

    def summary(self) -> str:
        if self.ok:
            return (
                f"OK: {self.entries} entries verified against "
                f"{self.checkpoints_verified} signed checkpoint(s), up to size {self.verified_size}"
            )
        first = self.first_failure
        assert first is not None
        return f"FAILED ({len(self.failures)} problem(s)); first: {first.describe()}"


@dataclass
class _Checkpoint:
    line: int | None
    trusted: bool
    checkpoint: Checkpoint
    matches: bool = False


class _Run:
    def __init__(self, verifier: CheckpointVerifier) -> None:
        self.verifier = verifier
        self.report = VerificationReport()
        self.tree = MerkleTree(ArrayNodeStore())
        self.sequences = array("q")
        self.lines = array("q")
        self.origin: str | None = None
        self.notes: list[tuple[int | None, bool, str]] = []
        self.claimed_sizes: list[int] = []
        self.entry_failures: list[int] = []  # sequences named by entry-level failures

    def fail(self, failure: Failure) -> None:
        if len(self.report.failures) < _MAX_FAILURES:
            self.report.failures.append(failure)
        if failure.sequence is not None and failure.checkpoint_size is None:
            self.entry_failures.append(failure.sequence)

    def header(self, text: str | None) -> None:
        if text is None:
            self.fail(Failure(FailureKind.MALFORMED, "export is empty"))
            return
        origin = parse_header(text)
        if isinstance(origin, Failure):
            self.fail(origin)
        else:
            self.origin = origin

    def add(self, scan: Scan) -> None:
        """Join the next scan (already shifted into place) to the log being rebuilt."""
        for failure in scan.failures:
            self.fail(failure)
        self.sequences.extend(scan.sequences)
        self.lines.extend(scan.lines)
        self.notes.extend((line, False, note) for line, note in scan.notes)
        leaves = bytes(scan.leaves)
        step = _BATCH * HASH_SIZE
        for start in range(0, len(leaves), step):
            chunk = leaves[start : start + step]
            self.tree.append_leaf_hashes(
                [chunk[i : i + HASH_SIZE] for i in range(0, len(chunk), HASH_SIZE)]
            )

    def finish(self, trusted: Iterable[str], allow_unanchored: bool) -> VerificationReport:
        self.report.entries = self.tree.size
        self.report.root_hash = self.tree.root()
        self.notes.extend((None, True, note) for note in trusted)
        self.check_sequences()
        self.check_checkpoints(allow_unanchored)
        return self.report

    # ----------------------------------------------------------------- sequences
    def check_sequences(self) -> None:
        seqs = self.sequences
        first_bad = next((p for p, s in enumerate(seqs) if s != p and s != -1), None)
        if first_bad is None:
            return
        s = seqs[first_bad]
        line = self.lines[first_bad]
        if s < first_bad:
            kind, message = (
                FailureKind.INSERTED,
                f"sequence {s} appears again at position {first_bad}: an entry was inserted",
            )
            place = s
        else:
            later = next((q for q in range(first_bad + 1, len(seqs)) if seqs[q] == first_bad), None)
            place = first_bad
            if later is None:
                kind, message = FailureKind.DELETED, f"entry {first_bad} is missing"
            else:
                kind, message = (
                    FailureKind.REORDERED,
                    f"entry {first_bad} appears at position {later} instead of {first_bad}",
                )
        self.fail(Failure(kind, message, place, line))

    # ----------------------------------------------------------------- checkpoints
    def check_checkpoints(self, allow_unanchored: bool) -> None:
        size = self.tree.size
        checked: list[_Checkpoint] = []
        for line, trusted, note in self.notes:
            try:
                cp = self.verifier.open(note, self.origin)
            except ConfideError as exc:
                claimed = _claimed_size(note)
                if claimed is not None:
                    self.claimed_sizes.append(claimed)
                kind = (
                    FailureKind.BAD_SIGNATURE
                    if exc.code == "audit_signature_invalid"
                    else FailureKind.MALFORMED
                )
                what = "trusted checkpoint" if trusted else "checkpoint"
                self.fail(Failure(kind, f"{what}: {exc}", claimed, line, claimed))
                continue
            checked.append(_Checkpoint(line, trusted, cp))
        for c in checked:
            cp = c.checkpoint
            if cp.size > size:
                self.fail(
                    Failure(
                        FailureKind.DELETED,
                        f"a signed checkpoint covers {cp.size} entries but the export holds "
                        f"{size}: entries {size}..{cp.size - 1} are missing",
                        size,
                        c.line,
                        cp.size,
                        cp.size - 1,
                    )
                )
                continue
            c.matches = self.tree.root(cp.size) == cp.root_hash
        verified = sorted({c.checkpoint.size for c in checked if c.matches})
        self.report.checkpoints_verified = sum(1 for c in checked if c.matches)
        self.report.verified_size = verified[-1] if verified else 0
        by_size: dict[int, _Checkpoint] = {}
        for c in checked:
            other = by_size.setdefault(c.checkpoint.size, c)
            if other.checkpoint.root_hash != c.checkpoint.root_hash:
                self.fail(
                    Failure(
                        FailureKind.INCONSISTENT_CHECKPOINT,
                        f"two signed checkpoints of size {c.checkpoint.size} have different roots",
                        c.checkpoint.size,
                        c.line,
                        c.checkpoint.size,
                    )
                )
        for c in checked:
            if c.matches or c.checkpoint.size > size:
                continue
            b = c.checkpoint.size
            a = max((v for v in verified if v < b), default=0)
            explained = any(a <= s < b for s in self.entry_failures)
            if not explained:
                self.fail(
                    Failure(
                        FailureKind.CHANGED,
                        f"entries {a}..{b - 1} and their recorded leaf hashes were rewritten: "
                        f"they do not match the signed checkpoint of size {b}",
                        a,
                        None,
                        None,
                        b - 1,
                    )
                )
            self.fail(
                Failure(
                    FailureKind.CHECKPOINT_MISMATCH,
                    f"signed root of size {b} does not match the entries",
                    b,
                    c.line,
                    b,
                )
            )
            later = [v for v in verified if v > b]
            if later:
                self.fail(
                    Failure(
                        FailureKind.INCONSISTENT_CHECKPOINT,
                        f"the signed checkpoint of size {b} is inconsistent with the later "
                        f"signed checkpoint of size {later[0]}, which matches the entries",
                        b,
                        c.line,
                        b,
                    )
                )
        # Checkpoints whose signature failed count as covering what they claim: they are
        # failures already, and the root cause of the entries being unanchored.
        claimed_sizes = [c.checkpoint.size for c in checked] + self.claimed_sizes
        covered = min(size, max(claimed_sizes, default=0))
        if not allow_unanchored and covered < size:
            self.fail(
                Failure(
                    FailureKind.UNANCHORED,
                    f"entries {covered}..{size - 1} are covered by no signed checkpoint",
                    covered,
                    None,
                    None,
                    size - 1,
                )
            )


def _claimed_size(note: str) -> int | None:
    try:
        return note_size(note)
    except ConfideError:
        return None


def verify_export(
    lines: Iterable[str],
    key: CheckpointVerifier,
    trusted_checkpoints: Iterable[str] = (),
    *,
    allow_unanchored: bool = False,
) -> VerificationReport:
    """Verify an export given as lines of text (e.g. an open file), in this process.

    ``trusted_checkpoints`` are signed notes the auditor kept from earlier publications;
    they are checked like the export's own, so a log rewritten and re-signed afterwards is
    caught (inconsistent checkpoint).
    """
    run = _Run(key)
    it = iter(lines)
    run.header(next(it, None))
    run.add(scan_lines(it, first_line=2))
    return run.finish(trusted_checkpoints, allow_unanchored)


def verify_export_file(
    path: str | Path,
    key: CheckpointVerifier,
    trusted_checkpoints: Iterable[str] = (),
    *,
    allow_unanchored: bool = False,
    workers: int | None = None,
) -> VerificationReport:
    """Verify an export file, scanning its lines in ``workers`` processes (default: all
    cores). The result is the same as :func:`verify_export` on the same file."""
    workers = workers or os.cpu_count() or 1
    ranges = _line_ranges(Path(path), workers * 4)
    run = _Run(key)
    with open(path, "rb") as stream:
        first = stream.readline()
    run.header(first.decode("utf-8", errors="replace") if first else None)
    if workers == 1 or len(ranges) <= 1:
        scans: Iterable[Scan] = (scan_file_range(path, a, b) for a, b in ranges)
        _join(run, scans)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(scan_file_range, path, a, b) for a, b in ranges]
            _join(run, (f.result() for f in futures))
    return run.finish(trusted_checkpoints, allow_unanchored)


def _join(run: _Run, scans: Iterable[Scan]) -> None:
    positions, lines = 0, 1  # line 1 is the header
    for scan in scans:
        run.add(scan.shifted(positions, lines))
        positions += scan.entries
        lines += scan.line_count


def _line_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """Byte ranges after the header line, cut at line boundaries into about ``parts``."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        stream.readline()
        start = stream.tell()
        cuts = [start]
        step = max(1, (size - start) // parts)
        for target in range(start + step, size, step):
            if target <= cuts[-1]:
                continue
            stream.seek(target)
            stream.readline()  # move to the start of the next line
            position = stream.tell()
            if cuts[-1] < position < size:
                cuts.append(position)
    cuts.append(size)
    return [(a, b) for a, b in pairwise(cuts) if b > a]
