"""The individual's own request on SQLite and PostgreSQL, before anyone knows who asked (ACC-1,
ACC-8, ACC-11).

* The request path costs the same whether or not the person is known: it records the request,
  sealed, as awaiting identity, and queues the intake job; matching the identifier, issuing and
  mailing the code happen in that job, off the request path.
* The answer's language comes from the request alone, never from the subject on file.
* Until verified, the request is in no staff queue (only in the "awaiting identity" view),
  holds nothing, keeps nothing back from disposal, and expires after
  ``CONFIDE_UNVERIFIED_REQUEST_DAYS``: its identifier and what it carried are disposed of,
  audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from requests_support import add_subject

from confide.adapters.db.tables import access_requests, verification_codes
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER as SYSTEM
from confide.domain.requests.errors import VerificationFailed
from confide.domain.requests.letters import INTAKE_ANSWER
from confide.domain.requests.model import OPEN_STATES, RequestState
from confide.services.holds import OpenHold
from confide.services.requests import RequestService, SubmitRequest
from confide.testing import FakeClock, FakeMailer


def portal(email: str, **more: Any) -> SubmitRequest:
    return SubmitRequest("access", "portal", "email", email, **more)


def api(email: str, **more: Any) -> SubmitRequest:
    return SubmitRequest("access", "api", "email", email, **more)


def run_intake(service: RequestService) -> int:
    """What the ``requests.intake`` job does for every request waiting for it."""
    return service.match_pending(SYSTEM, older_than=timedelta(0))


def code_in(mailer: FakeMailer, address: str) -> str:
    [mail] = mailer.to(address)[-1:]
    found = re.search(r"\b(\d{6})\b", mail.text)
    assert found
    return found.group(1)


@contextmanager
def statements(container: Container) -> Iterator[list[str]]:
    """The SQL statements run on the store meanwhile. The audit log's Merkle-tree reads and
    writes are left out: their number follows the log's size, not the person."""
    seen: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "audit_nodes" not in statement:
            seen.append(" ".join(statement.split()))

    sa.event.listen(container.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", keep)


def stored(container: Container, request_id: str) -> dict[str, Any]:
    with container.engine.connect() as conn:
        row = conn.execute(
            sa.select(access_requests).where(access_requests.c.id == request_id)
        ).mappings()
        return dict(row.one())


def audit_actions(container: Container) -> list[str]:
    with container.ctx.uow(readonly=True) as uow:
        return [e.action for e, _ in uow.audit.entries()]


# --- finding: timing told whether an email is known ---------------------------------------------


def test_acc_11_known_and_unknown_do_the_same_database_work_on_the_request_path(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    people = [add_subject(container, email=f"known{n}@example.test") for n in range(2)]
    service.submit_public(portal("warm@example.test"))  # first use of the audit log's keys
    runs: dict[str, list[list[str]]] = {"known": [], "unknown": []}
    receipts = {}
    for n in range(2):
        for who, email in (
            ("known", f"Known{n}@Example.test"),
            ("unknown", f"zed{n}@example.test"),
        ):
            with statements(container) as seen:
                receipts[who, n] = service.submit_public(portal(email))
            runs[who].append(seen)
    assert runs["known"] == runs["unknown"]
    assert not any("subject_identifiers" in s for s in runs["known"][0])  # no look-up at all
    assert mailer.sent == []  # no code on the request path: it is issued and mailed off it
    for receipt in receipts.values():
        row = stored(container, receipt.reference)
        assert (row["state"], row["subject_id"]) == ("awaiting_identity", None)
        assert row["intake_sealed"] is not None and b"example" not in row["intake_sealed"]
    assert receipts["known", 0].message == receipts["unknown", 0].message

    # The intake job: the identifier is matched, the code issued and mailed to the email on
    # file; the identifier typed is disposed of once matched.
    assert run_intake(service) == 5
    assert run_intake(service) == 0  # a job run again does nothing twice
    assert sorted(m.to for m in mailer.sent) == ["known0@example.test", "known1@example.test"]
    for n, person in enumerate(people):
        known = stored(container, receipts["known", n].reference)
        unknown = stored(container, receipts["unknown", n].reference)
        assert (known["subject_id"], known["state"]) == (person.id, "awaiting_identity")
        assert (unknown["subject_id"], unknown["state"]) == (None, "awaiting_identity")
        assert known["intake_sealed"] is None and unknown["intake_sealed"] is None
    code = code_in(mailer, "known0@example.test")
    verified = service.verify_code(receipts["known", 0].reference, code)
    assert verified.state is RequestState.VERIFIED


def test_acc_11_checking_a_code_costs_the_same_for_a_matched_and_an_unmatched_reference(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container, email="alice@example.test")
    known = service.submit_public(portal("alice@example.test")).reference
    unknown = service.submit_public(portal("zed@example.test")).reference
    run_intake(service)
    code = code_in(mailer, "alice@example.test")
    wrong = "000000" if code != "000000" else "111111"
    runs: dict[str, list[str]] = {}
    failures = {}
    for who, reference in (("known", known), ("unknown", unknown)):
        with statements(container) as seen, pytest.raises(VerificationFailed) as failed:
            service.verify_code(reference, wrong)
        runs[who], failures[who] = seen, failed.value
    assert runs["known"] == runs["unknown"]
    assert failures["known"].message == failures["unknown"].message
    assert failures["known"].fields == failures["unknown"].fields
    with pytest.raises(VerificationFailed):
        service.verify_code(unknown, code)  # nobody can verify a request naming nobody
    assert service.get(OFFICER, unknown).request.state is RequestState.AWAITING_IDENTITY


# --- finding: the answer's language told a French speaker was known -----------------------------


def test_acc_11_the_answers_language_comes_from_the_request_never_from_the_subject(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container, email="gaetan@example.test", province="QC", language="fr")
    known = service.submit_public(api("gaetan@example.test"))
    unknown = service.submit_public(api("nobody@example.test"))
    assert known.message == unknown.message == INTAKE_ANSWER["en"]
    asked_fr = service.submit_public(api("gaetan@example.test", language="fr"))
    assert asked_fr.message == INTAKE_ANSWER["fr"]
    assert (
        service.submit_public(api("nobody@example.test", language="fr")).message
        == (INTAKE_ANSWER["fr"])
    )
    # Off the request path, the code mailed to the address on file may use the language on
    # file when the request named none; the request row then says so too.
    run_intake(service)
    codes = {(m.language, m.subject) for m in mailer.to("gaetan@example.test")}
    assert codes == {("fr", "Votre code de vérification")}
    assert service.get(OFFICER, known.reference).request.language == "fr"
    assert service.get(OFFICER, unknown.reference).request.language == "en"


# --- finding: anonymous requests held and piled up before identity ----------------------------


def test_acc_8_an_unverified_request_is_in_no_staff_queue_holds_nothing_and_keeps_nothing_back(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    subject = add_subject(container, email="alice@example.test")
    staff = service.submit(OFFICER, SubmitRequest("access", "phone", "email", "bob@example.test",
                                                  note="caller asked for her file"))  # fmt: skip
    known = service.submit_public(portal("alice@example.test")).reference
    unknown = service.submit_public(portal("zed@example.test")).reference

    def nothing_held() -> None:
        assert [r.request.id for r in service.listing(OFFICER)] == [staff.id]
        awaiting = service.listing(OFFICER, awaiting_identity=True)
        assert sorted(r.request.id for r in awaiting) == sorted([known, unknown])
        assert container.holds.listing(OFFICER) == []
        assert not service.is_on_hold(subject.id)
        with container.ctx.uow(readonly=True) as uow:
            pending = uow.retention.open_request_subjects([s.value for s in OPEN_STATES])
        assert subject.id not in pending  # nothing kept back from disposal either

    nothing_held()
    run_intake(service)
    nothing_held()
    code = code_in(mailer, "alice@example.test")
    for reference in (known, unknown):
        with pytest.raises(VerificationFailed):
            service.verify_code(reference, "000000" if code != "000000" else "111111")
    nothing_held()
    clock.advance(days=3)
    service.tick(SYSTEM)
    assert service.expire_unverified(SYSTEM) == 0  # not old enough yet
    nothing_held()
    clock.advance(days=40)  # past its legal deadline: expired, never deemed refused
    assert service.tick(SYSTEM).deemed_refused == 0
    assert "request.reminded" not in audit_actions(container)
    assert service.expire_unverified(SYSTEM) == 2
    assert container.holds.listing(OFFICER) == []
    # Verifying is what opens the hold (ACC-8).
    fresh = service.submit_public(portal("alice@example.test")).reference
    run_intake(service)
    service.verify_code(fresh, code_in(mailer, "alice@example.test"))
    assert service.is_on_hold(subject.id)
    assert {r.request.id for r in service.listing(OFFICER)} == {fresh, staff.id}


def test_acc_11_unverified_requests_expire_and_their_identifier_is_disposed_of(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    add_subject(container, email="alice@example.test")
    add_subject(container, email="bob@example.test")
    matched = service.submit_public(
        SubmitRequest("correction", "portal", "email", "alice@example.test",
                      correction_category="telephone_number", correction_value="514 555 0199")
    ).reference  # fmt: skip
    unknown = service.submit_public(portal("zed@example.test")).reference
    run_intake(service)
    code = code_in(mailer, "alice@example.test")
    never_matched = service.submit_public(portal("alice@example.test")).reference  # job lost
    verified = service.submit_public(portal("bob@example.test")).reference
    clock.advance(minutes=1)
    assert service.match(SYSTEM, verified)  # the intake job of this one only
    service.verify_code(verified, code_in(mailer, "bob@example.test"))
    clock.advance(days=7, minutes=-1)
    assert service.expire_unverified(SYSTEM) == 0  # 7 days to the minute: not yet
    clock.advance(minutes=1)
    assert service.expire_unverified(SYSTEM) == 3
    assert service.expire_unverified(SYSTEM) == 0  # run again: nothing twice
    for reference in (matched, unknown, never_matched):
        row = stored(container, reference)
        assert row["state"] == "expired"
        assert row["subject_id"] is None and row["province"] is None
        assert row["intake_sealed"] is None and row["correction_sealed"] is None
    with container.engine.connect() as conn:
        codes = conn.execute(sa.select(verification_codes.c.request_id)).scalars().all()
    assert set(codes) == {verified}
    assert service.get(OFFICER, verified).request.state is RequestState.VERIFIED
    with pytest.raises(VerificationFailed):
        service.verify_code(matched, code)
    assert audit_actions(container).count("request.expired") == 3
    assert service.listing(OFFICER, awaiting_identity=True) == []
    assert [r.request.id for r in service.listing(OFFICER)] == [verified]


def test_acc_11_an_expiring_request_of_a_subject_under_hold_keeps_what_it_carried(
    container: Container, service: RequestService, clock: FakeClock
) -> None:
    subject = add_subject(container, email="alice@example.test")
    reference = service.submit_public(portal("alice@example.test", note="my file please")).reference
    run_intake(service)
    container.holds.open(OFFICER, OpenHold("litigation", "File 42", subject_id=subject.id))
    clock.advance(days=8)
    assert service.expire_unverified(SYSTEM) == 1
    row = stored(container, reference)
    assert (row["state"], row["subject_id"]) == ("expired", subject.id)
    assert row["note_sealed"] is not None  # destruction asks the holds
    [seq] = [n for n, action in enumerate(audit_actions(container)) if action == "request.expired"]
    details = container.audit.entry(OFFICER, seq).details
    assert details == {"disposed": False, "after_days": 7, "rule": "ACC-11"}


# --- the jobs -----------------------------------------------------------------------------------


def test_the_intake_job_is_queued_the_tick_catches_up_a_lost_one_and_expiry_runs_hourly(
    container: Container, clock: FakeClock
) -> None:
    from confide.jobs import requests as request_jobs
    from confide.jobs.catalog import default_registry
    from confide.jobs.registry import JobContext

    registry = default_registry()
    assert {"requests.intake", "requests.tick", "requests.expire"} <= {
        d.name for d in registry.jobs
    }
    assert ("requests.expire", "20 * * * *") in [(p.name, p.cron) for p in registry.periodic]

    def job(name: str) -> JobContext:
        return JobContext(container, container.queue, FakeMailer(), "job_1", name, 1, "w1")

    add_subject(container, email="alice@example.test")
    service = container.requests
    queued = container.queue.counts().get("queued", 0)
    first = service.submit_public(portal("alice@example.test")).reference
    assert container.queue.counts().get("queued", 0) == queued + 1  # its intake job
    request_jobs.intake(job("requests.intake"), {"request_id": first})
    assert stored(container, first)["subject_id"] is not None
    lost = service.submit_public(portal("alice@example.test")).reference  # its job is lost
    request_jobs.tick(job("requests.tick"), {})
    assert stored(container, lost)["intake_sealed"] is not None  # not a minute old yet
    clock.advance(minutes=2)
    request_jobs.tick(job("requests.tick"), {})
    assert stored(container, lost)["intake_sealed"] is None
    clock.advance(days=8)
    request_jobs.expire(job("requests.expire"), {})
    assert {stored(container, r)["state"] for r in (first, lost)} == {"expired"}
