"""The key ring: AES-GCM sealing, rotation, and clear errors for missing or wrong keys."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from confide.adapters.crypto import (
    DecryptionFailed,
    KeyRing,
    KeyUnavailable,
    load_key_ring,
    write_key_ring,
)


def test_sealed_value_opens_with_the_same_ring_and_hides_the_plaintext() -> None:
    ring = KeyRing.generate()
    blob = ring.encrypt(b"score 712", b"rec-1")
    assert b"score 712" not in blob
    assert ring.decrypt(blob, b"rec-1") == b"score 712"


def test_same_plaintext_seals_differently_each_time() -> None:
    ring = KeyRing.generate()
    assert ring.encrypt(b"x") != ring.encrypt(b"x")


def test_wrong_key_is_a_clear_error_not_garbage() -> None:
    blob = KeyRing.generate().encrypt(b"secret")
    with pytest.raises(DecryptionFailed):
        KeyRing.generate().decrypt(blob)


def test_value_moved_to_another_record_fails_authentication() -> None:
    ring = KeyRing.generate()
    blob = ring.encrypt(b"secret", b"personal_info:a")
    with pytest.raises(DecryptionFailed):
        ring.decrypt(blob, b"personal_info:b")


def test_altered_ciphertext_fails_authentication() -> None:
    ring = KeyRing.generate()
    blob = bytearray(ring.encrypt(b"secret"))
    blob[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        ring.decrypt(bytes(blob))


def test_rotation_keeps_old_values_readable_and_seals_new_ones_with_the_new_key() -> None:
    ring = KeyRing.generate()
    old = ring.encrypt(b"old")
    rotated = ring.with_new_active_key()
    assert rotated.active == "k2"
    assert rotated.decrypt(old) == b"old"
    assert rotated.needs_rotation(old)
    assert not rotated.needs_rotation(rotated.encrypt(b"new"))


def test_value_sealed_with_a_key_no_longer_in_the_ring_names_the_key() -> None:
    ring = KeyRing.generate().with_new_active_key()
    blob = ring.encrypt(b"x")
    with pytest.raises(KeyUnavailable, match="k2"):
        KeyRing(keys={"k1": ring.keys["k1"]}, active="k1").decrypt(blob)


def test_key_file_is_created_owner_only_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "confide.key"
    ring = load_key_ring(path, create=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key_ring(path).keys == ring.keys


def test_missing_key_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyUnavailable, match="not found"):
        load_key_ring(tmp_path / "absent.key")


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "confide.key"
    write_key_ring(path, KeyRing.generate())
    os.chmod(path, 0o644)
    with pytest.raises(KeyUnavailable, match="chmod 600"):
        load_key_ring(path)


def test_corrupt_key_ring_is_a_clear_error() -> None:
    with pytest.raises(KeyUnavailable):
        KeyRing.from_json('{"active": "k1", "keys": {"k1": "not base64!"}}')
    with pytest.raises(KeyUnavailable):
        KeyRing.from_json('{"active": "k1", "keys": {"k1": "AAAA"}}')


def test_value_that_is_not_sealed_is_refused() -> None:
    with pytest.raises(DecryptionFailed):
        KeyRing.generate().decrypt(b"plain text")
