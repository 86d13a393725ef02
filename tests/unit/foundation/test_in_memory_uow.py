"""Service rules run on the in-memory unit of work, with the same transaction semantics as the
store: a committed change is there for the next unit of work, a failed one leaves nothing."""

from __future__ import annotations

import pytest

from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.audit.records import AuditRecord
from confide.domain.errors import Conflict, PermissionDenied, ValidationFailed
from confide.domain.subjects import IdentifierKind
from confide.policy.loader import load_policy
from confide.services.context import ServiceContext
from confide.services.policies import LoadedPolicyInput, PolicyService
from confide.services.subjects import (
    CorrectInformation,
    RecordInformation,
    RegisterSubject,
    SubjectService,
)
from confide.testing import FakeClock, InMemoryUnitOfWorkFactory

AUDITOR = Principal(user_id="u-a", username="auditor", roles=frozenset({Role.AUDITOR}))


@pytest.fixture
def uow() -> InMemoryUnitOfWorkFactory:
    return InMemoryUnitOfWorkFactory()


@pytest.fixture
def subjects(uow: InMemoryUnitOfWorkFactory) -> SubjectService:
    ctx = ServiceContext(uow=uow, clock=FakeClock())
    loaded = load_policy(None)
    PolicyService(ctx).activate(
        LOCAL_OPERATOR, LoadedPolicyInput(loaded.policy, loaded.content_hash, loaded.source)
    )
    return SubjectService(ctx)


def _actions(records: list[AuditRecord]) -> list[str]:
    return [r.action for r in records]


def test_a_registered_subject_is_found_by_its_identifier_and_audited(
    subjects: SubjectService, uow: InMemoryUnitOfWorkFactory
) -> None:
    anne = subjects.register(
        LOCAL_OPERATOR, RegisterSubject("customer", "QC", "fr", email="Anne@Example.test")
    )
    found = subjects.find(LOCAL_OPERATOR, IdentifierKind.EMAIL, "anne@example.test")
    assert found.id == anne.id
    assert _actions(uow.audit_records)[-1] == "subject.registered"
    assert uow.audit_records[-1].object_id == anne.id


def test_a_second_subject_with_the_same_email_is_a_conflict_and_leaves_nothing(
    subjects: SubjectService, uow: InMemoryUnitOfWorkFactory
) -> None:
    subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="a@example.test"))
    before = len(uow.audit_records)
    with pytest.raises(Conflict):
        subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="a@example.test"))
    assert len(uow.audit_records) == before
    assert len(uow.committed.subjects) == 1


def test_a_correction_keeps_the_old_value_in_the_history(subjects: SubjectService) -> None:
    anne = subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="a@x.test"))
    first = subjects.record_information(
        LOCAL_OPERATOR,
        RecordInformation(
            anne.id, "mailing_address", "12 Main St", "from_individual", ("provide_service",)
        ),
    )
    corrected = subjects.correct(
        LOCAL_OPERATOR, CorrectInformation(first.id, "14 Main St", "moved")
    )
    assert corrected.supersedes == first.id
    assert corrected.value == "14 Main St"


def test_a_refused_correction_changes_nothing(
    subjects: SubjectService, uow: InMemoryUnitOfWorkFactory
) -> None:
    anne = subjects.register(LOCAL_OPERATOR, RegisterSubject("customer", "ON", email="a@x.test"))
    first = subjects.record_information(
        LOCAL_OPERATOR,
        RecordInformation(
            anne.id, "mailing_address", "12 Main St", "from_individual", ("provide_service",)
        ),
    )
    state = (dict(uow.committed.personal_info), len(uow.audit_records))
    with pytest.raises(ValidationFailed):
        subjects.correct(LOCAL_OPERATOR, CorrectInformation(first.id, "", "empty"))
    with pytest.raises(PermissionDenied):
        subjects.correct(AUDITOR, CorrectInformation(first.id, "14 Main St", "moved"))
    assert (dict(uow.committed.personal_info), len(uow.audit_records)) == state


def test_what_a_unit_of_work_does_not_commit_is_gone(uow: InMemoryUnitOfWorkFactory) -> None:
    from confide.testing.uow import _State

    with uow() as work:
        work.audit.record(AuditRecord("x.done", "someone", "x", "x1", FakeClock().now()))
        assert work.audit.count() == 1
    assert uow.committed == _State()


def test_areas_the_fake_does_not_keep_say_so(uow: InMemoryUnitOfWorkFactory) -> None:
    with uow() as work, pytest.raises(NotImplementedError, match="consent"):
        work.consent.history("s1")


def test_after_commit_actions_run_only_once_committed(uow: InMemoryUnitOfWorkFactory) -> None:
    ran: list[str] = []
    with uow() as work:
        work.after_commit(lambda: ran.append("rolled back"))
    with uow() as work:
        work.after_commit(lambda: ran.append("committed"))
        assert ran == []
        work.commit()
    assert ran == ["committed"]
