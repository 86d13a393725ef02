"""Checkpoint text, signed notes and Ed25519 keys (C2SP tlog-checkpoint and signed-note).

Known-answer vector: the example key and note from the documentation of the reference
implementation of signed notes, Go's ``golang.org/x/mod/sumdb/note`` ("PeterNeumann").
Ed25519 is deterministic, so signing the same text must give the same signature.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from confide.domain.audit.checkpoint import Checkpoint, SignedNote, VerifierKey
from confide.domain.audit.errors import MalformedCheckpoint
from confide.verifier.errors import SignatureInvalid
from confide.verifier.notes import CheckpointSigner, CheckpointVerifier, generate_key

GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ROOT = bytes(range(32))


def test_signing_reproduces_the_reference_note_byte_for_byte() -> None:
    signer = CheckpointSigner.from_text(GO_SKEY)
    assert signer.verifier_key.to_text() == GO_VKEY
    assert signer.sign_text(GO_TEXT) == GO_NOTE
    assert signer.to_text() == GO_SKEY


def test_the_reference_note_verifies_with_the_reference_key() -> None:
    assert CheckpointVerifier.from_text(GO_VKEY).open_note(GO_NOTE) == GO_TEXT


def test_a_changed_text_fails_verification() -> None:
    tampered = GO_NOTE.replace("problem,", "problem;", 1)
    with pytest.raises(SignatureInvalid):
        CheckpointVerifier.from_text(GO_VKEY).open_note(tampered)


def test_a_note_signed_only_by_other_keys_is_refused() -> None:
    _, other_vkey = generate_key("PeterNeumann")
    with pytest.raises(SignatureInvalid):
        CheckpointVerifier.from_text(other_vkey).open_note(GO_NOTE)


def test_signatures_by_unknown_keys_are_ignored() -> None:
    extra = CheckpointSigner.generate("witness.example").sign_text(GO_TEXT)
    extra_line = extra.rpartition("\n\n")[2]
    note = GO_NOTE + extra_line
    assert CheckpointVerifier.from_text(GO_VKEY).open_note(note) == GO_TEXT


def test_checkpoint_text_round_trips() -> None:
    cp = Checkpoint("confide.test/audit", 1234, ROOT, datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC))
    text = cp.to_text()
    assert text == (
        "confide.test/audit\n1234\n"
        + base64.b64encode(ROOT).decode()
        + "\ntime 2026-05-06T07:08:09Z\n"
    )
    assert Checkpoint.from_text(text) == cp


def test_a_signed_checkpoint_opens_to_the_same_checkpoint() -> None:
    signer = CheckpointSigner.generate("confide.test/audit")
    cp = Checkpoint("confide.test/audit", 7, ROOT, None, ("ext line",))
    note = signer.sign(cp)
    assert CheckpointVerifier(signer.verifier_key).open(note, "confide.test/audit") == cp
    with pytest.raises(MalformedCheckpoint):
        CheckpointVerifier(signer.verifier_key).open(note, "another.log")


@pytest.mark.parametrize(
    "text",
    [
        "origin\n12\n",  # no root
        "origin\n012\n" + base64.b64encode(ROOT).decode() + "\n",  # leading zero
        "origin\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n12\n" + base64.b64encode(ROOT[:31]).decode() + "\n",  # short root
        "origin\n12\nnot base64!\n",
        "\n12\n" + base64.b64encode(ROOT).decode() + "\n",  # empty origin
        "origin\n12\n" + base64.b64encode(ROOT).decode(),  # no final newline
    ],
)
def test_malformed_checkpoint_text_is_refused(text: str) -> None:
    with pytest.raises(MalformedCheckpoint):
        Checkpoint.from_text(text)


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT,  # no signature block
        GO_NOTE.replace("\u2014", "--"),  # not an em dash
        GO_NOTE.rstrip("\n"),  # no final newline
        GO_NOTE.replace("PeterNeumann x08", "PeterNeumann  x08"),
        GO_NOTE.replace("problem,", "problem,\t"),  # control character
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(MalformedCheckpoint):
        SignedNote.parse(note)


def test_a_verifier_key_whose_hash_does_not_match_is_refused() -> None:
    with pytest.raises(MalformedCheckpoint):
        VerifierKey.parse(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(MalformedCheckpoint):
        VerifierKey.parse(GO_VKEY.replace("PeterNeumann", "PaulNeumann"))


def test_generated_keys_round_trip_and_work_together() -> None:
    skey, vkey = generate_key("confide.test/audit")
    signer = CheckpointSigner.from_text(skey)
    note = signer.sign_text("hello\n")
    assert CheckpointVerifier.from_text(vkey).open_note(note) == "hello\n"


@pytest.mark.parametrize(
    "checkpoint",
    [
        Checkpoint("confide.test/audit", 1, ROOT, None, ("",)),
        Checkpoint("confide.test/audit", 1, ROOT, None, ("two\nlines",)),
        Checkpoint("confide\ttest", 1, ROOT),
        Checkpoint("", 1, ROOT),
        Checkpoint("confide.test/audit", -1, ROOT),
        Checkpoint("confide.test/audit", 1, ROOT[:16]),
    ],
)
def test_a_checkpoint_that_would_not_parse_back_is_never_written(checkpoint: Checkpoint) -> None:
    with pytest.raises(MalformedCheckpoint):
        checkpoint.to_text()
