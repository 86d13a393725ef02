"""The audit trail in the store, verified by the independent verifier (issue 3).

Every test runs on SQLite and PostgreSQL. Tampering is done the way an attacker with
database access would: by editing rows directly.
"""

from __future__ import annotations

import io
from hashlib import sha256

import sqlalchemy as sa

from confide.adapters.db.tables import audit_checkpoints, audit_entries, audit_nodes
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.verifier import (
    FailureKind,
    verify_consistency_proof,
    verify_export,
    verify_inclusion_proof,
)

OP = LOCAL_OPERATOR


def populate(c: Container, n: int = 12) -> list[str]:
    ids = []
    for i in range(n):
        s = c.subjects.register(
            OP, RegisterSubject("customer", "QC", email=f"person{i}@example.ca")
        )
        ids.append(s.id)
    return ids


def first_failure(c: Container) -> tuple[FailureKind, int | None]:
    report = c.audit.verify(OP)
    assert not report.ok
    f = report.first_failure
    assert f is not None
    return f.kind, f.sequence


def execute(c: Container, stmt: sa.Executable) -> None:
    with c.engine.begin() as conn:
        conn.execute(stmt)


def test_log_verifies_and_proofs_check_out_independently(container: Container) -> None:
    populate(container, 5)
    old = container.audit.checkpoint(OP)
    populate_more = container.subjects.register(
        OP, RegisterSubject("customer", "ON", email="late@example.ca")
    )
    assert populate_more.id
    new = container.audit.checkpoint(OP)
    assert new.size == old.size + 1
    report = container.audit.verify(OP)
    assert report.ok, report.summary()
    assert report.entries == new.size
    key = container.audit.verifier
    for seq in (0, old.size - 1, new.size - 1):
        doc = container.audit.inclusion_proof(OP, seq)
        verdict = verify_inclusion_proof(
            key,
            doc["checkpoint"],
            doc["index"],
            bytes.fromhex(doc["leaf_hash"]),
            [bytes.fromhex(p) for p in doc["proof"]],
        )
        assert verdict.ok, verdict
    doc = container.audit.consistency_proof(OP, old.size, new.size)
    verdict = verify_consistency_proof(
        key, doc["old_checkpoint"], doc["new_checkpoint"], [bytes.fromhex(p) for p in doc["proof"]]
    )
    assert verdict.ok, verdict


def test_entries_hold_no_personal_information_in_clear(container: Container) -> None:
    s = container.subjects.register(
        OP, RegisterSubject("customer", "QC", email="secret.person@example.ca")
    )
    container.subjects.record_information(
        OP,
        RecordInformation(s.id, "name", "Secret Person", "from_individual", ("provide_service",)),
    )
    with container.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_entries)).mappings().all()
    dump = repr([dict(r) for r in rows]).lower()
    assert "secret" not in dump and "example.ca" not in dump
    # ...but the details are there for whoever holds the key.
    details = container.audit.entry(OP, len(rows) - 1).details
    assert details is not None and details["category"] == "name"


def test_erasing_a_person_destroys_their_details_and_the_log_still_verifies(
    container: Container,
) -> None:
    ids = populate(container, 3)
    container.audit.checkpoint(OP)
    seq = next(
        e.seq for e in [container.audit.entry(OP, i) for i in range(4)] if e.object_id == ids[1]
    )
    assert container.audit.entry(OP, seq).details is not None
    assert container.audit.erase_subject_payloads(OP, ids[1]) == 1
    assert container.audit.entry(OP, seq).details is None
    container.audit.checkpoint(OP)
    assert container.audit.verify(OP).ok
    # A later change about the same subject gets a fresh key and stays readable.
    rec = container.subjects.record_information(
        OP, RecordInformation(ids[1], "name", "X Y", "from_individual", ("provide_service",))
    )
    assert rec.id


def test_changed_entry_is_named(container: Container) -> None:
    populate(container)
    container.audit.checkpoint(OP)
    execute(
        container,
        sa.update(audit_entries).where(audit_entries.c.seq == 7).values(object_id="sub_forged"),
    )
    assert first_failure(container) == (FailureKind.CHANGED, 7)


