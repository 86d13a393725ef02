"""The audit export: a JSON Lines file of entries and signed checkpoints (format version 1).

One JSON object per line (UTF-8, ``\\n``-terminated), in this order::

    {"type": "header", "format": "confide-audit-export", "version": 1, "origin": "<log origin>"}
    {"type": "entry", "seq": 0, "at": "2026-11-29T15:00:00.000000Z", "actor": "staff:42",
     "action": "consent.given", "object_type": "consent", "object_id": "c-81",
     "policy_version": "pv-3", "payload": {"key_id": "sk-7", "sha256": "<hex>",
     "ciphertext": "<base64>" | null} | null, "leaf": "<hex leaf hash recorded by the log>"}
    ...
    {"type": "checkpoint", "note": "<the signed checkpoint note, verbatim>"}

* Entries come in log order, ``seq`` 0, 1, 2, ... with no gap.
* ``leaf`` is the leaf hash the log stored when the entry was appended (its node store);
  the verifier recomputes it from the fields, and a difference names the entry exactly.
* A checkpoint line may come anywhere after the header; the writer puts each one right
  after the last entry it covers. The last checkpoint should cover every entry (the
  service signs one at export time); entries no checkpoint covers are reported.
* ``ciphertext`` may be ``null`` (payload purged, or key destroyed and data dropped);
  the leaf only commits to ``key_id`` and ``sha256``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from confide.domain.audit.checkpoint import Checkpoint, SignedNote
from confide.domain.audit.entry import AuditEntry, EncryptedPayload, format_time, parse_time

FORMAT = "confide-audit-export"
VERSION = 1


def header_record(origin: str) -> dict[str, Any]:
    return {"type": "header", "format": FORMAT, "version": VERSION, "origin": origin}


def entry_record(entry: AuditEntry, leaf: bytes) -> dict[str, Any]:
    """The export line of ``entry`` with the leaf hash the log recorded for it."""
    payload = entry.payload
    return {
        "type": "entry",
        "seq": entry.sequence,
        "at": format_time(entry.recorded_at),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "policy_version": entry.policy_version,
        "payload": None
        if payload is None
        else {
            "key_id": payload.key_id,
            "sha256": payload.digest.hex(),
            "ciphertext": None
            if payload.ciphertext is None
            else base64.b64encode(payload.ciphertext).decode(),
        },
        "leaf": leaf.hex(),
    }


def entry_from_record(record: Mapping[str, Any]) -> AuditEntry:
    """An entry back from its export line (validating every field)."""
    raw = record.get("payload")
    payload = None
    if raw is not None:
        ciphertext = raw.get("ciphertext")
        payload = EncryptedPayload(
            raw["key_id"],
            bytes.fromhex(raw["sha256"]),
            None if ciphertext is None else base64.b64decode(ciphertext, validate=True),
        )
    return AuditEntry(
        record["seq"],
        parse_time(record["at"]),
        record["actor"],
        record["action"],
        record["object_type"],
        record["object_id"],
        record.get("policy_version"),
        payload,
    )


def checkpoint_record(note: str) -> dict[str, Any]:
    return {"type": "checkpoint", "note": note}


def _dump(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class ExportWriter:
    """Writes an export to a text stream: ``header`` first, then entries and checkpoints.

    Checkpoints given to :meth:`write` are placed right after the last entry they cover.
    """

    def __init__(self, stream: TextIO, origin: str) -> None:
        self.stream = stream
        self.origin = origin
        self.entries = 0
        stream.write(_dump(header_record(origin)))

    def entry(self, entry: AuditEntry, leaf: bytes) -> None:
        self.stream.write(_dump(entry_record(entry, leaf)))
        self.entries += 1

    def checkpoint(self, note: str) -> None:
        self.stream.write(_dump(checkpoint_record(note)))

    def write(self, entries: Iterable[tuple[AuditEntry, bytes]], notes: Iterable[str]) -> None:
        """All ``(entry, leaf hash)`` pairs and signed checkpoint notes, interleaved by size."""
        pending = sorted(notes, key=note_size)
        i = 0
        for entry, leaf in entries:
            while i < len(pending) and note_size(pending[i]) <= self.entries:
                self.checkpoint(pending[i])
                i += 1
            self.entry(entry, leaf)
        for note in pending[i:]:
            self.checkpoint(note)


def note_size(note: str) -> int:
    """The tree size a signed checkpoint note claims (unverified; for ordering only)."""
    return Checkpoint.from_text(SignedNote.parse(note).text).size
