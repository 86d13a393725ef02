"""The data map's domain: validation against the policy, the mapping file, redaction, look-up keys."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from confide.domain.errors import ValidationFailed
from confide.domain.policy import Policy
from confide.domain.sources import (
    CategoryColumn,
    DataSource,
    IdentifierColumn,
    SourceIdentifierKind,
    SourceKind,
    SourceUnavailable,
    TableMapping,
    identifier_variants,
    parse_mapping_document,
    redact_connection,
    text_of,
    validate_source,
)
from confide.domain.subjects import Identifier, IdentifierKind, Subject
from confide.policy.loader import load_policy
from confide.services.sources import lookup_keys

Kind = SourceIdentifierKind


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(None).policy


def customers(**changes: object) -> TableMapping:
    base = {
        "table": "customers",
        "identifiers": (IdentifierColumn("email", Kind.EMAIL),),
        "categories": (CategoryColumn("full_name", "name"),),
        "retention_from": None,
    }
    return TableMapping(**{**base, **changes})  # type: ignore[arg-type]


def source(*mappings: TableMapping, **changes: object) -> DataSource:
    base: dict[str, object] = {
        "id": "src_1",
        "name": "crm",
        "kind": SourceKind.SQL,
        "connection": "sqlite:///crm.db",
        "owner_system": "CRM",
        "country": "CA",
        "province": "QC",
        "writable": False,
        "mappings": mappings or (customers(),),
        "created_at": datetime(2026, 6, 1, tzinfo=UTC),
    }
    return DataSource(**{**base, **changes})  # type: ignore[arg-type]


def locations(policy: Policy, s: DataSource) -> list[str]:
    return sorted(p.location for p in validate_source(s, policy))


# --- validation against the policy -----------------------------------------------------------------


def test_a_well_formed_source_has_no_problems(policy: Policy) -> None:
    assert validate_source(source(), policy) == []


def test_a_category_the_policy_does_not_declare_is_refused_by_name(policy: Policy) -> None:
    s = source(customers(categories=(CategoryColumn("shoe", "shoe_size"),)))
    problems = validate_source(s, policy)
    assert [p.location for p in problems] == ["tables[0].categories.shoe"]
    assert "shoe_size" in problems[0].message


def test_a_mapping_without_an_identifier_column_is_refused(policy: Policy) -> None:
    assert locations(policy, source(customers(identifiers=()))) == ["tables[0].identifiers"]


def test_every_mapping_is_checked_and_each_problem_listed(policy: Policy) -> None:
    s = source(
        customers(),
        customers(table="orders", identifiers=(), categories=(CategoryColumn("x", "nope"),)),
        customers(),
        name="Not A Slug",
        country="Canada",
    )
    assert locations(policy, s) == [
        "country",
        "name",
        "province",  # given for a source not (validly) in Canada
        "tables[1].categories.x",
        "tables[1].identifiers",
        "tables[2].table",
    ]


def test_a_column_mapped_twice_in_a_table_is_refused(policy: Policy) -> None:
    s = source(customers(categories=(CategoryColumn("email", "email"),)))
    assert locations(policy, s) == ["tables[0].email"]


def test_a_province_is_a_canadian_code_and_only_for_a_source_in_canada(policy: Policy) -> None:
    assert locations(policy, source(province="ZZ")) == ["province"]
    assert locations(policy, source(country="US", province="QC")) == ["province"]
    assert validate_source(source(country="US", province=None), policy) == []


def test_a_mapping_lists_its_columns_once_identifiers_first() -> None:
    m = customers(
        identifiers=(IdentifierColumn("email", Kind.EMAIL), IdentifierColumn("tel", Kind.PHONE)),
        categories=(
            CategoryColumn("street", "mailing_address"),
            CategoryColumn("city", "mailing_address"),
        ),
        retention_from="closed",
    )
    assert m.columns == ("email", "tel", "street", "city", "closed")
    assert m.category_columns("mailing_address") == ("street", "city")


# --- the mapping file ------------------------------------------------------------------------------------


def test_a_mapping_document_is_read_into_table_mappings() -> None:
    doc = parse_mapping_document(
        {
            "owner_system": "CRM",
            "country": "ca",
            "province": "qc",
            "writable": True,
            "tables": [
                {
                    "table": "crm.customers",
                    "identifiers": {"mail": "email", "no": "external_ref"},
                    "categories": {"nm": "name"},
                    "retention_from": "closed_on",
                }
            ],
        }
    )
    assert (doc.owner_system, doc.country, doc.province, doc.writable) == ("CRM", "CA", "QC", True)
    assert doc.mappings == (
        TableMapping(
            "crm.customers",
            (IdentifierColumn("mail", Kind.EMAIL), IdentifierColumn("no", Kind.EXTERNAL_REF)),
            (CategoryColumn("nm", "name"),),
            "closed_on",
        ),
    )


def test_every_problem_of_a_mapping_document_is_listed() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_mapping_document(
            {
                "writable": "yes",
                "extra": 1,
                "tables": [
                    {"table": "a", "identifiers": {"e": "mail"}, "colour": "x"},
                    {"identifiers": {"e": "email"}},
                    "not a table",
                    {"table": "b", "identifiers": ["e"], "categories": {"c": 3}},
                ],
            }
        )
    assert sorted(p.location for p in err.value.problems) == [
        "extra",
        "tables[0].colour",
        "tables[0].identifiers.e",
        "tables[1].table",
        "tables[2]",
        "tables[3].categories.c",
        "tables[3].identifiers",
        "writable",
    ]


@pytest.mark.parametrize("doc", [None, [], "tables", {"tables": []}, {"tables": "customers"}])
def test_a_document_without_a_list_of_tables_is_refused(doc: object) -> None:
    with pytest.raises(ValidationFailed):
        parse_mapping_document(doc)


# --- showing and looking up ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://app:s3cr3t@db.example:5432/crm?sslmode=require",
            "postgresql+psycopg://***@db.example:5432/crm?sslmode=***",
        ),
        ("mysql+pymysql://root@127.0.0.1:3306/test", "mysql+pymysql://***@127.0.0.1:3306/test"),
        ("mysql+pymysql://h/db?password=s3cr3t", "mysql+pymysql://h/db?password=***"),
        ("sqlite:////var/data/crm.db", "sqlite:////var/data/crm.db"),
        ("/srv/exports/customers", "/srv/exports/customers"),
    ],
)
def test_a_connection_is_shown_without_credentials(url: str, shown: str) -> None:
    assert redact_connection(url) == shown
    assert "s3cr3t" not in redact_connection(url)


def test_the_connection_is_not_in_the_repr_of_a_source() -> None:
    s = source(connection="postgresql://u:s3cr3t@h/db")
    assert "s3cr3t" not in repr(s)
    assert "s3cr3t" not in s.redacted_connection


def test_a_phone_is_tried_in_the_usual_north_american_spellings() -> None:
    forms = identifier_variants(Kind.PHONE, "+15145550199")
    for expected in (
        "+15145550199",
        "5145550199",
        "514-555-0199",
        "(514) 555-0199",
        "514.555.0199",
    ):
        assert expected in forms
    assert forms[0] == "+15145550199"


def test_an_email_is_tried_as_given_and_in_lower_case() -> None:
    assert identifier_variants(Kind.EMAIL, "Anne@Example.CA") == (
        "Anne@Example.CA",
        "anne@example.ca",
    )
    assert identifier_variants(Kind.ACCOUNT, " 0042 ") == ("0042",)


def test_values_read_from_a_source_become_text() -> None:
    assert text_of(None) is None
    assert text_of(date(2026, 1, 31)) == "2026-01-31"
    assert text_of(b"\x01\xff") == "01ff"
    assert text_of(42) == "42"


def test_a_subject_is_looked_up_by_each_identifier_and_its_external_ref() -> None:
    subject = Subject(
        id="sub_1",
        subject_type="customer",
        province="QC",
        language="fr",
        created_at=datetime(2026, 6, 1, tzinfo=UTC),
        identifiers=(
            Identifier(IdentifierKind.EMAIL, "anne@example.ca"),
            Identifier(IdentifierKind.PHONE, "+15145550199"),
        ),
        external_ref="CRM-77",
    )
    keys = {k.kind: k.values for k in lookup_keys(subject)}
    assert set(keys) == {Kind.EMAIL, Kind.PHONE, Kind.EXTERNAL_REF}
    assert "514-555-0199" in keys[Kind.PHONE]
    assert keys[Kind.EXTERNAL_REF] == ("CRM-77",)


def test_an_unavailable_source_is_named_and_its_message_holds_no_connection() -> None:
    err = SourceUnavailable("billing", "cannot connect or the query failed: OperationalError")
    assert err.source == "billing"
    assert str(err) == (
        "data source 'billing' is unavailable (cannot connect or the query failed: OperationalError)"
    )
    assert err.code == "source_unavailable"
