"""The request lifecycle on SQLite and PostgreSQL: intake, identity, clocks, holds, response."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from requests_support import OFFICER_EMAIL, StandInAssembler, add_subject

from confide.adapters.db.tables import access_requests, verification_codes
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR as OFFICER
from confide.domain.access import WORKER as SYSTEM
from confide.domain.errors import Conflict, NotAllowed, ValidationFailed
from confide.domain.requests.errors import NotVerified, TooManyCodes, VerificationFailed
from confide.domain.requests.model import Outcome, RequestState
from confide.services.requests import RequestService, RequestSettings, SubmitRequest
from confide.testing import FakeClock, FakeMailer, InlineOutbox


def access(email: str = "Alice@Example.test", **more: object) -> SubmitRequest:
    return SubmitRequest(
        kind=str(more.pop("kind", "access")),
        channel=str(more.pop("channel", "email")),
        identifier_kind="email",
        identifier=email,
        **more,  # type: ignore[arg-type]
    )


def code_in(mail: FakeMailer) -> str:
    found = re.search(r"\b(\d{6})\b", mail.sent[-1].text)
    assert found
    return found.group(1)


def verified(service: RequestService, mailer: FakeMailer, request_id: str) -> None:
    service.send_code(OFFICER, request_id)
    service.verify_code(request_id, code_in(mailer))


def test_acc_1_written_request_is_due_thirty_calendar_days_after_receipt(
    container: Container, service: RequestService, clock: FakeClock
) -> None:
    subject = add_subject(container)
    request = service.submit(OFFICER, access())
    assert (request.subject_id, request.state) == (subject.id, RequestState.RECEIVED)
    assert request.received_at == clock.now()
    assert request.due_on == date(2026, 7, 1)  # June 1 (Toronto) + 30 days
    stored = service.get(OFFICER, request.id)
    assert stored.request == request
    assert stored.days_left == 30


def test_acc_1_a_phone_request_needs_the_agents_written_record(
    container: Container, service: RequestService
) -> None:
    add_subject(container)
    with pytest.raises(ValidationFailed) as refused:
        service.submit(OFFICER, access(channel="phone"))
    assert [p.location for p in refused.value.problems] == ["note"]
    request = service.submit(OFFICER, access(channel="phone", note="Caller asked for her file"))
    assert request.note == "Caller asked for her file"


def test_unknown_subject_is_recorded_without_a_subject_and_answered_alike(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container)
    known = service.submit_public(access(channel="portal"))
    unknown = service.submit_public(access("nobody@example.test", channel="portal"))
    assert known.message == unknown.message
    assert known.reference != unknown.reference
    assert service.match_pending(SYSTEM, older_than=timedelta(0)) == 2  # the intake job
    assert len(mailer.sent) == 1  # the code goes to the known subject's email on file only
    row = service.get(OFFICER, unknown.reference)
    assert (row.request.state, row.request.subject_id) == (RequestState.AWAITING_IDENTITY, None)
    with pytest.raises(VerificationFailed) as wrong:
        service.verify_code(unknown.reference, "123456")
    assert wrong.value.message == "the code is wrong or has expired; ask for a new code"


def test_acc_11_code_goes_to_the_email_on_file_and_is_stored_hashed(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container, email="alice@example.test")
    request = service.submit(OFFICER, access())
    service.send_code(OFFICER, request.id)
    [mail] = mailer.sent
    assert mail.to == "alice@example.test"
    code = code_in(mailer)
    with container.engine.connect() as conn:
        rows = conn.execute(sa.select(verification_codes)).mappings().all()
    assert len(rows) == 1
    assert code not in repr(dict(rows[0]))
    assert service.verify_code(request.id, code).state is RequestState.VERIFIED


def test_acc_11_wrong_expired_and_exhausted_codes_fail_and_count(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    service.send_code(OFFICER, request.id)
    code = code_in(mailer)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(VerificationFailed) as first:
        service.verify_code(request.id, wrong)
    assert first.value.fields["attempts_left"] == 4
    for _ in range(4):
        with pytest.raises(VerificationFailed):
            service.verify_code(request.id, wrong)
    with pytest.raises(VerificationFailed) as exhausted:
        service.verify_code(request.id, code)  # the right code, but 5 wrong tries voided it
    assert exhausted.value.fields["attempts_left"] == 0
    clock.advance(minutes=1)
    service.send_code(OFFICER, request.id)
    fresh = code_in(mailer)
    clock.advance(minutes=16)
    with pytest.raises(VerificationFailed):
        service.verify_code(request.id, fresh)  # expired after 15 minutes
    assert service.get(OFFICER, request.id).request.state is RequestState.RECEIVED


def test_acc_11_codes_are_rate_limited_per_subject_and_per_address(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    for _ in range(3):
        service.send_code(OFFICER, request.id)
        clock.advance(minutes=5)
    with pytest.raises(TooManyCodes):
        service.send_code(OFFICER, request.id)
    assert len(mailer.sent) == 3
    clock.advance(minutes=50)  # the first code is now more than an hour old
    service.send_code(OFFICER, request.id)
    # The public intake says nothing when the limit is reached, and sends nothing (its code is
    # issued by the intake job).
    for _ in range(3):
        service.submit_public(access(channel="portal"))
    assert service.match_pending(SYSTEM, older_than=timedelta(0)) == 3
    assert len(mailer.sent) == 4
    clock.advance(hours=2)
    service.submit_public(access(channel="portal"))
    assert service.match_pending(SYSTEM, older_than=timedelta(0)) == 1
    assert len(mailer.sent) == 5


def test_acc_11_nothing_is_prepared_or_released_before_verification(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    assembler: StandInAssembler,
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    with pytest.raises(NotVerified):
        service.prepare(OFFICER, request.id)
    with pytest.raises(NotVerified):
        service.release(OFFICER, request.id)
    assert assembler.calls == []


def test_acc_11_a_representatives_authority_is_checked(
    container: Container, service: RequestService
) -> None:
    add_subject(container)
    with pytest.raises(ValidationFailed) as missing:
        service.submit(
            OFFICER,
            access(
                channel="letter",
                representative_name="Me Tremblay",
                representative_authority="mandate",
            ),
        )
    assert [p.location for p in missing.value.problems] == ["representative_document"]
    request = service.submit(
        OFFICER,
        access(
            channel="letter",
            representative_name="Me Tremblay",
            representative_authority="power_of_attorney",
            representative_document="POA 2026-114",
        ),
    )
    with pytest.raises(NotAllowed) as unchecked:
        service.verify_by_agent(OFFICER, request.id, "ID seen at the branch")
    assert unchecked.value.rule == "ACC-11"
    done = service.verify_by_agent(
        OFFICER, request.id, "ID seen at the branch", authority_checked=True
    )
    assert done.representative is not None and done.representative.checked_by == OFFICER.user_id
    with container.engine.connect() as conn:
        sealed = conn.execute(sa.select(access_requests.c.representative_sealed)).scalar_one()
    assert b"Tremblay" not in sealed


def test_acc_11_an_authorized_user_acts_through_the_relationship_on_file(
    container: Container, service: RequestService
) -> None:
    holder = add_subject(container)
    user = add_subject(
        container, email="bob@example.test", subject_type="authorized_user", acts_for=holder.id
    )
    stranger = add_subject(container, email="eve@example.test")
    request = service.submit(
        OFFICER,
        access(representative_name="Bob", representative_subject_id=user.id),
    )
    assert request.representative is not None and request.authority_checked
    with pytest.raises(ValidationFailed):
        service.submit(
            OFFICER, access(representative_name="Eve", representative_subject_id=stranger.id)
        )


def test_acc_2_federal_extension_once_with_a_notice_before_the_deadline(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    clock.advance(days=20)
    extended, notice = service.extend(
        OFFICER, request.id, "Thousands of records to search", days=30
    )
    assert extended.effective_due == date(2026, 7, 31)
    [mail] = mailer.sent
    assert mail.to == "alice@example.test" and mail.text == notice
    assert "2026-07-31" in notice and "Thousands of records" in notice
    assert "Privacy Commissioner of Canada" in notice
    with pytest.raises(NotAllowed, match="already extended"):
        service.extend(OFFICER, request.id, "again", days=5)


def test_acc_2_quebec_request_extension_is_refused(
    container: Container, service: RequestService
) -> None:
    add_subject(container, province="QC", language="fr")
    request = service.submit(OFFICER, access())
    with pytest.raises(NotAllowed) as refused:
        service.extend(OFFICER, request.id, "volume", days=10)
    assert refused.value.rule == "ACC-2"


def test_acc_2_extension_after_the_first_deadline_is_refused(
    container: Container, service: RequestService, clock: FakeClock
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    clock.advance(days=31)
    with pytest.raises(NotAllowed, match="first deadline has passed"):
        service.extend(OFFICER, request.id, "late", days=10)


def test_acc_3_overdue_request_is_deemed_refused_and_escalated_exactly_once(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    clock: FakeClock,
    inline: InlineOutbox,
) -> None:
    add_subject(container)
    late = service.submit(OFFICER, access())
    answered = service.submit(OFFICER, access())
    service.refuse(OFFICER, answered.id, ["Request is frivolous"])
    mailer.sent.clear()
    clock.advance(days=31)
    assert service.tick(SYSTEM).deemed_refused == 1
    # A restarted worker (a new service on the same store) does nothing twice.
    again = container.requests_over(inline, RequestSettings(officer_email=OFFICER_EMAIL))
    assert again.tick(SYSTEM).deemed_refused == 0
    assert service.tick(SYSTEM).deemed_refused == 0
    row = service.get(OFFICER, late.id)
    assert row.request.state is RequestState.DEEMED_REFUSED
    assert row.request.escalated_at == clock.now()
    escalations = [m for m in mailer.sent if m.to == OFFICER_EMAIL]
    assert len(escalations) == 1 and "deemed refused" in escalations[0].text
    assert service.get(OFFICER, answered.id).request.state is RequestState.RESPONDED
    with container.ctx.uow(readonly=True) as uow:
        actions = [e.action for e, _ in uow.audit.entries()]
    assert actions.count("request.deemed_refused") == 1


def test_reminders_at_seven_and_two_days_are_sent_once_each(
    container: Container, service: RequestService, mailer: FakeMailer, clock: FakeClock
) -> None:
    add_subject(container)
    service.submit(OFFICER, access())
    clock.advance(days=20)
    assert service.tick(SYSTEM).reminded == 0
    clock.advance(days=4)  # June 25: due July 1, 6 days left
    assert service.tick(SYSTEM).reminded == 1
    assert service.tick(SYSTEM).reminded == 0
    clock.advance(days=5)  # June 30: 1 day left
    assert service.tick(SYSTEM).reminded == 1
    assert service.tick(SYSTEM).reminded == 0
    subjects = [m.subject for m in mailer.sent if m.to == OFFICER_EMAIL]
    assert len(subjects) == 2


def test_queue_view_filters_due_soon_and_overdue(
    container: Container, service: RequestService, clock: FakeClock
) -> None:
    add_subject(container)
    first = service.submit(OFFICER, access())
    clock.advance(days=25)
    second = service.submit(OFFICER, access())
    assert [r.request.id for r in service.listing(OFFICER, due_within=7)] == [first.id]
    clock.advance(days=6)
    assert [r.request.id for r in service.listing(OFFICER, overdue=True)] == [first.id]
    assert [r.request.id for r in service.listing(OFFICER)] == [first.id, second.id]
    assert service.listing(OFFICER, overdue=True)[0].days_left == -1


def test_acc_6_refusal_in_writing_with_reasons_and_recourse(
    container: Container, service: RequestService, mailer: FakeMailer
) -> None:
    add_subject(container)
    add_subject(container, email="gaetan@example.test", province="QC", language="fr")
    federal = service.submit(OFFICER, access())
    quebec = service.submit(OFFICER, access("gaetan@example.test"))
    refused, letter = service.refuse(OFFICER, federal.id, ["Solicitor-client privilege"])
    assert refused.outcome is Outcome.REFUSED
    assert "Solicitor-client privilege" in letter and "Privacy Commissioner of Canada" in letter
    _, lettre = service.refuse(OFFICER, quebec.id, ["Secret professionnel"])
    assert "Commission d'accès à l'information" in lettre and "motifs" in lettre
    assert {m.to for m in mailer.sent} == {"alice@example.test", "gaetan@example.test"}
    with pytest.raises(ValidationFailed):
        service.refuse(OFFICER, service.submit(OFFICER, access()).id, [" "])


def test_acc_7_a_fee_needs_an_accepted_estimate_before_work_proceeds(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    assembler: StandInAssembler,
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access())
    assert request.fee.amount_cents == 0  # free by default
    verified(service, mailer, request.id)
    service.estimate_fee(OFFICER, request.id, 2500)
    with pytest.raises(NotAllowed) as blocked:
        service.prepare(OFFICER, request.id)
    assert blocked.value.rule == "ACC-7"
    service.accept_fee(OFFICER, request.id)
    service.prepare(OFFICER, request.id)
    assert len(assembler.calls) == 1


def test_acc_8_open_request_holds_the_subject_until_closed(
    container: Container, service: RequestService
) -> None:
    subject = add_subject(container)
    assert not service.is_on_hold(subject.id)
    request = service.submit(OFFICER, access())
    assert service.is_on_hold(subject.id)
    [hold] = service.holds_for(OFFICER, subject.id)
    assert (hold.kind.value, hold.reference, hold.active) == ("request", request.id, True)
    with pytest.raises(Conflict):
        service.close(OFFICER, request.id)  # not answered yet
    service.refuse(OFFICER, request.id, ["No information held"])
    assert service.is_on_hold(subject.id)  # a refusal may still be complained about
    service.close(OFFICER, request.id)
    assert not service.is_on_hold(subject.id)
    [closed] = service.holds_for(OFFICER, subject.id)
    assert closed.closed_at is not None


def test_release_with_review_and_incomplete_sources(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    assembler: StandInAssembler,
) -> None:
    add_subject(container)
    request = service.submit(OFFICER, access(kind="portability"))
    verified(service, mailer, request.id)
    assembler.down = ["crm"]
    prepared = service.prepare(OFFICER, request.id)
    assert assembler.calls[-1][1] == "portability"
    assert prepared["incomplete_sources"] == ["crm"]
    with container.engine.connect() as conn:
        sealed = conn.execute(sa.select(access_requests.c.file_sealed)).scalar_one()
    assert b"on file" not in sealed
    reviewed = service.review(OFFICER, request.id, exclude={"email": "third party"})
    assert reviewed["excluded"] == {"email": "third party"}
    with pytest.raises(Conflict, match="crm"):
        service.release(OFFICER, request.id)
    done = service.release(OFFICER, request.id, incomplete_ok=True)
    assert (done.state, done.outcome, done.released_incomplete) == (
        RequestState.RESPONDED,
        Outcome.RELEASED,
        True,
    )
    body, incomplete = service.response(OFFICER, request.id, "csv")
    assert incomplete and body == b"csv:en:['email']:['email']"


def test_correction_request_value_is_sealed_and_category_checked(
    container: Container, service: RequestService
) -> None:
    add_subject(container)
    with pytest.raises(ValidationFailed):
        service.submit(
            OFFICER, access(kind="correction", correction_category="nope", correction_value="x")
        )
    request = service.submit(
        OFFICER,
        access(
            kind="correction",
            correction_category="telephone_number",
            correction_value="514 555 0199",
        ),
    )
    assert request.correction is not None and request.correction.value == "514 555 0199"
    with container.engine.connect() as conn:
        sealed = conn.execute(sa.select(access_requests.c.correction_sealed)).scalar_one()
    assert b"555" not in sealed


def test_acc_6_partial_refusal_is_written_in_the_subjects_language(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    assembler: StandInAssembler,
) -> None:
    add_subject(container, email="gaetan@example.test", province="QC", language="fr")
    request = service.submit(OFFICER, access("gaetan@example.test"))
    verified(service, mailer, request.id)
    service.prepare(OFFICER, request.id)
    service.review(OFFICER, request.id, exclude={"email": "renseignement d'un tiers"})
    done = service.release(
        OFFICER, request.id, withheld_reasons=["Renseignements concernant un tiers"]
    )
    assert (done.outcome, done.released_incomplete) == (Outcome.PARTIALLY_REFUSED, False)
    # The refusal in writing, then the mail saying where to get what was released.
    letter, ready = mailer.sent[-2:]
    assert ready.message_id == f"ready.{request.id}@confide.requests"
    assert letter.language == "fr" and letter.to == "gaetan@example.test"
    assert "Nous refusons en partie votre demande" in letter.text
    assert "Renseignements concernant un tiers" in letter.text
    assert "Commission d'accès à l'information" in letter.text


def test_roles_are_checked_by_the_service_too(
    container: Container, service: RequestService
) -> None:
    from confide.domain.access import Principal, Role
    from confide.domain.errors import PermissionDenied

    agent = Principal("u-agent", "agent", frozenset({Role.AGENT}))
    system = Principal("u-sys", "crm", frozenset({Role.INTEGRATION}))
    auditor = Principal("u-aud", "auditor", frozenset({Role.AUDITOR}))
    subject = add_subject(container)
    request = service.submit(system, access())  # the company's systems may submit
    with pytest.raises(PermissionDenied):
        service.listing(system)
    with pytest.raises(PermissionDenied):
        service.refuse(agent, request.id, ["no"])
    with pytest.raises(PermissionDenied):
        service.extend(agent, request.id, "volume", days=5)
    with pytest.raises(PermissionDenied):
        service.submit(auditor, access())
    assert [h.reference for h in service.holds_for(auditor, subject.id)] == [request.id]


def test_acc_11_a_representative_verified_by_code_still_needs_the_authority_checked(
    container: Container,
    service: RequestService,
    mailer: FakeMailer,
    assembler: StandInAssembler,
) -> None:
    add_subject(container)
    request = service.submit(
        OFFICER,
        access(
            representative_name="Me Tremblay",
            representative_authority="mandate",
            representative_document="Mandat 2026-7",
        ),
    )
    verified(service, mailer, request.id)
    with pytest.raises(NotAllowed) as blocked:
        service.prepare(OFFICER, request.id)
    assert blocked.value.rule == "ACC-11" and assembler.calls == []
    checked = service.verify_by_agent(
        OFFICER, request.id, "mandate document examined", authority_checked=True
    )
    assert checked.verification is not None
    assert checked.verification.method.value == "code"  # the identity proof stays the code
    service.prepare(OFFICER, request.id)
    assert len(assembler.calls) == 1
