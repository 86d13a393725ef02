"""Tamper tests: any change to an export makes verification fail and names the place."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest
from audit_support import SignedLog, build_log, dump, records
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from confide.domain.audit.entry import encode_fields
from confide.domain.audit.merkle import leaf_hash
from confide.verifier.failures import FailureKind
from confide.verifier.verify import VerificationReport, verify_export, verify_export_file


def _verify(log: SignedLog, lines: list[str], *trusted: str) -> VerificationReport:
    return verify_export(lines, log.verifier, trusted)


def _entry_index(recs: list[dict[str, object]], seq: int) -> int:
    return next(i for i, r in enumerate(recs) if r["type"] == "entry" and r["seq"] == seq)


def _rehash(rec: dict[str, object]) -> None:
    """Recompute a record's recorded leaf hash, as a forger who knows the format would."""
    payload = rec["payload"]
    assert payload is None or isinstance(payload, dict)
    data = encode_fields(
        rec["seq"],  # type: ignore[arg-type]
        rec["at"],  # type: ignore[arg-type]
        rec["actor"],  # type: ignore[arg-type]
        rec["action"],  # type: ignore[arg-type]
        rec["object_type"],  # type: ignore[arg-type]
        rec["object_id"],  # type: ignore[arg-type]
        rec["policy_version"],  # type: ignore[arg-type]
        None if payload is None else payload["key_id"],
        None if payload is None else bytes.fromhex(payload["sha256"]),
    )
    rec["leaf"] = leaf_hash(data).hex()


def test_an_untouched_export_verifies(log: SignedLog) -> None:
    report = _verify(log, log.export_lines())
    assert report.ok, report.summary()
    assert report.entries == 20
    assert report.checkpoints_verified == 3
    assert report.verified_size == 20
    assert report.root_hash == log.tree.root()


def test_a_changed_entry_is_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    recs[_entry_index(recs, 11)]["action"] = "consent.withdrawn"
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert not report.ok and first is not None
    assert (first.kind, first.sequence) == (FailureKind.CHANGED, 11)
    assert first.line == _entry_index(recs, 11) + 1


def test_a_changed_entry_with_a_recomputed_leaf_hash_is_placed_between_checkpoints(
    log: SignedLog,
) -> None:
    recs = records(log.export_lines())
    rec = recs[_entry_index(recs, 11)]
    rec["object_id"] = "c-999"
    _rehash(rec)
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert not report.ok and first is not None
    # Checkpoint 8 still verifies and 16 does not: the change lies in entries 8..15.
    assert (first.kind, first.sequence, first.last_sequence) == (FailureKind.CHANGED, 8, 15)
    kinds = {f.kind for f in report.failures}
    assert FailureKind.CHECKPOINT_MISMATCH in kinds


def test_a_deleted_entry_is_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    del recs[_entry_index(recs, 5)]
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.DELETED, 5)


def test_deleting_the_last_entries_is_caught_by_the_checkpoint_that_covers_them(
    log: SignedLog,
) -> None:
    recs = records(log.export_lines())
    recs = [r for r in recs if not (r["type"] == "entry" and r["seq"] >= 18)]
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence, first.last_sequence) == (FailureKind.DELETED, 18, 19)


def test_an_inserted_entry_is_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    at = _entry_index(recs, 9)
    forged = dict(recs[at])
    forged["object_id"] = "c-forged"
    _rehash(forged)
    recs.insert(at, forged)
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.INSERTED, 9)


def test_reordered_entries_are_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    a, b = _entry_index(recs, 3), _entry_index(recs, 4)
    recs[a], recs[b] = recs[b], recs[a]
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.REORDERED, 3)


def test_a_forged_checkpoint_signature_is_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    cp = next(r for r in recs if r["type"] == "checkpoint" and "\n16\n" in r["note"])
    text, _, sig_line = cp["note"].rpartition("\n\n")
    name, blob = sig_line.removeprefix("\u2014 ").split()
    raw = bytearray(base64.b64decode(blob))
    raw[10] ^= 1
    cp["note"] = f"{text}\n\n\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.checkpoint_size) == (FailureKind.BAD_SIGNATURE, 16)
    assert first.line == recs.index(cp) + 1


def test_a_checkpoint_signed_by_another_key_does_not_count(log: SignedLog) -> None:
    other = build_log(20, (20,), seed=9)
    recs = records(log.export_lines())
    recs = [r for r in recs if r["type"] != "checkpoint"]
    recs.append({"type": "checkpoint", "note": other.notes[20]})
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert first.kind == FailureKind.BAD_SIGNATURE


def test_a_checkpoint_with_a_changed_root_fails_its_signature(log: SignedLog) -> None:
    recs = records(log.export_lines())
    cp = next(r for r in recs if r["type"] == "checkpoint" and "\n8\n" in r["note"])
    lines = cp["note"].split("\n")
    lines[2] = base64.b64encode(b"\x00" * 32).decode()
    cp["note"] = "\n".join(lines)
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.checkpoint_size) == (FailureKind.BAD_SIGNATURE, 8)


def test_a_rewritten_and_resigned_log_is_inconsistent_with_a_kept_checkpoint() -> None:
    honest = build_log(20, (8, 20))
    kept = honest.notes[8]  # the auditor kept the checkpoint published at size 8
    # The operator (who holds the key) rewrites entry 3 and re-signs a new checkpoint.
    entries = list(honest.entries)
    entries[3] = replace(entries[3], object_id="c-rewritten")
    forged = build_log(20, (20,), entries=entries)
    report = verify_export(forged.export_lines(), forged.verifier, [kept])
    assert not report.ok
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence, first.last_sequence) == (FailureKind.CHANGED, 0, 7)
    inconsistent = [f for f in report.failures if f.kind == FailureKind.INCONSISTENT_CHECKPOINT]
    assert [f.checkpoint_size for f in inconsistent] == [8]
    # Without the kept checkpoint the rewrite cannot be seen: that is what publishing is for.
    assert verify_export(forged.export_lines(), forged.verifier).ok


