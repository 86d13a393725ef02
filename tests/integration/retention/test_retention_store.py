"""Retention and disposal on SQLite and PostgreSQL (RET-1..3, ACC-8): end of life under each
rule's event, disposal runs planned, approved, executed in batches and resumed, the records
kept back by holds and open requests, anonymization with k and l, and the certificate checked
against the audit log with the standalone verifier."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import anonymized_records, personal_info, subject_identifiers
from confide.adapters.rendering.access_file import render
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER, Principal, Role
from confide.domain.errors import NotFound, PermissionDenied, ValidationFailed
from confide.domain.retention.runs import RunStateConflict, RunStatus, StalePlan
from confide.domain.retention.schedule import IncompleteRule
from confide.policy.loader import load_policy
from confide.services.holds import OpenHold
from confide.services.policies import LoadedPolicyInput
from confide.services.requests import SubmitRequest
from confide.services.retention import planning
from confide.services.subjects import RecordInformation, RegisterSubject
from confide.testing import FakeClock
from confide.verifier import verify_inclusion_proof

AGENT = Principal("u-agent", "agent", frozenset({Role.AGENT}))
AUDITOR = Principal("u-aud", "auditor", frozenset({Role.AUDITOR}))
INTEGRATION = Principal("u-int", "crm", frozenset({Role.INTEGRATION}))


def subject(c: Container, n: int, province: str = "QC", kind: str = "customer") -> str:
    return c.subjects.register(
        OFFICER,
        RegisterSubject(kind, province, email=f"person{n}@example.ca", display_name=f"P {n}"),
    ).id


def record(
    c: Container,
    subject_id: str,
    category: str,
    value: str,
    at: datetime,
    purposes: tuple[str, ...] = ("legal_compliance",),
    system: str = "crm",
) -> str:
    return c.subjects.record_information(
        OFFICER,
        RecordInformation(
            subject_id, category, value, "from_individual", purposes, system, collected_at=at
        ),
    ).id


def rows(c: Container, table: sa.Table, **where: str) -> list[sa.Row[tuple[object, ...]]]:
    q = sa.select(table)
    for name, value in where.items():
        q = q.where(table.c[name] == value)
    with c.engine.connect() as conn:
        return list(conn.execute(q))


def held(c: Container, **where: str) -> set[str]:
    """Ids of the records still held (not disposed of)."""
    return {r.id for r in rows(c, personal_info, **where) if r.disposed_at is None}


def tombstones(c: Container, run_id: str) -> list[sa.Row[tuple[object, ...]]]:
    """What a run left of the records it disposed of: never a value."""
    found = rows(c, personal_info, disposal_run=run_id)
    assert all(r.value_text is None and r.value_sealed is None for r in found)
    return found


def test_ret_1_end_of_life_counts_from_each_rules_event(
    container: Container, clock: FakeClock
) -> None:
    collected = clock.now() - timedelta(days=10)
    sid = subject(container, 1)
    location = record(container, sid, "location_data", "45.50,-73.56", collected)
    email = record(container, sid, "email", "person1@example.ca", collected, ("provide_service",))
    lives = {life.record.id: life for life in container.retention.end_of_life(AGENT, sid)}
    # location_data: 90 days from collection; email: 1095 days from the end of service.
    assert lives[location].end.earliest == collected.date()
    assert lives[location].end.latest == collected.date() + timedelta(days=90)
    assert lives[email].end.anchor is None and lives[email].end.latest is None
    ended = clock.now() - timedelta(days=2)
    container.retention.record_event(AGENT, sid, "service_ended", ended)
    lives = {life.record.id: life for life in container.retention.end_of_life(AGENT, sid)}
    assert lives[email].end.latest == ended.date() + timedelta(days=1095)
    # A customer who comes back: the end of service no longer counts.
    container.retention.record_event(AGENT, sid, "service_resumed", None)
    lives = {life.record.id: life for life in container.retention.end_of_life(AGENT, sid)}
    assert lives[email].end.latest is None
    # What is due on a later day, without planning anything.
    due = container.retention.due(AUDITOR, clock.now().date() + timedelta(days=81))
    assert [(line.category, line.due) for line in due.lines] == [("location_data", 1)]
    assert container.retention.runs(AUDITOR) == []
    with pytest.raises(ValidationFailed) as bad:
        container.retention.record_event(AGENT, sid, "moved_house", None)
    assert bad.value.problems[0].location == "kind"
    with pytest.raises(NotFound):
        container.retention.record_event(AGENT, "sub_nobody", "service_ended", None)
    with pytest.raises(PermissionDenied):
        container.retention.due(AGENT)


def test_ret_2_a_run_disposes_of_what_is_due_and_certifies_it(
    container: Container, clock: FakeClock
) -> None:
    old = clock.now() - timedelta(days=100)
    recent = clock.now() - timedelta(days=5)
    people = [subject(container, n) for n in range(4)]
    due_ids = [
        record(container, s, "location_data", f"45.5{n},-73.5", old) for n, s in enumerate(people)
    ]
    kept_recent = record(container, people[0], "location_data", "45.0,-73.0", recent)
    name_kept = record(container, people[1], "name", "P 1", old, ("provide_service",))
    # A litigation hold on one person, and an open access request from another (ACC-8).
    container.holds.open(OFFICER, OpenHold("litigation", "File 42", subject_id=people[2]))
    # The individual's own request holds nothing until verified (ACC-8, ACC-11): anyone can
    # type an address. Once verified, its hold keeps the person's records.
    unverified = container.requests.submit_public(
        SubmitRequest("access", "portal", "email", "person3@example.ca")
    )
    container.requests.match(WORKER, unverified.reference)  # the intake job
    assert container.retention.plan(OFFICER).held == {"legal_hold": 1}
    container.requests.verify_by_agent(OFFICER, unverified.reference, "called back on file")
    plan = container.retention.plan(OFFICER)
    assert plan.status is RunStatus.PLANNED
    assert [
        (line.category, line.system, line.method, line.due, line.held) for line in plan.lines
    ] == [("location_data", "crm", "delete", 2, 2)]
    assert plan.total == 2
    assert plan.held == {"legal_hold": 2}
    # Planning changes nothing; nor may anyone but the officer plan or approve.
    assert len(held(container, category="location_data")) == 5
    for who in (AGENT, AUDITOR, INTEGRATION):
        with pytest.raises(PermissionDenied):
            container.retention.plan(who)
        with pytest.raises(PermissionDenied):
            container.retention.approve(who, plan.id)
    with pytest.raises(RunStateConflict):
        container.retention.execute(OFFICER, plan.id)
    clock.advance(minutes=5)
    approved = container.retention.approve(OFFICER, plan.id)
    assert (approved.approved_by, approved.approval.value if approved.approval else None) == (
        OFFICER.user_id,
        "officer",
    )
    with pytest.raises(RunStateConflict):
        container.retention.approve(OFFICER, plan.id)
    clock.advance(minutes=5)
    done = container.retention.execute(WORKER, plan.id)
    assert (done.status, done.done, done.total) == (RunStatus.COMPLETED, 2, 2)
    left = held(container)
    assert not left & {due_ids[0], due_ids[1]}
    assert {r.id for r in tombstones(container, plan.id)} == {due_ids[0], due_ids[1]}
    assert {due_ids[2], due_ids[3], kept_recent, name_kept} <= left
    # The certificate: what, when, how, under which rule, who approved (RET-2).
    issued = container.retention.certificate(AUDITOR, plan.id)
    cert = issued.certificate
    assert cert.total == 2 and cert.approved_by == OFFICER.user_id
    assert [(line.category, line.system, line.method, line.count) for line in cert.lines] == [
        ("location_data", "crm", "delete", 2)
    ]
    assert [(r.category, r.max_days, r.counted_from, r.method) for r in cert.rules] == [
        ("location_data", 90, "collection", "delete")
    ]
    assert cert.policy_version == container.ctx.require_active().version_id
    listed = container.retention.record_ids(AUDITOR, plan.id)
    assert listed == sorted(due_ids[:2])
    assert (
        cert.records_sha256
        == hashlib.sha256("".join(i + "\n" for i in listed).encode()).hexdigest()
    )
    # The subject's file says what was disposed of and when, never the value.
    disposed = container.retention.disposed(AGENT, people[0])
    assert [(d.category, d.method, d.run_id) for d in disposed] == [
        ("location_data", "delete", plan.id)
    ]
    # The audit log holds the certificate's digest in clear; its inclusion proof verifies.
    entry = container.audit.entry(AUDITOR, issued.audit_seq)
    assert (entry.action, entry.object_id) == (
        "retention.certificate_issued",
        f"{plan.id}:{cert.digest()}",
    )
    assert issued.digest == cert.digest()
    container.audit.checkpoint(OFFICER)
    doc = container.audit.inclusion_proof(AUDITOR, issued.audit_seq)
    assert doc["leaf_hash"] == entry.leaf_hash
    verdict = verify_inclusion_proof(
        container.audit.verifier,
        doc["checkpoint"],
        doc["index"],
        bytes.fromhex(doc["leaf_hash"]),
        [bytes.fromhex(p) for p in doc["proof"]],
    )
    assert verdict.ok, verdict
    assert container.audit.verify(AUDITOR).ok
    with pytest.raises(PermissionDenied):
        container.retention.certificate(AGENT, plan.id)


def test_ret_2_stale_plans_and_bad_input_are_refused(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1)
    record(container, sid, "location_data", "1,2", clock.now() - timedelta(days=100))
    plan = container.retention.plan(OFFICER)
    clock.advance(hours=25)
    with pytest.raises(StalePlan) as stale:
        container.retention.approve(OFFICER, plan.id)
    assert "24 hours" in str(stale.value)
    assert container.retention.run(OFFICER, plan.id).status is RunStatus.PLANNED
    cancelled = container.retention.cancel(OFFICER, plan.id)
    assert cancelled.status is RunStatus.CANCELLED
    with pytest.raises(ValidationFailed) as unknown:
        container.retention.plan(OFFICER, categories=["shoe_size"])
    assert unknown.value.problems[0].location == "category"
    with pytest.raises(ValidationFailed) as future:
        container.retention.plan(OFFICER, as_of=clock.now().date() + timedelta(days=1))
    assert future.value.problems[0].location == "as_of"
    with pytest.raises(NotFound):
        container.retention.approve(OFFICER, "drun_nothing")
    assert len(held(container)) == 1


def test_ret_2_an_interrupted_run_resumes_without_disposing_twice_or_skipping(
    container: Container, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "CHUNK_SIZE", 4)
    old = clock.now() - timedelta(days=200)
    ids = []
    for n in range(7):
        sid = subject(container, n)
        ids += [record(container, sid, "location_data", f"{n},{k}", old) for k in range(3)]
    plan = container.retention.plan(OFFICER)
    container.retention.approve(OFFICER, plan.id)
    partial = container.retention.execute(OFFICER, plan.id, max_chunks=2)
    assert (partial.status, partial.done) == (RunStatus.RUNNING, 8)
    assert len(held(container)) == 21 - 8
    # The worker's tick picks it up where it stopped.
    assert container.retention.tick(WORKER) == [plan.id]
    finished = container.retention.run(OFFICER, plan.id)
    assert (finished.status, finished.done, finished.total) == (RunStatus.COMPLETED, 21, 21)
    assert held(container) == set()
    assert len(tombstones(container, plan.id)) == 21
    assert container.retention.record_ids(OFFICER, plan.id) == sorted(ids)
    batches = [
        container.audit.entry(OFFICER, seq)
        for seq in range(container.audit.size(OFFICER))
        if container.audit.entry(OFFICER, seq).action == "retention.chunk_disposed"
    ]
    assert sum(int(str(b.details["disposed"])) for b in batches if b.details) == 21
    assert len(batches) == 6  # 21 ids in chunks of 4, each disposed of once
    # Executing a completed run again does nothing.
    assert container.retention.execute(OFFICER, plan.id).done == 21


def test_acc_8_a_hold_opened_after_approval_keeps_its_records(
    container: Container, clock: FakeClock
) -> None:
    old = clock.now() - timedelta(days=200)
    a, b = subject(container, 1), subject(container, 2)
    kept = record(container, a, "location_data", "1,1", old)
    gone = record(container, b, "location_data", "2,2", old)
    plan = container.retention.plan(OFFICER)
    container.retention.approve(OFFICER, plan.id)
    container.holds.open(OFFICER, OpenHold("regulator_order", "Order 7", subject_id=a))
    run = container.retention.execute(OFFICER, plan.id)
    assert (run.status, run.done) == (RunStatus.COMPLETED, 1)
    left = held(container)
    assert kept in left and gone not in left
    assert container.retention.certificate(OFFICER, plan.id).certificate.total == 1


def test_ret_2_a_subject_with_nothing_left_keeps_only_the_proof_of_disposal(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1)
    record(container, sid, "location_data", "1,1", clock.now() - timedelta(days=200))
    plan = container.retention.plan(OFFICER)
    container.retention.approve(OFFICER, plan.id)
    container.retention.execute(OFFICER, plan.id)
    assert rows(container, subject_identifiers, subject_id=sid) == []
    stripped = container.subjects.get(OFFICER, sid)
    assert (stripped.display_name, stripped.identifiers) == (None, ())
    assert [d.category for d in container.retention.disposed(OFFICER, sid)] == ["location_data"]
    # The subject's audit payloads are unreadable; the log still verifies.
    container.audit.checkpoint(OFFICER)
    assert container.audit.verify(AUDITOR).ok


def test_ret_3_anonymized_records_are_kept_in_groups_of_k_with_l_values(
    container: Container, clock: FakeClock
) -> None:
    rule = next(r for r in container.ctx.policy.retention if r.category == "usage_data")
    assert rule.anonymization is not None
    k = rule.anonymization.k
    old = clock.now() - timedelta(days=500)
    total = 0
    for n in range(3 * k):
        sid = subject(container, n, province="QC" if n % 3 else "ON")
        record(
            container,
            sid,
            "usage_data",
            f"{n} sessions; reach me at p{n}@example.ca",
            old,
            ("billing",),
        )
        total += 1
    # A lone record in its own province and month: its group can never reach k.
    lone = subject(container, 999, province="NU", kind="employee")
    record(container, lone, "usage_data", "3 sessions", old - timedelta(days=40), ("billing",))
    plan = container.retention.plan(OFFICER, categories=["usage_data"])
    stats = plan.anonymity["usage_data"]
    assert stats["k"] >= k and stats["l"] >= rule.anonymization.l
    assert stats["suppressed"] >= 1
    container.retention.approve(OFFICER, plan.id)
    container.retention.execute(OFFICER, plan.id)
    kept = rows(container, anonymized_records)
    assert len(kept) == stats["kept"] == total + 1 - stats["suppressed"]
    groups: dict[tuple[str, ...], list[str]] = {}
    for r in kept:
        attrs = r.attributes
        assert set(attrs) == set(rule.anonymization.quasi_identifiers)
        groups.setdefault(tuple(attrs[q] for q in sorted(attrs)), []).append(r.value_text)
        # Direct identifiers are gone: no email, no subject id anywhere in the row.
        assert "@example.ca" not in (r.value_text or "")
    assert min(len(g) for g in groups.values()) >= k
    assert min(len(set(g)) for g in groups.values()) >= rule.anonymization.l
    assert held(container, category="usage_data") == set()
    assert len(tombstones(container, plan.id)) == total + 1
    cert = container.retention.certificate(OFFICER, plan.id).certificate
    assert cert.anonymity["usage_data"]["k"] == stats["k"]


def test_ret_2_the_schedule_plans_approves_and_executes_once_a_day(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1)
    record(container, sid, "location_data", "1,1", clock.now() - timedelta(days=200))
    assert container.retention.tick(WORKER) == []  # no schedule: nothing is planned
    with pytest.raises(PermissionDenied):
        container.retention.set_schedule(INTEGRATION, True)
    container.retention.set_schedule(OFFICER, True, ["location_data"])
    touched = container.retention.tick(WORKER)
    assert len(touched) == 1
    run = container.retention.run(OFFICER, touched[0])
    assert run.status is RunStatus.COMPLETED
    assert run.approval is not None and run.approval.value == "schedule"
    assert run.approved_by == f"schedule:{OFFICER.user_id}"
    assert container.retention.tick(WORKER) == []  # once a day
    assert (
        date.fromisoformat(container.retention.certificate(AUDITOR, run.id).certificate.as_of)
        == clock.now().date()
    )


def test_ret_2_access_and_portability_files_say_what_was_disposed_of_never_its_value(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1, province="QC")
    record(container, sid, "location_data", "45.5017,-73.5673", clock.now() - timedelta(days=200))
    kept = record(container, sid, "name", "Jeanne Tremblay", clock.now(), ("provide_service",))
    plan = container.retention.plan(OFFICER)
    container.retention.approve(OFFICER, plan.id)
    container.retention.execute(OFFICER, plan.id)
    for kind in ("access", "portability"):
        file = container.access_files.assemble(OFFICER, sid, kind=kind)  # type: ignore[arg-type]
        assert [(d.category, d.method, d.count) for d in file.disposed] == [
            ("location_data", "delete", 1)
        ]
        assert file.disposed[0].disposed_on == clock.now().date().isoformat()
        assert f"confide:{kept}" in {i.id for i in file.items}
        for fmt in ("json", "csv", "html"):
            body = render(file, fmt, "fr").decode()
            assert "45.5017" not in body
        html = render(file, "html", "fr").decode()
        assert "Renseignements détruits" in html and "Supprimés" in html
        assert "location_data" not in html


def test_ret_2_an_email_disposed_of_takes_the_email_identifier_with_it(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 7)
    ended = clock.now() - timedelta(days=1200)
    container.retention.record_event(OFFICER, sid, "service_ended", ended)
    record(container, sid, "email", "person7@example.ca", ended, ("provide_service",))
    record(container, sid, "billing_records", "plan basic", clock.now(), ("billing",))
    plan = container.retention.plan(OFFICER, categories=["email"])
    assert plan.total == 1
    container.retention.approve(OFFICER, plan.id)
    container.retention.execute(OFFICER, plan.id)
    kinds = {r.kind for r in rows(container, subject_identifiers, subject_id=sid)}
    assert "email" not in kinds
    # The rest of the subject stays: a billing record is still held.
    assert container.subjects.get(OFFICER, sid).display_name == "P 7"


def _activate_with(container: Container, **changes: object) -> None:
    """The packaged policy with the usage_data rule changed, made the version in force."""
    loaded = load_policy(None)
    rules = tuple(
        replace(r, **changes) if r.category == "usage_data" else r  # type: ignore[arg-type]
        for r in loaded.policy.retention
    )
    digest = hashlib.sha256(repr(changes).encode() + loaded.content_hash.encode()).hexdigest()
    container.policies.activate(
        OFFICER,
        LoadedPolicyInput(replace(loaded.policy, retention=rules), digest, loaded.source),
    )


def test_ret_2_a_plan_made_under_an_older_policy_version_is_stale(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1)
    record(container, sid, "location_data", "1,1", clock.now() - timedelta(days=200))
    plan = container.retention.plan(OFFICER)
    clock.advance(minutes=1)
    _activate_with(container, max_days=400)
    with pytest.raises(StalePlan) as stale:
        container.retention.approve(OFFICER, plan.id)
    assert plan.policy_version in str(stale.value)
    assert len(held(container)) == 1


def test_ret_3_an_anonymizing_rule_without_its_thresholds_is_refused_and_nothing_is_planned(
    container: Container, clock: FakeClock
) -> None:
    sid = subject(container, 1)
    record(
        container, sid, "usage_data", "9 sessions", clock.now() - timedelta(days=500), ("billing",)
    )
    _activate_with(container, anonymization=None)
    with pytest.raises(IncompleteRule) as refused:
        container.retention.plan(OFFICER)
    assert refused.value.problems[0].location == "retention.usage_data"
    assert container.retention.runs(OFFICER) == []
    assert len(held(container)) == 1