def test_deleted_entry_is_named(container: Container) -> None:
    populate(container)
    container.audit.checkpoint(OP)
    execute(container, sa.delete(audit_entries).where(audit_entries.c.seq == 4))
    kind, seq = first_failure(container)
    assert kind is FailureKind.DELETED and seq == 4


def test_inserted_entry_is_named(container: Container) -> None:
    populate(container)
    container.audit.checkpoint(OP)
    with container.engine.begin() as conn:
        row = dict(
            conn.execute(sa.select(audit_entries).where(audit_entries.c.seq == 3)).mappings().one()
        )
        # Make room at 3 by moving every later entry one place up, then insert a forged one there.
        conn.execute(
            sa.update(audit_entries)
            .where(audit_entries.c.seq >= 3)
            .values(seq=audit_entries.c.seq + 1000)
        )
        conn.execute(
            sa.update(audit_entries)
            .where(audit_entries.c.seq >= 1003)
            .values(seq=audit_entries.c.seq - 999)
        )
        conn.execute(sa.insert(audit_entries).values({**row, "object_id": "sub_inserted"}))
    kind, seq = first_failure(container)
    assert seq == 3 and kind in {FailureKind.INSERTED, FailureKind.CHANGED}


def test_reordered_entries_are_named(container: Container) -> None:
    populate(container)
    container.audit.checkpoint(OP)
    with container.engine.begin() as conn:
        conn.execute(sa.update(audit_entries).where(audit_entries.c.seq == 5).values(seq=-1))
        conn.execute(sa.update(audit_entries).where(audit_entries.c.seq == 6).values(seq=5))
        conn.execute(sa.update(audit_entries).where(audit_entries.c.seq == -1).values(seq=6))
    kind, seq = first_failure(container)
    assert seq == 5 and kind in {FailureKind.REORDERED, FailureKind.CHANGED}


def test_rewritten_leaf_hashes_are_caught_by_the_signed_checkpoint(container: Container) -> None:
    populate(container)
    container.audit.checkpoint(OP)
    with container.engine.begin() as conn:
        # An attacker who edits an entry AND its recorded leaf hash...
        conn.execute(
            sa.update(audit_entries).where(audit_entries.c.seq == 2).values(object_id="sub_forged")
        )
    with container.ctx.uow(readonly=True) as uow:
        entry, _ = next(uow.audit.entries(2, 3))
    forged_leaf = sha256(b"\x00" + entry.canonical_bytes()).digest()
    execute(
        container,
        sa.update(audit_nodes)
        .where(audit_nodes.c.level == 0, audit_nodes.c.idx == 2)
        .values(hash=forged_leaf),
    )
    report = container.audit.verify(OP)
    assert not report.ok
    # The entry now matches its recorded leaf, so only the signed root can tell; the verifier
    # narrows the place to the entries that checkpoint covers.
    kinds = {(f.kind, f.checkpoint_size) for f in report.failures}
    assert (FailureKind.CHECKPOINT_MISMATCH, 13) in kinds
    first = report.first_failure
    assert first is not None and first.sequence == 0 and first.last_sequence == 12


def test_forged_checkpoint_signature_is_named(container: Container) -> None:
    populate(container, 4)
    cp = container.audit.checkpoint(OP)
    lines = cp.note.splitlines(keepends=True)
    sig = lines[-1]
    forged = sig[:-6] + ("AAAA" if sig[-6:-2] != "AAAA" else "BBBB") + sig[-2:]
    execute(
        container,
        sa.update(audit_checkpoints)
        .where(audit_checkpoints.c.size == cp.size)
        .values(note="".join(lines[:-1]) + forged),
    )
    kind, _ = first_failure(container)
    assert kind is FailureKind.BAD_SIGNATURE


def test_export_verifies_with_the_standalone_verifier(container: Container) -> None:
    populate(container, 6)
    container.audit.checkpoint(OP)
    buffer = io.StringIO()
    assert container.audit.export(OP, buffer) == container.audit.size(OP)
    buffer.seek(0)
    assert verify_export(buffer, container.audit.verifier).ok


def test_the_same_size_is_checkpointed_once(container: Container) -> None:
    populate(container, 2)
    a = container.audit.checkpoint(OP)
    b = container.audit.checkpoint(OP)
    assert a == b
    assert len(container.audit.checkpoints(OP)) == 1
