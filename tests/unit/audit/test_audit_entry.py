"""The audit entry model and its canonical encoding (the Merkle leaf)."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from audit_support import make_entry
from hypothesis import given
from hypothesis import strategies as st

from confide.domain.audit.entry import (
    AuditEntry,
    EncryptedPayload,
    decode_entry,
    encode_entry,
    format_time,
    parse_time,
)
from confide.domain.audit.errors import InvalidEntry

AT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def _entry(**changes: object) -> AuditEntry:
    base = AuditEntry(
        sequence=42,
        recorded_at=AT,
        actor="staff:17",
        action="consent.given",
        object_type="consent",
        object_id="c-81",
        policy_version="pv-3",
        payload=EncryptedPayload.seal("sk-7", b"\x01\x02opaque"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_canonical_bytes_follow_the_documented_layout() -> None:
    entry = _entry()
    digest = hashlib.sha256(b"\x01\x02opaque").digest()

    def s(text: str) -> bytes:
        return struct.pack(">H", len(text.encode())) + text.encode()

    expected = (
        b"\x01"
        + struct.pack(">Q", 42)
        + s("2026-03-04T05:06:07.890123Z")
        + s("staff:17")
        + s("consent.given")
        + s("consent")
        + s("c-81")
        + b"\x01"
        + s("pv-3")
        + b"\x01"
        + s("sk-7")
        + digest
    )
    assert encode_entry(entry) == expected


def test_absent_optional_fields_are_encoded_as_a_zero_byte() -> None:
    encoded = encode_entry(_entry(policy_version=None, payload=None))
    assert encoded.endswith(b"\x00\x00")


def test_the_leaf_commits_to_the_ciphertext_hash_not_the_ciphertext() -> None:
    entry = _entry()
    assert entry.payload is not None
    purged = replace(entry, payload=entry.payload.purged())
    assert encode_entry(purged) == encode_entry(entry)
    assert b"opaque" not in encode_entry(entry)


def test_a_payload_with_another_ciphertext_does_not_match_its_digest() -> None:
    payload = EncryptedPayload.seal("sk-7", b"one")
    assert payload.matches()
    assert not replace(payload, ciphertext=b"two").matches()
    assert payload.purged().matches()


@pytest.mark.parametrize("seq", [0, 1, 5, 12, 29])
def test_decode_is_the_inverse_of_encode(seq: int) -> None:
    entry = make_entry(seq)
    ciphertext = entry.payload.ciphertext if entry.payload else None
    assert decode_entry(encode_entry(entry), ciphertext) == entry


@given(
    st.integers(0, 2**63 - 1),
    st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(9999, 1, 1), timezones=st.just(UTC)
    ),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,20}", fullmatch=True),
    st.one_of(st.none(), st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)),
    st.binary(max_size=40),
)
def test_decode_inverts_encode_for_any_valid_entry(
    seq: int, at: datetime, object_id: str, policy: str | None, ciphertext: bytes
) -> None:
    entry = _entry(
        sequence=seq,
        recorded_at=at,
        object_id=object_id,
        policy_version=policy,
        payload=EncryptedPayload.seal("sk-1", ciphertext).purged(),
    )
    assert decode_entry(encode_entry(entry)) == entry


def test_different_entries_never_share_bytes_even_when_fields_shift() -> None:
    # Length prefixes keep "ab" + "c" apart from "a" + "bc".
    a = _entry(object_type="ab", object_id="c")
    b = _entry(object_type="a", object_id="bc")
    assert encode_entry(a) != encode_entry(b)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "jane.doe@example.com"),
        ("actor", "Jane Doe"),
        ("object_id", "jane.doe@example.com"),
        ("object_id", "Jean Tremblay"),
        ("action", "Consent Given"),
        ("object_type", "Consent"),
        ("policy_version", "v 1"),
        ("sequence", -1),
        ("recorded_at", datetime(2026, 1, 1)),
        ("recorded_at", datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_clear_fields_accept_ids_only(field: str, value: object) -> None:
    with pytest.raises(InvalidEntry) as err:
        _entry(**{field: value})
    assert err.value.field == field
    assert str(value) not in str(err.value)  # the message never echoes the value


def test_a_key_id_that_is_not_an_id_is_refused() -> None:
    with pytest.raises(InvalidEntry) as err:
        _entry(payload=EncryptedPayload.seal("key of Jane", b"x"))
    assert err.value.field == "payload.key_id"


def test_canonical_time_is_utc_with_microseconds() -> None:
    assert format_time(AT) == "2026-03-04T05:06:07.890123Z"
    assert format_time(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000000Z"
    assert parse_time("2026-03-04T05:06:07.890123Z") == AT


@pytest.mark.parametrize(
    "text",
    ["2026-03-04T05:06:07Z", "2026-03-04T05:06:07.890123+00:00", "2026-03-04 05:06:07.890123Z"],
)
def test_non_canonical_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidEntry):
        parse_time(text)


def test_truncated_or_padded_encodings_are_refused() -> None:
    data = encode_entry(_entry())
    with pytest.raises(InvalidEntry):
        decode_entry(data[:-1])
    with pytest.raises(InvalidEntry):
        decode_entry(data + b"\x00")
    with pytest.raises(InvalidEntry):
        decode_entry(b"\x02" + data[1:])
