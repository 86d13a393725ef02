"""Discovery: sampled column values classified into categories, proposals for the data map."""

from __future__ import annotations

from confide.scanner.corpus import generate
from confide.scanner.discovery import DiscoveryReport, classify_columns, classify_csv
from confide.scanner.model import Entity


def test_csv_columns_are_classified_by_what_their_values_hold() -> None:
    doc = next(d for d in generate(3, 16) if d.kind == "csv")
    by_column = {c.column: c for c in classify_csv("export.csv", doc.text)}
    assert by_column["email"].entity is Entity.EMAIL and by_column["email"].category == "email"
    assert by_column["phone"].entity is Entity.PHONE
    assert by_column["postal_code"].entity is Entity.POSTAL_CODE
    assert by_column["sin"].entity is Entity.SIN
    assert by_column["card_number"].entity is Entity.PAYMENT_CARD
    assert by_column["notes"].entity is None


def test_the_column_name_serves_as_context() -> None:
    # bare nine-digit numbers that pass Luhn: a SIN column, an order column
    values = ["130692544", "293827192", "712345677"]
    result = classify_columns("crm", {"nas": values, "order_number": values})
    assert result[0].entity is Entity.SIN and result[0].share == 1.0
    assert result[0].counts == {"SIN": 3}
    assert result[1].entity is None  # "order number: 130692544" is an order number


def test_a_column_is_classified_only_when_most_values_hold_the_entity() -> None:
    result = classify_columns("crm", {"comment": ["a.b@example.org", "hello", "thanks", None, ""]})
    assert result[0].entity is None and result[0].sampled == 3


def test_proposals_leave_out_columns_already_in_the_data_map() -> None:
    report = DiscoveryReport(classify_columns("crm", {"email": ["a@b.ca"], "mail": ["c@d.ca"]}))
    assert [c.column for c in report.proposals({("crm", "email")})] == ["mail"]
