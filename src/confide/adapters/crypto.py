"""AES-GCM encryption of sensitive values at rest, with a key ring that rotates.

The key ring is JSON: ``{"version": 1, "active": "k2", "keys": {"k1": "<base64>", "k2": "<base64>"}}``,
read from a key file (created with mode 0600 on first run of the embedded default)
or from ``CONFIDE_KEYS``. A sealed value names the key that sealed it, so old
values stay readable after rotation until they are re-encrypted
(``confide keys rotate``). A missing key or a value that fails authentication is
a clear error, never garbage.

Sealed layout: ``b"CF1" | len(key id) (1 byte) | key id | nonce (12) | ciphertext+tag``.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from confide.adapters.files import private_directory
from confide.domain.errors import ConfideError

MAGIC = b"CF1"


class KeyUnavailable(ConfideError):
    code = "key_unavailable"
    title = "Encryption key unavailable"


class DecryptionFailed(ConfideError):
    code = "decryption_failed"
    title = "A value could not be decrypted"


@dataclass
class KeyRing:
    """The encryption keys by id and the active one (which seals new values)."""

    keys: dict[str, bytes]
    active: str

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise KeyUnavailable(f"the active key {self.active!r} is not in the key ring")
        for kid, key in self.keys.items():
            if len(key) != 32:
                raise KeyUnavailable(f"key {kid!r} is not a 256-bit key")
        self._aead = {kid: AESGCM(key) for kid, key in self.keys.items()}

    # --- Cipher port -------------------------------------------------------------------------
    def encrypt(self, plaintext: bytes, associated_data: bytes = b"") -> bytes:
        kid = self.active.encode()
        nonce = os.urandom(12)
        return (
            MAGIC
            + bytes([len(kid)])
            + kid
            + nonce
            + self._aead[self.active].encrypt(nonce, plaintext, associated_data)
        )

    def decrypt(self, blob: bytes, associated_data: bytes = b"") -> bytes:
        kid, nonce, body = self._split(blob)
        aead = self._aead.get(kid)
        if aead is None:
            raise KeyUnavailable(
                f"the value was sealed with key {kid!r}, which is not in the key ring"
            )
        try:
            return aead.decrypt(nonce, body, associated_data)
        except InvalidTag as exc:
            raise DecryptionFailed(
                f"a value sealed with key {kid!r} failed authentication (wrong key or altered data)"
            ) from exc

    def derive(self, purpose: str) -> bytes:
        """A 256-bit key for ``purpose`` (an HMAC key, say), derived from the active key with
        HKDF-SHA256: never the encryption key itself, and a different key for each purpose."""
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=f"confide:{purpose}".encode())
        return hkdf.derive(self.keys[self.active])

    def needs_rotation(self, blob: bytes) -> bool:
        return self._split(blob)[0] != self.active

    # --- key management ------------------------------------------------------------------------
    @staticmethod
    def _split(blob: bytes) -> tuple[str, bytes, bytes]:
        if not blob.startswith(MAGIC) or len(blob) < 4:
            raise DecryptionFailed("the stored value is not a sealed Confide value")
        n = blob[3]
        kid = blob[4 : 4 + n].decode("ascii", errors="replace")
        nonce = blob[4 + n : 16 + n]
        return kid, nonce, blob[16 + n :]

    @classmethod
    def generate(cls) -> KeyRing:
        return cls(keys={"k1": AESGCM.generate_key(bit_length=256)}, active="k1")

    def with_new_active_key(self) -> KeyRing:
        n = 1 + max((int(k[1:]) for k in self.keys if k[1:].isdigit()), default=0)
        kid = f"k{n}"
        return KeyRing(keys={**self.keys, kid: AESGCM.generate_key(bit_length=256)}, active=kid)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "active": self.active,
                "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()},
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, origin: str = "key ring") -> KeyRing:
        try:
            data = json.loads(text)
            keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
            return cls(keys=keys, active=str(data["active"]))
        except KeyUnavailable:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyUnavailable(f"the {origin} is not a valid Confide key ring") from exc


def load_key_ring(
    key_file: Path, inline_json: str | None = None, *, create: bool = False
) -> KeyRing:
    """Read the key ring from ``inline_json`` or ``key_file``; create the file (0600) if asked."""
    if inline_json:
        return KeyRing.from_json(inline_json, "CONFIDE_KEYS value")
    if not key_file.exists():
        if not create:
            raise KeyUnavailable(
                f"key file {key_file} not found: set CONFIDE_KEY_FILE or CONFIDE_KEYS, "
                "or run `confide keys init`"
            )
        ring = KeyRing.generate()
        write_key_ring(key_file, ring)
        return ring
    if key_file.stat().st_mode & 0o077:
        raise KeyUnavailable(f"key file {key_file} is readable by others: run chmod 600 on it")
    return KeyRing.from_json(key_file.read_text(), f"key file {key_file}")


def write_key_ring(key_file: Path, ring: KeyRing) -> None:
    """Write atomically with owner-only permissions from the first byte."""
    private_directory(key_file.parent)
    tmp = key_file.with_name(f".{key_file.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(ring.to_json())
    os.replace(tmp, key_file)
