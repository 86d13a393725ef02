"""CSV import (all or nothing, problems with their lines), the demo generator, key rotation, migrations."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import SecretStr

from confide.adapters.crypto import KeyRing
from confide.adapters.db.tables import metadata, personal_info
from confide.bootstrap import Container, build
from confide.domain.access import LOCAL_OPERATOR
from confide.domain.errors import Conflict, ValidationFailed
from confide.services.imports import COLUMNS
from confide.services.subjects import RecordInformation, RegisterSubject

OP = LOCAL_OPERATOR
HEADER = "subject_type,province,language,email,phone,account\n"


def rows(n: int, start: int = 0) -> str:
    return "".join(
        f"customer,ON,en,person{i}@example.ca,,A{i:08d}\n" for i in range(start, start + n)
    )


def import_text(c: Container, text: str | bytes) -> int:
    data = text.encode() if isinstance(text, str) else text
    return c.importer.import_csv(OP, io.BytesIO(data)).imported


def test_valid_file_imports_every_row_with_its_audit_entry(container: Container) -> None:
    assert import_text(container, HEADER + rows(25)) == 25
    assert container.subjects.page(OP)[1] == 25


def test_failure_at_row_10001_leaves_none_of_the_earlier_rows(container: Container) -> None:
    bad = "customer,ON,en,not-an-email,,A99999999\n"
    with pytest.raises(ValidationFailed) as err:
        import_text(container, HEADER + rows(10_000) + bad)
    assert [p.location for p in err.value.problems] == ["line 10002, email"]
    assert container.subjects.page(OP)[1] == 0


def test_invalid_utf8_names_its_line(container: Container) -> None:
    data = (HEADER + rows(3)).encode() + b"customer,QC,fr,caf\xe9@example.ca,,A1\n"
    with pytest.raises(ValidationFailed) as err:
        import_text(container, data)
    assert err.value.problems[0].location == "line 5"
    assert "UTF-8" in err.value.problems[0].message
    assert container.subjects.page(OP)[1] == 0


def test_ragged_rows_and_unknown_columns_are_reported(container: Container) -> None:
    with pytest.raises(ValidationFailed) as err:
        import_text(container, HEADER + rows(2) + "customer,ON\n" + rows(1, 5))
    assert err.value.problems[0].location == "line 4"
    with pytest.raises(ValidationFailed) as err:
        import_text(container, "subject_type,province,shoe_size\ncustomer,ON,9\n")
    assert "shoe_size" in err.value.problems[0].location


def test_duplicates_within_the_file_and_against_the_store(container: Container) -> None:
    with pytest.raises(ValidationFailed) as err:
        import_text(container, HEADER + rows(3) + rows(1, 1))
    assert err.value.problems[0].location == "line 5, email"
    container.subjects.register(OP, RegisterSubject("customer", "ON", email="person1@example.ca"))
    with pytest.raises(ValidationFailed):
        import_text(container, HEADER + rows(3))
    assert container.subjects.page(OP)[1] == 1


def test_empty_file_and_header_only(container: Container) -> None:
    with pytest.raises(ValidationFailed):
        import_text(container, "")
    assert import_text(container, ",".join(COLUMNS) + "\n") == 0


def test_authorized_user_can_name_a_holder_earlier_in_the_file(container: Container) -> None:
    text = (
        "subject_type,province,email,external_ref,acts_for\n"
        "customer,QC,holder@example.ca,CRM-1,\n"
        "authorized_user,QC,helper@example.ca,,CRM-1\n"
    )
    assert import_text(container, text) == 2


def test_demo_is_reproducible_from_its_seed(
    tmp_path_factory: pytest.TempPathFactory, keys_json: str
) -> None:
    from datetime import date

    from confide.config import Settings

    def generate() -> list[tuple[str, str, str]]:
        settings = Settings(data_dir=tmp_path_factory.mktemp("demo"), keys=keys_json)  # type: ignore[arg-type]
        c = build(settings, migrate_db=True, create_key=True)
        try:
            report = c.demo.generate(OP, 300, seed=7, as_of=date(2026, 11, 1))
            assert report.subjects == 300
            subjects, _ = c.subjects.page(OP, 0, 500)
            return [(s.id, s.province, s.identifiers[0].value) for s in subjects]
        finally:
            c.close()

    first, second = generate(), generate()
    assert first == second
    provinces = {p for _, p, _ in first}
    assert "QC" in provinces and "ON" in provinces


def test_demo_refuses_a_store_that_already_has_subjects(container: Container) -> None:
    container.subjects.register(OP, RegisterSubject("customer", "ON", email="x@example.ca"))
    with pytest.raises(Conflict):
        container.demo.generate(OP, 10)


def test_key_rotation_reseals_every_value_and_keeps_it_readable(container: Container) -> None:
    s = container.subjects.register(OP, RegisterSubject("customer", "QC", email="k@example.ca"))
    rec = container.subjects.record_information(
        OP,
        RecordInformation(
            s.id, "credit_information", "score 650", "third_party", ("credit_check",)
        ),
    )
    rotated = container.keyring.with_new_active_key()
    c2 = build(
        container.settings.model_copy(update={"keys": SecretStr(rotated.to_json())}),
        clock=container.ctx.clock,
    )
    try:
        assert c2.keys.reencrypt(OP) == 1
        with c2.engine.connect() as conn:
            blob = conn.execute(
                sa.select(personal_info.c.value_sealed).where(personal_info.c.id == rec.id)
            ).scalar_one()
        assert not rotated.needs_rotation(bytes(blob))
        assert c2.subjects.file(OP, s.id).information[0].value == "score 650"
        assert c2.keys.reencrypt(OP) == 0
    finally:
        c2.close()
    # The audit trail's payload keys were re-wrapped too: with only the new key the log's
    # details stay readable.
    new_only = KeyRing(keys={"k2": rotated.keys["k2"]}, active="k2")
    c3 = build(
        container.settings.model_copy(update={"keys": SecretStr(new_only.to_json())}),
        clock=container.ctx.clock,
    )
    try:
        assert c3.audit.entry(OP, 1).details is not None
    finally:
        c3.close()
    # The old ring alone can no longer read the value: it really was re-encrypted.
    old_only = KeyRing(keys={"k1": rotated.keys["k1"]}, active="k1")
    with pytest.raises(Exception, match="k2"):
        old_only.decrypt(bytes(blob), b"personal_info:" + rec.id.encode())


def test_migrations_produce_exactly_the_declared_schema(container: Container) -> None:
    with container.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
