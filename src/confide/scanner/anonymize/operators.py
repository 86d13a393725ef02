"""Operators that turn one found value into its safe form.

RET-3: only ``Redact``, ``ReplaceWithType``, ``Generalize`` (and ``Mask`` with nothing kept)
make information anonymous; ``Pseudonym``, ``Encrypt`` and ``Fake`` (keyed) de-identify it,
and de-identified information is still personal information.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import random
import string
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from confide.scanner.anonymize import fakes
from confide.scanner.errors import DecryptionFailed, KeyRequired, UnknownOperator
from confide.scanner.model import Entity

MIN_KEY_BYTES = 16


class Operator(Protocol):
    """Turns a value of an entity into its replacement."""

    name: str
    reversible: bool
    anonymizes: bool  # True when the result no longer identifies anyone (RET-3)

    def apply(self, value: str, entity: Entity) -> str: ...


def _check_key(key: bytes, operator: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise KeyRequired(operator)
    return key


class Redact:
    """Removes the value."""

    name = "redact"
    reversible = False
    anonymizes = True

    def apply(self, value: str, entity: Entity) -> str:
        return ""


class ReplaceWithType:
    """Replaces the value with its entity type: ``<SIN>``."""

    name = "replace"
    reversible = False
    anonymizes = True

    def apply(self, value: str, entity: Entity) -> str:
        return f"<{entity.value}>"


class Mask:
    """Masks letters and digits except the last ``keep_last``; separators stay."""

    name = "mask"
    reversible = False

    def __init__(self, keep_last: int = 4, char: str = "*") -> None:
        self.keep_last = max(0, keep_last)
        self.char = char
        self.anonymizes = self.keep_last == 0

    def apply(self, value: str, entity: Entity) -> str:
        positions = [i for i, c in enumerate(value) if c.isalnum()]
        keep = set(positions[len(positions) - self.keep_last :]) if self.keep_last else set()
        return "".join(
            c if (i in keep or not c.isalnum()) else self.char for i, c in enumerate(value)
        )


def _normalise(value: str) -> str:
    return "".join(c for c in value.casefold() if c.isalnum() or c == "@")


class Pseudonym:
    """Keyed pseudonym: HMAC-SHA-256 of the normalised value; same value, same key, same token."""

    name = "pseudonym"
    reversible = False
    anonymizes = False

    def __init__(self, key: bytes, length: int = 16) -> None:
        self.key = _check_key(key, self.name)
        self.length = length

    def apply(self, value: str, entity: Entity) -> str:
        mac = hmac.new(self.key, f"{entity.value}\x00{_normalise(value)}".encode(), hashlib.sha256)
        return f"{entity.value}_{mac.hexdigest()[: self.length]}"


class Generalize:
    """Keeps the coarse part: postal code -> first three characters, date of birth -> year,
    IPv4 -> its /24 network, IPv6 -> its /48; other entities -> the entity type."""

    name = "generalize"
    reversible = False
    anonymizes = True

    def apply(self, value: str, entity: Entity) -> str:
        if entity is Entity.POSTAL_CODE:
            return value.replace(" ", "").replace("-", "")[:3].upper()
        if entity is Entity.DATE_OF_BIRTH:
            year = fakes.year_of(value)
            return str(year) if year is not None else f"<{entity.value}>"
        if entity is Entity.IP_ADDRESS:
            try:
                address = ipaddress.ip_address(value)
            except ValueError:
                return f"<{entity.value}>"
            prefix = 24 if address.version == 4 else 48
            return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
        return f"<{entity.value}>"


class Encrypt:
    """AES-GCM with a random nonce; ``decrypt`` with the same key gives the value back."""

    name = "encrypt"
    reversible = True
    anonymizes = False

    def __init__(self, key: bytes) -> None:
        key = _check_key(key, self.name)
        self.aead = AESGCM(hashlib.sha256(key).digest())

    def apply(self, value: str, entity: Entity) -> str:
        nonce = os.urandom(12)
        sealed = self.aead.encrypt(nonce, value.encode(), entity.value.encode())
        return "ENC[" + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=") + "]"


def decrypt(token: str, key: bytes, entity: Entity) -> str:
    """The value an ``Encrypt`` token holds (``DecryptionFailed`` if key or token is wrong)."""
    key = _check_key(key, "encrypt")
    if not (token.startswith("ENC[") and token.endswith("]")):
        raise DecryptionFailed()
    body = token[4:-1]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = AESGCM(hashlib.sha256(key).digest()).decrypt(
            raw[:12], raw[12:], entity.value.encode()
        )
    except (InvalidTag, ValueError) as exc:
        raise DecryptionFailed() from exc
    return plain.decode()


class Fake:
    """Format-preserving fake values (Faker ``en_CA``/``fr_CA``): a valid SIN for a SIN, a
    Luhn-valid card of the same length and grouping, a phone in the same layout, and so on.

    With a key the fake is a function of the value (the same everywhere); without one it is
    random but still the same within one document (see ``anonymize_text``).
    """

    name = "fake"
    reversible = False
    anonymizes = False

    def __init__(self, locale: str = "en_CA", key: bytes | None = None) -> None:
        self.locale = locale
        self.key = _check_key(key, self.name) if key is not None else None
        self._rng = random.Random()

    def apply(self, value: str, entity: Entity) -> str:
        if self.key is not None:
            seed = hmac.new(self.key, f"{entity.value}\x00{value}".encode(), hashlib.sha256)
            rng = random.Random(seed.digest())
        else:
            rng = random.Random(self._rng.getrandbits(64))
        return fakes.fake_value(value, entity, rng, self.locale)


def operator_named(
    name: str, *, key: bytes | None = None, keep_last: int = 4, locale: str = "en_CA"
) -> Operator:
    """Build an operator from its name (as used by the CLI and the API)."""
    if name == "redact":
        return Redact()
    if name == "replace":
        return ReplaceWithType()
    if name == "mask":
        return Mask(keep_last=keep_last)
    if name == "generalize":
        return Generalize()
    if name == "pseudonym":
        return Pseudonym(key or b"")
    if name == "encrypt":
        return Encrypt(key or b"")
    if name == "fake":
        return Fake(locale=locale, key=key)
    raise UnknownOperator(name)


def random_letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))
