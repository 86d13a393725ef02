"""Single proofs against signed checkpoints, proof documents, and the auditor's CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_support import SignedLog, build_log, dump, make_entry, records

from confide.verifier.__main__ import main
from confide.verifier.proofs import (
    consistency_document,
    inclusion_document,
    verify_consistency_proof,
    verify_inclusion_proof,
    verify_proof_document,
)


def test_an_inclusion_proof_against_a_signed_checkpoint_says_yes(log: SignedLog) -> None:
    proof = log.tree.inclusion_proof(11, 16)
    verdict = verify_inclusion_proof(
        log.verifier, log.notes[16], 11, log.tree.leaf_hash_at(11), proof
    )
    assert verdict.ok, verdict.reason
    assert verdict.checkpoint is not None and verdict.checkpoint.size == 16


def test_an_inclusion_proof_for_another_entry_says_no(log: SignedLog) -> None:
    proof = log.tree.inclusion_proof(11, 16)
    verdict = verify_inclusion_proof(
        log.verifier, log.notes[16], 11, log.tree.leaf_hash_at(12), proof
    )
    assert not verdict.ok


def test_an_inclusion_proof_against_a_forged_checkpoint_says_no(log: SignedLog) -> None:
    other = build_log(20, (16,), seed=3)
    proof = other.tree.inclusion_proof(11, 16)
    verdict = verify_inclusion_proof(
        log.verifier, other.notes[16], 11, other.tree.leaf_hash_at(11), proof
    )
    assert not verdict.ok
    assert "signature" in verdict.reason


def test_a_consistency_proof_between_signed_checkpoints_says_yes(log: SignedLog) -> None:
    proof = log.tree.consistency_proof(8, 20)
    assert verify_consistency_proof(log.verifier, log.notes[8], log.notes[20], proof).ok


def test_a_consistency_proof_from_another_history_says_no(log: SignedLog) -> None:
    # A different history (same key): the entries in reverse order.
    forged = build_log(20, (8,), entries=[make_entry(i) for i in reversed(range(20))])
    old_forged = forged.notes[8]
    proof = log.tree.consistency_proof(8, 20)
    assert not verify_consistency_proof(log.verifier, old_forged, log.notes[20], proof).ok


def test_proof_documents_verify_and_bind_the_entry(log: SignedLog) -> None:
    recs = records(log.export_lines())
    entry_rec = next(r for r in recs if r["type"] == "entry" and r["seq"] == 5)
    doc = inclusion_document(
        5, 20, log.tree.leaf_hash_at(5), log.tree.inclusion_proof(5, 20), log.notes[20]
    )
    doc["entry"] = entry_rec
    assert verify_proof_document(log.verifier, doc).ok
    entry_rec["object_id"] = "c-other"
    assert not verify_proof_document(log.verifier, doc).ok
    cons = consistency_document(
        16, 20, log.tree.consistency_proof(16, 20), log.notes[16], log.notes[20]
    )
    assert verify_proof_document(log.verifier, cons).ok
    cons["proof"] = cons["proof"][:-1]
    assert not verify_proof_document(log.verifier, cons).ok
    assert not verify_proof_document(log.verifier, {"type": "inclusion"}).ok


def _write(tmp_path: Path, log: SignedLog, lines: list[str]) -> tuple[Path, Path]:
    export = tmp_path / "audit.jsonl"
    export.write_text("".join(lines), encoding="utf-8")
    key = tmp_path / "audit.pub"
    key.write_text(log.signer.verifier_key.to_text() + "\n", encoding="utf-8")
    return export, key


def test_cli_says_ok_and_exits_0_for_an_intact_export(
    tmp_path: Path, log: SignedLog, capsys: pytest.CaptureFixture[str]
) -> None:
    export, key = _write(tmp_path, log, log.export_lines())
    assert main([str(export), "--key", str(key)]) == 0
    assert capsys.readouterr().out.startswith("OK: 20 entries")


def test_cli_names_the_first_bad_entry_and_exits_1(
    tmp_path: Path, log: SignedLog, capsys: pytest.CaptureFixture[str]
) -> None:
    recs = records(log.export_lines())
    next(r for r in recs if r["type"] == "entry" and r["seq"] == 6)["actor"] = "staff:0"
    export, _ = _write(tmp_path, log, dump(recs))
    assert main([str(export), "--key", log.signer.verifier_key.to_text(), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    assert (out["first_failure"]["kind"], out["first_failure"]["sequence"]) == ("changed", 6)


def test_cli_uses_checkpoints_the_auditor_kept(
    tmp_path: Path, log: SignedLog, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = build_log(20, (8,), entries=[make_entry(i) for i in reversed(range(20))])
    kept = tmp_path / "kept-8.note"
    kept.write_text(forged.notes[8], encoding="utf-8")
    export, key = _write(tmp_path, log, log.export_lines())
    assert main([str(export), "--key", str(key), "--checkpoint", str(kept)]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_cli_verifies_a_proof_document(
    tmp_path: Path, log: SignedLog, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = inclusion_document(
        3, 16, log.tree.leaf_hash_at(3), log.tree.inclusion_proof(3, 16), log.notes[16]
    )
    proof = tmp_path / "proof.json"
    proof.write_text(json.dumps(doc), encoding="utf-8")
    _, key = _write(tmp_path, log, log.export_lines())
    assert main([str(proof), "--proof", "--key", str(key)]) == 0
    assert capsys.readouterr().out.startswith("OK")


def test_cli_reports_a_bad_key_as_a_usage_error(
    tmp_path: Path, log: SignedLog, capsys: pytest.CaptureFixture[str]
) -> None:
    export, _ = _write(tmp_path, log, log.export_lines())
    assert main([str(export), "--key", "not-a-key"]) == 2
    assert "error" in capsys.readouterr().err
