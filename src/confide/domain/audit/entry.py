"""The audit entry: what one leaf of the audit log records, and its canonical bytes.

An entry carries no personal information in the clear: ids, an action name, a policy
version id and a *sealed* payload. The payload (the details of the change, which may
name a person) is encrypted with a per-subject key that can be destroyed; the entry
commits only to the key id and to ``SHA-256(ciphertext)``. So:

* the leaf never depends on plaintext (a hash of a short plaintext such as a name could
  be reversed by guessing), and
* destroying the key, or even purging the ciphertext, never changes a leaf: erasing a
  person never breaks the log.

Canonical encoding, version 1 (the Merkle leaf; big-endian integers)::

    entry    = 0x01                         format version
               u64  sequence                0-based leaf index
               str  recorded_at             "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, 27 bytes)
               str  actor
               str  action
               str  object_type
               str  object_id
               opt  str policy_version
               opt  (str key_id || 32 bytes SHA-256 of the ciphertext)
    str      = u16 length || UTF-8 bytes
    opt X    = 0x00 (absent) | 0x01 || X

Every field is length-prefixed or fixed-size, so the encoding is injective: two
different entries never have the same bytes. :func:`decode_entry` is its inverse.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from confide.domain.audit.errors import InvalidEntry

FORMAT_VERSION = 1
DIGEST_SIZE = 32

SYSTEM_ACTOR = "system"

# Ids only: letters, digits and . _ : - (no spaces, no "@"), so a name, an email address
# or free text cannot be put in a clear field by mistake.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ACTOR = re.compile(r"system|[a-z][a-z0-9_]{0,31}:[A-Za-z0-9][A-Za-z0-9._\-]{0,127}")
_U16 = struct.Struct(">H")
_U64 = struct.Struct(">Q")
_HEAD = struct.Struct(">BQH")  # version, sequence, length of the time text
_PRESENT16 = struct.Struct(">BH")  # presence byte, string length


@dataclass(frozen=True, slots=True)
class EncryptedPayload:
    """The sealed details of an entry: a key id and the ciphertext's SHA-256.

    ``ciphertext`` is carried alongside but is not part of the leaf; it may be ``None``
    once purged. While present it must hash to ``digest`` (:meth:`matches`).
    """

    key_id: str
    digest: bytes
    ciphertext: bytes | None = None

    @classmethod
    def seal(cls, key_id: str, ciphertext: bytes) -> EncryptedPayload:
        return cls(key_id, hashlib.sha256(ciphertext).digest(), ciphertext)

    def matches(self) -> bool:
        """True if the ciphertext is purged or hashes to the committed digest."""
        return self.ciphertext is None or hashlib.sha256(self.ciphertext).digest() == self.digest

    def purged(self) -> EncryptedPayload:
        """The same payload reference without its ciphertext (the leaf is unchanged)."""
        return EncryptedPayload(self.key_id, self.digest, None)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record of the audit log (a leaf of its Merkle tree).

    ``sequence`` is the entry's 0-based position in the log; ``actor`` is ``system`` or
    ``<kind>:<id>`` (``staff:42``, ``user:7f3a``); ``action`` is a dotted name
    (``consent.given``, ``decision.made``); ``object_type``/``object_id`` name what
    changed; ``policy_version`` is the id of the policy version in force (POL-1).
    """

    sequence: int
    recorded_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    policy_version: str | None = None
    payload: EncryptedPayload | None = None

    def __post_init__(self) -> None:
        validate_entry(self)

    @property
    def payload_hash(self) -> bytes | None:
        return None if self.payload is None else self.payload.digest

    def canonical_bytes(self) -> bytes:
        return encode_entry(self)


