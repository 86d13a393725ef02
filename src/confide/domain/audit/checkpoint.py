"""Checkpoints and signed notes as text (C2SP ``tlog-checkpoint`` and ``signed-note``).

Pure text handling only; the Ed25519 signing and verifying is in ``confide.verifier``
(the domain stays standard-library only).

A checkpoint body (C2SP tlog-checkpoint)::

    <origin>\\n                      e.g. "confide.example.com/audit"
    <tree size, decimal>\\n
    <base64 root hash>\\n
    [extension lines]\\n             Confide writes one: "time <YYYY-MM-DDTHH:MM:SSZ>"

A signed note (C2SP signed-note) is that text, a blank line, and one or more signature
lines ``— <key name> <base64(4-byte key hash || signature)>`` (an em dash, U+2014). The
signature covers the text including its final newline. For Ed25519 the key hash is the
first 4 bytes of ``SHA-256(key name || 0x0A || 0x01 || 32-byte public key)``, and a key
is shared as the verifier-key text ``<name>+<8 hex key hash>+<base64(0x01 || key)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from confide.domain.audit.errors import MalformedCheckpoint

ALG_ED25519 = 0x01
SIG_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100
_NAME = re.compile(r"[^\s+]+")
_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_TIME_PREFIX = "time "


def b64decode_strict(text: str, what: str) -> bytes:
    """Standard base64 (RFC 4648 section 4) with padding; anything else is malformed."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise MalformedCheckpoint(f"{what} is not standard base64") from exc
    if base64.b64encode(raw).decode() != text:
        raise MalformedCheckpoint(f"{what} is not canonical base64")
    return raw


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head: the log ``origin``, its ``size`` and ``root_hash``, and when it was taken."""

    origin: str
    size: int
    root_hash: bytes
    issued_at: datetime | None = None
    extensions: tuple[str, ...] = ()

    def to_text(self) -> str:
        """The checkpoint body, ending in a newline (the text a note signature covers)."""
        if not self.origin or "\n" in self.origin:
            raise MalformedCheckpoint("origin must be one non-empty line")
        if self.size < 0 or len(self.root_hash) != 32:
            raise MalformedCheckpoint("size must be >= 0 and the root hash 32 bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise MalformedCheckpoint("extension lines must be non-empty single lines")
        if any(ord(c) < 0x20 for c in self.origin + "".join(self.extensions)):
            raise MalformedCheckpoint("checkpoint text must not contain control characters")
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        if self.issued_at is not None:
            lines.append(
                _TIME_PREFIX + self.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            )
        lines.extend(self.extensions)
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise MalformedCheckpoint("checkpoint text must end in a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpoint("checkpoint needs origin, size and root hash lines")
        origin, size_text, root_text, *rest = lines
        if not origin:
            raise MalformedCheckpoint("empty origin line")
        if not _SIZE.fullmatch(size_text):
            raise MalformedCheckpoint("tree size is not a decimal without leading zeros")
        root = b64decode_strict(root_text, "root hash")
        if len(root) != 32:
            raise MalformedCheckpoint("root hash is not 32 bytes")
        issued_at = None
        extensions: list[str] = []
        for line in rest:
            if not line:
                raise MalformedCheckpoint("empty extension line")
            if issued_at is None and not extensions and line.startswith(_TIME_PREFIX):
                try:
                    issued_at = datetime.strptime(
                        line[len(_TIME_PREFIX) :], "%Y-%m-%dT%H:%M:%SZ"
                    ).replace(tzinfo=UTC)
                except ValueError as exc:
                    raise MalformedCheckpoint("time line is not YYYY-MM-DDTHH:MM:SSZ") from exc
            else:
                extensions.append(line)
        return cls(origin, int(size_text), root, issued_at, tuple(extensions))


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a signed note."""

    name: str
    key_hash: bytes
    signature: bytes

    def to_line(self) -> str:
        blob = base64.b64encode(self.key_hash + self.signature).decode()
        return f"{SIG_PREFIX}{self.name} {blob}\n"


@dataclass(frozen=True, slots=True)
class SignedNote:
    """A note's text and its signature lines (unverified: verifying is the verifier's job)."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def to_text(self) -> str:
        return self.text + "\n" + "".join(s.to_line() for s in self.signatures)

    @classmethod
    def parse(cls, note: str) -> SignedNote:
        """Parse a signed note; raises :class:`MalformedCheckpoint` if it breaks the format."""
        if any(ord(c) < 0x20 and c != "\n" for c in note):
            raise MalformedCheckpoint("note contains a control character")
        if not note.endswith("\n"):
            raise MalformedCheckpoint("note must end in a newline")
        split = note.rfind("\n\n")
        if split < 0:
            raise MalformedCheckpoint("note has no blank line before its signatures")
        text = note[: split + 1]
        sig_lines = note[split + 2 : -1].split("\n")
        if len(sig_lines) > MAX_SIGNATURES:
            raise MalformedCheckpoint("note has too many signatures")
        signatures = []
        for line in sig_lines:
            if not line.startswith(SIG_PREFIX):
                raise MalformedCheckpoint("signature line does not start with an em dash")
            name, sep, blob = line[len(SIG_PREFIX) :].partition(" ")
            if not sep or not _NAME.fullmatch(name) or " " in blob:
                raise MalformedCheckpoint("signature line is not '— <name> <base64>'")
            raw = b64decode_strict(blob, "signature")
            if len(raw) < 5:
                raise MalformedCheckpoint("signature is too short")
            signatures.append(NoteSignature(name, raw[:4], raw[4:]))
        return cls(text, tuple(signatures))


def key_hash(name: str, key_bytes: bytes) -> bytes:
    """The 4-byte key hash ``SHA-256(name || 0x0A || key_bytes)[:4]``; key_bytes = alg || key."""
    return hashlib.sha256(name.encode() + b"\n" + key_bytes).digest()[:4]


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A named public key in the signed-note verifier-key text form."""

    name: str
    algorithm: int
    public_key: bytes

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, bytes([self.algorithm]) + self.public_key)

    def to_text(self) -> str:
        blob = base64.b64encode(bytes([self.algorithm]) + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{blob}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        parts = text.strip().split("+", 2)
        if len(parts) != 3 or not _NAME.fullmatch(parts[0]) or len(parts[1]) != 8:
            raise MalformedCheckpoint("verifier key is not '<name>+<hash>+<base64 key>'")
        raw = b64decode_strict(parts[2], "verifier key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise MalformedCheckpoint("verifier key is not an Ed25519 key")
        key = cls(parts[0], raw[0], raw[1:])
        if key.key_hash.hex() != parts[1].lower():
            raise MalformedCheckpoint("verifier key hash does not match its name and key")
        return key