def test_two_checkpoints_of_one_size_with_different_roots_are_inconsistent() -> None:
    honest = build_log(12, (12,))
    entries = list(honest.entries)
    entries[0] = replace(entries[0], object_id="c-other")
    forged = build_log(12, (), entries=entries)
    report = verify_export(honest.export_lines(), honest.verifier, [forged.checkpoint(12)])
    kinds = [f.kind for f in report.failures]
    assert FailureKind.INCONSISTENT_CHECKPOINT in kinds


def test_a_payload_whose_ciphertext_was_swapped_is_named(log: SignedLog) -> None:
    recs = records(log.export_lines())
    rec = recs[_entry_index(recs, 7)]
    assert isinstance(rec["payload"], dict)
    rec["payload"]["ciphertext"] = base64.b64encode(b"another ciphertext").decode()
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.PAYLOAD_MISMATCH, 7)


def test_a_purged_ciphertext_still_verifies(log: SignedLog) -> None:
    recs = records(log.export_lines())
    for rec in recs:
        if rec["type"] == "entry" and rec["payload"] is not None:
            rec["payload"]["ciphertext"] = None
    assert _verify(log, dump(recs)).ok


def test_entries_after_the_last_checkpoint_are_unanchored() -> None:
    log = build_log(20, (8, 16))
    report = verify_export(log.export_lines(), log.verifier)
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.sequence, first.last_sequence) == (FailureKind.UNANCHORED, 16, 19)
    assert verify_export(log.export_lines(), log.verifier, allow_unanchored=True).ok


def test_an_export_of_another_log_is_refused(log: SignedLog) -> None:
    recs = records(log.export_lines())
    recs[0]["origin"] = "elsewhere.example/audit"
    report = _verify(log, dump(recs))
    assert not report.ok
    assert {f.kind for f in report.failures} >= {FailureKind.MALFORMED}


def test_a_line_that_is_not_json_is_named(log: SignedLog) -> None:
    lines = log.export_lines()
    lines[4] = lines[4][:20] + "\n"
    report = _verify(log, lines)
    first = report.first_failure
    assert first is not None
    assert (first.kind, first.line) == (FailureKind.MALFORMED, 5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("at", "2026-01-01T00:00:13.000170Z"),
        ("actor", "staff:99"),
        ("action", "decision.made"),
        ("object_type", "disclosure"),
        ("object_id", "c-14"),
        ("policy_version", "pv-x"),
        ("policy_version", None),
    ],
)
def test_every_clear_field_is_covered_by_the_leaf(
    log: SignedLog, field: str, value: str | None
) -> None:
    recs = records(log.export_lines())
    rec = recs[_entry_index(recs, 13)]
    assert rec[field] != value
    rec[field] = value
    first = _verify(log, dump(recs)).first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.CHANGED, 13)


@pytest.mark.parametrize("part", ["key_id", "sha256"])
def test_the_payload_reference_is_covered_by_the_leaf(log: SignedLog, part: str) -> None:
    recs = records(log.export_lines())
    rec = recs[_entry_index(recs, 13)]
    payload = rec["payload"]
    assert isinstance(payload, dict)
    payload[part] = "sk-other" if part == "key_id" else "00" * 32
    payload["ciphertext"] = None
    first = _verify(log, dump(recs)).first_failure
    assert first is not None
    assert (first.kind, first.sequence) == (FailureKind.CHANGED, 13)


_FIELDS = ("at", "actor", "action", "object_type", "object_id", "policy_version", "leaf")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 19), st.sampled_from(_FIELDS), st.integers(0, 200), st.characters())
def test_any_one_character_change_to_an_entry_fails_verification(
    log: SignedLog, seq: int, field: str, where: int, char: str
) -> None:
    recs = records(log.export_lines())
    rec = recs[_entry_index(recs, seq)]
    value = rec[field]
    assert isinstance(value, str) or value is None
    text = value or ""
    i = where % (len(text) + 1)
    changed = text[:i] + char + text[i + 1 :]
    assume(changed != text)
    rec[field] = changed
    report = _verify(log, dump(recs))
    first = report.first_failure
    assert first is not None
    assert first.sequence is not None and first.sequence <= seq


def _tampered_variants(log: SignedLog) -> list[list[str]]:
    intact = log.export_lines()
    changed = records(intact)
    changed[_entry_index(changed, 11)]["action"] = "consent.withdrawn"
    deleted = records(intact)
    del deleted[_entry_index(deleted, 5)]
    garbled = list(intact)
    garbled[4] = garbled[4][:20] + "\n"
    return [intact, dump(changed), dump(deleted), garbled]


@pytest.mark.parametrize("variant", range(4))
@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_scanned_in_chunks_gives_the_same_report_as_one_stream(
    tmp_path: Path, log: SignedLog, variant: int, workers: int
) -> None:
    lines = _tampered_variants(log)[variant]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    streamed = verify_export(lines, log.verifier)
    chunked = verify_export_file(path, log.verifier, workers=workers)
    assert chunked.ok == streamed.ok
    assert chunked.first_failure == streamed.first_failure
    assert sorted(chunked.failures, key=lambda f: f.sort_key()) == sorted(
        streamed.failures, key=lambda f: f.sort_key()
    )
    assert (chunked.entries, chunked.root_hash) == (streamed.entries, streamed.root_hash)
