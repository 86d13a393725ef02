"""Reading export lines into leaf hashes and entry-level findings.

The per-line work of a verification (parse, re-encode, hash, compare) depends on nothing
but the line, so a file can be cut into byte ranges scanned in parallel processes
(:func:`scan_file_range`); each :class:`Scan` counts positions and lines from its own
start and is shifted into place when the scans are joined in order.
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
from pathlib import Path
from typing import Any

from confide.domain.audit.entry import encode_fields
from confide.verifier.export import FORMAT, VERSION
from confide.verifier.failures import Failure, FailureKind

_MALFORMED_LEAF = hashlib.sha256(b"\x00").digest()


@dataclass
class Scan:
    """What a run of lines holds: leaf hashes (32 bytes each, in order), the ``seq`` each
    entry claims (-1 if unreadable), its line number, entry-level failures, checkpoint
    notes with their line numbers, and how many lines were read."""

    leaves: bytearray = field(default_factory=bytearray)
    sequences: array[int] = field(default_factory=lambda: array("q"))
    lines: array[int] = field(default_factory=lambda: array("q"))
    failures: list[Failure] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    line_count: int = 0

    @property
    def entries(self) -> int:
        return len(self.sequences)

    def shifted(self, positions: int, lines: int) -> Scan:
        if not positions and not lines:
            return self
        return Scan(
            self.leaves,
            self.sequences,
            array("q", (n + lines for n in self.lines)),
            [f.shifted(positions, lines) for f in self.failures],
            [(n + lines, note) for n, note in self.notes],
            self.line_count,
        )


def parse_header(text: str) -> str | Failure:
    """The origin named by the export's first line, or the failure it is."""
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if not isinstance(record, dict) or record.get("type") != "header":
        return Failure(FailureKind.MALFORMED, "first line is not an export header", None, 1)
    if record.get("format") != FORMAT:
        return Failure(FailureKind.MALFORMED, "not a confide-audit-export", None, 1)
    if record.get("version") != VERSION:
        return Failure(FailureKind.MALFORMED, "unsupported export version", None, 1)
    origin = record.get("origin")
    if not isinstance(origin, str):
        return Failure(FailureKind.MALFORMED, "header has no origin", None, 1)
    return origin


def scan_lines(texts: Iterable[str], first_line: int = 1) -> Scan:
    """Scan lines (numbered from ``first_line``; entry positions from 0)."""
    scan = Scan()
    number = first_line - 1
    for number, text in enumerate(texts, start=first_line):
        if text.strip():
            _line(scan, number, text)
    scan.line_count = number - first_line + 1
    return scan


def scan_file_range(path: str | Path, start: int, end: int) -> Scan:
    """Scan the lines in bytes ``[start, end)`` of ``path`` (both on line boundaries)."""
    with open(path, "rb") as stream:
        stream.seek(start)
        data = stream.read(end - start)
    lines = data.decode("utf-8", errors="replace").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return scan_lines(lines)


def _line(scan: Scan, number: int, text: str) -> None:
    try:
        record = json.loads(text)
    except ValueError:
        _malformed(scan, number, "line is not JSON")
        return
    kind = record.get("type") if isinstance(record, dict) else None
    if kind == "entry":
        _entry(scan, number, record)
    elif kind == "checkpoint" and isinstance(record.get("note"), str):
        scan.notes.append((number, record["note"]))
    else:
        _malformed(scan, number, "line is neither an entry nor a checkpoint")


def _malformed(scan: Scan, number: int, message: str) -> None:
    scan.failures.append(Failure(FailureKind.MALFORMED, message, scan.entries, number))


def _entry(scan: Scan, number: int, r: dict[str, Any]) -> None:
    position = scan.entries
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
        _malformed(scan, number, "entry fields are missing or of the wrong type")
        leaf = None
    scan.sequences.append(seq if leaf is not None and isinstance(seq, int) else -1)
    scan.lines.append(number)
    # A malformed entry still takes its position, so later places stay right.
    scan.leaves += leaf or _MALFORMED_LEAF
    if leaf is None:
        return
    if leaf.hex() != recorded:
        scan.failures.append(
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
            scan.failures.append(
                Failure(
                    FailureKind.PAYLOAD_MISMATCH,
                    "payload ciphertext does not hash to the committed sha256",
                    position,
                    number,
                )
            )