def validate_entry(entry: AuditEntry) -> None:
    """Raise :class:`InvalidEntry` naming the first field that breaks the rules."""
    if not 0 <= entry.sequence < 1 << 63:
        raise InvalidEntry("sequence", "must be a non-negative 63-bit integer")
    at = entry.recorded_at
    if at.tzinfo is None or at.utcoffset() != timedelta(0) or at.year < 1970:
        raise InvalidEntry("recorded_at", "must be an aware UTC datetime after 1970")
    if not _ACTOR.fullmatch(entry.actor):
        raise InvalidEntry("actor", "must be 'system' or '<kind>:<id>'")
    if not _ACTION.fullmatch(entry.action):
        raise InvalidEntry("action", "must be a dotted lower-case name such as consent.given")
    if not _KIND.fullmatch(entry.object_type):
        raise InvalidEntry("object_type", "must be a lower-case name")
    if not _ID.fullmatch(entry.object_id):
        raise InvalidEntry("object_id", "must be an id (letters, digits, . _ : -)")
    if entry.policy_version is not None and not _ID.fullmatch(entry.policy_version):
        raise InvalidEntry("policy_version", "must be an id (letters, digits, . _ : -)")
    if entry.payload is not None:
        if not _ID.fullmatch(entry.payload.key_id):
            raise InvalidEntry("payload.key_id", "must be an id (letters, digits, . _ : -)")
        if len(entry.payload.digest) != DIGEST_SIZE:
            raise InvalidEntry("payload.digest", "must be 32 bytes (SHA-256 of the ciphertext)")


def format_time(at: datetime) -> str:
    """The canonical UTC time text: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_time(text: str) -> datetime:
    """Inverse of :func:`format_time`; raises :class:`InvalidEntry` on any other form."""
    if len(text) == 27 and text[-1] == "Z":
        try:
            at = datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
        except ValueError:
            pass
        else:
            if format_time(at) == text:
                return at
    raise InvalidEntry("recorded_at", "must be YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC)")


def _str(value: str) -> bytes:
    raw = value.encode()
    return _U16.pack(len(raw)) + raw


def encode_entry(entry: AuditEntry) -> bytes:
    """The canonical version-1 bytes of ``entry`` (see the module docstring)."""
    payload = entry.payload
    return encode_fields(
        entry.sequence,
        format_time(entry.recorded_at),
        entry.actor,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.policy_version,
        None if payload is None else payload.key_id,
        None if payload is None else payload.digest,
    )


def encode_fields(
    sequence: int,
    recorded_at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    policy_version: str | None,
    payload_key_id: str | None,
    payload_digest: bytes | None,
) -> bytes:
    """Canonical bytes straight from field texts, without validating them.

    The verifier's fast path: it re-encodes what an export says and lets the hashes judge
    (a field altered in any way, even into an invalid form, changes the leaf).
    """
    a = recorded_at.encode()
    b = actor.encode()
    c = action.encode()
    d = object_type.encode()
    e = object_id.encode()
    head = _HEAD.pack(FORMAT_VERSION, sequence, len(a)) + a
    body = _U16.pack(len(b)) + b + _U16.pack(len(c)) + c + _U16.pack(len(d)) + d
    body += _U16.pack(len(e)) + e
    if policy_version is None:
        body += b"\x00"
    else:
        p = policy_version.encode()
        body += _PRESENT16.pack(1, len(p)) + p
    if payload_key_id is None or payload_digest is None:
        return head + body + b"\x00"
    k = payload_key_id.encode()
    return head + body + _PRESENT16.pack(1, len(k)) + k + payload_digest


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int, field: str) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise InvalidEntry(field, "truncated encoding")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def string(self, field: str) -> str:
        (n,) = _U16.unpack(self.take(2, field))
        try:
            return self.take(n, field).decode()
        except UnicodeDecodeError as exc:
            raise InvalidEntry(field, "not UTF-8") from exc

    def flag(self, field: str) -> bool:
        b = self.take(1, field)
        if b not in (b"\x00", b"\x01"):
            raise InvalidEntry(field, "presence byte must be 0 or 1")
        return b == b"\x01"


def decode_entry(data: bytes, ciphertext: bytes | None = None) -> AuditEntry:
    """Parse canonical bytes back into an entry (``ciphertext`` re-attached if given)."""
    r = _Reader(data)
    if r.take(1, "version") != b"\x01":
        raise InvalidEntry("version", "unknown canonical encoding version")
    (sequence,) = _U64.unpack(r.take(8, "sequence"))
    recorded_at = parse_time(r.string("recorded_at"))
    actor = r.string("actor")
    action = r.string("action")
    object_type = r.string("object_type")
    object_id = r.string("object_id")
    policy_version = r.string("policy_version") if r.flag("policy_version") else None
    payload = None
    if r.flag("payload"):
        key_id = r.string("payload.key_id")
        payload = EncryptedPayload(key_id, r.take(DIGEST_SIZE, "payload.digest"), ciphertext)
    if r.pos != len(data):
        raise InvalidEntry("encoding", "trailing bytes")
    return AuditEntry(
        sequence, recorded_at, actor, action, object_type, object_id, policy_version, payload
    )
