"""Legal holds on SQLite and PostgreSQL (ACC-8, RET-2): open, close, list, audit entries,
sealed reasons, erase-subject refused while a hold applies, and migration 0010."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from confide.adapters.db import migrate
from confide.adapters.db.engine import make_engine
from confide.adapters.db.tables import audit_entries, legal_holds
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import Principal, Role
from confide.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from confide.domain.holds import HoldClosed, HoldKind, OnHold
from confide.services.holds import OpenHold
from confide.services.requests import SubmitRequest
from confide.services.subjects import RegisterSubject
from confide.testing import FakeClock

AGENT = Principal("u-agent", "agent", frozenset({Role.AGENT}))
AUDITOR = Principal("u-aud", "auditor", frozenset({Role.AUDITOR}))
REASON = "Court file 500-17-123456 Tremblay v. Acme"


def a_subject(c: Container, email: str = "held@example.ca") -> str:
    return c.subjects.register(OFFICER, RegisterSubject("customer", "QC", email=email)).id


def litigation(**scope: str) -> OpenHold:
    return OpenHold("litigation", REASON, cause="500-17-123456", **scope)


def test_acc_8_the_officer_opens_lists_and_closes_a_hold(
    container: Container, clock: FakeClock
) -> None:
    subject = a_subject(container)
    other = a_subject(container, "other@example.ca")
    hold = container.holds.open(OFFICER, litigation(subject_id=subject))
    clock.advance(minutes=1)  # holds are listed oldest first
    category_wide = container.holds.open(
        OFFICER, OpenHold("regulator_order", "Order 2026-14", category="billing_records")
    )
    assert (hold.kind, hold.scope.subject_id, hold.opened_by) == (
        HoldKind.LITIGATION,
        subject,
        OFFICER.user_id,
    )
    assert container.holds.get(AUDITOR, hold.id) == hold
    assert [h.id for h in container.holds.listing(AGENT)] == [hold.id, category_wide.id]
    # A subject's list: its own holds and those on a whole category it may have.
    assert [h.id for h in container.holds.listing(AGENT, subject_id=subject)] == [
        hold.id,
        category_wide.id,
    ]
    assert [h.id for h in container.holds.listing(AGENT, subject_id=other)] == [category_wide.id]
    clock.advance(days=3)
    closed = container.holds.close(OFFICER, hold.id, "Settled out of court")
    assert (closed.closed_at, closed.closed_by, closed.closed_reason) == (
        clock.now(),
        OFFICER.user_id,
        "Settled out of court",
    )
    assert container.holds.get(AUDITOR, hold.id) == closed
    assert [h.id for h in container.holds.listing(AUDITOR, active_only=True)] == [category_wide.id]
    with pytest.raises(HoldClosed):
        container.holds.close(OFFICER, hold.id, "again")


def test_acc_8_opening_names_every_bad_field_and_only_the_officer_opens_or_closes(
    container: Container,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        container.holds.open(OFFICER, OpenHold("access_request", " ", category="no_such"))
    assert [p.location for p in refused.value.problems] == ["kind", "reason", "category"]
    with pytest.raises(ValidationFailed) as no_scope:
        container.holds.open(OFFICER, OpenHold("complaint", "Complaint C-12"))
    assert [p.location for p in no_scope.value.problems] == ["scope"]
    with pytest.raises(NotFound):
        container.holds.open(OFFICER, litigation(subject_id="sub_nobody"))
    hold = container.holds.open(OFFICER, litigation(system="crm"))
    with pytest.raises(PermissionDenied):
        container.holds.open(AGENT, litigation(system="crm"))
    with pytest.raises(PermissionDenied):
        container.holds.close(AUDITOR, hold.id, "no")
    with pytest.raises(ValidationFailed):
        container.holds.close(OFFICER, hold.id, "")
    with pytest.raises(NotFound):
        container.holds.close(OFFICER, "hold_nothing", "done")


def test_acc_8_every_change_is_audited_and_the_reason_is_sealed(container: Container) -> None:
    subject = a_subject(container)
    hold = container.holds.open(OFFICER, litigation(subject_id=subject))
    container.holds.close(OFFICER, hold.id, "Settled with Tremblay")
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_entries).where(audit_entries.c.object_id == hold.id)
        ).mappings()
        actions = [(r["action"], r["object_type"], r["actor"]) for r in rows]
        stored = conn.execute(sa.select(legal_holds)).mappings().one()
        dump = repr([dict(r) for r in conn.execute(sa.select(audit_entries)).mappings()]) + repr(
            dict(stored)
        )
    assert actions == [
        ("hold.opened", "legal_hold", f"staff:{OFFICER.user_id}"),
        ("hold.closed", "legal_hold", f"staff:{OFFICER.user_id}"),
    ]
    assert "Tremblay" not in dump  # neither the stored hold nor the audit trail shows reasons
    seq = container.audit.size(OFFICER) - 1
    details = container.audit.entry(OFFICER, seq).details
    assert details is not None
    assert (details["kind"], details["cause"], details["rule"]) == (
        "litigation",
        "500-17-123456",
        "ACC-8",
    )


def test_ret_2_erase_subject_is_refused_while_a_hold_applies_and_allowed_after_close(
    container: Container,
) -> None:
    subject = a_subject(container)
    hold = container.holds.open(OFFICER, litigation(subject_id=subject))
    size = container.audit.size(OFFICER)
    with pytest.raises(OnHold) as held:
        container.audit.erase_subject_payloads(OFFICER, subject)
    assert held.value.hold_ids == (hold.id,)
    assert container.audit.size(OFFICER) == size  # nothing destroyed, nothing recorded
    container.holds.close(OFFICER, hold.id, "Judgment final")
    assert container.audit.erase_subject_payloads(OFFICER, subject) >= 1


def test_ret_2_a_hold_on_a_category_stops_erasure_and_one_on_another_system_does_not(
    container: Container,
) -> None:
    subject = a_subject(container)
    elsewhere = container.holds.open(OFFICER, litigation(system="crm"))
    category = container.holds.open(OFFICER, litigation(category="billing_records"))
    with pytest.raises(OnHold) as held:
        container.audit.erase_subject_payloads(OFFICER, subject)
    assert held.value.hold_ids == (category.id,)  # the audit log is Confide's, not the CRM's
    container.holds.close(OFFICER, category.id, "done")
    assert container.audit.erase_subject_payloads(OFFICER, subject) >= 1
    assert container.holds.get(OFFICER, elsewhere.id).active


def test_acc_8_a_requests_hold_is_not_closed_by_hand(container: Container) -> None:
    subject = a_subject(container)
    request = container.requests.submit(
        OFFICER, SubmitRequest("access", "email", "email", "held@example.ca")
    )
    [hold] = container.holds.listing(OFFICER, subject_id=subject)
    assert (hold.kind, hold.cause) == (HoldKind.ACCESS_REQUEST, request.id)
    with pytest.raises(Conflict):
        container.holds.close(OFFICER, hold.id, "not like this")


# --- migration 0010 -------------------------------------------------------------------------------

T = datetime(2026, 5, 1, 9, tzinfo=UTC)
VERIFIED = {"method": "code", "at": T.isoformat(), "by": "individual", "how": None}


def _request(
    rid: str, subject: str | None, state: str, by: str, verified: bool
) -> dict[str, object]:
    return {
        "id": rid,
        "kind": "correction" if rid.endswith("c") else "access",
        "channel": "portal",
        "subject_id": subject,
        "identifier_kind": "email",
        "received_at": T,
        "due_on": T.date(),
        "time_zone": "America/Toronto",
        "language": "en",
        "state": state,
        "recorded_by": by,
        "fee": {"amount_cents": 0},
        "verification": VERIFIED if verified else None,
        "released_incomplete": False,
        "reminders": [],
    }


def test_migration_0010_keeps_the_holds_of_known_requesters_and_drops_unverified_ones(
    db_url: str,
) -> None:
    from confide.adapters.db.tables import access_requests, subjects

    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0008_disclosure_notices")
        old = sa.table(
            "legal_holds",
            *(sa.column(n) for n in ("id", "subject_id", "kind", "reference")),
            sa.column("opened_at", legal_holds.c.opened_at.type),
            sa.column("closed_at", legal_holds.c.closed_at.type),
        )
        with engine.begin() as conn:
            conn.execute(
                sa.insert(subjects),
                [
                    {"id": "sub_1", "subject_type": "customer", "province": "ON",
                     "language": "en", "created_at": T}
                ],
            )  # fmt: skip
            conn.execute(
                sa.insert(access_requests),
                [
                    _request("req_verified_c", "sub_1", "verified", "individual", True),
                    _request("req_anonymous", "sub_1", "received", "individual", False),
                    _request("req_staff", "sub_1", "received", "u-agent", False),
                    _request("req_closed", "sub_1", "closed", "u-agent", True),
                    _request("req_no_row", "sub_1", "in_review", "individual", True),
                ],
            )
            conn.execute(
                sa.insert(old),
                [
                    {"id": f"hold_{n}", "subject_id": "sub_1", "kind": "request",
                     "reference": rid, "opened_at": T, "closed_at": closed}
                    for n, rid, closed in (
                        (1, "req_verified_c", None),
                        (2, "req_anonymous", None),
                        (3, "req_staff", None),
                        (4, "req_closed", T),
                    )
                ],
            )  # fmt: skip
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = {r["cause"]: dict(r) for r in conn.execute(sa.select(legal_holds)).mappings()}
        assert set(rows) == {"req_verified_c", "req_staff", "req_closed", "req_no_row"}
        assert (rows["req_verified_c"]["id"], rows["req_verified_c"]["kind"]) == (
            "hold_1",
            "correction_request",
        )
        assert rows["req_staff"]["opened_by"] == "u-agent"
        assert (rows["req_closed"]["closed_at"], rows["req_closed"]["closed_by"]) == (
            T,
            "migration-0010",
        )
        assert (rows["req_no_row"]["kind"], rows["req_no_row"]["opened_at"]) == (
            "access_request",
            T,
        )
        assert rows["req_no_row"]["closed_at"] is None
        migrate.upgrade(engine, "head")  # idempotent
        # And back: the request holds return to 0005's shape.
        from alembic import command

        cfg = migrate._config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0008_disclosure_notices")
        with engine.connect() as conn:
            back = conn.execute(sa.select(old)).mappings().all()
        assert sorted(r["reference"] for r in back) == sorted(rows)
        assert {r["kind"] for r in back} == {"request"}
    finally:
        engine.dispose()
