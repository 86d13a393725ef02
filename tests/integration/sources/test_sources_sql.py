"""SQL connector against real databases: a SQLite file, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from confide.adapters.connectors.sql import SqlConnector
from confide.domain.sources import (
    CategoryColumn,
    CategoryNotMapped,
    DataSource,
    IdentifierColumn,
    LookupKey,
    SourceIdentifierKind,
    SourceNotWritable,
    SourceUnavailable,
    TableMapping,
    identifier_variants,
)
from confide.testing.sources import make_sql_source, seeded_mapping, seeded_row

Kind = SourceIdentifierKind
MakeSource = Callable[..., DataSource]


def key(kind: SourceIdentifierKind, value: str) -> LookupKey:
    return LookupKey(kind, identifier_variants(kind, value))


@pytest.fixture
def seeded_url(source_db_url: str) -> str:
    make_sql_source(source_db_url, 40, seed=3)
    return source_db_url


def test_a_source_matching_its_map_passes_its_test(
    seeded_url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        assert connector.test() == []
    finally:
        connector.close()


def test_each_missing_table_and_column_is_named(seeded_url: str, make_source: MakeSource) -> None:
    broken = TableMapping(
        "customers",
        (IdentifierColumn("email", Kind.EMAIL), IdentifierColumn("badge", Kind.EMPLOYEE_NUMBER)),
        (CategoryColumn("full_name", "name"), CategoryColumn("salary", "payroll_information")),
        retention_from="closed_on",
    )
    missing_table = TableMapping("invoices", (IdentifierColumn("email", Kind.EMAIL),))
    connector = SqlConnector(make_source(seeded_url, broken, missing_table))
    try:
        problems = connector.test()
    finally:
        connector.close()
    assert sorted(p.location for p in problems) == [
        "customers.badge",
        "customers.closed_on",
        "customers.salary",
        "invoices",
    ]
    assert {p.message for p in problems} == {
        "column does not exist in the table",
        "table does not exist in the source",
    }


@pytest.mark.parametrize(
    ("kind", "position"), [(Kind.EMAIL, 1), (Kind.PHONE, 2), (Kind.ACCOUNT, 3)]
)
def test_acc_4_a_subject_is_found_by_each_identifier_kind(
    seeded_url: str, make_source: MakeSource, kind: SourceIdentifierKind, position: int
) -> None:
    row = seeded_row(17, seed=3)
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        found = connector.find([key(kind, str(row[position]))])
    finally:
        connector.close()
    assert len(found) == 1
    hit = found[0]
    assert hit.table == "customers"
    assert hit.matched_on == (kind_column(kind),)
    assert {(v.column, v.category, v.value) for v in hit.values} == {
        ("full_name", "name", row[4]),
        ("street", "mailing_address", row[5]),
        ("city", "mailing_address", row[6]),
        ("postal_code", "mailing_address", row[7]),
    }
    assert hit.retention_from == str(row[8])


def kind_column(kind: SourceIdentifierKind) -> str:
    return {Kind.EMAIL: "email", Kind.PHONE: "phone", Kind.ACCOUNT: "account_no"}[kind]


def test_a_row_matched_by_several_identifiers_is_returned_once_naming_each(
    seeded_url: str, make_source: MakeSource
) -> None:
    row = seeded_row(5, seed=3)
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        found = connector.find([key(Kind.EMAIL, str(row[1])), key(Kind.ACCOUNT, str(row[3]))])
    finally:
        connector.close()
    assert [h.matched_on for h in found] == [("email", "account_no")]


def test_a_subject_the_source_does_not_hold_finds_nothing(
    seeded_url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        assert connector.find([key(Kind.EMAIL, "nobody@example.org")]) == []
    finally:
        connector.close()


def test_a_phone_stored_in_national_format_is_found_from_e164(
    source_db_url: str, make_source: MakeSource
) -> None:
    make_sql_source(source_db_url, 20, seed=4, phone_style="dashed")
    digits = str(seeded_row(9, seed=4)[2])[2:]
    stored = str(seeded_row(9, seed=4, phone_style="dashed")[2])
    assert stored == f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    connector = SqlConnector(make_source(source_db_url, seeded_mapping()))
    try:
        found = connector.find([key(Kind.PHONE, "+1" + digits)])
    finally:
        connector.close()
    assert [h.matched_on for h in found] == [("phone",)]


def test_an_account_number_stored_as_an_integer_is_found(
    source_db_url: str, make_source: MakeSource
) -> None:
    engine = sa.create_engine(source_db_url)
    meta = sa.MetaData()
    t = sa.Table(
        "accounts",
        meta,
        sa.Column("acct", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("holder", sa.String(100)),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"acct": 1001, "holder": "A"}, {"acct": 1002, "holder": "B"}])
    engine.dispose()
    mapping = TableMapping(
        "accounts", (IdentifierColumn("acct", Kind.ACCOUNT),), (CategoryColumn("holder", "name"),)
    )
    connector = SqlConnector(make_source(source_db_url, mapping))
    try:
        found = connector.find([LookupKey(Kind.ACCOUNT, ("1002", "not-a-number"))])
    finally:
        connector.close()
    assert [v.value for h in found for v in h.values] == ["B"]


def test_acc_9_a_correction_is_written_to_a_writable_source(
    seeded_url: str, make_source: MakeSource
) -> None:
    row = seeded_row(11, seed=3)
    connector = SqlConnector(make_source(seeded_url, seeded_mapping(), writable=True))
    try:
        changed = connector.update([key(Kind.EMAIL, str(row[1]))], "name", "Corrected Name")
        found = connector.find([key(Kind.EMAIL, str(row[1]))])
        other = connector.find([key(Kind.EMAIL, str(seeded_row(12, seed=3)[1]))])
    finally:
        connector.close()
    assert changed == 1
    assert [v.value for v in found[0].values if v.category == "name"] == ["Corrected Name"]
    assert [v.value for v in other[0].values if v.category == "name"] == [seeded_row(12, 3)[4]]


def test_acc_9_a_read_only_source_refuses_a_correction(
    seeded_url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(seeded_url, seeded_mapping(), writable=False))
    try:
        with pytest.raises(SourceNotWritable) as err:
            connector.update([key(Kind.EMAIL, str(seeded_row(1, 3)[1]))], "name", "X")
    finally:
        connector.close()
    assert err.value.rule == "ACC-9"


def test_a_category_held_in_several_columns_needs_the_column_named(
    seeded_url: str, make_source: MakeSource
) -> None:
    row = seeded_row(2, seed=3)
    connector = SqlConnector(make_source(seeded_url, seeded_mapping(), writable=True))
    try:
        with pytest.raises(CategoryNotMapped):
            connector.update([key(Kind.EMAIL, str(row[1]))], "mailing_address", "1 New St")
        with pytest.raises(CategoryNotMapped):
            connector.update([key(Kind.EMAIL, str(row[1]))], "credit_information", "x")
        changed = connector.update(
            [key(Kind.EMAIL, str(row[1]))], "mailing_address", "1 New St", column="street"
        )
    finally:
        connector.close()
    assert changed == 1


def test_a_sample_has_the_first_rows_with_every_column(
    seeded_url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        sample = connector.sample("customers", 3)
    finally:
        connector.close()
    assert sample.columns[:3] == ("customer_id", "email", "phone")
    assert len(sample.rows) == 3
    assert {r[1] for r in sample.rows} <= {str(seeded_row(i, 3)[1]) for i in range(40)}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://reader:Pw-Secret-9@127.0.0.1:1/crm",
        "mysql+pymysql://root:Pw-Secret-9@127.0.0.1:1/test",
    ],
)
def test_a_server_that_is_down_is_unavailable_naming_the_source(
    url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(url, seeded_mapping(), name="billing"))
    try:
        for attempt in (connector.test, lambda: connector.find([key(Kind.EMAIL, "a@b.ca")])):
            with pytest.raises(SourceUnavailable) as err:
                attempt()
            assert err.value.source == "billing"
            assert "Pw-Secret-9" not in str(err.value)
            assert "a@b.ca" not in str(err.value)
    finally:
        connector.close()


def test_a_missing_sqlite_file_is_unavailable_and_not_created(
    tmp_path: Path, make_source: MakeSource
) -> None:
    path = tmp_path / "gone.db"
    connector = SqlConnector(make_source(f"sqlite:///{path}", seeded_mapping()))
    with pytest.raises(SourceUnavailable):
        connector.test()
    assert not path.exists()


def test_a_table_dropped_after_the_map_was_read_makes_the_source_unavailable(
    seeded_url: str, make_source: MakeSource
) -> None:
    connector = SqlConnector(make_source(seeded_url, seeded_mapping()))
    try:
        assert connector.find([key(Kind.EMAIL, str(seeded_row(1, 3)[1]))])
        engine = sa.create_engine(seeded_url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE customers"))
        engine.dispose()
        with pytest.raises(SourceUnavailable):
            connector.find([key(Kind.EMAIL, str(seeded_row(1, 3)[1]))])
    finally:
        connector.close()


def test_a_column_dropped_before_the_first_look_up_makes_the_source_unavailable(
    seeded_url: str, make_source: MakeSource
) -> None:
    engine = sa.create_engine(seeded_url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE customers DROP COLUMN city"))
    engine.dispose()
    connector = SqlConnector(make_source(seeded_url, seeded_mapping(), name="crm"))
    try:
        with pytest.raises(SourceUnavailable) as err:
            connector.find([key(Kind.EMAIL, str(seeded_row(1, 3)[1]))])
    finally:
        connector.close()
    assert "no longer exists" in str(err.value)
