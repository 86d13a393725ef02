"""Ed25519 signing and verification of checkpoints as C2SP signed notes.

The text formats are in :mod:`confide.domain.audit.checkpoint`; this module adds the
cryptography (the ``cryptography`` package). Keys use the signed-note text forms, so
they interoperate with the Go ``sumdb/note`` tools:

* verifier key (public, given to auditors): ``<name>+<hex key hash>+<base64(0x01 || key)>``
* signer key (secret): ``PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>``

By convention the key name is the log's origin line.
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from confide.domain.audit.checkpoint import (
    ALG_ED25519,
    Checkpoint,
    NoteSignature,
    SignedNote,
    VerifierKey,
    b64decode_strict,
)
from confide.domain.audit.errors import MalformedCheckpoint
from confide.verifier.errors import SignatureInvalid

_PRIVATE_PREFIX = "PRIVATE+KEY+"


class CheckpointSigner:
    """Signs checkpoints with one named Ed25519 key (held by the service only)."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        self.name = name
        self._key = private_key
        public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.verifier_key = VerifierKey(name, ALG_ED25519, public)

    @classmethod
    def generate(cls, name: str) -> CheckpointSigner:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_text(cls, text: str) -> CheckpointSigner:
        """Load a ``PRIVATE+KEY+<name>+<hash>+<base64>`` signer key."""
        text = text.strip()
        if not text.startswith(_PRIVATE_PREFIX):
            raise MalformedCheckpoint("signer key does not start with PRIVATE+KEY+")
        parts = text[len(_PRIVATE_PREFIX) :].split("+", 2)
        if len(parts) != 3:
            raise MalformedCheckpoint("signer key is not PRIVATE+KEY+<name>+<hash>+<base64>")
        raw = b64decode_strict(parts[2], "signer key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise MalformedCheckpoint("signer key is not an Ed25519 key")
        signer = cls(parts[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier_key.key_hash.hex() != parts[1].lower():
            raise MalformedCheckpoint("signer key hash does not match its name and key")
        return signer

    def to_text(self) -> str:
        """The secret signer-key text; keep it out of logs and error messages."""
        seed = self._key.private_bytes_raw()
        blob = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"{_PRIVATE_PREFIX}{self.name}+{self.verifier_key.key_hash.hex()}+{blob}"

    def sign_text(self, text: str) -> str:
        """A signed note of ``text`` (which must end in a newline and have no blank line)."""
        if not text.endswith("\n") or "\n\n" in text:
            raise MalformedCheckpoint("note text must end in a newline and have no blank line")
        signature = self._key.sign(text.encode())
        note = SignedNote(text, (NoteSignature(self.name, self.verifier_key.key_hash, signature),))
        return note.to_text()

    def sign(self, checkpoint: Checkpoint) -> str:
        return self.sign_text(checkpoint.to_text())


class CheckpointVerifier:
    """Verifies signed notes against one trusted verifier key.

    As the signed-note specification says: signature lines by other keys are ignored; the
    note verifies if a line by this key (same name and key hash) verifies, and is rejected
    if such a line fails or if there is none.
    """

    def __init__(self, key: VerifierKey) -> None:
        self.key = key
        self._public = Ed25519PublicKey.from_public_bytes(key.public_key)

    @classmethod
    def from_text(cls, text: str) -> CheckpointVerifier:
        return cls(VerifierKey.parse(text))

    def open_note(self, note: str) -> str:
        """The verified text of ``note``; raises SignatureInvalid or MalformedCheckpoint."""
        parsed = SignedNote.parse(note)
        key_hash = self.key.key_hash
        for sig in parsed.signatures:
            if sig.name == self.key.name and sig.key_hash == key_hash:
                try:
                    self._public.verify(sig.signature, parsed.text.encode())
                except InvalidSignature as exc:
                    raise SignatureInvalid(self.key.name, "signature does not verify") from exc
                return parsed.text
        raise SignatureInvalid(self.key.name, "no signature by this key")

    def open(self, note: str, origin: str | None = None) -> Checkpoint:
        """The verified checkpoint in ``note`` (its origin must be ``origin`` when given)."""
        checkpoint = Checkpoint.from_text(self.open_note(note))
        if origin is not None and checkpoint.origin != origin:
            raise MalformedCheckpoint("checkpoint is for another log (origin differs)")
        return checkpoint


def generate_key(name: str) -> tuple[str, str]:
    """A new ``(signer key text, verifier key text)`` pair named ``name``."""
    signer = CheckpointSigner.generate(name)
    return signer.to_text(), signer.verifier_key.to_text()
