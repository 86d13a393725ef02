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

import base64
import binascii
import hashlib
import json
import struct
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from confide.domain.audit.checkpoint import Checkpoint
from confide.domain.audit.entry import encode_fields
from confide.domain.audit.merkle import ArrayNodeStore, MerkleTree
from confide.domain.errors import ConfideError
from confide.verifier.export import FORMAT, VERSION, note_size
from confide.verifier.notes import CheckpointVerifier

_BATCH = 65536
_MAX_FAILURES = 1000


class FailureKind(StrEnum):
    MALFORMED = "malformed"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    CHANGED = "changed"
    PAYLOAD_MISMATCH = "payload_mismatch"
    BAD_SIGNATURE = "bad_signature"
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"
    INCONSISTENT_CHECKPOINT = "inconsistent_checkpoint"
    UNANCHORED = "unanchored"


@dataclass(frozen=True, slots=True)
class Failure:
    """One thing that does not verify. ``sequence`` is its place in the log (an entry's
    sequence, or the size of a checkpoint); ``line`` is the export line (1-based) when
    there is one; ``last_sequence`` closes a range when the place cannot be narrower."""

    kind: FailureKind
    message: str
    sequence: int | None = None
    line: int | None = None
    checkpoint_size: int | None = None
    last_sequence: int | None = None

    def sort_key(self) -> tuple[float, int, int]:
        place = float("inf") if self.sequence is None else self.sequence
        # At one place, report what happened to the entry before what a checkpoint says.
        checkpoint_level = 1 if self.checkpoint_size is not None else 0
        return (place, checkpoint_level, self.line or 0)

    def describe(self) -> str:
        where = []
        if self.sequence is not None:
            where.append(
                f"entries {self.sequence}..{self.last_sequence}"
                if self.last_sequence is not None
                else f"entry {self.sequence}"
            )
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{self.kind.value} at {', '.join(where) or 'export'}: {self.message}"


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
        self.pending: list[bytes] = []
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

    # ----------------------------------------------------------------- lines
    def line(self, number: int, text: str) -> None:
        try:
            record = json.loads(text)
        except ValueError:
            self._malformed(number, "line is not JSON", len(self.sequences))
            return
        kind = record.get("type") if isinstance(record, dict) else None
        if number == 1:
            if kind != "header" or record.get("format") != FORMAT:
                self._malformed(number, "first line is not a confide-audit-export header")
            elif record.get("version") != VERSION:
                self._malformed(number, "unsupported export version")
            elif not isinstance(record.get("origin"), str):
                self._malformed(number, "header has no origin")
            else:
                self.origin = record["origin"]
            return
        if kind == "entry":
            self._entry(number, record)
        elif kind == "checkpoint" and isinstance(record.get("note"), str):
            self.notes.append((number, False, record["note"]))
        else:
            self._malformed(
                number, "line is neither an entry nor a checkpoint", len(self.sequences)
            )

    def _malformed(self, number: int, message: str, sequence: int | None = None) -> None:
        self.fail(Failure(FailureKind.MALFORMED, message, sequence, number))

    def _entry(self, number: int, r: dict[str, Any]) -> None:
        position = len(self.sequences)
        seq = r.get("seq")
        leaf: bytes | None
        try:
            if not isinstance(seq, int) or isinstance(seq, bool):
                raise TypeError
            payload = r["payload"]
            key_id = digest = None
            if payload is not None:
                key_id = payload["key_id"]
                digest = bytes.fromhex(payload["sha256"])
            data = encode_fields(
                seq,
                r["at"],
                r["actor"],
                r["action"],
                r["object_type"],
                r["object_id"],
                r["policy_version"],
                key_id,
                digest,
            )
            recorded = r["leaf"]
            if not isinstance(recorded, str):
                raise TypeError
            leaf = hashlib.sha256(b"\x00" + data).digest()
        except (KeyError, TypeError, ValueError, AttributeError, struct.error):
            self._malformed(number, "entry fields are missing or of the wrong type", position)
            seq = -1
            leaf = None
        self.sequences.append(seq if isinstance(seq, int) else -1)
        self.lines.append(number)
        # A malformed entry still takes its position, so later places stay right.
        self.pending.append(leaf or hashlib.sha256(b"\x00").digest())
        if len(self.pending) >= _BATCH:
            self.flush()
        if leaf is None:
            return
        if leaf.hex() != recorded:
            self.fail(
                Failure(
                    FailureKind.CHANGED,
                    "entry fields do not hash to the leaf hash the log recorded",
                    position,
                    number,
                )
            )
        if payload is not None and payload.get("ciphertext") is not None:
            try:
                ciphertext = base64.b64decode(payload["ciphertext"], validate=True)
            except (binascii.Error, TypeError, ValueError):
                ciphertext = None
            if ciphertext is None or hashlib.sha256(ciphertext).digest() != digest:
                self.fail(
                    Failure(
                        FailureKind.PAYLOAD_MISMATCH,
                        "payload ciphertext does not hash to the committed sha256",
                        position,
                        number,
                    )
                )

    def flush(self) -> None:
        if self.pending:
            self.tree.append_leaf_hashes(self.pending)
            self.pending = []

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
    """Verify an export given as lines of text (e.g. an open file).

    ``trusted_checkpoints`` are signed notes the auditor kept from earlier publications;
    they are checked like the export's own, so a log rewritten and re-signed afterwards is
    caught (inconsistent checkpoint).
    """
    run = _Run(key)
    number = 0
    for number, text in enumerate(lines, start=1):
        if text.strip():
            run.line(number, text)
    if number == 0:
        run.fail(Failure(FailureKind.MALFORMED, "export is empty"))
    run.flush()
    run.report.entries = run.tree.size
    run.report.root_hash = run.tree.root()
    run.notes.extend((None, True, note) for note in trusted_checkpoints)
    run.check_sequences()
    run.check_checkpoints(allow_unanchored)
    return run.report
