"""Subjects and personal information in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from confide.adapters.db.tables import audit_entries, personal_info
from confide.bootstrap import Container
from confide.domain.access import LOCAL_OPERATOR, Principal, Role
from confide.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from confide.domain.subjects import IdentifierKind
from confide.services.subjects import CorrectInformation, RecordInformation, RegisterSubject

OP = LOCAL_OPERATOR


def customer(**kw: object) -> RegisterSubject:
    base: dict[str, object] = {
        "subject_type": "customer",
        "province": "QC",
        "language": "fr",
        "email": "Marie.Tremblay@Example.CA",
        "phone": "514 555 0134",
    }
    base.update(kw)
    return RegisterSubject(**base)  # type: ignore[arg-type]


def test_registered_subject_is_found_by_normalized_identifiers(container: Container) -> None:
    s = container.subjects.register(OP, customer())
    assert s.identifier(IdentifierKind.EMAIL) == "marie.tremblay@example.ca"
    assert s.identifier(IdentifierKind.PHONE) == "+15145550134"
    assert container.subjects.find(OP, IdentifierKind.PHONE, "(514) 555-0134").id == s.id
    assert container.subjects.find(OP, IdentifierKind.EMAIL, "MARIE.TREMBLAY@example.ca").id == s.id
    assert container.subjects.get(OP, s.id) == s


def test_duplicate_identifier_is_a_conflict_and_nothing_is_written(container: Container) -> None:
    container.subjects.register(OP, customer())
    with pytest.raises(Conflict) as err:
        container.subjects.register(OP, customer(phone="+1 416 555 0100"))
    assert "email" in str(err.value)
    assert container.subjects.page(OP)[1] == 1


def test_invalid_registration_names_every_bad_field(container: Container) -> None:
    with pytest.raises(ValidationFailed) as err:
        container.subjects.register(
            OP,
            customer(
                subject_type="alien", province="ZZ", language="de", email="not-an-email", phone="12"
            ),
        )
    fields = {p.location for p in err.value.problems}
    assert fields == {"subject_type", "province", "language", "email", "phone"}
    # No personal value is echoed back in the messages.
    assert all("not-an-email" not in p.message for p in err.value.problems)


def test_authorized_user_must_act_for_a_registered_customer(container: Container) -> None:
    holder = container.subjects.register(OP, customer())
    with pytest.raises(ValidationFailed):
        container.subjects.register(
            OP, RegisterSubject("authorized_user", "QC", email="a@example.ca")
        )
    with pytest.raises(ValidationFailed):
        container.subjects.register(
            OP,
            RegisterSubject(
                "authorized_user", "QC", email="a@example.ca", acts_for="sub_doesnotexist"
            ),
        )
    user = container.subjects.register(
        OP, RegisterSubject("authorized_user", "QC", email="a@example.ca", acts_for=holder.id)
    )
    assert user.acts_for == holder.id


def test_sensitive_category_is_encrypted_at_rest_and_read_back_clear(container: Container) -> None:
    s = container.subjects.register(OP, customer())
    rec = container.subjects.record_information(
        OP,
        RecordInformation(
            s.id, "credit_information", "score 712 (Equifax)", "third_party", ("credit_check",)
        ),
    )
    with container.engine.connect() as conn:
        row = (
            conn.execute(sa.select(personal_info).where(personal_info.c.id == rec.id))
            .mappings()
            .one()
        )
    assert row["value_text"] is None
    assert b"712" not in bytes(row["value_sealed"])
    assert container.subjects.file(OP, s.id).information[0].value == "score 712 (Equifax)"


def test_medium_category_is_stored_without_sealing(container: Container) -> None:
    s = container.subjects.register(OP, customer())
    rec = container.subjects.record_information(
        OP,
        RecordInformation(
            s.id,
            "mailing_address",
            "123 rue Saint-Denis, Montréal (QC) H2X 1K4",
            "from_individual",
            ("invoices_and_notices",),
        ),
    )
    assert rec.extra == {}


def test_information_for_a_purpose_that_may_not_use_the_category_is_refused(
    container: Container,
) -> None:
    s = container.subjects.register(OP, customer())
    with pytest.raises(ValidationFailed) as err:
        container.subjects.record_information(
            OP,
            RecordInformation(
                s.id, "credit_information", "score 700", "third_party", ("invoices_and_notices",)
            ),
        )
    assert err.value.problems[0].location == "purposes[0]"


def test_correction_keeps_the_previous_value_in_the_history(
    container: Container, clock: object
) -> None:
    s = container.subjects.register(OP, customer())
    old = container.subjects.record_information(
        OP,
        RecordInformation(
            s.id,
            "mailing_address",
            "1 Old Road, Laval (QC) H7A 1A1",
            "from_individual",
            ("invoices_and_notices",),
        ),
    )
    clock.advance(days=3)  # type: ignore[attr-defined]
    new = container.subjects.correct(
        OP, CorrectInformation(old.id, "2 New Street, Laval (QC) H7A 1A2", "moved")
    )
    current = container.subjects.file(OP, s.id).information
    history = container.subjects.file(OP, s.id, history=True).information
    assert [r.value for r in current] == ["2 New Street, Laval (QC) H7A 1A2"]
    assert {r.id for r in history} == {old.id, new.id}
    assert new.supersedes == old.id
    with pytest.raises(Conflict):
        container.subjects.correct(OP, CorrectInformation(old.id, "again", "twice"))


def test_every_change_writes_its_audit_entry_in_the_same_transaction(container: Container) -> None:
    def count() -> int:
        with container.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(audit_entries)).scalar_one()
            )

    before = count()
    s = container.subjects.register(OP, customer())
    assert count() == before + 1
    with pytest.raises(NotFound):
        container.subjects.record_information(
            OP,
            RecordInformation("sub_missing", "name", "X", "from_individual", ("provide_service",)),
        )
    assert count() == before + 1
    container.subjects.record_information(
        OP,
        RecordInformation(s.id, "name", "Marie Tremblay", "from_individual", ("provide_service",)),
    )
    assert count() == before + 2


def test_roles_are_enforced_by_the_service_as_well(container: Container) -> None:
    auditor = Principal("u1", "aud", frozenset({Role.AUDITOR}))
    with pytest.raises(PermissionDenied):
        container.subjects.register(auditor, customer())
    with pytest.raises(PermissionDenied):
        container.subjects.file(auditor, "sub_x")


def test_policy_version_is_stored_once_per_content_hash(container: Container) -> None:
    first = container.ctx.require_active().version_id
    again = container.activate_policy()
    assert again.id == first
    assert [v.id for v in container.policies.versions(OP)] == [first]
    assert (
        container.policies.version(OP, first).content_hash
        == container.ctx.require_active().content_hash
    )


def test_records_name_the_policy_version_they_were_made_under(container: Container) -> None:
    s = container.subjects.register(OP, customer())
    rec = container.subjects.record_information(
        OP,
        RecordInformation(s.id, "name", "Marie Tremblay", "from_individual", ("provide_service",)),
    )
    assert rec.policy_version == container.ctx.require_active().version_id
